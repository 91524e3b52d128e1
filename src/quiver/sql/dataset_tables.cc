#include "quiver/sql/dataset_tables.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include <arrow/type.h>

#include "quiver/store/model/dataset_info.h"
#include "quiver/store/model/read_spec.h"

namespace quiver::sql {
namespace {

// One pinned version of a dataset.
class DatasetSource : public TableSource {
 public:
  DatasetSource(std::shared_ptr<store::DatasetStore> store, store::DatasetInfo info)
      : store_(std::move(store)), info_(std::move(info)) {
    // Pieces of similar stored size, each a run of whole row groups.
    if (info_.manifest != nullptr) {
      pieces_ = store::SplitRowGroups(*info_.manifest, kMaxPieces);
    }
  }

  int partitions() const override {
    return std::max<int>(1, static_cast<int>(pieces_.size()));
  }

  const std::shared_ptr<arrow::Schema>& schema() const override { return info_.schema; }
  int64_t num_rows() const override { return info_.num_rows; }

  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Open(
      const std::vector<int>& columns, int partition) const override {
    if (partition < 0 || partition >= partitions()) {
      return arrow::Status::IndexError("piece ", partition, " of '",
                                       info_.name.ToString(), "'");
    }
    store::ReadSpec spec;
    if (pieces_.size() > 1) spec.row_groups = pieces_[partition];
    std::vector<std::string> names;
    for (int column : columns) {
      if (column < 0 || column >= info_.schema->num_fields()) {
        return arrow::Status::IndexError("column ", column, " of '",
                                         info_.name.ToString(), "'");
      }
      names.push_back(info_.schema->field(column)->name());
    }
    if (static_cast<int>(names.size()) != info_.schema->num_fields()) {
      spec.columns = std::move(names);
    } else {
      // All columns: still in the order asked.
      bool in_order = true;
      for (size_t i = 0; i < columns.size(); ++i)
        in_order &= columns[i] == static_cast<int>(i);
      if (!in_order) spec.columns = std::move(names);
    }
    // The version still exists (retention may have removed it since the statement was
    // prepared: NOT_FOUND, not a storage failure): asked once per statement, not per
    // piece (for an older version that is a manifest read each time).
    std::call_once(checked_, [this] {
      auto version = store_->GetVersion(info_.name, info_.version);
      exists_ = version.ok() ? arrow::Status::OK() : version.status();
    });
    ARROW_RETURN_NOT_OK(exists_);
    return store_->OpenReader(info_, spec);
  }

 private:
  // Pieces per scan at most: enough for the engine's threads on a large machine.
  static constexpr int64_t kMaxPieces = 64;

  std::shared_ptr<store::DatasetStore> store_;
  store::DatasetInfo info_;
  std::vector<store::RowGroupRange> pieces_;
  mutable std::once_flag checked_;
  mutable arrow::Status exists_;  // set once, under checked_
};

class StoreResolver : public TableResolver {
 public:
  StoreResolver(std::shared_ptr<store::DatasetStore> store, ReadCheck may_read)
      : store_(std::move(store)), may_read_(std::move(may_read)) {}

  arrow::Result<std::shared_ptr<TableSource>> Resolve(std::string_view table) override {
    return ResolveAt(table, TableAt{});
  }

  arrow::Result<std::shared_ptr<TableSource>> ResolveAt(std::string_view table,
                                                        const TableAt& at) override {
    auto name = store::DatasetName::Parse(table);
    if (!name.ok()) return arrow::Status::KeyError("no dataset named '", table, "'");
    ARROW_RETURN_NOT_OK(may_read_(*name));
    arrow::Result<store::DatasetInfo> info;
    switch (at.kind) {
      case TableAt::Kind::kCurrent:
        info = store_->Get(*name);
        break;
      case TableAt::Kind::kVersion:
        info = store_->GetVersion(*name, at.value);
        break;
      case TableAt::Kind::kAsOf:
        info = store_->GetAsOf(*name, at.value);
        break;
    }
    if (!info.ok()) {
      if (!info.status().IsKeyError()) return info.status();
      if (at.kind == TableAt::Kind::kCurrent) {
        return arrow::Status::KeyError("no dataset named '", table, "'");
      }
      return arrow::Status::KeyError(info.status().message());
    }
    return std::make_shared<DatasetSource>(store_, std::move(*info));
  }

 private:
  std::shared_ptr<store::DatasetStore> store_;
  ReadCheck may_read_;
};

}  // namespace

DatasetTables::DatasetTables(std::shared_ptr<store::DatasetStore> store)
    : store_(std::move(store)) {}

std::unique_ptr<TableResolver> DatasetTables::MakeResolver(ReadCheck may_read) const {
  return std::make_unique<StoreResolver>(store_, std::move(may_read));
}

std::vector<TableEntry> DatasetTables::List(const ReadCheck& may_read) const {
  std::vector<TableEntry> tables;
  for (const auto& info : store_->List()) {
    if (!may_read(info.name).ok()) continue;
    tables.push_back({info.name.ToString(), info.schema});
  }
  return tables;
}

}  // namespace quiver::sql
