#include "quiver/server/flight_sql_endpoint.h"

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <arrow/buffer.h>
#include <arrow/flight/server.h>
#include <arrow/ipc/writer.h>
#include <arrow/record_batch.h>
#include <arrow/util/config.h>

#include "quiver/flightsql/command_codec.h"
#include "quiver/sql/dataset_tables.h"
#include "quiver/sql/handle_registry.h"
#include "quiver/sql/metadata.h"
#include "quiver/sql/sql_info.h"

namespace quiver::server {
namespace {

namespace fl = arrow::flight;
namespace pb = flightsql::pb;
using flightsql::Command;

constexpr std::string_view kCreatePrepared = "CreatePreparedStatement";
constexpr std::string_view kClosePrepared = "ClosePreparedStatement";
// Flight SQL actions quiver does not serve (yet): refused with a clear error.
constexpr std::string_view kRefusedActions[] = {"CreatePreparedSubstraitPlan",
                                                "BeginTransaction",
                                                "BeginSavepoint",
                                                "EndTransaction",
                                                "EndSavepoint",
                                                "CancelQuery"};

// A statement waiting for its DoGet: prepared, its snapshot pinned.
struct Statement {
  std::unique_ptr<sql::Query> query;
};

// A prepared statement: its text, schemas, and the parameters bound by DoPut.
struct Prepared {
  std::string sql;
  std::shared_ptr<arrow::Schema> schema;
  std::shared_ptr<arrow::Schema> parameters;
  std::mutex mutex;
  std::shared_ptr<arrow::RecordBatch> bound;  // GUARDED_BY(mutex)
};

arrow::Result<std::string> SerializedSchema(const arrow::Schema& schema) {
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::ipc::SerializeSchema(schema));
  return buffer->ToString();
}

fl::FlightInfo MakeInfo(const std::shared_ptr<arrow::Schema>& schema,
                        const fl::FlightDescriptor& descriptor, std::string ticket) {
  fl::FlightEndpoint endpoint;
  endpoint.ticket.ticket = std::move(ticket);
  auto info = fl::FlightInfo::Make(*schema, descriptor, {endpoint}, -1, -1, false);
  return std::move(*info);
}

// The result schema of a metadata command; nullptr for other commands.
std::shared_ptr<arrow::Schema> MetadataSchema(const Command& command) {
  if (std::holds_alternative<pb::CommandGetSqlInfo>(command)) return sql::SqlInfoSchema();
  if (std::holds_alternative<pb::CommandGetCatalogs>(command))
    return sql::CatalogsSchema();
  if (std::holds_alternative<pb::CommandGetDbSchemas>(command))
    return sql::DbSchemasSchema();
  if (const auto* tables = std::get_if<pb::CommandGetTables>(&command)) {
    return sql::TablesSchema(tables->include_schema());
  }
  if (std::holds_alternative<pb::CommandGetTableTypes>(command)) {
    return sql::TableTypesSchema();
  }
  if (std::holds_alternative<pb::CommandGetXdbcTypeInfo>(command)) {
    return sql::XdbcTypeInfoSchema();
  }
  if (std::holds_alternative<pb::CommandGetPrimaryKeys>(command)) {
    return sql::PrimaryKeysSchema();
  }
  if (std::holds_alternative<pb::CommandGetExportedKeys>(command) ||
      std::holds_alternative<pb::CommandGetImportedKeys>(command) ||
      std::holds_alternative<pb::CommandGetCrossReference>(command)) {
    return sql::KeysSchema();
  }
  return nullptr;
}

template <typename T>
std::optional<std::string> Optional(bool has, const T& value) {
  return has ? std::optional<std::string>(value) : std::nullopt;
}

class FlightSqlEndpoint : public SqlEndpoint {
 public:
  FlightSqlEndpoint(std::shared_ptr<store::DatasetStore> store,
                    std::shared_ptr<Authorizer> authorizer, FlightSqlOptions options,
                    std::shared_ptr<sql::Engine> engine)
      : tables_(std::move(store)),
        authorizer_(std::move(authorizer)),
        options_(std::move(options)),
        engine_(std::move(engine)),
        statements_(options_.max_statements, options_.statement_idle_timeout),
        prepared_(options_.max_statements, options_.statement_idle_timeout) {}

  arrow::Status GetFlightInfo(const fl::ServerCallContext& context,
                              const fl::FlightDescriptor& request,
                              std::unique_ptr<fl::FlightInfo>* info) override {
    ARROW_ASSIGN_OR_RAISE(Command command, flightsql::DecodeCommand(request.cmd));
    ARROW_RETURN_NOT_OK(Allow(context, Operation::kGetFlightInfo, nullptr));
    if (auto schema = MetadataSchema(command)) {
      // Metadata is computed at DoGet; its ticket is the command itself.
      *info = std::make_unique<fl::FlightInfo>(MakeInfo(schema, request, request.cmd));
      return arrow::Status::OK();
    }
    std::unique_ptr<sql::Query> query;
    if (const auto* statement = std::get_if<pb::CommandStatementQuery>(&command)) {
      ARROW_ASSIGN_OR_RAISE(query, Prepare(context, statement->query()));
    } else if (const auto* prepared =
                   std::get_if<pb::CommandPreparedStatementQuery>(&command)) {
      ARROW_ASSIGN_OR_RAISE(
          query, PrepareExecution(context, prepared->prepared_statement_handle()));
    } else {
      return Unsupported(command);
    }
    auto schema = query->schema();
    pb::TicketStatementQuery ticket;
    ticket.set_statement_handle(statements_.Put(
        Owner(context), std::make_shared<Statement>(Statement{std::move(query)})));
    *info = std::make_unique<fl::FlightInfo>(
        MakeInfo(schema, request, flightsql::Pack(ticket)));
    return arrow::Status::OK();
  }

  arrow::Status GetSchema(const fl::ServerCallContext& context,
                          const fl::FlightDescriptor& request,
                          std::unique_ptr<fl::SchemaResult>* result) override {
    ARROW_ASSIGN_OR_RAISE(Command command, flightsql::DecodeCommand(request.cmd));
    ARROW_RETURN_NOT_OK(Allow(context, Operation::kGetSchema, nullptr));
    std::shared_ptr<arrow::Schema> schema = MetadataSchema(command);
    if (const auto* statement = std::get_if<pb::CommandStatementQuery>(&command)) {
      ARROW_ASSIGN_OR_RAISE(auto query, Prepare(context, statement->query()));
      schema = query->schema();
    } else if (const auto* prepared =
                   std::get_if<pb::CommandPreparedStatementQuery>(&command)) {
      ARROW_ASSIGN_OR_RAISE(
          auto entry,
          prepared_.Get(prepared->prepared_statement_handle(), Owner(context)));
      schema = entry->schema;
    }
    if (schema == nullptr) return Unsupported(command);
    ARROW_ASSIGN_OR_RAISE(*result, fl::SchemaResult::Make(*schema));
    return arrow::Status::OK();
  }

  arrow::Status DoGet(const fl::ServerCallContext& context, const fl::Ticket& request,
                      std::unique_ptr<fl::FlightDataStream>* stream) override {
    ARROW_RETURN_NOT_OK(Allow(context, Operation::kDoGet, nullptr));
    std::shared_ptr<arrow::RecordBatchReader> reader;
    if (flightsql::MessageName(request.ticket) == "TicketStatementQuery") {
      ARROW_ASSIGN_OR_RAISE(
          auto ticket, flightsql::DecodeAs<pb::TicketStatementQuery>(request.ticket));
      ARROW_ASSIGN_OR_RAISE(auto statement,
                            statements_.Take(ticket.statement_handle(), Owner(context)));
      ARROW_ASSIGN_OR_RAISE(reader, statement->query->Execute());
    } else {
      ARROW_ASSIGN_OR_RAISE(Command command, flightsql::DecodeCommand(request.ticket));
      auto schema = MetadataSchema(command);
      if (schema == nullptr) {
        return arrow::Status::Invalid("a Flight SQL ", flightsql::CommandName(command),
                                      " is not a ticket: call GetFlightInfo first");
      }
      ARROW_ASSIGN_OR_RAISE(auto batch, Metadata(context, command));
      ARROW_ASSIGN_OR_RAISE(reader, arrow::RecordBatchReader::Make({batch}, schema));
    }
    *stream = std::make_unique<fl::RecordBatchStream>(std::move(reader));
    return arrow::Status::OK();
  }

  arrow::Status DoPut(const fl::ServerCallContext& context,
                      fl::FlightMessageReader& reader,
                      fl::FlightMetadataWriter& writer) override {
    ARROW_ASSIGN_OR_RAISE(Command command,
                          flightsql::DecodeCommand(reader.descriptor().cmd));
    const auto* bind = std::get_if<pb::CommandPreparedStatementQuery>(&command);
    if (bind == nullptr) return Unsupported(command);
    ARROW_RETURN_NOT_OK(Allow(context, Operation::kGetFlightInfo, nullptr));
    const std::string& handle = bind->prepared_statement_handle();
    ARROW_ASSIGN_OR_RAISE(auto prepared, prepared_.Get(handle, Owner(context)));
    std::shared_ptr<arrow::RecordBatch> values;
    int64_t rows = 0;
    while (true) {
      ARROW_ASSIGN_OR_RAISE(fl::FlightStreamChunk chunk, reader.Next());
      if (chunk.data == nullptr) {
        if (chunk.app_metadata != nullptr) continue;
        break;
      }
      ARROW_RETURN_NOT_OK(chunk.data->ValidateFull());
      rows += chunk.data->num_rows();
      if (rows > 1) {
        return arrow::Status::Invalid("bind one row of parameters per execution (", rows,
                                      "+ rows were sent)");
      }
      if (chunk.data->num_rows() == 1) values = chunk.data;
    }
    if (values != nullptr &&
        values->num_columns() != prepared->parameters->num_fields()) {
      return arrow::Status::Invalid("the statement takes ",
                                    prepared->parameters->num_fields(), " parameters, ",
                                    values->num_columns(), " were bound");
    }
    {
      std::lock_guard lock(prepared->mutex);
      prepared->bound = std::move(values);
    }
    pb::DoPutPreparedStatementResult result;
    result.set_prepared_statement_handle(handle);
    return writer.WriteMetadata(*arrow::Buffer::FromString(flightsql::Pack(result)));
  }

  bool ServesAction(std::string_view type) const override {
    if (type == kCreatePrepared || type == kClosePrepared) return true;
    for (auto refused : kRefusedActions) {
      if (type == refused) return true;
    }
    return false;
  }

  arrow::Status DoAction(const fl::ServerCallContext& context, const fl::Action& action,
                         std::unique_ptr<fl::ResultStream>* result) override {
    std::string body = action.body ? action.body->ToString() : std::string();
    std::vector<fl::Result> results;
    if (action.type == kCreatePrepared) {
      ARROW_ASSIGN_OR_RAISE(
          auto request,
          flightsql::DecodeAs<pb::ActionCreatePreparedStatementRequest>(body));
      ARROW_RETURN_NOT_OK(Allow(context, Operation::kGetFlightInfo, nullptr));
      if (request.has_transaction_id()) {
        return arrow::Status::NotImplemented("quiver's SQL has no transactions");
      }
      ARROW_ASSIGN_OR_RAISE(auto query, Prepare(context, request.query()));
      auto prepared = std::make_shared<Prepared>();
      prepared->sql = request.query();
      prepared->schema = query->schema();
      prepared->parameters = query->parameter_schema();
      pb::ActionCreatePreparedStatementResult answer;
      ARROW_ASSIGN_OR_RAISE(*answer.mutable_dataset_schema(),
                            SerializedSchema(*prepared->schema));
      ARROW_ASSIGN_OR_RAISE(*answer.mutable_parameter_schema(),
                            SerializedSchema(*prepared->parameters));
      answer.set_is_update(false);
      answer.set_prepared_statement_handle(
          prepared_.Put(Owner(context), std::move(prepared)));
      results.push_back(fl::Result{arrow::Buffer::FromString(flightsql::Pack(answer))});
    } else if (action.type == kClosePrepared) {
      ARROW_ASSIGN_OR_RAISE(
          auto request,
          flightsql::DecodeAs<pb::ActionClosePreparedStatementRequest>(body));
      // Closing is idempotent: an expired or unknown handle is already closed.
      (void)prepared_.Take(request.prepared_statement_handle(), Owner(context));
    } else {
      return arrow::Status::NotImplemented("Flight SQL action ", action.type,
                                           " is not supported by quiver (docs/sql.md)");
    }
    *result = std::make_unique<fl::SimpleResultStream>(std::move(results));
    return arrow::Status::OK();
  }

  std::vector<fl::ActionType> ActionTypes() const override {
    return {{std::string(kCreatePrepared),
             "Flight SQL: prepare a query. Body: an Any-packed "
             "ActionCreatePreparedStatementRequest."},
            {std::string(kClosePrepared),
             "Flight SQL: close a prepared statement. Body: an Any-packed "
             "ActionClosePreparedStatementRequest."}};
  }

 private:
  arrow::Status Allow(const fl::ServerCallContext& context, Operation operation,
                      const store::DatasetName* name) {
    return authorizer_ ? authorizer_->Authorize(context, operation, name)
                       : arrow::Status::OK();
  }

  std::string Owner(const fl::ServerCallContext& context) {
    return authorizer_ ? authorizer_->CallerName(context) : std::string();
  }

  sql::ReadCheck MayRead(const fl::ServerCallContext& context, Operation operation) {
    return [this, &context, operation](const store::DatasetName& name) {
      return Allow(context, operation, &name);
    };
  }

  arrow::Result<std::unique_ptr<sql::Query>> Prepare(const fl::ServerCallContext& context,
                                                     const std::string& text) {
    if (engine_ == nullptr) {
      return arrow::Status::NotImplemented(
          "this quiverd was built without the SQL engine: it serves Flight SQL metadata "
          "but no statements (docs/sql.md)");
    }
    auto resolver = tables_.MakeResolver(MayRead(context, Operation::kDoGet));
    return engine_->Prepare(text, *resolver);
  }

  // A prepared statement, prepared again for one execution: a new snapshot, the
  // grants checked again, its bound parameters applied.
  arrow::Result<std::unique_ptr<sql::Query>> PrepareExecution(
      const fl::ServerCallContext& context, const std::string& handle) {
    ARROW_ASSIGN_OR_RAISE(auto prepared, prepared_.Get(handle, Owner(context)));
    std::shared_ptr<arrow::RecordBatch> bound;
    {
      std::lock_guard lock(prepared->mutex);
      bound = prepared->bound;
    }
    ARROW_ASSIGN_OR_RAISE(auto query, Prepare(context, prepared->sql));
    int parameters = query->parameter_schema()->num_fields();
    if (bound != nullptr) {
      ARROW_RETURN_NOT_OK(query->Bind(*bound, 0));
    } else if (parameters > 0) {
      return arrow::Status::Invalid("the statement takes ", parameters,
                                    " parameters: bind them with DoPut first");
    }
    return query;
  }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Metadata(
      const fl::ServerCallContext& context, const Command& command) {
    if (const auto* info = std::get_if<pb::CommandGetSqlInfo>(&command)) {
      sql::ServerIdentity identity;
      identity.version = options_.server_version;
      identity.arrow_version = ARROW_VERSION_STRING;
      return sql::MakeSqlInfo(
          identity, std::vector<uint32_t>(info->info().begin(), info->info().end()));
    }
    if (std::holds_alternative<pb::CommandGetCatalogs>(command))
      return sql::MakeCatalogs();
    if (const auto* schemas = std::get_if<pb::CommandGetDbSchemas>(&command)) {
      return sql::MakeDbSchemas(Optional(schemas->has_catalog(), schemas->catalog()),
                                Optional(schemas->has_db_schema_filter_pattern(),
                                         schemas->db_schema_filter_pattern()));
    }
    if (const auto* tables = std::get_if<pb::CommandGetTables>(&command)) {
      sql::TablesRequest request;
      request.catalog = Optional(tables->has_catalog(), tables->catalog());
      request.schema_pattern = Optional(tables->has_db_schema_filter_pattern(),
                                        tables->db_schema_filter_pattern());
      request.table_pattern = Optional(tables->has_table_name_filter_pattern(),
                                       tables->table_name_filter_pattern());
      request.table_types.assign(tables->table_types().begin(),
                                 tables->table_types().end());
      request.include_schema = tables->include_schema();
      return sql::MakeTables(request,
                             tables_.List(MayRead(context, Operation::kGetFlightInfo)));
    }
    if (std::holds_alternative<pb::CommandGetTableTypes>(command)) {
      return sql::MakeTableTypes();
    }
    if (const auto* types = std::get_if<pb::CommandGetXdbcTypeInfo>(&command)) {
      return sql::MakeXdbcTypeInfo(types->has_data_type()
                                       ? std::optional<int32_t>(types->data_type())
                                       : std::nullopt);
    }
    // The key commands: quiver's tables have no keys.
    return sql::MakeEmpty(MetadataSchema(command));
  }

  static arrow::Status Unsupported(const Command& command) {
    return arrow::Status::NotImplemented(
        "Flight SQL ", flightsql::CommandName(command),
        " is not supported by quiver: its SQL is read-only queries (docs/sql.md)");
  }

  sql::DatasetTables tables_;
  std::shared_ptr<Authorizer> authorizer_;
  FlightSqlOptions options_;
  std::shared_ptr<sql::Engine> engine_;
  sql::HandleRegistry<Statement> statements_;
  sql::HandleRegistry<Prepared> prepared_;
};

}  // namespace

std::shared_ptr<SqlEndpoint> MakeFlightSqlEndpoint(
    std::shared_ptr<store::DatasetStore> store, std::shared_ptr<sql::Engine> engine,
    std::shared_ptr<Authorizer> authorizer, FlightSqlOptions options) {
  return std::make_shared<FlightSqlEndpoint>(std::move(store), std::move(authorizer),
                                             std::move(options), std::move(engine));
}

}  // namespace quiver::server
