#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <arrow/c/bridge.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>
#include <arrow/type.h>

#include "quiver/sql/duckdb/duckdb_scan_internal.h"

namespace quiver::sql::duckdb_internal {
namespace {

constexpr const char* kScanFunction = "quiver_scan";
constexpr const char* kVersionFunction = "dataset_at_version";
constexpr const char* kAsOfFunction = "dataset_as_of";

thread_local BindContext* current_context = nullptr;

// The converter connection of one scan: the C API converts Arrow through a
// connection's settings; each scan has its own, used by one thread at a time.
struct Converter {
  duckdb_connection connection = nullptr;
  duckdb_arrow_converted_schema converted = nullptr;
  ~Converter() {
    if (converted != nullptr) duckdb_destroy_arrow_converted_schema(&converted);
    if (connection != nullptr) duckdb_disconnect(&connection);
  }
};

std::string ErrorText(duckdb_error_data error) {
  std::string text = duckdb_error_data_message(error);
  duckdb_destroy_error_data(&error);
  return text;
}

// Converts Arrow data of `schema` into chunks.
arrow::Status MakeConverter(duckdb_database database, const arrow::Schema& schema,
                            Converter* converter) {
  if (duckdb_connect(database, &converter->connection) != DuckDBSuccess) {
    return arrow::Status::Invalid("SQL engine: cannot open a scan session");
  }
  ArrowSchema c_schema;
  ARROW_RETURN_NOT_OK(arrow::ExportSchema(schema, &c_schema));
  duckdb_error_data error =
      duckdb_schema_from_arrow(converter->connection, &c_schema, &converter->converted);
  if (c_schema.release != nullptr) c_schema.release(&c_schema);
  if (error != nullptr && duckdb_error_data_has_error(error)) {
    return arrow::Status::Invalid("SQL engine cannot read this table's types: ",
                                  ErrorText(error));
  }
  if (error != nullptr) duckdb_destroy_error_data(&error);
  return arrow::Status::OK();
}

// Arrow rows -> a chunk (the chunk owns the exported data).
arrow::Result<duckdb_data_chunk> ToChunk(Converter& converter,
                                         const arrow::RecordBatch& batch) {
  ArrowArray c_array;
  ARROW_RETURN_NOT_OK(arrow::ExportRecordBatch(batch, &c_array));
  duckdb_data_chunk chunk = nullptr;
  duckdb_error_data error = duckdb_data_chunk_from_arrow(converter.connection, &c_array,
                                                         converter.converted, &chunk);
  if (error != nullptr && duckdb_error_data_has_error(error)) {
    if (c_array.release != nullptr) c_array.release(&c_array);
    return arrow::Status::Invalid("SQL engine: ", ErrorText(error));
  }
  if (error != nullptr) duckdb_destroy_error_data(&error);
  return chunk;
}

struct ScanBind {
  std::shared_ptr<TableSource> source;
  duckdb_database database = nullptr;
};

// What the threads of one scan share: the columns read and the pieces left.
struct ScanState {
  duckdb_database database = nullptr;
  std::shared_ptr<TableSource> source;
  // The source's columns read, and for each output column its index among them, or
  // -1 (the row id, numbered here: such a scan runs on one thread).
  std::vector<int> columns;
  std::vector<int> outputs;
  int partitions = 1;
  std::atomic<int> next_partition{0};
};

// One thread's part of a scan: the piece it reads and where it is in it.
struct ThreadState {
  Converter converter;
  bool started = false;
  std::shared_ptr<arrow::RecordBatchReader> reader;
  std::shared_ptr<arrow::RecordBatch> batch;  // being handed out
  int64_t offset = 0;                         // in batch
  int64_t row_number = 0;                     // rows handed out so far
  bool done = false;
};

void DeleteThread(void* data) { delete static_cast<ThreadState*>(data); }
void DeleteBind(void* data) { delete static_cast<ScanBind*>(data); }
void DeleteState(void* data) { delete static_cast<ScanState*>(data); }

// The columns of `source` as the result of the scan being bound.
void BindSource(duckdb_bind_info info, std::shared_ptr<TableSource> source) {
  auto* bind = new ScanBind{
      std::move(source), static_cast<duckdb_database>(duckdb_bind_get_extra_info(info))};
  // The column types: those DuckDB gives an empty batch of the schema.
  Converter converter;
  const auto& schema = bind->source->schema();
  arrow::Status status = MakeConverter(bind->database, *schema, &converter);
  duckdb_data_chunk chunk = nullptr;
  if (status.ok()) {
    auto empty = arrow::RecordBatch::MakeEmpty(schema);
    if (!empty.ok()) {
      status = empty.status();
    } else {
      auto made = ToChunk(converter, **empty);
      if (made.ok()) {
        chunk = *made;
      } else {
        status = made.status();
      }
    }
  }
  if (!status.ok()) {
    delete bind;
    duckdb_bind_set_error(info, status.message().c_str());
    return;
  }
  for (int i = 0; i < schema->num_fields(); ++i) {
    duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, i);
    duckdb_logical_type type = duckdb_vector_get_column_type(vector);
    duckdb_bind_add_result_column(info, schema->field(i)->name().c_str(), type);
    duckdb_destroy_logical_type(&type);
  }
  duckdb_destroy_data_chunk(&chunk);
  duckdb_bind_set_cardinality(info, static_cast<idx_t>(bind->source->num_rows()), true);
  duckdb_bind_set_bind_data(info, bind, DeleteBind);
}

void ScanBindFn(duckdb_bind_info info) {
  duckdb_value token_value = duckdb_bind_get_parameter(info, 0);
  int64_t token = duckdb_get_int64(token_value);
  duckdb_destroy_value(&token_value);
  BindContext* context = current_context;
  if (context == nullptr || token < 0 ||
      token >= static_cast<int64_t>(context->by_token.size())) {
    duckdb_bind_set_error(info, "quiver_scan is internal: name a dataset as a table");
    return;
  }
  BindSource(info, context->by_token[token]);
}

// dataset_at_version(name, n) and dataset_as_of(name, timestamp): time travel.
template <TableAt::Kind kKind>
void TimeTravelBindFn(duckdb_bind_info info) {
  BindContext* context = current_context;
  duckdb_value name_value = duckdb_bind_get_parameter(info, 0);
  duckdb_value at_value = duckdb_bind_get_parameter(info, 1);
  char* name_text = duckdb_get_varchar(name_value);
  std::string name = name_text == nullptr ? "" : name_text;
  duckdb_free(name_text);
  TableAt at{kKind, kKind == TableAt::Kind::kVersion
                        ? duckdb_get_int64(at_value)
                        : duckdb_get_timestamp_tz(at_value).micros};
  duckdb_destroy_value(&name_value);
  duckdb_destroy_value(&at_value);
  if (context == nullptr) {
    duckdb_bind_set_error(info, "time travel needs a statement of quiver's");
    return;
  }
  // Keyed apart from plain names, which are never empty nor hold a '\n'.
  std::string key = name +
                    (kKind == TableAt::Kind::kVersion ? "\nversion=" : "\nas_of=") +
                    std::to_string(at.value);
  std::shared_ptr<TableSource> source;
  if (auto found = context->resolved.find(key); found != context->resolved.end()) {
    source = found->second;
  } else if (context->resolver != nullptr) {
    auto resolved = context->resolver->ResolveAt(name, at);
    if (!resolved.ok()) {
      if (context->failure.ok()) context->failure = resolved.status();
      duckdb_bind_set_error(info, resolved.status().message().c_str());
      return;
    }
    source = std::move(*resolved);
    context->resolved.emplace(key, source);
  } else {
    duckdb_bind_set_error(info, "time travel to a table the statement did not name");
    return;
  }
  BindSource(info, std::move(source));
}

void ScanInitFn(duckdb_init_info info) {
  auto* bind = static_cast<ScanBind*>(duckdb_init_get_bind_data(info));
  const auto& schema = bind->source->schema();
  auto state = std::make_unique<ScanState>();
  state->database = bind->database;
  state->source = bind->source;
  bool row_id = false;
  idx_t count = duckdb_init_get_column_count(info);
  for (idx_t i = 0; i < count; ++i) {
    idx_t index = duckdb_init_get_column_index(info, i);
    if (index < static_cast<idx_t>(schema->num_fields())) {
      auto& columns = state->columns;
      auto at = std::find(columns.begin(), columns.end(), static_cast<int>(index));
      state->outputs.push_back(static_cast<int>(at - columns.begin()));
      if (at == columns.end()) columns.push_back(static_cast<int>(index));
    } else {
      state->outputs.push_back(-1);
      row_id = true;
    }
  }
  // count(*) needs rows but no column: read the narrowest one, the first.
  if (state->columns.empty() && schema->num_fields() > 0) state->columns.push_back(0);
  state->partitions = std::max(1, bind->source->partitions());
  // Each piece on a thread of its own; row ids are numbered in order, on one thread.
  duckdb_init_set_max_threads(info, row_id ? 1 : static_cast<idx_t>(state->partitions));
  duckdb_init_set_init_data(info, state.release(), DeleteState);
}

void ThreadInitFn(duckdb_init_info info) {
  duckdb_init_set_init_data(info, new ThreadState(), DeleteThread);
}

// Opens the next piece for `thread`; false when none is left.
arrow::Result<bool> NextPiece(ScanState& scan, ThreadState& thread) {
  if (!thread.started) {
    arrow::FieldVector fields;
    for (int column : scan.columns)
      fields.push_back(scan.source->schema()->field(column));
    ARROW_RETURN_NOT_OK(
        MakeConverter(scan.database, arrow::Schema(fields), &thread.converter));
    thread.started = true;
  }
  int piece = scan.next_partition.fetch_add(1);
  if (piece >= scan.partitions) return false;
  ARROW_ASSIGN_OR_RAISE(thread.reader, scan.source->Open(scan.columns, piece));
  return true;
}

// The next batch of `thread`'s pieces with rows left; false at the end.
arrow::Result<bool> NextBatch(ScanState& scan, ThreadState& thread) {
  while (thread.batch == nullptr || thread.offset >= thread.batch->num_rows()) {
    if (thread.reader == nullptr) {
      ARROW_ASSIGN_OR_RAISE(bool more, NextPiece(scan, thread));
      if (!more) return false;
    }
    ARROW_ASSIGN_OR_RAISE(thread.batch, thread.reader->Next());
    thread.offset = 0;
    if (thread.batch == nullptr) thread.reader.reset();  // releases the files early
  }
  return true;
}

void ScanFn(duckdb_function_info info, duckdb_data_chunk output) {
  auto* scan = static_cast<ScanState*>(duckdb_function_get_init_data(info));
  auto* thread = static_cast<ThreadState*>(duckdb_function_get_local_init_data(info));
  duckdb_data_chunk_set_size(output, 0);
  if (thread->done) return;
  auto more = NextBatch(*scan, *thread);
  if (!more.ok()) {
    duckdb_function_set_error(info, more.status().message().c_str());
    return;
  }
  if (!*more) {
    thread->done = true;
    return;
  }
  int64_t rows = std::min<int64_t>(static_cast<int64_t>(duckdb_vector_size()),
                                   thread->batch->num_rows() - thread->offset);
  auto slice = thread->batch->Slice(thread->offset, rows);
  auto chunk = ToChunk(thread->converter, *slice);
  if (!chunk.ok()) {
    duckdb_function_set_error(info, chunk.status().message().c_str());
    return;
  }
  for (size_t i = 0; i < scan->outputs.size(); ++i) {
    duckdb_vector out = duckdb_data_chunk_get_vector(output, i);
    if (scan->outputs[i] >= 0) {
      duckdb_vector_reference_vector(
          out, duckdb_data_chunk_get_vector(*chunk, scan->outputs[i]));
    } else {
      auto* ids = static_cast<int64_t*>(duckdb_vector_get_data(out));
      for (int64_t r = 0; r < rows; ++r) ids[r] = thread->row_number + r;
    }
  }
  duckdb_destroy_data_chunk(&*chunk);
  duckdb_data_chunk_set_size(output, static_cast<idx_t>(rows));
  thread->offset += rows;
  thread->row_number += rows;
}

void ReplacementScan(duckdb_replacement_scan_info info, const char* table_name, void*) {
  BindContext* context = current_context;
  if (context == nullptr || !context->failure.ok()) return;
  std::string name(table_name);
  std::shared_ptr<TableSource> source;
  if (auto found = context->resolved.find(name); found != context->resolved.end()) {
    source = found->second;
  } else if (context->resolver != nullptr) {
    auto resolved = context->resolver->Resolve(name);
    if (!resolved.ok()) {
      if (resolved.status().IsKeyError()) return;  // not ours: DuckDB goes on
      context->failure = resolved.status();
      duckdb_replacement_scan_set_error(info, resolved.status().message().c_str());
      return;
    }
    source = std::move(*resolved);
    context->resolved.emplace(name, source);
  } else {
    return;
  }
  auto at = std::find(context->by_token.begin(), context->by_token.end(), source);
  int64_t token = at - context->by_token.begin();
  if (at == context->by_token.end()) context->by_token.push_back(source);
  duckdb_replacement_scan_set_function_name(info, kScanFunction);
  duckdb_value value = duckdb_create_int64(token);
  duckdb_replacement_scan_add_parameter(info, value);
  duckdb_destroy_value(&value);
}

}  // namespace

ScopedBindContext::ScopedBindContext(BindContext* context) : previous_(current_context) {
  current_context = context;
}

ScopedBindContext::~ScopedBindContext() { current_context = previous_; }

namespace {

// A table function reading quiver's sources, with projection pushdown.
arrow::Status Register(duckdb_database database, duckdb_connection connection,
                       const char* name, std::vector<duckdb_type> parameters,
                       duckdb_table_function_bind_t bind) {
  duckdb_table_function function = duckdb_create_table_function();
  duckdb_table_function_set_name(function, name);
  for (duckdb_type parameter : parameters) {
    duckdb_logical_type type = duckdb_create_logical_type(parameter);
    duckdb_table_function_add_parameter(function, type);
    duckdb_destroy_logical_type(&type);
  }
  duckdb_table_function_set_extra_info(function, database, nullptr);
  duckdb_table_function_set_bind(function, bind);
  duckdb_table_function_set_init(function, ScanInitFn);
  duckdb_table_function_set_local_init(function, ThreadInitFn);
  duckdb_table_function_set_function(function, ScanFn);
  duckdb_table_function_supports_projection_pushdown(function, true);
  duckdb_state state = duckdb_register_table_function(connection, function);
  duckdb_destroy_table_function(&function);
  if (state != DuckDBSuccess) {
    return arrow::Status::Invalid("SQL engine: cannot register ", name);
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Status InstallScan(duckdb_database database, duckdb_connection connection) {
  ARROW_RETURN_NOT_OK(
      Register(database, connection, kScanFunction, {DUCKDB_TYPE_BIGINT}, ScanBindFn));
  ARROW_RETURN_NOT_OK(Register(database, connection, kVersionFunction,
                               {DUCKDB_TYPE_VARCHAR, DUCKDB_TYPE_BIGINT},
                               TimeTravelBindFn<TableAt::Kind::kVersion>));
  ARROW_RETURN_NOT_OK(Register(database, connection, kAsOfFunction,
                               {DUCKDB_TYPE_VARCHAR, DUCKDB_TYPE_TIMESTAMP_TZ},
                               TimeTravelBindFn<TableAt::Kind::kAsOf>));
  duckdb_add_replacement_scan(database, ReplacementScan, nullptr, nullptr);
  return arrow::Status::OK();
}

arrow::Status EngineError(std::string_view what, const char* message) {
  return arrow::Status::Invalid(what, ": ",
                                message == nullptr ? "unknown error" : message);
}

}  // namespace quiver::sql::duckdb_internal
