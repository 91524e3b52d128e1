#include <cctype>
#include <utility>

#include <arrow/status.h>

#include "quiver/cli/where_parser_internal.h"

namespace quiver::cli {
namespace {

enum class TokenKind {
  kEnd,
  kIdentifier,  // a bare word that is not a keyword
  kQuotedName,  // "a name"
  kString,      // 'text'
  kNumber,      // 12, 1.5, 2e3 (no sign)
  kKeyword,     // and or not is null in true false date timestamp (lower-cased text)
  kCompare,     // = == != <> < <= > >=
  kOpen,
  kClose,
  kComma,
  kMinus,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // identifier/name/string/number text; keyword lower-cased
  size_t offset = 0;  // byte offset in the input
};

constexpr std::string_view kKeywords[] = {"and", "or",   "not",   "is",   "null",
                                          "in",  "true", "false", "date", "timestamp"};

bool IsIdentifierStart(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool IsIdentifierChar(unsigned char c) { return IsIdentifierStart(c) || std::isdigit(c); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Splits the text into tokens and parses them by recursive descent.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  arrow::Result<WhereNode> Run() {
    if (text_.size() > kMaxWhereBytes) {
      return arrow::Status::Invalid("--where: longer than ", kMaxWhereBytes, " bytes");
    }
    ARROW_RETURN_NOT_OK(Tokenize());
    if (Peek().kind == TokenKind::kEnd) {
      return Error("expected a condition", Peek());
    }
    ARROW_ASSIGN_OR_RAISE(auto node, ParseOr(0));
    if (Peek().kind != TokenKind::kEnd) {
      return Error(Peek().kind == TokenKind::kClose ? "unmatched ')'"
                                                    : "expected 'and', 'or' or the end",
                   Peek());
    }
    return node;
  }

 private:
  /// 1-based column of a byte offset, in characters (UTF-8 continuation bytes are
  /// not counted).
  size_t Column(size_t offset) const {
    size_t column = 1;
    for (size_t i = 0; i < offset && i < text_.size(); ++i) {
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    }
    return column;
  }

  arrow::Status ErrorAt(std::string_view message, size_t offset) const {
    return arrow::Status::Invalid(WhereError(message, Column(offset)));
  }
  arrow::Status Error(std::string_view message, const Token& token) const {
    std::string full(message);
    if (token.kind == TokenKind::kEnd) {
      full += " (the text ended)";
    }
    return ErrorAt(full, token.offset);
  }

  arrow::Status Tokenize() {
    size_t i = 0;
    while (true) {
      while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      Token token;
      token.offset = i;
      if (i == text_.size()) {
        tokens_.push_back(std::move(token));
        return arrow::Status::OK();
      }
      unsigned char c = static_cast<unsigned char>(text_[i]);
      if (c == '\'' || c == '"') {
        token.kind = c == '\'' ? TokenKind::kString : TokenKind::kQuotedName;
        ++i;
        bool closed = false;
        while (i < text_.size()) {
          if (text_[i] == static_cast<char>(c)) {
            if (i + 1 < text_.size() && text_[i + 1] == static_cast<char>(c)) {
              token.text.push_back(static_cast<char>(c));
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          token.text.push_back(text_[i++]);
        }
        if (!closed) {
          return ErrorAt(c == '\'' ? "unterminated string (a ' opened here is never "
                                     "closed)"
                                   : "unterminated column name (a \" opened here is "
                                     "never closed)",
                         token.offset);
        }
        if (token.kind == TokenKind::kQuotedName && token.text.empty()) {
          return ErrorAt("empty column name", token.offset);
        }
      } else if (std::isdigit(c) ||
                 (c == '.' && i + 1 < text_.size() &&
                  std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        token.kind = TokenKind::kNumber;
        size_t start = i;
        while (i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]))) {
          ++i;
        }
        if (i < text_.size() && text_[i] == '.') {
          ++i;
          while (i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]))) {
            ++i;
          }
        }
        if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
          size_t exponent = i + 1;
          if (exponent < text_.size() &&
              (text_[exponent] == '+' || text_[exponent] == '-'))
            ++exponent;
          if (exponent >= text_.size() ||
              !std::isdigit(static_cast<unsigned char>(text_[exponent]))) {
            return ErrorAt("malformed number (expected digits after the exponent)",
                           start);
          }
          i = exponent;
          while (i < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i]))) {
            ++i;
          }
        }
        if (i < text_.size() && IsIdentifierChar(static_cast<unsigned char>(text_[i]))) {
          return ErrorAt("malformed number", start);
        }
        token.text = std::string(text_.substr(start, i - start));
      } else if (IsIdentifierStart(c)) {
        size_t start = i;
        while (i < text_.size() &&
               IsIdentifierChar(static_cast<unsigned char>(text_[i]))) {
          ++i;
        }
        token.text = std::string(text_.substr(start, i - start));
        token.kind = TokenKind::kIdentifier;
        std::string lower = Lower(token.text);
        for (auto keyword : kKeywords) {
          if (lower == keyword) {
            token.kind = TokenKind::kKeyword;
            token.text = std::move(lower);
            break;
          }
        }
      } else if (c == '(' || c == ')' || c == ',' || c == '-') {
        token.kind = c == '('   ? TokenKind::kOpen
                     : c == ')' ? TokenKind::kClose
                     : c == ',' ? TokenKind::kComma
                                : TokenKind::kMinus;
        ++i;
      } else if (c == '=' || c == '!' || c == '<' || c == '>') {
        token.kind = TokenKind::kCompare;
        std::string_view two = text_.substr(i, 2);
        if (two == "==" || two == "!=" || two == "<>" || two == "<=" || two == ">=") {
          token.text = std::string(two);
          i += 2;
        } else if (c == '!') {
          return ErrorAt("unexpected '!' (did you mean '!='?)", i);
        } else {
          token.text = std::string(1, static_cast<char>(c));
          ++i;
        }
      } else {
        std::string shown = c < 0x20 || c == 0x7f
                                ? "a control character"
                                : "'" + std::string(1, static_cast<char>(c)) + "'";
        return ErrorAt("unexpected " + shown, i);
      }
      tokens_.push_back(std::move(token));
    }
  }

  const Token& Peek(size_t ahead = 0) const {
    size_t at = std::min(next_ + ahead, tokens_.size() - 1);
    return tokens_[at];
  }
  const Token& Take() {
    const Token& token = tokens_[next_];
    if (next_ + 1 < tokens_.size()) ++next_;
    return token;
  }
  bool IsKeyword(const Token& token, std::string_view word) const {
    return token.kind == TokenKind::kKeyword && token.text == word;
  }

  arrow::Status CheckDepth(int depth, const Token& at) const {
    if (depth > kMaxWhereDepth) {
      return ErrorAt("nested deeper than " + std::to_string(kMaxWhereDepth) + " levels",
                     at.offset);
    }
    return arrow::Status::OK();
  }

  arrow::Result<WhereNode> ParseOr(int depth) {
    size_t start = Peek().offset;
    ARROW_ASSIGN_OR_RAISE(auto first, ParseAnd(depth));
    if (!IsKeyword(Peek(), "or")) return first;
    WhereNode node;
    node.kind = WhereNode::Kind::kOr;
    node.position = Column(start);
    node.children.push_back(std::move(first));
    while (IsKeyword(Peek(), "or")) {
      Take();
      ARROW_ASSIGN_OR_RAISE(auto next, ParseAnd(depth));
      node.children.push_back(std::move(next));
    }
    return node;
  }

  arrow::Result<WhereNode> ParseAnd(int depth) {
    size_t start = Peek().offset;
    ARROW_ASSIGN_OR_RAISE(auto first, ParseNot(depth));
    if (!IsKeyword(Peek(), "and")) return first;
    WhereNode node;
    node.kind = WhereNode::Kind::kAnd;
    node.position = Column(start);
    node.children.push_back(std::move(first));
    while (IsKeyword(Peek(), "and")) {
      Take();
      ARROW_ASSIGN_OR_RAISE(auto next, ParseNot(depth));
      node.children.push_back(std::move(next));
    }
    return node;
  }

  arrow::Result<WhereNode> ParseNot(int depth) {
    if (!IsKeyword(Peek(), "not")) return ParsePrimary(depth);
    const Token& not_token = Take();
    ARROW_RETURN_NOT_OK(CheckDepth(depth + 1, not_token));
    WhereNode node;
    node.kind = WhereNode::Kind::kNot;
    node.position = Column(not_token.offset);
    ARROW_ASSIGN_OR_RAISE(auto child, ParseNot(depth + 1));
    node.children.push_back(std::move(child));
    return node;
  }

  arrow::Result<WhereNode> ParsePrimary(int depth) {
    const Token& first = Peek();
    if (first.kind == TokenKind::kOpen) {
      Take();
      ARROW_RETURN_NOT_OK(CheckDepth(depth + 1, first));
      ARROW_ASSIGN_OR_RAISE(auto inner, ParseOr(depth + 1));
      if (Peek().kind != TokenKind::kClose) {
        return Error("expected ')' or 'and', 'or'", Peek());
      }
      Take();
      return inner;
    }
    ARROW_ASSIGN_OR_RAISE(auto left, ParseOperand("a column or a condition"));
    WhereNode node;
    node.position = left.position;
    const Token& op = Peek();
    if (op.kind == TokenKind::kCompare) {
      Take();
      node.kind = WhereNode::Kind::kCompare;
      node.compare = op.text == "=" || op.text == "=="    ? WhereCompare::kEqual
                     : op.text == "!=" || op.text == "<>" ? WhereCompare::kNotEqual
                     : op.text == "<"                     ? WhereCompare::kLess
                     : op.text == "<="                    ? WhereCompare::kLessEqual
                     : op.text == ">"                     ? WhereCompare::kGreater
                                                          : WhereCompare::kGreaterEqual;
      node.left = std::move(left);
      ARROW_ASSIGN_OR_RAISE(node.right, ParseOperand("a value or a column"));
      return node;
    }
    if (IsKeyword(op, "is")) {
      Take();
      bool negated = false;
      if (IsKeyword(Peek(), "not")) {
        Take();
        negated = true;
      }
      if (!IsKeyword(Peek(), "null")) {
        return Error(negated ? "expected 'null'" : "expected 'null' or 'not null'",
                     Peek());
      }
      Take();
      node.kind = negated ? WhereNode::Kind::kIsNotNull : WhereNode::Kind::kIsNull;
      node.left = std::move(left);
      return node;
    }
    bool negated_in = IsKeyword(op, "not") && IsKeyword(Peek(1), "in");
    if (IsKeyword(op, "in") || negated_in) {
      if (negated_in) Take();
      Take();
      node.kind = negated_in ? WhereNode::Kind::kNotIn : WhereNode::Kind::kIn;
      node.left = std::move(left);
      if (Peek().kind != TokenKind::kOpen)
        return Error("expected '(' after 'in'", Peek());
      Take();
      while (true) {
        if (node.values.size() == kMaxInValues) {
          return Error(
              "more than " + std::to_string(kMaxInValues) + " values in one 'in' list",
              Peek());
        }
        ARROW_ASSIGN_OR_RAISE(auto value, ParseValue());
        node.values.push_back(std::move(value));
        if (Peek().kind == TokenKind::kComma) {
          Take();
          continue;
        }
        if (Peek().kind == TokenKind::kClose) {
          Take();
          break;
        }
        return Error("expected ',' or ')'", Peek());
      }
      return node;
    }
    if (!left.is_column) {
      return Error("expected a comparison (=, !=, <, <=, >, >=), 'is' or 'in'", op);
    }
    // A column alone: a boolean column used as a condition.
    if (op.kind == TokenKind::kEnd || op.kind == TokenKind::kClose ||
        IsKeyword(op, "and") || IsKeyword(op, "or")) {
      node.kind = WhereNode::Kind::kColumn;
      node.left = std::move(left);
      return node;
    }
    return Error("expected a comparison (=, !=, <, <=, >, >=), 'is' or 'in'", op);
  }

  arrow::Result<WhereOperand> ParseOperand(std::string_view expected) {
    const Token& token = Peek();
    WhereOperand operand;
    operand.position = Column(token.offset);
    if (token.kind == TokenKind::kIdentifier || token.kind == TokenKind::kQuotedName) {
      operand.is_column = true;
      operand.column = Take().text;
      return operand;
    }
    if (token.kind == TokenKind::kKeyword && token.text != "true" &&
        token.text != "false" && token.text != "null" && token.text != "date" &&
        token.text != "timestamp") {
      return Error("expected " + std::string(expected) + ", found the keyword '" +
                       token.text + "' (quote a column of that name: \"" + token.text +
                       "\")",
                   token);
    }
    if (token.kind == TokenKind::kString || token.kind == TokenKind::kNumber ||
        token.kind == TokenKind::kMinus || token.kind == TokenKind::kKeyword) {
      ARROW_ASSIGN_OR_RAISE(operand.value, ParseValue());
      return operand;
    }
    return Error("expected " + std::string(expected), token);
  }

  arrow::Result<WhereValue> ParseValue() {
    const Token& token = Peek();
    WhereValue value;
    value.position = Column(token.offset);
    switch (token.kind) {
      case TokenKind::kString:
        value.kind = WhereValue::Kind::kString;
        value.text = Take().text;
        return value;
      case TokenKind::kMinus:
      case TokenKind::kNumber: {
        std::string sign;
        if (token.kind == TokenKind::kMinus) {
          Take();
          if (Peek().kind != TokenKind::kNumber) {
            return Error("expected a number after '-'", Peek());
          }
          sign = "-";
        }
        const Token& number = Take();
        bool is_float = number.text.find_first_of(".eE") != std::string::npos;
        value.kind = is_float ? WhereValue::Kind::kFloat : WhereValue::Kind::kInteger;
        value.text = sign + number.text;
        return value;
      }
      case TokenKind::kKeyword:
        if (token.text == "true" || token.text == "false") {
          value.kind = WhereValue::Kind::kBool;
          value.text = Take().text;
          return value;
        }
        if (token.text == "null") {
          Take();
          value.kind = WhereValue::Kind::kNull;
          return value;
        }
        if (token.text == "date" || token.text == "timestamp") {
          bool date = token.text == "date";
          Take();
          if (Peek().kind != TokenKind::kString) {
            return Error(date ? "expected a quoted date after 'date' ('2024-01-31')"
                              : "expected a quoted time after 'timestamp' ('2024-01-31 "
                                "12:00:00')",
                         Peek());
          }
          value.kind = date ? WhereValue::Kind::kDate : WhereValue::Kind::kTimestamp;
          value.text = Take().text;
          return value;
        }
        break;
      default:
        break;
    }
    return Error("expected a value", token);
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
};

}  // namespace

std::string WhereError(std::string_view message, size_t position) {
  return "--where: " + std::string(message) + " at column " + std::to_string(position);
}

arrow::Result<WhereNode> ParseWhere(std::string_view text) { return Parser(text).Run(); }

}  // namespace quiver::cli
