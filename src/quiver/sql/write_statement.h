#pragma once

/// \file
/// A SQL statement that changes datasets, as the engine's own parser read it: quiver
/// runs it against the store (each statement one commit), never the engine, so the
/// engine holds no tables of its own (docs/sql.md, "Writes").

#include <optional>
#include <string>
#include <vector>

namespace quiver::sql {

/// \brief What a write statement asks for.
struct WriteStatement {
  enum class Kind {
    /// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] t AS <query>`, and
    /// `CREATE TABLE t (columns)`, whose query the parser builds (no rows).
    kCreateTable,
    /// `INSERT INTO t [(columns)] <query>`: an append.
    kInsert,
    /// `DROP TABLE [IF EXISTS] t`.
    kDropTable,
  };
  /// What an existing table means to a CREATE.
  enum class OnConflict {
    kError,    ///< CREATE TABLE: the table must not exist
    kIgnore,   ///< CREATE TABLE IF NOT EXISTS: nothing happens
    kReplace,  ///< CREATE OR REPLACE TABLE: a new version replaces the rows
  };

  Kind kind = Kind::kCreateTable;
  /// The dataset, as written (the identifier unquoted), e.g. "sales/2024".
  std::string table;
  /// kCreateTable, kInsert: the query whose rows are written, in the engine's SQL
  /// (bound parameters keep their places in it).
  std::string query;
  /// kInsert: the target columns listed, in order (empty: all, by position);
  /// kCreateTable: the columns declared NOT NULL.
  std::vector<std::string> columns;
  /// kInsert: match the query's columns to the table's by name (INSERT ... BY NAME).
  bool by_name = false;
  /// kCreateTable.
  OnConflict on_conflict = OnConflict::kError;
  /// kDropTable: IF EXISTS.
  bool if_exists = false;
};

/// \brief What a statement's text is to quiver.
struct ParsedStatement {
  /// Set when the statement is one of the writes quiver runs; otherwise the
  /// statement goes to Engine::Prepare, which serves queries and refuses the rest.
  std::optional<WriteStatement> write;
};

}  // namespace quiver::sql
