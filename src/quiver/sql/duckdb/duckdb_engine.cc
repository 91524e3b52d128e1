// The DuckDB implementation of sql::Engine (engine.h): one in-memory database,
// locked down at open; each statement on its own connection.

#include "quiver/sql/duckdb/duckdb_engine.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <duckdb.h>

#include <arrow/array.h>
#include <arrow/c/bridge.h>
#include <arrow/compute/cast.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/util/checked_cast.h>

#include "quiver/sql/duckdb/duckdb_parameters_internal.h"
#include "quiver/sql/duckdb/duckdb_scan_internal.h"
#include "quiver/sql/duckdb/duckdb_write_parser_internal.h"

// The statically linked extensions (core functions such as sum, and parquet) are
// known to a database only once registered: call this before opening one.
extern "C" int32_t duckdb_register_static_extensions(void);

namespace quiver::sql {
namespace {

using duckdb_internal::BindContext;
using duckdb_internal::EngineError;
using duckdb_internal::ScopedBindContext;

// Chunks (of duckdb_vector_size() rows) gathered into one result batch.
constexpr int kChunksPerBatch = 32;

std::string ErrorText(duckdb_error_data error) {
  std::string text = duckdb_error_data_message(error);
  duckdb_destroy_error_data(&error);
  return text;
}

// Fails with the error when `error` holds one; frees it either way.
arrow::Status Check(duckdb_error_data error, std::string_view what) {
  if (error == nullptr) return arrow::Status::OK();
  if (duckdb_error_data_has_error(error)) {
    return arrow::Status::Invalid(what, ": ", ErrorText(error));
  }
  duckdb_destroy_error_data(&error);
  return arrow::Status::OK();
}

// The Arrow schema of columns of DuckDB types, as DuckDB converts its results. A type
// the engine does not know yet (a column that is an unbound parameter, `SELECT ?`) is
// null here; the executed result then has the bound type.
arrow::Result<std::shared_ptr<arrow::Schema>> ToArrowSchema(
    duckdb_connection connection, std::vector<duckdb_logical_type>& types,
    const std::vector<std::string>& names) {
  std::vector<duckdb_logical_type> known;
  std::vector<const char*> known_names;
  for (size_t i = 0; i < types.size(); ++i) {
    duckdb_type id = duckdb_get_type_id(types[i]);
    if (id == DUCKDB_TYPE_INVALID || id == DUCKDB_TYPE_ANY) continue;
    known.push_back(types[i]);
    known_names.push_back(names[i].c_str());
  }
  duckdb_arrow_options options = nullptr;
  duckdb_connection_get_arrow_options(connection, &options);
  ArrowSchema c_schema;
  c_schema.release = nullptr;
  arrow::Status status =
      Check(duckdb_to_arrow_schema(options, known.data(), known_names.data(),
                                   known.size(), &c_schema),
            "SQL engine cannot convert the result's types");
  duckdb_destroy_arrow_options(&options);
  ARROW_RETURN_NOT_OK(status);
  ARROW_ASSIGN_OR_RAISE(auto converted, arrow::ImportSchema(&c_schema));
  if (known.size() == types.size()) return converted;
  arrow::FieldVector fields;
  int next = 0;
  for (size_t i = 0; i < types.size(); ++i) {
    duckdb_type id = duckdb_get_type_id(types[i]);
    fields.push_back(id == DUCKDB_TYPE_INVALID || id == DUCKDB_TYPE_ANY
                         ? arrow::field(names[i], arrow::null())
                         : converted->field(next++));
  }
  return arrow::schema(std::move(fields));
}

// The Arrow schema of `count` columns, their types and names given by position.
template <typename TypeAt, typename NameAt>
arrow::Result<std::shared_ptr<arrow::Schema>> SchemaOfColumns(
    duckdb_connection connection, idx_t count, TypeAt type_at, NameAt name_at) {
  std::vector<duckdb_logical_type> types;
  std::vector<std::string> names;
  for (idx_t i = 0; i < count; ++i) {
    types.push_back(type_at(i));
    names.push_back(name_at(i));
  }
  auto schema = ToArrowSchema(connection, types, names);
  for (auto& type : types) duckdb_destroy_logical_type(&type);
  return schema;
}

// Whether a prepared schema still has columns of unknown type.
bool HasUnknownColumns(const arrow::Schema& schema) {
  for (const auto& field : schema.fields()) {
    if (field->type()->id() == arrow::Type::NA) return true;
  }
  return false;
}

// What a statement's reader shares with its Query: the session and the statement.
struct Session {
  duckdb_connection connection = nullptr;
  duckdb_prepared_statement prepared = nullptr;
  BindContext tables;
  std::atomic<bool> cancelled{false};

  ~Session() {
    if (prepared != nullptr) duckdb_destroy_prepare(&prepared);
    if (connection != nullptr) duckdb_disconnect(&connection);
  }
};

class ResultReader : public arrow::RecordBatchReader {
 public:
  ResultReader(std::shared_ptr<Session> session, std::shared_ptr<arrow::Schema> schema,
               duckdb_result result)
      : session_(std::move(session)), schema_(std::move(schema)), result_(result) {
    options_ = duckdb_result_get_arrow_options(&result_);
  }

  ~ResultReader() override {
    duckdb_destroy_arrow_options(&options_);
    duckdb_destroy_result(&result_);
  }

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    batch->reset();
    if (done_) return arrow::Status::OK();
    arrow::RecordBatchVector batches;
    for (int i = 0; i < kChunksPerBatch; ++i) {
      duckdb_data_chunk chunk = duckdb_fetch_chunk(result_);
      if (chunk == nullptr) {
        done_ = true;
        break;
      }
      ArrowArray c_array;
      c_array.release = nullptr;
      arrow::Status converted =
          Check(duckdb_data_chunk_to_arrow(options_, chunk, &c_array),
                "SQL engine cannot convert a result");
      duckdb_destroy_data_chunk(&chunk);
      ARROW_RETURN_NOT_OK(converted);
      ARROW_ASSIGN_OR_RAISE(auto part, arrow::ImportRecordBatch(&c_array, schema_));
      if (part->num_rows() > 0) batches.push_back(std::move(part));
    }
    if (done_) {
      const char* error = duckdb_result_error(&result_);
      if (session_->cancelled.load())
        return arrow::Status::Cancelled("statement cancelled");
      if (error != nullptr && error[0] != '\0')
        return EngineError("SQL execution failed", error);
    }
    if (batches.empty()) return arrow::Status::OK();
    if (batches.size() == 1) {
      *batch = std::move(batches[0]);
      return arrow::Status::OK();
    }
    ARROW_ASSIGN_OR_RAISE(*batch, arrow::ConcatenateRecordBatches(batches));
    return arrow::Status::OK();
  }

 private:
  std::shared_ptr<Session> session_;
  std::shared_ptr<arrow::Schema> schema_;
  duckdb_result result_;
  duckdb_arrow_options options_ = nullptr;
  bool done_ = false;
};

class DuckDbQuery : public Query {
 public:
  DuckDbQuery(std::shared_ptr<Session> session, std::shared_ptr<arrow::Schema> schema,
              std::shared_ptr<arrow::Schema> parameters)
      : session_(std::move(session)),
        schema_(std::move(schema)),
        parameters_(std::move(parameters)) {}

  const std::shared_ptr<arrow::Schema>& schema() const override { return schema_; }
  const std::shared_ptr<arrow::Schema>& parameter_schema() const override {
    return parameters_;
  }

  arrow::Status Bind(const arrow::RecordBatch& values, int64_t row) override {
    if (values.num_columns() != parameters_->num_fields()) {
      return arrow::Status::Invalid("the statement takes ", parameters_->num_fields(),
                                    " parameters, ", values.num_columns(), " were given");
    }
    if (row < 0 || row >= values.num_rows()) {
      return arrow::Status::Invalid("no parameter row ", row);
    }
    duckdb_clear_bindings(session_->prepared);
    for (int i = 0; i < values.num_columns(); ++i) {
      ARROW_ASSIGN_OR_RAISE(auto scalar, values.column(i)->GetScalar(row));
      ARROW_RETURN_NOT_OK(duckdb_internal::BindParameter(
          session_->prepared, static_cast<idx_t>(i + 1), *scalar));
    }
    return arrow::Status::OK();
  }

  arrow::Result<std::shared_ptr<arrow::RecordBatchReader>> Execute() override {
    session_->cancelled = false;
    // A re-bind at execution sees the statement's tables, and no new ones.
    BindContext replay;
    replay.resolved = session_->tables.resolved;
    replay.by_token = session_->tables.by_token;
    ScopedBindContext scope(&replay);
    duckdb_result result;
    if (duckdb_execute_prepared_streaming(session_->prepared, &result) != DuckDBSuccess) {
      std::string error =
          duckdb_result_error(&result) ? duckdb_result_error(&result) : "";
      duckdb_destroy_result(&result);
      if (session_->cancelled.load())
        return arrow::Status::Cancelled("statement cancelled");
      return EngineError("SQL execution failed", error.c_str());
    }
    auto schema = schema_;
    if (HasUnknownColumns(*schema_)) {
      auto actual = ExecutedSchema(&result);
      if (!actual.ok()) {
        duckdb_destroy_result(&result);
        return actual.status();
      }
      schema = std::move(*actual);
    }
    return std::make_shared<ResultReader>(session_, std::move(schema), result);
  }

  // The schema of an executed result (its parameters bound, every type known).
  arrow::Result<std::shared_ptr<arrow::Schema>> ExecutedSchema(duckdb_result* result) {
    return SchemaOfColumns(
        session_->connection, duckdb_column_count(result),
        [result](idx_t i) { return duckdb_column_logical_type(result, i); },
        [result](idx_t i) { return std::string(duckdb_column_name(result, i)); });
  }

  void Cancel() override {
    session_->cancelled = true;
    duckdb_interrupt(session_->connection);
  }

 private:
  std::shared_ptr<Session> session_;
  std::shared_ptr<arrow::Schema> schema_;
  std::shared_ptr<arrow::Schema> parameters_;
};

bool IsQuery(duckdb_statement_type type) {
  return type == DUCKDB_STATEMENT_TYPE_SELECT || type == DUCKDB_STATEMENT_TYPE_EXPLAIN;
}

arrow::Result<std::shared_ptr<arrow::Schema>> ResultSchema(
    duckdb_connection connection, duckdb_prepared_statement prepared) {
  return SchemaOfColumns(
      connection, duckdb_prepared_statement_column_count(prepared),
      [prepared](idx_t i) {
        return duckdb_prepared_statement_column_logical_type(prepared, i);
      },
      [prepared](idx_t i) {
        const char* name = duckdb_prepared_statement_column_name(prepared, i);
        std::string text = name == nullptr ? "" : name;
        duckdb_free(const_cast<char*>(name));
        return text;
      });
}

// Parameters named by position; a type the engine could not infer is null.
std::shared_ptr<arrow::Schema> ParameterSchema(duckdb_connection connection,
                                               duckdb_prepared_statement prepared) {
  arrow::FieldVector fields;
  idx_t count = duckdb_nparams(prepared);
  for (idx_t i = 1; i <= count; ++i) {
    std::vector<duckdb_logical_type> types{duckdb_param_logical_type(prepared, i)};
    std::string name = "$" + std::to_string(i);
    std::shared_ptr<arrow::DataType> type = arrow::null();
    if (types[0] != nullptr) {
      if (duckdb_get_type_id(types[0]) != DUCKDB_TYPE_INVALID &&
          duckdb_get_type_id(types[0]) != DUCKDB_TYPE_ANY) {
        auto schema = ToArrowSchema(connection, types, {name});
        if (schema.ok()) type = (*schema)->field(0)->type();
      }
      duckdb_destroy_logical_type(&types[0]);
    }
    fields.push_back(arrow::field(name, type));
  }
  return arrow::schema(std::move(fields));
}

class DuckDbEngine : public Engine {
 public:
  ~DuckDbEngine() override {
    if (database_ != nullptr) duckdb_close(&database_);
  }

  arrow::Status Open(const EngineOptions& options) {
    static const int32_t registered = duckdb_register_static_extensions();
    (void)registered;
    duckdb_config config;
    if (duckdb_create_config(&config) != DuckDBSuccess) {
      return arrow::Status::OutOfMemory("SQL engine: cannot create its configuration");
    }
    // The order matters: file settings are refused once external access is off.
    std::vector<std::pair<std::string, std::string>> settings = {
        {"temp_directory", ""},  // never spill to the server's disk
        {"max_temp_directory_size", "0B"},
        {"enable_external_access", "false"},  // no files, no network
        {"autoinstall_known_extensions", "false"},
        {"autoload_known_extensions", "false"},
        {"allow_community_extensions", "false"},
        {"allow_unsigned_extensions", "false"},
    };
    if (options.memory_limit_bytes > 0) {
      settings.emplace_back("memory_limit",
                            std::to_string(options.memory_limit_bytes) + "B");
    }
    if (options.threads > 0)
      settings.emplace_back("threads", std::to_string(options.threads));
    settings.emplace_back("lock_configuration", "true");  // no SET afterwards
    for (const auto& [name, value] : settings) {
      if (duckdb_set_config(config, name.c_str(), value.c_str()) != DuckDBSuccess) {
        duckdb_destroy_config(&config);
        return arrow::Status::Invalid("SQL engine: cannot set ", name, "=", value);
      }
    }
    char* error = nullptr;
    duckdb_state state = duckdb_open_ext(nullptr, &database_, config, &error);
    duckdb_destroy_config(&config);
    if (state != DuckDBSuccess) {
      std::string text = error == nullptr ? "unknown error" : error;
      duckdb_free(error);
      return arrow::Status::Invalid("SQL engine cannot start: ", text);
    }
    duckdb_connection connection;
    if (duckdb_connect(database_, &connection) != DuckDBSuccess) {
      return arrow::Status::Invalid("SQL engine: cannot open a session");
    }
    arrow::Status installed = duckdb_internal::InstallScan(database_, connection);
    duckdb_disconnect(&connection);
    return installed;
  }

  arrow::Result<std::unique_ptr<Query>> Prepare(std::string_view sql,
                                                TableResolver& resolver) override {
    auto session = std::make_shared<Session>();
    if (duckdb_connect(database_, &session->connection) != DuckDBSuccess) {
      return arrow::Status::Invalid("SQL engine: cannot open a session");
    }
    std::string text(sql);
    duckdb_extracted_statements statements = nullptr;
    idx_t count =
        duckdb_extract_statements(session->connection, text.c_str(), &statements);
    struct Extracted {
      duckdb_extracted_statements* statements;
      ~Extracted() { duckdb_destroy_extracted(statements); }
    } guard{&statements};
    if (count == 0) {
      const char* error = duckdb_extract_statements_error(statements);
      if (error == nullptr) return arrow::Status::Invalid("empty SQL statement");
      return EngineError("SQL syntax error", error);
    }
    if (count > 1) {
      return arrow::Status::Invalid("one SQL statement at a time (", count,
                                    " were given)");
    }
    session->tables.resolver = &resolver;
    duckdb_state state;
    {
      ScopedBindContext scope(&session->tables);
      state = duckdb_prepare_extracted_statement(session->connection, statements, 0,
                                                 &session->prepared);
    }
    session->tables.resolver = nullptr;
    if (!session->tables.failure.ok()) return session->tables.failure;
    if (state != DuckDBSuccess) {
      return EngineError("SQL statement refused",
                         duckdb_prepare_error(session->prepared));
    }
    duckdb_statement_type type = duckdb_prepared_statement_type(session->prepared);
    if (!IsQuery(type)) {
      return arrow::Status::Invalid(
          "only queries (SELECT, WITH, VALUES, EXPLAIN) and the writes CREATE TABLE, "
          "INSERT and DROP TABLE are served: this statement is refused (it would "
          "change settings, or reach files, extensions or the engine's own catalog)");
    }
    ARROW_ASSIGN_OR_RAISE(auto schema,
                          ResultSchema(session->connection, session->prepared));
    auto parameters = ParameterSchema(session->connection, session->prepared);
    return std::make_unique<DuckDbQuery>(std::move(session), std::move(schema),
                                         std::move(parameters));
  }

  arrow::Result<ParsedStatement> Parse(std::string_view sql) override {
    return duckdb_internal::ParseWrite(sql);
  }

 private:
  duckdb_database database_ = nullptr;
};

}  // namespace

arrow::Result<std::shared_ptr<Engine>> MakeDuckDbEngine(const EngineOptions& options) {
  auto engine = std::make_shared<DuckDbEngine>();
  ARROW_RETURN_NOT_OK(engine->Open(options));
  return engine;
}

}  // namespace quiver::sql
