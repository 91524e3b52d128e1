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
  EXPECT_EQ(DescriptorOf(request->name).path, (std::vector<std::string>{"sales", "2024"}));
}

TEST(DatasetAddressingTest, HostilePathsAreInvalid) {
  for (auto path : std::vector<std::vector<std::string>>{{".."}, {"a/../b"}, {}}) {
    EXPECT_TRUE(ParseDescriptor(flight::FlightDescriptor::Path(path), DescriptorUse::kRead)
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
  expect_invalid(Read(R"({"dataset": "s", "version": 1, "as_of": "2026-01-01T00:00:00Z"})"),
                 "both");
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

TEST(DatasetAddressingTest, ActionBodies) {
  EXPECT_EQ(ParseActionBody("a/b", "drop_dataset", false)->name.ToString(), "a/b");
  EXPECT_EQ(ParseActionBody(R"({"dataset": "a/b"})", "compact", false)->name.ToString(),
            "a/b");
  auto restore = ParseActionBody(R"({"dataset": "a", "version": 3})", "restore_version", true);
  ASSERT_TRUE(restore.ok());
  EXPECT_EQ(*restore->version, 3);
  EXPECT_TRUE(ParseActionBody("a", "restore_version", true).status().IsInvalid());
  EXPECT_TRUE(
      ParseActionBody(R"({"dataset": "a"})", "restore_version", true).status().IsInvalid());
  EXPECT_TRUE(ParseActionBody(R"({"dataset": "a", "version": 3})", "compact", false)
                  .status()
                  .IsInvalid());
  EXPECT_TRUE(ParseActionBody("", "drop_dataset", false).status().IsInvalid());
}

}  // namespace
}  // namespace quiver::server
