#include <arrow/compute/cast.h>
#include <arrow/util/key_value_metadata.h>
#include <parquet/metadata.h>

#include "quiver/common/schema_text.h"
#include "quiver/store/model/storage_type.h"
#include "quiver/store/parquet/dictionary_check_internal.h"
#include "quiver/store/parquet/type_restore_internal.h"

namespace quiver::store {
namespace {

arrow::Result<std::shared_ptr<arrow::Schema>> StoredSchema(
    const parquet::FileMetaData& metadata, const std::string& key) {
  auto kv = metadata.key_value_metadata();
  if (!kv) return nullptr;
  int index = kv->FindKey(key);
  if (index < 0) return nullptr;
  return DecodeSchemaText(kv->value(index));
}

class RestoringReader : public arrow::RecordBatchReader {
 public:
  RestoringReader(std::shared_ptr<arrow::RecordBatchReader> reader, TypeRestorer restorer)
      : reader_(std::move(reader)), restorer_(std::move(restorer)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return restorer_.schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    ARROW_RETURN_NOT_OK(reader_->ReadNext(batch));
    if (*batch) {
      ARROW_ASSIGN_OR_RAISE(*batch, restorer_.Restore(*batch));
      ARROW_RETURN_NOT_OK(CheckDictionaryIndices(**batch));
    }
    return arrow::Status::OK();
  }

  arrow::Status Close() override { return reader_->Close(); }

 private:
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  TypeRestorer restorer_;
};

}  // namespace

arrow::Result<TypeRestorer> TypeRestorer::Make(
    const parquet::FileMetaData& metadata, std::shared_ptr<arrow::Schema> read_schema) {
  TypeRestorer restorer;
  restorer.schema_ = read_schema;
  // A part with encoded columns (storage_type.h) keeps the client's schema: it is
  // restored whole, metadata included, and every column decoded.
  auto client = StoredSchema(metadata, kClientSchemaKey);
  if (client.ok() && *client != nullptr &&
      (*client)->num_fields() == read_schema->num_fields()) {
    restorer.schema_ = *client;
    // Even where no column differs, batches get the client's schema (its metadata).
    restorer.needed_ = true;
    return restorer;
  }
  if (!client.ok()) return arrow::Status::IOError("a part's client schema is unreadable");
  auto stored = StoredSchema(metadata, "ARROW:schema");
  if (!stored.ok() || *stored == nullptr ||
      (*stored)->num_fields() != read_schema->num_fields()) {
    return restorer;
  }
  std::vector<std::shared_ptr<arrow::Field>> fields = read_schema->fields();
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& want = (*stored)->field(static_cast<int>(i))->type();
    // Nested field names count (Parquet renames list children): metadata compared.
    if (fields[i]->type()->Equals(*want, /*check_metadata=*/true) ||
        !arrow::compute::CanCast(*fields[i]->type(), *want)) {
      continue;
    }
    fields[i] = fields[i]->WithType(want);
    restorer.needed_ = true;
  }
  if (restorer.needed_) {
    restorer.schema_ = arrow::schema(std::move(fields), read_schema->metadata());
  }
  return restorer;
}

TypeRestorer TypeRestorer::Select(const std::vector<int>& fields) const {
  TypeRestorer out;
  std::vector<std::shared_ptr<arrow::Field>> selected;
  for (int index : fields) selected.push_back(schema_->field(index));
  out.schema_ = arrow::schema(std::move(selected), schema_->metadata());
  // Restore() casts only the columns whose type differs.
  out.needed_ = needed_;
  return out;
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> TypeRestorer::Restore(
    const std::shared_ptr<arrow::RecordBatch>& batch) const {
  if (!needed_) return batch;
  std::vector<std::shared_ptr<arrow::Array>> columns = batch->columns();
  for (size_t i = 0; i < columns.size(); ++i) {
    const auto& want = schema_->field(static_cast<int>(i))->type();
    if (!columns[i]->type()->Equals(*want, /*check_metadata=*/true)) {
      ARROW_ASSIGN_OR_RAISE(columns[i], DecodeArray(columns[i], want));
    }
  }
  return arrow::RecordBatch::Make(schema_, batch->num_rows(), std::move(columns));
}

std::shared_ptr<arrow::RecordBatchReader> MakeRestoringReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, TypeRestorer restorer) {
  // Dictionary columns are checked on every batch (CheckDictionaryIndices).
  bool dictionaries = false;
  for (const auto& field : restorer.schema()->fields()) {
    dictionaries |= field->type()->id() == arrow::Type::DICTIONARY;
  }
  if (!restorer.needed() && !dictionaries) return reader;
  return std::make_shared<RestoringReader>(std::move(reader), std::move(restorer));
}

}  // namespace quiver::store
