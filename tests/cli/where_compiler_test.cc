#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/compute/initialize.h>
#include <arrow/engine/substrait/serde.h>
#include <arrow/json/from_string.h>
#include <arrow/util/base64.h>

#include "quiver/cli/where_compiler_internal.h"
#include "quiver/cli/where_literals_internal.h"
#include "quiver/cli/where_parser_internal.h"
#include "quiver/client/filter_encoding.h"

namespace quiver::cli {
namespace {

namespace cp = arrow::compute;

class WhereCompiler : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(cp::Initialize().ok()); }

  std::shared_ptr<arrow::Schema> schema_ = arrow::schema({
      arrow::field("id", arrow::int64()),
      arrow::field("qty", arrow::int8()),
      arrow::field("n", arrow::uint32()),
      arrow::field("amount", arrow::float64()),
      arrow::field("ratio", arrow::float32()),
      arrow::field("price", arrow::decimal128(10, 2)),
      arrow::field("city", arrow::utf8()),
      arrow::field("tag", arrow::dictionary(arrow::int32(), arrow::utf8())),
      arrow::field("note", arrow::large_utf8()),
      arrow::field("ok", arrow::boolean()),
      arrow::field("day", arrow::date32()),
      arrow::field("ts", arrow::timestamp(arrow::TimeUnit::NANO, "Europe/Oslo")),
      arrow::field("local", arrow::timestamp(arrow::TimeUnit::SECOND)),
      arrow::field("tags", arrow::list(arrow::utf8())),
      arrow::field("order id", arrow::int64()),
      arrow::field("other", arrow::int64()),
  });

  arrow::Result<CompiledWhere> Compile(const std::string& text) {
    ARROW_ASSIGN_OR_RAISE(auto node, ParseWhere(text));
    return CompileWhere(node, *schema_);
  }

  std::string ErrorOf(const std::string& text) {
    auto compiled = Compile(text);
    if (compiled.ok()) return "";
    EXPECT_TRUE(compiled.status().IsInvalid()) << compiled.status().ToString();
    return compiled.status().message();
  }

  /// Rows of `table` (JSON rows for the filter's schema) the filter keeps, computed
  /// by Arrow's own evaluation of the compiled expression after a round trip through
  /// Substrait (as the server receives it).
  int64_t CountKept(const std::string& text, const std::string& rows_json) {
    auto compiled = Compile(text);
    EXPECT_TRUE(compiled.ok()) << text << ": " << compiled.status().ToString();
    if (!compiled.ok()) return -1;
    auto encoded = client::EncodeFilter(compiled->expression, compiled->schema);
    EXPECT_TRUE(encoded.ok()) << encoded.status().ToString();
    if (!encoded.ok()) return -1;
    auto bytes = arrow::util::base64_decode(*encoded);
    auto decoded = arrow::engine::DeserializeExpressions(
        *arrow::Buffer::FromString(std::move(*bytes)));
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    if (!decoded.ok()) return -1;
    // The decoded schema: Substrait keeps no time zone names (UTC stands for all).
    auto rows = arrow::json::ArrayFromJSONString(
        arrow::struct_(decoded->schema->fields()), rows_json);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return -1;
    auto batch = *arrow::RecordBatch::FromStructArray(*rows);
    auto bound = decoded->named_expressions[0].expression.Bind(*decoded->schema);
    EXPECT_TRUE(bound.ok()) << bound.status().ToString();
    if (!bound.ok()) return -1;
    auto result = cp::ExecuteScalarExpression(*bound, cp::ExecBatch(*batch));
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return -1;
    auto mask = result->make_array();
    int64_t kept = 0;
    const auto& booleans = static_cast<const arrow::BooleanArray&>(*mask);
    for (int64_t i = 0; i < booleans.length(); ++i) {
      if (booleans.IsValid(i) && booleans.Value(i)) ++kept;
    }
    return kept;
  }
};

TEST_F(WhereCompiler, SchemaHoldsOnlyTheReferencedColumnsInWireTypes) {
  auto compiled = Compile("tag = 'x' and ts > '2024-01-01' and note = 'n' and id > 1");
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  EXPECT_TRUE(compiled->schema->Equals(*arrow::schema({
      arrow::field("tag", arrow::utf8()),
      arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "Europe/Oslo")),
      arrow::field("note", arrow::utf8()),
      arrow::field("id", arrow::int64()),
  }))) << compiled->schema->ToString();
  // A column used twice is described once.
  compiled = Compile("id > 1 and id < 5");
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(compiled->schema->num_fields(), 1);
}

TEST_F(WhereCompiler, EvaluatesLikeSql) {
  // Schema of the rows: the filter's (referenced columns, in order of first use).
  EXPECT_EQ(CountKept("amount > 100 and city = 'Oslo'",
                      R"([{"amount": 150, "city": "Oslo"}, {"amount": 50, "city": "Oslo"},
                          {"amount": 150, "city": "Lima"}, {"amount": null, "city": "Oslo"}])"),
            1);
  EXPECT_EQ(CountKept("qty >= -3 or not ok",
                      R"([{"qty": -4, "ok": true}, {"qty": -3, "ok": true},
                          {"qty": -4, "ok": false}, {"qty": null, "ok": null}])"),
            2);
  EXPECT_EQ(CountKept("city in ('Oslo', 'Lima')",
                      R"([{"city": "Oslo"}, {"city": "Quito"}, {"city": "Lima"},
                          {"city": null}])"),
            2);
  // `not in` drops nulls, as `!=` does.
  EXPECT_EQ(CountKept("city not in ('Oslo')",
                      R"([{"city": "Oslo"}, {"city": "Quito"}, {"city": null}])"),
            1);
  EXPECT_EQ(CountKept("city != 'Oslo'",
                      R"([{"city": "Oslo"}, {"city": "Quito"}, {"city": null}])"),
            1);
  EXPECT_EQ(CountKept("city is null", R"([{"city": "Oslo"}, {"city": null}])"), 1);
  EXPECT_EQ(CountKept("city is not null", R"([{"city": "Oslo"}, {"city": null}])"), 1);
  EXPECT_EQ(CountKept("100 < amount", R"([{"amount": 150}, {"amount": 50}])"), 1);
  EXPECT_EQ(CountKept("price >= 1.5", R"([{"price": "1.49"}, {"price": "1.50"}])"), 1);
  EXPECT_EQ(CountKept("price = 2", R"([{"price": "2.00"}, {"price": "2.01"}])"), 1);
  EXPECT_EQ(CountKept("day >= date '2024-02-29' and day < '2024-03-01'",
                      R"([{"day": 19781}, {"day": 19782}, {"day": 19780}])"),
            1);
  EXPECT_EQ(CountKept("id = other", R"([{"id": 1, "other": 1}, {"id": 1, "other": 2}])"),
            1);
  EXPECT_EQ(CountKept("\"order id\" in (3, 4)", R"([{"order id": 3}, {"order id": 5}])"),
            1);
  // 2024-01-01T00:00:00Z in microseconds: 1704067200000000.
  EXPECT_EQ(CountKept("ts >= timestamp '2024-01-01 01:00:00+01:00'",
                      R"([{"ts": 1704067200000000}, {"ts": 1704067199999999}])"),
            1);
  EXPECT_EQ(CountKept("ts < '2024-01-01'",
                      R"([{"ts": 1704067200000000}, {"ts": 1704067199999999}])"),
            1);
  EXPECT_EQ(CountKept("local = '2024-01-01 00:00:01'",
                      R"([{"local": 1704067201}, {"local": 1704067200}])"),
            1);
  EXPECT_EQ(CountKept("n > 4000000000", R"([{"n": 4000000001}, {"n": 1}])"), 1);
  EXPECT_EQ(CountKept("ratio < 0.5", R"([{"ratio": 0.25}, {"ratio": 0.75}])"), 1);
}

TEST_F(WhereCompiler, LongChainsStaySmall) {
  std::string text = "id > 0";
  for (int i = 1; i < 12; ++i) text += " and id != " + std::to_string(i * 7);
  auto compiled = Compile(text);
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  auto encoded = client::EncodeFilter(compiled->expression, compiled->schema);
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  EXPECT_LT(encoded->size(), client::kMaxEncodedFilterBytes);
  // A chain of `not`s is refused before Arrow's encoder could blow up.
  std::string nots;
  for (int i = 0; i < 20; ++i) nots += "not ";
  EXPECT_NE(ErrorOf(nots + "ok").find("too complex to send"), std::string::npos);
  std::string many = "id = 0";
  for (int i = 1; i < 40; ++i) many += " or id = " + std::to_string(i);
  EXPECT_NE(ErrorOf(many).find("too complex to send"), std::string::npos);
  // The same as one list is fine.
  std::string list = "id in (0";
  for (int i = 1; i < 40; ++i) list += ", " + std::to_string(i);
  EXPECT_EQ(ErrorOf(list + ")"), "");
}

TEST_F(WhereCompiler, TypeErrorsNameColumnAndPosition) {
  EXPECT_EQ(
      ErrorOf("amount > 'x'"),
      "--where: expected a number, not 'x' for column 'amount' (double) at column 10");
  EXPECT_EQ(ErrorOf("city = 5"),
            "--where: expected a quoted string, not 5 for column 'city' (string) at "
            "column 8");
  EXPECT_EQ(ErrorOf("qty > 300"),
            "--where: 300 is out of range for column 'qty' (int8) at column 7");
  EXPECT_EQ(ErrorOf("qty > -129"),
            "--where: -129 is out of range for column 'qty' (int8) at column 7");
  EXPECT_EQ(ErrorOf("n = -1"),
            "--where: -1 is out of range for column 'n' (uint32) at column 5");
  EXPECT_EQ(ErrorOf("id = 1.5"),
            "--where: 1.5 is not an integer for column 'id' (int64) at column 6");
  EXPECT_EQ(ErrorOf("id = 99999999999999999999"),
            "--where: 99999999999999999999 is out of range for column 'id' (int64) at "
            "column 6");
  EXPECT_EQ(ErrorOf("amount = 1e999"),
            "--where: 1e999 is out of range for column 'amount' (double) at column 10");
  EXPECT_EQ(ErrorOf("price = 1.505"),
            "--where: 1.505 has more decimal places than 2 for column 'price' "
            "(decimal128(10, 2)) at column 9");
  EXPECT_EQ(ErrorOf("price = 123456789"),
            "--where: 123456789 is out of range for column 'price' (decimal128(10, 2)) "
            "at column 9");
  EXPECT_EQ(ErrorOf("ok = 1"),
            "--where: expected true or false, not 1 for column 'ok' (bool) at column 6");
  EXPECT_EQ(ErrorOf("day = '2024-02-30'"),
            "--where: '2024-02-30' is not a date (YYYY-MM-DD) for column 'day' "
            "(date32[day]) at column 7");
  EXPECT_EQ(ErrorOf("day = 20240101"),
            "--where: expected a date ('2024-01-31'), not 20240101 for column 'day' "
            "(date32[day]) at column 7");
  EXPECT_EQ(ErrorOf("local = '2024-01-01 00:00:00Z'"),
            "--where: '2024-01-01 00:00:00Z' has a time zone, but the column's times "
            "have none: write it without Z or an offset for column 'local' "
            "(timestamp[s]) at column 9");
  EXPECT_EQ(ErrorOf("local = '2024-01-01 00:00:00.5'"),
            "--where: '2024-01-01 00:00:00.5' is more precise than the column's unit "
            "for column 'local' (timestamp[s]) at column 9");
  EXPECT_EQ(ErrorOf("ts = '2024-01-01 25:00'").substr(0, 42),
            "--where: '2024-01-01 25:00' is not a time ");
  EXPECT_EQ(ErrorOf("nope = 1"),
            "--where: unknown column 'nope' (columns: id, qty, n, amount, ratio, price, "
            "city, tag, note, ok, day, ts, ...) at column 1");
  EXPECT_EQ(ErrorOf("tags = 'a'"),
            "--where: column 'tags' is list<item: string>, which --where cannot compare "
            "(only 'is null' applies) at column 1");
  EXPECT_EQ(ErrorOf("tags is null"), "");
  EXPECT_EQ(ErrorOf("id = qty"),
            "--where: cannot compare column 'id' (int64) with column 'qty' (int8): "
            "columns compared with each other must have the same type at column 6");
  EXPECT_EQ(ErrorOf("1 = 1"),
            "--where: compares two values; one side must be a column at column 1");
  EXPECT_EQ(ErrorOf("city = null"),
            "--where: a comparison with null is never true; use 'is null' or 'is not "
            "null' at column 8");
  EXPECT_EQ(ErrorOf("city in ('a', null)"),
            "--where: null in an 'in' list never matches; use 'is null' at column 15");
  EXPECT_EQ(ErrorOf("id and ok"),
            "--where: column 'id' is int64, not boolean: compare it with a value (=, <, "
            "...) at column 1");
  EXPECT_EQ(ErrorOf("'x' is null"),
            "--where: 'is null' applies to a column, not a value at column 1");
  EXPECT_EQ(ErrorOf("city in (1)"),
            "--where: expected a quoted string, not 1 for column 'city' (string) at "
            "column 10");
}

TEST(WhereLiterals, Dates) {
  EXPECT_EQ(*ParseWhereDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseWhereDate("2024-02-29"), 19782);
  EXPECT_EQ(*ParseWhereDate("1969-12-31"), -1);
  EXPECT_EQ(*ParseWhereDate("0001-01-01"), -719162);
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-1-1",
                          "0000-01-01", "2024-01-01x", "", "2024/01/01"}) {
    EXPECT_FALSE(ParseWhereDate(bad).ok()) << bad;
  }
}

TEST(WhereLiterals, Times) {
  auto t = ParseWhereTime("2024-01-01T10:20:30.123456789+02:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->seconds, 1704067200 + 8 * 3600 + 20 * 60 + 30);
  EXPECT_EQ(t->nanos, 123456789);
  EXPECT_TRUE(t->has_zone);
  t = ParseWhereTime("2024-01-01 10:20");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->seconds, 1704067200 + 10 * 3600 + 20 * 60);
  EXPECT_FALSE(t->has_zone);
  EXPECT_EQ(ParseWhereTime("2024-01-01")->seconds, 1704067200);
  EXPECT_EQ(ParseWhereTime("2024-01-01 00:00:00.5")->nanos, 500000000);
  for (const char* bad : {"2024-01-01 24:00", "2024-01-01 10", "2024-01-01 10:00:00.",
                          "2024-01-01 10:00:00.1234567891", "2024-01-01 10:00+2",
                          "2024-01-01 10:00 Z", "2024-01-01X10:00"}) {
    EXPECT_FALSE(ParseWhereTime(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace quiver::cli
