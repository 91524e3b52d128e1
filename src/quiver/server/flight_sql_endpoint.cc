#include "quiver/server/flight_sql_endpoint.h"

#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <arrow/buffer.h>
#include <arrow/flight/server.h>
#include <arrow/ipc/writer.h>
#include <arrow/record_batch.h>
#include <arrow/util/config.h>
#include <arrow/util/iterator.h>

#include "quiver/flightsql/command_codec.h"
#include "quiver/server/call_stats_internal.h"
#include "quiver/server/counting_reader_internal.h"
#include "quiver/server/flight_sql_commands_internal.h"
#include "quiver/server/flight_sql_wire_internal.h"
#include "quiver/sql/dataset_tables.h"
#include "quiver/sql/dataset_writer.h"
#include "quiver/sql/handle_registry.h"
#include "quiver/sql/metadata.h"
#include "quiver/sql/sql_info.h"
#include "quiver/telemetry/active_span.h"

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
// A statement waiting for its DoGet: a query prepared, its snapshot pinned; or a
// write, already run (writes run when executed, not at the first fetch).
struct Statement {
  std::unique_ptr<sql::Query> query;
  std::shared_ptr<arrow::RecordBatch> result;  // a write's Count
};

// A prepared statement: its text, schemas, and the parameters bound by DoPut.
struct Prepared {
  std::string sql;
  std::optional<sql::WriteStatement> write;
  std::shared_ptr<arrow::Schema> schema;
  std::shared_ptr<arrow::Schema> parameters;
  std::mutex mutex;
  std::shared_ptr<arrow::RecordBatch> bound;  // GUARDED_BY(mutex)
};

class FlightSqlEndpoint : public SqlEndpoint {
 public:
  FlightSqlEndpoint(std::shared_ptr<store::DatasetStore> store,
                    std::shared_ptr<Authorizer> authorizer, FlightSqlOptions options,
                    std::shared_ptr<sql::Engine> engine)
      : tables_(store),
        authorizer_(std::move(authorizer)),
        options_(std::move(options)),
        engine_(engine),
        writer_(engine ? std::make_unique<sql::DatasetWriter>(store, engine) : nullptr),
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
    Statement statement;
    if (const auto* text = std::get_if<pb::CommandStatementQuery>(&command)) {
      if (text->has_transaction_id()) return NoTransactions();
      ARROW_ASSIGN_OR_RAISE(auto parsed, Parse(context, text->query()));
      if (parsed.write) {
        ARROW_ASSIGN_OR_RAISE(auto rows, RunWrite(context, *parsed.write, nullptr));
        statement.result = sql::MakeWriteResult(rows);
      } else {
        ARROW_ASSIGN_OR_RAISE(statement.query, Prepare(context, text->query()));
      }
    } else if (const auto* prepared =
                   std::get_if<pb::CommandPreparedStatementQuery>(&command)) {
      ARROW_ASSIGN_OR_RAISE(statement,
                            Execute(context, prepared->prepared_statement_handle()));
    } else {
      return Unsupported(command);
    }
    auto schema = statement.query ? statement.query->schema() : sql::WriteResultSchema();
    pb::TicketStatementQuery ticket;
    ticket.set_statement_handle(statements_.Put(
        Owner(context), std::make_shared<Statement>(std::move(statement))));
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
      ARROW_ASSIGN_OR_RAISE(auto parsed, Parse(context, statement->query()));
      if (parsed.write) {
        schema = sql::WriteResultSchema();
      } else {
        ARROW_ASSIGN_OR_RAISE(auto query, Prepare(context, statement->query()));
        schema = query->schema();
      }
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
      if (statement->query) {
        auto span = telemetry::StartSpan("sql.execute");
        telemetry::ScopedActiveSpan active(span);
        auto executed = statement->query->Execute();
        if (!executed.ok()) span.RecordError(executed.status());
        ARROW_ASSIGN_OR_RAISE(reader, std::move(executed));
        reader = EndingSpan(std::move(reader), std::move(span));
      } else {
        ARROW_ASSIGN_OR_RAISE(reader, arrow::RecordBatchReader::Make(
                                          {statement->result}, sql::WriteResultSchema()));
      }
    } else {
      ARROW_ASSIGN_OR_RAISE(Command command, flightsql::DecodeCommand(request.ticket));
      auto schema = MetadataSchema(command);
      if (schema == nullptr) {
        return arrow::Status::Invalid("a Flight SQL ", flightsql::CommandName(command),
                                      " is not a ticket: call GetFlightInfo first");
      }
      ARROW_ASSIGN_OR_RAISE(
          auto batch, MakeMetadata(command, options_.server_version, [&] {
            return tables_.List(MayRead(context, Operation::kGetFlightInfo));
          }));
      ARROW_ASSIGN_OR_RAISE(reader, arrow::RecordBatchReader::Make({batch}, schema));
    }
    reader = MakeCountingReader(std::move(reader), GetCallStats(context));
    *stream = std::make_unique<fl::RecordBatchStream>(std::move(reader));
    return arrow::Status::OK();
  }

  arrow::Status DoPut(const fl::ServerCallContext& context,
                      fl::FlightMessageReader& reader,
                      fl::FlightMetadataWriter& writer) override {
    ARROW_ASSIGN_OR_RAISE(Command command,
                          flightsql::DecodeCommand(reader.descriptor().cmd));
    if (const auto* bind = std::get_if<pb::CommandPreparedStatementQuery>(&command)) {
      return BindParameters(context, reader, writer, bind->prepared_statement_handle());
    }
    int64_t rows = 0;
    if (const auto* update = std::get_if<pb::CommandStatementUpdate>(&command)) {
      if (update->has_transaction_id()) return NoTransactions();
      ARROW_ASSIGN_OR_RAISE(auto parsed, Parse(context, update->query()));
      if (!parsed.write) {
        return arrow::Status::Invalid(
            "CommandStatementUpdate runs writes (CREATE TABLE, INSERT, DROP TABLE): "
            "run queries with CommandStatementQuery");
      }
      ARROW_ASSIGN_OR_RAISE(rows, RunWrite(context, *parsed.write, nullptr));
    } else if (const auto* prepared =
                   std::get_if<pb::CommandPreparedStatementUpdate>(&command)) {
      ARROW_ASSIGN_OR_RAISE(
          auto entry,
          prepared_.Get(prepared->prepared_statement_handle(), Owner(context)));
      if (!entry->write) {
        return arrow::Status::Invalid(
            "this prepared statement is a query: execute it with "
            "CommandPreparedStatementQuery");
      }
      // The parameters come in this stream: every row runs, in one commit.
      ARROW_ASSIGN_OR_RAISE(auto parameters, ReadParameters(reader, -1));
      if (parameters == nullptr) {
        std::lock_guard lock(entry->mutex);
        parameters = entry->bound;
      }
      ARROW_RETURN_NOT_OK(CheckParameters(*entry, parameters.get()));
      ARROW_ASSIGN_OR_RAISE(rows, RunWrite(context, *entry->write, parameters.get()));
    } else if (const auto* ingest = std::get_if<pb::CommandStatementIngest>(&command)) {
      ARROW_ASSIGN_OR_RAISE(rows, Ingest(context, *ingest, reader));
    } else {
      return Unsupported(command);
    }
    pb::DoPutUpdateResult result;
    result.set_record_count(rows);
    return WriteAnswer(writer, result);
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
      auto prepared = std::make_shared<Prepared>();
      prepared->sql = request.query();
      ARROW_ASSIGN_OR_RAISE(auto parsed, Parse(context, request.query()));
      if (parsed.write) {
        ARROW_ASSIGN_OR_RAISE(prepared->parameters,
                              writer_->Check(*parsed.write, Access(context)));
        prepared->schema = sql::WriteResultSchema();
        prepared->write = std::move(parsed.write);
      } else {
        ARROW_ASSIGN_OR_RAISE(auto query, Prepare(context, request.query()));
        prepared->schema = query->schema();
        prepared->parameters = query->parameter_schema();
      }
      pb::ActionCreatePreparedStatementResult answer;
      ARROW_ASSIGN_OR_RAISE(*answer.mutable_dataset_schema(),
                            SerializedSchema(*prepared->schema));
      ARROW_ASSIGN_OR_RAISE(*answer.mutable_parameter_schema(),
                            SerializedSchema(*prepared->parameters));
      answer.set_is_update(prepared->write.has_value());
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

  arrow::Status NoEngine() const {
    return arrow::Status::NotImplemented(
        "this quiverd was built without the SQL engine: it serves Flight SQL metadata "
        "but no statements (docs/sql.md)");
  }

  static arrow::Status NoTransactions() {
    return arrow::Status::NotImplemented(
        "quiver's SQL has no transactions: each statement is one commit");
  }

  arrow::Result<sql::ParsedStatement> Parse(const fl::ServerCallContext& context,
                                            const std::string& text) {
    GetCallStats(context)->statement = Truncated(text);
    if (engine_ == nullptr) return NoEngine();
    return engine_->Parse(text);
  }

  arrow::Result<std::unique_ptr<sql::Query>> Prepare(const fl::ServerCallContext& context,
                                                     const std::string& text) {
    if (engine_ == nullptr) return NoEngine();
    GetCallStats(context)->statement = Truncated(text);
    auto span = telemetry::StartSpan("sql.prepare");
    span.SetAttribute("db.statement", Truncated(text));
    auto resolver = tables_.MakeResolver(MayRead(context, Operation::kDoGet));
    auto query = engine_->Prepare(text, *resolver);
    if (!query.ok()) span.RecordError(query.status());
    return query;
  }

  sql::WriteAccess Access(const fl::ServerCallContext& context) {
    sql::WriteAccess access;
    access.may_read = MayRead(context, Operation::kDoGet);
    access.may_write = MayRead(context, Operation::kDoPut);
    access.may_drop = MayRead(context, Operation::kDropDataset);
    access.cancelled = [&context] { return context.is_cancelled(); };
    return access;
  }

  arrow::Result<int64_t> RunWrite(const fl::ServerCallContext& context,
                                  const sql::WriteStatement& write,
                                  const arrow::RecordBatch* parameters) {
    CallStats* stats = GetCallStats(context);
    stats->dataset = write.table;
    auto span = telemetry::StartSpan("sql.execute");
    span.SetAttribute("quiver.dataset", write.table);
    telemetry::ScopedActiveSpan active(span);
    auto rows = writer_->Run(write, Access(context), parameters);
    if (rows.ok()) {
      stats->rows = *rows;
      span.SetAttribute("quiver.rows", *rows);
    } else {
      span.RecordError(rows.status());
    }
    return rows;
  }

  static arrow::Status CheckParameters(const Prepared& prepared,
                                       const arrow::RecordBatch* values) {
    int expected = prepared.parameters->num_fields();
    if (values == nullptr) {
      if (expected == 0) return arrow::Status::OK();
      return arrow::Status::Invalid("the statement takes ", expected,
                                    " parameters: bind them with DoPut first");
    }
    if (values->num_columns() != expected) {
      return arrow::Status::Invalid("the statement takes ", expected, " parameters, ",
                                    values->num_columns(), " were bound");
    }
    return arrow::Status::OK();
  }

  // DoPut of CommandPreparedStatementQuery: parameters for the next executions (one
  // row for a query; any number for a write, each row one run of it).
  arrow::Status BindParameters(const fl::ServerCallContext& context,
                               fl::FlightMessageReader& reader,
                               fl::FlightMetadataWriter& writer,
                               const std::string& handle) {
    ARROW_RETURN_NOT_OK(Allow(context, Operation::kGetFlightInfo, nullptr));
    ARROW_ASSIGN_OR_RAISE(auto prepared, prepared_.Get(handle, Owner(context)));
    ARROW_ASSIGN_OR_RAISE(auto values, ReadParameters(reader, prepared->write ? -1 : 1));
    if (values != nullptr) ARROW_RETURN_NOT_OK(CheckParameters(*prepared, values.get()));
    {
      std::lock_guard lock(prepared->mutex);
      prepared->bound = std::move(values);
    }
    pb::DoPutPreparedStatementResult result;
    result.set_prepared_statement_handle(handle);
    return WriteAnswer(writer, result);
  }

  // A prepared statement, prepared again for one execution: a new snapshot, the
  // grants checked again, its bound parameters applied; a write runs now.
  arrow::Result<Statement> Execute(const fl::ServerCallContext& context,
                                   const std::string& handle) {
    ARROW_ASSIGN_OR_RAISE(auto prepared, prepared_.Get(handle, Owner(context)));
    std::shared_ptr<arrow::RecordBatch> bound;
    {
      std::lock_guard lock(prepared->mutex);
      bound = prepared->bound;
    }
    ARROW_RETURN_NOT_OK(CheckParameters(*prepared, bound.get()));
    Statement statement;
    if (prepared->write) {
      ARROW_ASSIGN_OR_RAISE(auto rows, RunWrite(context, *prepared->write, bound.get()));
      statement.result = sql::MakeWriteResult(rows);
      return statement;
    }
    ARROW_ASSIGN_OR_RAISE(statement.query, Prepare(context, prepared->sql));
    if (bound != nullptr) ARROW_RETURN_NOT_OK(statement.query->Bind(*bound, 0));
    return statement;
  }

  // CommandStatementIngest (ADBC's adbc_ingest): the stream's rows into a dataset.
  arrow::Result<int64_t> Ingest(const fl::ServerCallContext& context,
                                const pb::CommandStatementIngest& ingest,
                                fl::FlightMessageReader& reader) {
    if (engine_ == nullptr) return NoEngine();
    if (ingest.has_transaction_id()) return NoTransactions();
    ARROW_ASSIGN_OR_RAISE(auto mode, IngestModeOf(ingest));
    ARROW_ASSIGN_OR_RAISE(auto schema, reader.GetSchema());
    StreamRows rows(reader, std::move(schema));
    CallStats* stats = GetCallStats(context);
    stats->dataset = ingest.table();
    auto written = writer_->Ingest(ingest.table(), mode, rows, Access(context));
    if (written.ok()) stats->rows = *written;
    return written;
  }

  static arrow::Status Unsupported(const Command& command) {
    return arrow::Status::NotImplemented("Flight SQL ", flightsql::CommandName(command),
                                         " is not supported by quiver (docs/sql.md)");
  }

  sql::DatasetTables tables_;
  std::shared_ptr<Authorizer> authorizer_;
  FlightSqlOptions options_;
  std::shared_ptr<sql::Engine> engine_;
  std::unique_ptr<sql::DatasetWriter> writer_;  // nullptr without the engine
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
