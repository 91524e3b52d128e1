#include "quiver/server/dataset_addressing.h"

#include <gtest/gtest.h>

namespace quiver::server {
namespace {

namespace flight = arrow::flight;

arrow::Result<DatasetRequest> Read(const std::string& cmd) {
  return ParseDescriptor(flight::FlightDescriptor::Command(cmd), DescriptorUse::kRead);
}
arrow::Result<DatasetRequest> Write(const std::string& cmd) {
  return ParseDescriptor(flight::FlightDescriptor::Command(cmd), DescriptorUse::kWrite);
}

TEST(DatasetAddressingTest, PathDescriptorsNameDatasets) {
  auto request = ParseDescriptor(flight::FlightDescriptor::Path({"sales", "2024"}),
                                 DescriptorUse::kRead);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->name.ToString(), "sales/2024");
  EXPECT_FALSE(request->version);
  EXPECT_EQ(request->mode, store::UploadMode::kOverwrite);
  EXPECT_EQ(DescriptorOf(request->name).path,
            (std::vector<std::string>{"sales", "2024"}));
}

TEST(DatasetAddressingTest, HostilePathsAreInvalid) {
  for (auto path : std::vector<std::vector<std::string>>{{".."}, {"a/../b"}, {}}) {
    EXPECT_TRUE(
        ParseDescriptor(flight::FlightDescriptor::Path(path), DescriptorUse::kRead)
            .status()
            .IsInvalid());
  }
}

TEST(DatasetAddressingTest, JsonCommandsReadVersionsAndModes) {
  auto v = Read(R"({"dataset": "sales/2024", "version": 7})");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->name.ToString(), "sales/2024");
  EXPECT_EQ(*v->version, 7);
  auto t = Read(R"({"dataset": "s", "as_of": "2026-12-01T22:00:00Z"})");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t->as_of_us, int64_t{1796162400} * 1000000);
  auto a = Write(R"({"dataset": "s", "mode": "append"})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->mode, store::UploadMode::kAppend);
  EXPECT_EQ(Write(R"({"dataset": "s", "mode": "overwrite"})")->mode,
            store::UploadMode::kOverwrite);
}

TEST(DatasetAddressingTest, JsonCommandsAreStrict) {
  auto expect_invalid = [](const arrow::Result<DatasetRequest>& r, const char* needle) {
    ASSERT_TRUE(r.status().IsInvalid()) << r.status().ToString();
    EXPECT_NE(r.status().message().find(needle), std::string::npos)
        << r.status().message();
  };
  expect_invalid(Read("SELECT 1"), "JSON object");
  expect_invalid(Read("[1]"), "JSON object");
  expect_invalid(Read(R"({"dataset": "s", "colour": 1})"), "unknown key 'colour'");
  expect_invalid(Read(R"({"dataset": 3})"), "'dataset'");
  expect_invalid(Read(R"({"version": 3})"), "needs 'dataset'");
  expect_invalid(Read(R"({"dataset": "s", "version": "7"})"), "'version'");
  expect_invalid(Read(R"({"dataset": "s", "version": 0})"), "'version'");
  expect_invalid(Read(R"({"dataset": "s", "version": 1.5})"), "'version'");
  expect_invalid(
      Read(R"({"dataset": "s", "version": 1, "as_of": "2026-01-01T00:00:00Z"})"), "both");
  expect_invalid(Read(R"({"dataset": "s", "as_of": "yesterday"})"), "as_of");
  expect_invalid(Read(R"({"dataset": "../x"})"), "'dataset'");
  // Keys of one use are unknown to the other.
  expect_invalid(Read(R"({"dataset": "s", "mode": "append"})"), "unknown key 'mode'");
  expect_invalid(Write(R"({"dataset": "s", "version": 2})"), "unknown key 'version'");
  expect_invalid(Write(R"({"dataset": "s", "mode": "merge"})"), "'mode'");
}

TEST(DatasetAddressingTest, MintedTicketsPinVersionsAndBareNamesStillWork) {
  auto name = *store::DatasetName::Parse("a/b.parquet");
  auto minted = MintTicket(name, 42);
  auto parsed = ParseTicket(minted.ticket);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->name.ToString(), "a/b.parquet");
  EXPECT_EQ(*parsed->version, 42);
  // Bare names and tickets of earlier releases: the current version.
  EXPECT_FALSE(ParseTicket("a/b.parquet")->version);
  EXPECT_EQ(ParseTicket(".quiver/1/a/b.parquet")->name.ToString(), "a/b.parquet");
  for (const char* bad :
       {"../../etc/passwd", "", ".quiver/1/../x", ".quiver/2/", ".quiver/2/{",
        R"(.quiver/2/{"dataset": "a"})", R"(.quiver/2/{"dataset": "a", "version": -1})",
        R"(.quiver/2/{"dataset": "../a", "version": 1})",
        R"(.quiver/2/{"dataset": "a", "version": 1, "x": 1})"}) {
    EXPECT_TRUE(ParseTicket(bad).status().IsInvalid()) << bad;
  }
}

// pyarrow.substrait.serialize_expressions([pc.field("city") == "Oslo"], ["f"],
// pa.schema([("x", pa.int64()), ("city", pa.string())])), base64.
constexpr char kCityIsOslo[] =
    "CloSWGh0dHBzOi8vZ2l0aHViLmNvbS9zdWJzdHJhaXQtaW8vc3Vic3RyYWl0L2Jsb2IvbWFpbi9leHRlbnNp"
    "b25zL2Z1bmN0aW9uc19jb21wYXJpc29uLnlhbWwSCRoHGgVlcXVhbBonCiIaIBoECgIQASIMGgoSCAoEEgII"
    "ASIAIgoaCAoGYgRPc2xvGgFmIhcKAXgKBGNpdHkSDAoEOgIQAQoEYgIQAToQECwqDEFjZXJvIDI2LjAuMQ="
    "=";
// The same schema, two expressions (x > 5, x < 9).
constexpr char kTwoExpressions[] =
    "CloSWGh0dHBzOi8vZ2l0aHViLmNvbS9zdWJzdHJhaXQtaW8vc3Vic3RyYWl0L2Jsb2IvbWFpbi9leHRlbnNp"
    "b25zL2Z1bmN0aW9uc19jb21wYXJpc29uLnlhbWwKXAgBElhodHRwczovL2dpdGh1Yi5jb20vc3Vic3RyYWl0"
    "LWlvL3N1YnN0cmFpdC9ibG9iL21haW4vZXh0ZW5zaW9ucy9mdW5jdGlvbnNfY29tcGFyaXNvbi55YW1sEgga"
    "BggBGgJndBIKGggIARABGgJsdBohChwaGhoECgIQASIKGggSBgoCEgAiACIGGgQKAjgFGgFmGiMKHhocCAEa"
    "BAoCEAEiChoIEgYKAhIAIgAiBhoECgI4CRoBZyIXCgF4CgRjaXR5EgwKBDoCEAEKBGICEAE6EBAsKgxBY2Vy"
    "byAyNi4wLjE=";

std::string Cmd(const std::string& extra) {
  return R"({"dataset": "sales", )" + extra + "}";
}

TEST(DatasetAddressingTest, ReadCommandsSelectColumnsRowsAndEndpoints) {
  auto r = Read(Cmd(R"("columns": ["city", "amount"], "limit": 1000, "endpoints": 4,)"
                    R"( "compression": "zstd", "filter": ")" +
                    std::string(kCityIsOslo) + "\""));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r->read.columns, (std::vector<std::string>{"city", "amount"}));
  EXPECT_EQ(*r->read.limit, 1000);
  EXPECT_EQ(*r->read.endpoints, 4);
  EXPECT_EQ(*r->read.compression, arrow::Compression::ZSTD);
  ASSERT_TRUE(r->read.filter_expression);
  // Field positions of the client's schema became names.
  EXPECT_EQ(r->read.filter_expression->ToString(), "(city == \"Oslo\")");
  EXPECT_EQ(*Read(Cmd(R"("endpoints": "auto")"))->read.endpoints, kAutoEndpoints);
  EXPECT_FALSE(Read(R"({"dataset": "sales", "version": 2})")->read.selective());
}

TEST(DatasetAddressingTest, ReadCommandsAreStrict) {
  auto expect_invalid = [](const std::string& cmd, const char* needle) {
    auto r = Read(cmd);
    ASSERT_TRUE(r.status().IsInvalid()) << cmd << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find(needle), std::string::npos)
        << r.status().message();
  };
  expect_invalid(Cmd(R"("columns": "city")"), "'columns'");
  expect_invalid(Cmd(R"("columns": [])"), "at least one");
  expect_invalid(Cmd(R"("columns": ["a", 3])"), "'columns'");
  expect_invalid(Cmd(R"("columns": ["a", ""])"), "'columns'");
  expect_invalid(Cmd(R"("columns": ["a", "b", "a"])"), "'a' twice");
  expect_invalid(Cmd(R"("limit": -1)"), "'limit'");
  expect_invalid(Cmd(R"("limit": 1e30)"), "'limit'");
  expect_invalid(Cmd(R"("limit": 99999999999999999999999)"), "'limit'");
  expect_invalid(Cmd(R"("limit": "10")"), "'limit'");
  expect_invalid(Cmd(R"("endpoints": 0)"), "'endpoints'");
  expect_invalid(Cmd(R"("endpoints": 100000)"), "'endpoints'");
  expect_invalid(Cmd(R"("endpoints": "many")"), "'endpoints'");
  expect_invalid(Cmd(R"("compression": "gzip")"), "'compression'");
  expect_invalid(Cmd(R"("filter": 3)"), "'filter'");
  expect_invalid(Cmd(R"("filter": "")"), "'filter'");
  expect_invalid(Cmd(R"("filter": "not base64!!")"), "base64");
  expect_invalid(Cmd(R"("filter": "AAAAAAAA")"), "Substrait");
  expect_invalid(Cmd(R"("filter": ")" + std::string(kTwoExpressions) + "\""),
                 "exactly one");
  expect_invalid(Cmd(R"("row_groups": [0, 1])"), "unknown key 'row_groups'");
}

TEST(DatasetAddressingTest, FiltersArrowWouldAbortOnAreInvalid) {
  // Found by fuzz_filter: a decimal type without precision made Arrow's Substrait
  // reader abort the process (an ARROW_CHECK in decimal128()).
  constexpr char kDecimalPrecision0[] =
      "CloSWGh0dHBzOi8vZ2l0aHViLmNvbS9zdWJzdHJhaXQtaW8vc3Vic3RyYWl0L2Jsb2IvbWFpbi9leHRl"
      "bnNpb25zL2Z1bmN0aW9uc19jb21wYXJpc29uLnlhbWwSBhoEGgJsdBo6CjUaMxoECgIQASIMGgoSCAoE"
      "EgIIBSIAIh0aGwoZwgEWChCWAAAAAAAAAAAAAAAAAAAAEAo4AhoBZiJHCgF4CgRjaXR5CgFmCgJ0cwoC"
      "b2sKA2xlYxIsCgQ6AhABCgRiAhABCgRaAhABCgeSAgQIBhgBCgQKAhABCgnCAQY6AhAKIAE6EBAsKgxB"
      "Y2VybyAyNi40LjE=";
  auto r = Read(Cmd(R"("filter": ")" + std::string(kDecimalPrecision0) + "\""));
  ASSERT_TRUE(r.status().IsInvalid()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("precision 0"), std::string::npos)
      << r.status().message();
}

TEST(DatasetAddressingTest, SelectiveTicketsCarryTheWholeRequest) {
  auto name = *store::DatasetName::Parse("sales");
  ReadSelection read;
  read.columns = std::vector<std::string>{"city"};
  read.filter = kCityIsOslo;
  read.limit = 7;
  read.compression = arrow::Compression::LZ4_FRAME;
  read.row_groups = store::RowGroupRange{3, 9};
  read.endpoints = 4;  // not kept: a ticket is one endpoint
  auto ticket = MintTicket(name, 5, read);
  ASSERT_TRUE(ticket.ticket.starts_with(".quiver/3/{"));
  auto parsed = ParseTicket(ticket.ticket);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->name.ToString(), "sales");
  EXPECT_EQ(*parsed->version, 5);
  EXPECT_EQ(*parsed->read.columns, *read.columns);
  EXPECT_EQ(*parsed->read.filter, kCityIsOslo);
  EXPECT_TRUE(parsed->read.filter_expression);
  EXPECT_EQ(*parsed->read.limit, 7);
  EXPECT_EQ(*parsed->read.compression, arrow::Compression::LZ4_FRAME);
  EXPECT_EQ(*parsed->read.row_groups, (store::RowGroupRange{3, 9}));
  EXPECT_FALSE(parsed->read.endpoints);
  auto spec = parsed->read.ToSpec();
  EXPECT_TRUE(spec.filter && spec.columns && spec.limit && spec.row_groups);
}

TEST(DatasetAddressingTest, TamperedSelectiveTicketsAreInvalid) {
  const std::string p = R"(.quiver/3/{"dataset": "s", "version": 2, )";
  for (const std::string& bad :
       {p + R"("row_groups": [5, 5]})", p + R"("row_groups": [6, 5]})",
        p + R"("row_groups": [-1, 5]})", p + R"("row_groups": [0]})",
        p + R"("row_groups": [0, 1, 2]})", p + R"("row_groups": [0, 1e300]})",
        p + R"("row_groups": [0, 18446744073709551615]})", p + R"("row_groups": "0-5"})",
        p + R"("limit": 18446744073709551615})", p + R"("limit": -5})",
        p + R"("filter": "////"})", p + R"("columns": []})", p + R"("endpoints": 2})",
        p + R"("compression": "snappy"})", std::string(R"(.quiver/3/{"dataset": "s"})"),
        std::string(".quiver/3/") + std::string(300000, 'x')}) {
    auto parsed = ParseTicket(bad);
    EXPECT_TRUE(parsed.status().IsInvalid()) << bad.substr(0, 120);
    if (!parsed.ok()) {
      EXPECT_TRUE(parsed.status().message().starts_with("invalid ticket"))
          << parsed.status().message();
    }
  }
}

TEST(DatasetAddressingTest, ActionBodies) {
  EXPECT_EQ(ParseActionBody("a/b", "drop_dataset", false)->name.ToString(), "a/b");
  EXPECT_EQ(ParseActionBody(R"({"dataset": "a/b"})", "compact", false)->name.ToString(),
            "a/b");
  auto restore =
      ParseActionBody(R"({"dataset": "a", "version": 3})", "restore_version", true);
  ASSERT_TRUE(restore.ok());
  EXPECT_EQ(*restore->version, 3);
  EXPECT_TRUE(ParseActionBody("a", "restore_version", true).status().IsInvalid());
  EXPECT_TRUE(ParseActionBody(R"({"dataset": "a"})", "restore_version", true)
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(ParseActionBody(R"({"dataset": "a", "version": 3})", "compact", false)
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(ParseActionBody("", "drop_dataset", false).status().IsInvalid());
}

}  // namespace
}  // namespace quiver::server
