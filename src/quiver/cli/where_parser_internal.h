#pragma once

/// \file
/// The `--where` filter language of `quiver get` (docs/cli.md, "Filters"): parsed into
/// a small syntax tree that keeps the position of every piece, so that later errors
/// (an unknown column, a value of the wrong type) can point at it. Parsing knows no
/// schema; where_compiler_internal.h turns a tree into an Arrow expression.
///
/// Grammar (keywords are case-insensitive):
///
///   filter     := or
///   or         := and ("or" and)*
///   and        := not ("and" not)*
///   not        := "not" not | primary
///   primary    := "(" or ")"
///               | operand compare-op operand
///               | operand "is" ["not"] "null"
///               | operand ["not"] "in" "(" value ("," value)* ")"
///               | column                         (a boolean column)
///   compare-op := "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">="
///   operand    := column | value
///   column     := identifier | '"' quoted name ('""' for a quote) '"'
///   value      := "'" string ("''" for a quote) "'" | ["-"] number | "true" | "false"
///               | "date" "'" YYYY-MM-DD "'" | "timestamp" "'" time "'" | "null"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/result.h>

namespace quiver::cli {

/// Longest --where accepted, in bytes (a request holds at most 64 KiB).
inline constexpr size_t kMaxWhereBytes = 16 * 1024;
/// Deepest nesting of parentheses and `not` accepted.
inline constexpr int kMaxWhereDepth = 32;
/// Most values in one `in (...)` list (the server reads a list as a chain of `or`s,
/// and bounds how deep expressions nest).
inline constexpr size_t kMaxInValues = 48;

/// \brief A literal value as written: its kind and text (without quotes, escapes
/// resolved; numbers with their sign).
struct WhereValue {
  enum class Kind { kString, kInteger, kFloat, kBool, kDate, kTimestamp, kNull };
  Kind kind = Kind::kNull;
  std::string text;
  size_t position = 0;  ///< 1-based column of the value's first character
};

/// \brief One side of a comparison: a column or a value.
struct WhereOperand {
  bool is_column = false;
  std::string column;  ///< when is_column
  WhereValue value;    ///< otherwise
  size_t position = 0;
};

enum class WhereCompare { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

/// \brief A node of the syntax tree.
struct WhereNode {
  enum class Kind {
    kAnd,        ///< children: 2 or more, all true
    kOr,         ///< children: 2 or more, any true
    kNot,        ///< children: 1
    kCompare,    ///< left compare right
    kIsNull,     ///< left is null
    kIsNotNull,  ///< left is not null
    kIn,         ///< left in (values)
    kNotIn,      ///< left not in (values)
    kColumn,     ///< left, a boolean column, is true
  };
  Kind kind = Kind::kColumn;
  std::vector<WhereNode> children;
  WhereOperand left;
  WhereOperand right;
  WhereCompare compare = WhereCompare::kEqual;
  std::vector<WhereValue> values;
  size_t position = 0;  ///< 1-based column where the node starts
};

/// \brief Parse a --where text.
/// \return Invalid "--where: <what was expected> at column N" (1-based, in characters
///         of the text as given) for any mistake; never throws, recursion bounded by
///         kMaxWhereDepth.
arrow::Result<WhereNode> ParseWhere(std::string_view text);

/// \brief "--where: MESSAGE at column N": the form of every --where error.
std::string WhereError(std::string_view message, size_t position);

}  // namespace quiver::cli
