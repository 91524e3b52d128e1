#pragma once

/// \file
/// CommandGetSqlInfo: what the server tells Flight SQL clients (ADBC, JDBC) about
/// itself and its SQL, as the specification's dense-union table.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver::sql {

/// \brief The codes of SqlInfo quiver answers (the specification's numbers).
enum SqlInfoCode : uint32_t {
  kServerName = 0,
  kServerVersion = 1,
  kServerArrowVersion = 2,
  kServerReadOnly = 3,
  kServerSql = 4,
  kServerSubstrait = 5,
  kServerTransaction = 8,
  kServerCancel = 9,
  kServerBulkIngestion = 10,
  kServerIngestTransactionsSupported = 11,
  kServerStatementTimeout = 100,
  kServerTransactionTimeout = 101,
  kSqlDdlCatalog = 500,
  kSqlDdlSchema = 501,
  kSqlDdlTable = 502,
  kSqlIdentifierCase = 503,
  kSqlIdentifierQuoteChar = 504,
  kSqlQuotedIdentifierCase = 505,
  kSqlAllTablesAreSelectable = 506,
  kSqlNullOrdering = 507,
  kSqlKeywords = 508,
  kSqlNumericFunctions = 509,
  kSqlStringFunctions = 510,
  kSqlSystemFunctions = 511,
  kSqlDatetimeFunctions = 512,
  kSqlSearchStringEscape = 513,
  kSqlExtraNameCharacters = 514,
  kSqlSupportsColumnAliasing = 515,
  kSqlNullPlusNullIsNull = 516,
  kSqlSupportsTableCorrelationNames = 518,
  kSqlSupportsExpressionsInOrderBy = 520,
  kSqlSupportsLikeEscapeClause = 523,
  kSqlSupportsNonNullableColumns = 524,
  kSqlSchemaTerm = 529,
  kSqlProcedureTerm = 530,
  kSqlCatalogTerm = 531,
  kSqlCatalogAtStart = 532,
  kSqlSelectForUpdateSupported = 536,
  kSqlStoredProceduresSupported = 537,
  kSqlCorrelatedSubqueriesSupported = 539,
  kSqlMaxColumnNameLength = 543,
  kSqlMaxTableNameLength = 559,
  kSqlTransactionsSupported = 563,
  kSqlBatchUpdatesSupported = 572,
  kSqlSavepointsSupported = 573,
  kSqlNamedParametersSupported = 574,
  kSqlLocatorsUpdateCopy = 575,
  kSqlStoredFunctionsUsingCallSyntaxSupported = 576,
};

/// \brief The schema of GetSqlInfo results (info_name, value: dense_union<...>).
std::shared_ptr<arrow::Schema> SqlInfoSchema();

/// \brief What the server is, for kServerName/Version.
struct ServerIdentity {
  std::string name = "quiver";
  std::string version;
  std::string arrow_version;
  /// The statement timeout in seconds reported to clients (0: none).
  int64_t statement_timeout_s = 0;
};

/// \brief The rows of `codes` quiver knows, in the order asked (every known code when
/// `codes` is empty); unknown codes are left out, as the specification allows.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> MakeSqlInfo(
    const ServerIdentity& server, const std::vector<uint32_t>& codes);

}  // namespace quiver::sql
