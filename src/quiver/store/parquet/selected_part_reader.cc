#include "quiver/store/parquet/selected_part_reader.h"

#include <arrow/compute/api_vector.h>
#include <arrow/compute/exec.h>
#include <arrow/dataset/file_parquet.h>
#include <arrow/util/checked_cast.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>

#include "quiver/store/model/array_kernels.h"
#include "quiver/store/model/store_errors.h"
#include "quiver/store/parquet/dictionary_check_internal.h"
#include "quiver/store/parquet/parquet_format.h"
#include "quiver/store/parquet/type_restore_internal.h"

namespace quiver::store {
namespace {

namespace cp = arrow::compute;

void CollectLeaves(const parquet::arrow::SchemaField& field, std::vector<int>* leaves) {
  if (field.is_leaf()) {
    leaves->push_back(field.column_index);
    return;
  }
  for (const auto& child : field.children) CollectLeaves(child, leaves);
}

/// Restores types, filters rows, projects columns. Owns the file reader.
class SelectingReader : public arrow::RecordBatchReader {
 public:
  SelectingReader(std::unique_ptr<parquet::arrow::FileReader> file_reader,
                  std::unique_ptr<arrow::RecordBatchReader> batches,
                  TypeRestorer restorer, const ReadPlan& plan)
      : file_reader_(std::move(file_reader)),
        batches_(std::move(batches)),
        restorer_(std::move(restorer)),
        filter_(plan.filter),
        output_positions_(plan.output_positions),
        schema_(plan.schema) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* out) override {
    while (true) {
      std::shared_ptr<arrow::RecordBatch> batch;
      ARROW_RETURN_NOT_OK(batches_->ReadNext(&batch));
      if (batch == nullptr) {
        *out = nullptr;
        return arrow::Status::OK();
      }
      ARROW_ASSIGN_OR_RAISE(batch, restorer_.Restore(batch));
      ARROW_RETURN_NOT_OK(CheckDictionaryIndices(*batch));
      if (batch->num_columns() != restorer_.schema()->num_fields()) {
        return arrow::Status::IOError("a part's columns differ from its version's");
      }
      if (filter_) {
        for (int i = 0; i < batch->num_columns(); ++i) {
          if (!batch->column(i)->type()->Equals(*restorer_.schema()->field(i)->type())) {
            return arrow::Status::IOError(
                "a part's column types differ from its version's");
          }
        }
        auto evaluated = cp::ExecuteScalarExpression(*filter_, cp::ExecBatch(*batch));
        if (!evaluated.ok()) return FilterFailed(evaluated.status());
        arrow::Datum mask = std::move(*evaluated);
        if (mask.is_scalar()) {
          const auto& keep = mask.scalar_as<arrow::BooleanScalar>();
          if (!keep.is_valid || !keep.value) continue;
        } else {
          ARROW_ASSIGN_OR_RAISE(batch, FilterRows(batch, *mask.make_array()));
        }
        if (batch->num_rows() == 0) continue;
      }
      std::vector<std::shared_ptr<arrow::Array>> columns;
      columns.reserve(output_positions_.size());
      for (int position : output_positions_) columns.push_back(batch->column(position));
      *out = arrow::RecordBatch::Make(schema_, batch->num_rows(), std::move(columns));
      return arrow::Status::OK();
    }
  }

  arrow::Status Close() override { return batches_->Close(); }

 private:
  std::unique_ptr<parquet::arrow::FileReader> file_reader_;
  std::unique_ptr<arrow::RecordBatchReader> batches_;
  TypeRestorer restorer_;
  std::optional<cp::Expression> filter_;
  std::vector<int> output_positions_;
  std::shared_ptr<arrow::Schema> schema_;
};

/// The row groups of `candidates` that the filter may select, by their statistics:
/// arrow::dataset's own pruning. All of them when the filter does not bind to the
/// file's physical schema (a type Parquet reads differently).
arrow::Result<std::vector<int>> PruneRowGroups(
    const std::shared_ptr<arrow::io::RandomAccessFile>& file,
    parquet::arrow::FileReader* file_reader, const cp::Expression& filter,
    std::vector<int> candidates) {
  auto format = std::make_shared<arrow::dataset::ParquetFileFormat>();
  ARROW_ASSIGN_OR_RAISE(auto fragment,
                        format->MakeFragment(arrow::dataset::FileSource(file),
                                             cp::literal(true), nullptr, candidates));
  ARROW_RETURN_NOT_OK(fragment->EnsureCompleteMetadata(file_reader));
  ARROW_ASSIGN_OR_RAISE(auto physical, fragment->ReadPhysicalSchema());
  auto bound = filter.Bind(*physical);
  if (!bound.ok()) return candidates;
  ARROW_ASSIGN_OR_RAISE(auto subset, fragment->Subset(*bound));
  return arrow::internal::checked_cast<const arrow::dataset::ParquetFileFragment&>(
             *subset)
      .row_groups();
}

}  // namespace

arrow::Result<SelectedPart> OpenSelectedPart(
    std::shared_ptr<arrow::io::RandomAccessFile> file, const ReadPlan& plan,
    int64_t first_row_group, int64_t end_row_group, const ReadOptions& options,
    const FooterSlot& footer) {
  ARROW_ASSIGN_OR_RAISE(auto file_reader, OpenParquetFileReader(file, options, footer));
  auto metadata = file_reader->parquet_reader()->metadata();
  if (first_row_group < 0 || end_row_group > metadata->num_row_groups()) {
    return arrow::Status::IOError("a part has fewer row groups than its manifest says");
  }
  const auto& fields = file_reader->manifest().schema_fields;
  std::vector<int> leaves;
  for (int index : plan.read_fields) {
    if (index >= static_cast<int>(fields.size())) {
      return arrow::Status::IOError("a part has fewer columns than its version");
    }
    CollectLeaves(fields[static_cast<size_t>(index)], &leaves);
  }
  std::vector<int> row_groups;
  for (int64_t rg = first_row_group; rg < end_row_group; ++rg) {
    row_groups.push_back(static_cast<int>(rg));
  }
  SelectedPart part;
  if (plan.unbound_filter && !row_groups.empty()) {
    auto candidates = static_cast<int64_t>(row_groups.size());
    ARROW_ASSIGN_OR_RAISE(row_groups, PruneRowGroups(file, file_reader.get(),
                                                     *plan.unbound_filter, row_groups));
    part.row_groups_skipped = candidates - static_cast<int64_t>(row_groups.size());
  }
  part.row_groups_read = static_cast<int64_t>(row_groups.size());
  if (row_groups.empty()) {
    ARROW_ASSIGN_OR_RAISE(part.reader, arrow::RecordBatchReader::Make({}, plan.schema));
    return part;
  }
  std::shared_ptr<arrow::Schema> full_schema;
  ARROW_RETURN_NOT_OK(file_reader->GetSchema(&full_schema));
  ARROW_ASSIGN_OR_RAISE(auto restorer, TypeRestorer::Make(*metadata, full_schema));
  ARROW_ASSIGN_OR_RAISE(auto batches,
                        file_reader->GetRecordBatchReader(row_groups, leaves));
  std::shared_ptr<arrow::RecordBatchReader> reader =
      std::make_shared<SelectingReader>(std::move(file_reader), std::move(batches),
                                        restorer.Select(plan.read_fields), plan);
  ARROW_ASSIGN_OR_RAISE(part.reader, WithReadahead(std::move(reader), options));
  return part;
}

}  // namespace quiver::store
