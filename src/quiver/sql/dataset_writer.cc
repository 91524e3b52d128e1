#include "quiver/sql/dataset_writer.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <arrow/array/builder_primitive.h>
#include <arrow/type.h>

#include "quiver/sql/insert_columns.h"
#include "quiver/store/model/dataset_name.h"

namespace quiver::sql {
namespace {

arrow::Result<store::DatasetName> TargetName(std::string_view table) {
  auto name = store::DatasetName::Parse(table);
  if (!name.ok()) {
    return arrow::Status::Invalid("'", table,
                                  "' cannot name a dataset: ", name.status().message());
  }
  return std::move(*name);
}

// The current version of `name`, or nullopt when there is none.
arrow::Result<std::optional<store::DatasetInfo>> Current(const store::DatasetStore& store,
                                                         const store::DatasetName& name) {
  auto info = store.Get(name);
  if (info.ok()) return std::optional<store::DatasetInfo>(std::move(*info));
  if (info.status().IsKeyError()) return std::optional<store::DatasetInfo>();
  return info.status();
}

// `schema` with the fields named in `not_null` made non-nullable.
std::shared_ptr<arrow::Schema> WithNotNull(const std::shared_ptr<arrow::Schema>& schema,
                                           const std::vector<std::string>& not_null) {
  if (not_null.empty()) return schema;
  arrow::FieldVector fields = schema->fields();
  for (auto& field : fields) {
    for (const auto& name : not_null) {
      if (field->name() == name) field = field->WithNullable(false);
    }
  }
  return arrow::schema(std::move(fields), schema->metadata());
}

// The rows of a write's query, once per parameter row, into one upload that begins
// with the first result (whose schema, parameters bound, decides the conversion).
class Pump {
 public:
  // Begins the upload for a result of `schema`; converts its batches.
  using Begin =
      std::function<arrow::Status(const std::shared_ptr<arrow::Schema>& schema)>;
  using Convert = std::function<arrow::Result<std::shared_ptr<arrow::RecordBatch>>(
      const arrow::RecordBatch&)>;

  arrow::Status Run(Query& query, const arrow::RecordBatch* parameters,
                    const Begin& begin, const Convert& convert,
                    std::unique_ptr<store::DatasetUpload>& upload) {
    int64_t runs = parameters == nullptr ? 1 : parameters->num_rows();
    for (int64_t row = 0; row < runs; ++row) {
      if (parameters != nullptr) ARROW_RETURN_NOT_OK(query.Bind(*parameters, row));
      ARROW_ASSIGN_OR_RAISE(auto reader, query.Execute());
      if (upload == nullptr || !reader->schema()->Equals(*schema_)) {
        schema_ = reader->schema();
        ARROW_RETURN_NOT_OK(begin(schema_));
      }
      while (true) {
        std::shared_ptr<arrow::RecordBatch> batch;
        ARROW_RETURN_NOT_OK(reader->ReadNext(&batch));
        if (batch == nullptr) break;
        if (batch->num_rows() == 0) continue;
        ARROW_ASSIGN_OR_RAISE(auto converted, convert(*batch));
        ARROW_RETURN_NOT_OK(upload->Write(converted));
      }
    }
    return arrow::Status::OK();
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
};

}  // namespace

const std::shared_ptr<arrow::Schema>& WriteResultSchema() {
  static const auto schema = arrow::schema({arrow::field("Count", arrow::int64())});
  return schema;
}

std::shared_ptr<arrow::RecordBatch> MakeWriteResult(int64_t rows) {
  arrow::Int64Builder builder;
  (void)builder.Append(rows);
  std::shared_ptr<arrow::Array> array;
  (void)builder.Finish(&array);
  return arrow::RecordBatch::Make(WriteResultSchema(), 1, {array});
}

DatasetWriter::DatasetWriter(std::shared_ptr<store::DatasetStore> store,
                             std::shared_ptr<Engine> engine)
    : store_(store), engine_(std::move(engine)), tables_(std::move(store)) {}

arrow::Result<std::shared_ptr<arrow::Schema>> DatasetWriter::Check(
    const WriteStatement& write, const WriteAccess& access) const {
  ARROW_ASSIGN_OR_RAISE(auto name, TargetName(write.table));
  if (write.kind == WriteStatement::Kind::kDropTable) {
    ARROW_RETURN_NOT_OK(access.may_drop(name));
    return arrow::schema(arrow::FieldVector{});
  }
  ARROW_RETURN_NOT_OK(access.may_write(name));
  auto resolver = tables_.MakeResolver(access.may_read);
  ARROW_ASSIGN_OR_RAISE(auto query, engine_->Prepare(write.query, *resolver));
  return query->parameter_schema();
}

arrow::Result<int64_t> DatasetWriter::Run(const WriteStatement& write,
                                          const WriteAccess& access,
                                          const arrow::RecordBatch* parameters) const {
  ARROW_ASSIGN_OR_RAISE(auto name, TargetName(write.table));
  if (write.kind == WriteStatement::Kind::kDropTable) {
    ARROW_RETURN_NOT_OK(access.may_drop(name));
    arrow::Status dropped = store_->Drop(name);
    if (dropped.IsKeyError()) {
      if (write.if_exists) return 0;
      return arrow::Status::KeyError("DROP TABLE: no dataset named '", write.table, "'");
    }
    ARROW_RETURN_NOT_OK(dropped);
    return 0;
  }
  ARROW_RETURN_NOT_OK(access.may_write(name));
  ARROW_ASSIGN_OR_RAISE(auto current, Current(*store_, name));
  auto resolver = tables_.MakeResolver(access.may_read);
  std::unique_ptr<store::DatasetUpload> upload;
  Pump::Begin begin;
  Pump::Convert convert;
  std::shared_ptr<arrow::Schema> schema;  // kCreateTable: the dataset's
  std::optional<InsertColumns> columns;   // kInsert: the mapping of the current result
  if (write.kind == WriteStatement::Kind::kCreateTable) {
    if (current && write.on_conflict == WriteStatement::OnConflict::kError) {
      return arrow::Status::AlreadyExists(
          "CREATE TABLE: dataset '", write.table,
          "' already exists (CREATE OR REPLACE TABLE replaces its rows, IF NOT EXISTS "
          "leaves it)");
    }
    if (current && write.on_conflict == WriteStatement::OnConflict::kIgnore) return 0;
    begin = [&](const std::shared_ptr<arrow::Schema>& result) -> arrow::Status {
      if (upload != nullptr) {
        return arrow::Status::Invalid(
            "CREATE TABLE AS: the query's columns change with "
            "its parameters");
      }
      schema = WithNotNull(result, write.columns);
      ARROW_ASSIGN_OR_RAISE(
          upload, store_->BeginUpload(name, schema, store::UploadMode::kOverwrite));
      return arrow::Status::OK();
    };
    convert = [&](const arrow::RecordBatch& batch)
        -> arrow::Result<std::shared_ptr<arrow::RecordBatch>> {
      for (int i = 0; i < schema->num_fields(); ++i) {
        if (!schema->field(i)->nullable() && batch.column(i)->null_count() > 0) {
          return arrow::Status::Invalid("column '", schema->field(i)->name(),
                                        "' may not be null");
        }
      }
      return arrow::RecordBatch::Make(schema, batch.num_rows(), batch.columns());
    };
  } else {
    if (!current) {
      return arrow::Status::KeyError("INSERT: no dataset named '", write.table,
                                     "' (CREATE TABLE makes one)");
    }
    begin = [&](const std::shared_ptr<arrow::Schema>& result) -> arrow::Status {
      ARROW_ASSIGN_OR_RAISE(columns, InsertColumns::Make(result, current->schema,
                                                         write.columns, write.by_name));
      if (upload == nullptr) {
        ARROW_ASSIGN_OR_RAISE(upload, store_->BeginUpload(name, current->schema,
                                                          store::UploadMode::kAppend));
      }
      return arrow::Status::OK();
    };
    convert = [&](const arrow::RecordBatch& batch) { return columns->Apply(batch); };
  }
  ARROW_ASSIGN_OR_RAISE(auto query, engine_->Prepare(write.query, *resolver));
  Pump pump;
  ARROW_RETURN_NOT_OK(pump.Run(*query, parameters, begin, convert, upload));
  if (upload == nullptr) {
    if (write.kind == WriteStatement::Kind::kInsert) return 0;  // no parameter row
    ARROW_RETURN_NOT_OK(begin(query->schema()));                // an empty table
  }
  int64_t rows = upload->rows_written();
  ARROW_RETURN_NOT_OK(upload->Commit().status());
  return rows;
}

arrow::Result<int64_t> DatasetWriter::Ingest(std::string_view table,
                                             const IngestMode& mode,
                                             arrow::RecordBatchReader& rows,
                                             const WriteAccess& access) const {
  ARROW_ASSIGN_OR_RAISE(auto name, TargetName(table));
  ARROW_RETURN_NOT_OK(access.may_write(name));
  ARROW_ASSIGN_OR_RAISE(auto current, Current(*store_, name));
  store::UploadMode upload_mode = store::UploadMode::kOverwrite;
  if (current) {
    switch (mode.if_exists) {
      case IngestMode::IfExists::kFail:
        return arrow::Status::AlreadyExists("ingest: dataset '", table,
                                            "' already exists (ingest in append or "
                                            "replace mode to change it)");
      case IngestMode::IfExists::kAppend:
        upload_mode = store::UploadMode::kAppend;
        break;
      case IngestMode::IfExists::kReplace:
        break;
    }
  } else if (mode.if_missing == IngestMode::IfMissing::kFail) {
    return arrow::Status::KeyError("ingest: no dataset named '", table,
                                   "' (ingest in create mode to make one)");
  }
  ARROW_ASSIGN_OR_RAISE(auto upload,
                        store_->BeginUpload(name, rows.schema(), upload_mode));
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(rows.ReadNext(&batch));
    if (batch == nullptr) break;
    ARROW_RETURN_NOT_OK(upload->Write(batch));
  }
  if (access.cancelled && access.cancelled()) {
    return arrow::Status::Cancelled("ingest into '", table,
                                    "' was cancelled; the dataset is unchanged");
  }
  int64_t written = upload->rows_written();
  ARROW_RETURN_NOT_OK(upload->Commit().status());
  return written;
}

}  // namespace quiver::sql
