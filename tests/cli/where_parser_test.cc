#include <string>

#include <gtest/gtest.h>

#include "quiver/cli/where_parser_internal.h"

namespace quiver::cli {
namespace {

using Kind = WhereNode::Kind;

WhereNode MustParse(const std::string& text) {
  auto parsed = ParseWhere(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? std::move(*parsed) : WhereNode{};
}

/// The message of the error parsing `text` gives ("" if it parses).
std::string ErrorOf(const std::string& text) {
  auto parsed = ParseWhere(text);
  if (parsed.ok()) return "";
  EXPECT_TRUE(parsed.status().IsInvalid());
  return parsed.status().message();
}

TEST(WhereParser, ComparisonOfColumnAndValue) {
  auto node = MustParse("amount > 100");
  EXPECT_EQ(node.kind, Kind::kCompare);
  EXPECT_EQ(node.compare, WhereCompare::kGreater);
  EXPECT_TRUE(node.left.is_column);
  EXPECT_EQ(node.left.column, "amount");
  EXPECT_FALSE(node.right.is_column);
  EXPECT_EQ(node.right.value.kind, WhereValue::Kind::kInteger);
  EXPECT_EQ(node.right.value.text, "100");
  EXPECT_EQ(node.right.value.position, 10u);
}

TEST(WhereParser, EveryComparisonOperator) {
  struct Case {
    const char* op;
    WhereCompare compare;
  };
  for (auto c :
       {Case{"=", WhereCompare::kEqual}, Case{"==", WhereCompare::kEqual},
        Case{"!=", WhereCompare::kNotEqual}, Case{"<>", WhereCompare::kNotEqual},
        Case{"<", WhereCompare::kLess}, Case{"<=", WhereCompare::kLessEqual},
        Case{">", WhereCompare::kGreater}, Case{">=", WhereCompare::kGreaterEqual}}) {
    auto node = MustParse(std::string("a ") + c.op + " 1");
    EXPECT_EQ(node.compare, c.compare) << c.op;
    // Without spaces too.
    node = MustParse(std::string("a") + c.op + "1");
    EXPECT_EQ(node.compare, c.compare) << c.op;
  }
}

TEST(WhereParser, AndBindsTighterThanOr) {
  auto node = MustParse("a = 1 or b = 2 and c = 3");
  ASSERT_EQ(node.kind, Kind::kOr);
  ASSERT_EQ(node.children.size(), 2u);
  EXPECT_EQ(node.children[0].kind, Kind::kCompare);
  EXPECT_EQ(node.children[1].kind, Kind::kAnd);
  // Parentheses change it.
  node = MustParse("(a = 1 or b = 2) and c = 3");
  ASSERT_EQ(node.kind, Kind::kAnd);
  EXPECT_EQ(node.children[0].kind, Kind::kOr);
}

TEST(WhereParser, ChainsAreFlat) {
  auto node = MustParse("a = 1 and b = 2 and c = 3 and d = 4");
  ASSERT_EQ(node.kind, Kind::kAnd);
  EXPECT_EQ(node.children.size(), 4u);
}

TEST(WhereParser, NotIsNullInAndBareColumns) {
  auto node = MustParse("NOT ok");
  ASSERT_EQ(node.kind, Kind::kNot);
  EXPECT_EQ(node.children[0].kind, Kind::kColumn);
  EXPECT_EQ(MustParse("x is null").kind, Kind::kIsNull);
  EXPECT_EQ(MustParse("x IS NOT NULL").kind, Kind::kIsNotNull);
  node = MustParse("city in ('Oslo', 'Lima')");
  ASSERT_EQ(node.kind, Kind::kIn);
  ASSERT_EQ(node.values.size(), 2u);
  EXPECT_EQ(node.values[1].text, "Lima");
  node = MustParse("n not in (1, -2, 3.5)");
  ASSERT_EQ(node.kind, Kind::kNotIn);
  EXPECT_EQ(node.values[1].text, "-2");
  EXPECT_EQ(node.values[2].kind, WhereValue::Kind::kFloat);
  node = MustParse("ok and not done");
  ASSERT_EQ(node.kind, Kind::kAnd);
  EXPECT_EQ(node.children[1].kind, Kind::kNot);
}

TEST(WhereParser, Literals) {
  auto value = [](const std::string& text) {
    return MustParse("x = " + text).right.value;
  };
  EXPECT_EQ(value("'it''s'").text, "it's");
  EXPECT_EQ(value("'it''s'").kind, WhereValue::Kind::kString);
  EXPECT_EQ(value("''").text, "");
  EXPECT_EQ(value("-7").text, "-7");
  EXPECT_EQ(value("- 7").text, "-7");
  EXPECT_EQ(value("1.5e-3").kind, WhereValue::Kind::kFloat);
  EXPECT_EQ(value(".5").kind, WhereValue::Kind::kFloat);
  EXPECT_EQ(value("TRUE").kind, WhereValue::Kind::kBool);
  EXPECT_EQ(value("TRUE").text, "true");
  EXPECT_EQ(value("date '2024-02-29'").kind, WhereValue::Kind::kDate);
  EXPECT_EQ(value("date '2024-02-29'").text, "2024-02-29");
  EXPECT_EQ(value("timestamp '2024-01-01 10:00:00Z'").kind, WhereValue::Kind::kTimestamp);
  EXPECT_EQ(value("null").kind, WhereValue::Kind::kNull);
  EXPECT_EQ(value("'Zürich'").text, "Zürich");
}

TEST(WhereParser, QuotedColumnNames) {
  auto node = MustParse("\"order id\" = 3 and \"and\" = 1 and \"say \"\"hi\"\"\" = 2");
  ASSERT_EQ(node.kind, Kind::kAnd);
  EXPECT_EQ(node.children[0].left.column, "order id");
  EXPECT_EQ(node.children[1].left.column, "and");
  EXPECT_EQ(node.children[2].left.column, "say \"hi\"");
  // Values on the left, columns on the right, and column against column.
  node = MustParse("100 < amount");
  EXPECT_FALSE(node.left.is_column);
  EXPECT_TRUE(node.right.is_column);
  node = MustParse("a = b");
  EXPECT_TRUE(node.right.is_column);
}

TEST(WhereParser, ErrorsPointAtTheMistake) {
  EXPECT_EQ(ErrorOf("amount > "),
            "--where: expected a value or a column (the text "
            "ended) at column 10");
  EXPECT_EQ(ErrorOf("amount > and x"),
            "--where: expected a value or a column, found the keyword 'and' (quote a "
            "column of that name: \"and\") at column 10");
  EXPECT_EQ(ErrorOf("amount 100"),
            "--where: expected a comparison (=, !=, <, <=, >, >=), 'is' or 'in' at "
            "column 8");
  EXPECT_EQ(ErrorOf(""), "--where: expected a condition (the text ended) at column 1");
  EXPECT_EQ(ErrorOf("   "), "--where: expected a condition (the text ended) at column 4");
  EXPECT_EQ(ErrorOf("(a = 1"),
            "--where: expected ')' or 'and', 'or' (the text ended) at column 7");
  EXPECT_EQ(ErrorOf("a = 1)"), "--where: unmatched ')' at column 6");
  EXPECT_EQ(ErrorOf("a = 1 b = 2"),
            "--where: expected 'and', 'or' or the end at column 7");
  EXPECT_EQ(ErrorOf("city = 'Oslo"),
            "--where: unterminated string (a ' opened here is never closed) at column 8");
  EXPECT_EQ(ErrorOf("\"city = 1"),
            "--where: unterminated column name (a \" opened here "
            "is never closed) at column 1");
  EXPECT_EQ(ErrorOf("\"\" = 1"), "--where: empty column name at column 1");
  EXPECT_EQ(ErrorOf("a = 1e"),
            "--where: malformed number (expected digits after the exponent) at column 5");
  EXPECT_EQ(ErrorOf("a = 12abc"), "--where: malformed number at column 5");
  EXPECT_EQ(ErrorOf("a ! 1"), "--where: unexpected '!' (did you mean '!='?) at column 3");
  EXPECT_EQ(ErrorOf("a = 1 ; drop"), "--where: unexpected ';' at column 7");
  EXPECT_EQ(ErrorOf("a = \x01"), "--where: unexpected a control character at column 5");
  EXPECT_EQ(ErrorOf("a is 1"), "--where: expected 'null' or 'not null' at column 6");
  EXPECT_EQ(ErrorOf("a is not 1"), "--where: expected 'null' at column 10");
  EXPECT_EQ(ErrorOf("a in 1"), "--where: expected '(' after 'in' at column 6");
  EXPECT_EQ(ErrorOf("a in (1 2)"), "--where: expected ',' or ')' at column 9");
  EXPECT_EQ(ErrorOf("a in ()"), "--where: expected a value at column 7");
  EXPECT_EQ(ErrorOf("a in (b)"), "--where: expected a value at column 7");
  EXPECT_EQ(ErrorOf("a = -x"), "--where: expected a number after '-' at column 6");
  EXPECT_EQ(ErrorOf("a = date 5"),
            "--where: expected a quoted date after 'date' ('2024-01-31') at column 10");
  EXPECT_EQ(ErrorOf("a = timestamp"),
            "--where: expected a quoted time after 'timestamp' ('2024-01-31 12:00:00') "
            "(the text ended) at column 14");
  EXPECT_EQ(ErrorOf("1 = 1 and"),
            "--where: expected a column or a condition (the text ended) at column 10");
  EXPECT_EQ(ErrorOf("'x' and a"),
            "--where: expected a comparison (=, !=, <, <=, >, >=), 'is' or 'in' at "
            "column 5");
  EXPECT_EQ(ErrorOf("not"),
            "--where: expected a column or a condition (the text ended) at column 4");
}

TEST(WhereParser, PositionsCountCharactersNotBytes) {
  // "ü" is two bytes in UTF-8: the error is still reported at character 11.
  EXPECT_EQ(ErrorOf("'Zürich' = "),
            "--where: expected a value or a column (the text ended) at column 12");
  EXPECT_EQ(ErrorOf("größe > ?"), "--where: unexpected '?' at column 9");
}

TEST(WhereParser, DeepNestingIsBounded) {
  std::string ok(kMaxWhereDepth, '(');
  ok += "a = 1";
  ok += std::string(kMaxWhereDepth, ')');
  MustParse(ok);
  std::string deep(kMaxWhereDepth + 1, '(');
  deep += "a = 1";
  deep += std::string(kMaxWhereDepth + 1, ')');
  EXPECT_EQ(ErrorOf(deep), "--where: nested deeper than 32 levels at column 33");
  std::string nots;
  for (int i = 0; i <= kMaxWhereDepth; ++i) nots += "not ";
  EXPECT_NE(ErrorOf(nots + "a").find("nested deeper than 32 levels"), std::string::npos);
  // Hostile: a hundred thousand parentheses fail fast on the length bound, never
  // overflowing the stack.
  std::string huge(100000, '(');
  EXPECT_EQ(ErrorOf(huge), "--where: longer than 16384 bytes");
  std::string many(kMaxWhereBytes, '(');
  EXPECT_NE(ErrorOf(many).find("nested deeper"), std::string::npos);
}

TEST(WhereParser, HugeLiteralsAndLists) {
  // A string literal as long as the text allows parses (the type check comes later).
  std::string long_string = "a = '" + std::string(kMaxWhereBytes - 6, 'x') + "'";
  EXPECT_EQ(MustParse(long_string).right.value.text.size(), kMaxWhereBytes - 6);
  // Numbers of any length parse; their range is checked against the column's type.
  EXPECT_EQ(MustParse("a = " + std::string(500, '9')).right.value.text.size(), 500u);
  std::string list = "a in (1";
  for (size_t i = 1; i < kMaxInValues; ++i) list += ", 1";
  MustParse(list + ")");
  EXPECT_EQ(ErrorOf(list + ", 2)"),
            "--where: more than 48 values in one 'in' list at column " +
                std::to_string(list.size() + 3));
}

}  // namespace
}  // namespace quiver::cli
