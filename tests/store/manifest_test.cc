#include "quiver/store/model/manifest.h"

#include <atomic>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arrow/type.h>

#include "quiver/store/fs/exclusive_create.h"
#include "quiver/store/model/compaction_plan.h"

#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

Manifest Sample() {
  Manifest m;
  m.dataset = "sales/2024";
  m.version = 7;
  m.committed_at_us = 1796162400123456;
  m.operation = VersionOperation::kAppend;
  m.schema =
      arrow::schema({arrow::field("x", arrow::int64()),
                     arrow::field("t", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"))});
  m.parts = {{"a.parquet", 10, 100, 1, {{"x", 0, "1", "9"}}},
             {"b.parquet", 5, 50, 1, {}}};
  m.restored_from = 3;
  return m;
}

TEST(ManifestTest, RoundTrips) {
  auto text = EncodeManifest(Sample());
  ASSERT_TRUE(text.ok());
  auto back = DecodeManifest(*text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->dataset, "sales/2024");
  EXPECT_EQ(back->version, 7);
  EXPECT_EQ(back->committed_at_us, 1796162400123456);
  EXPECT_EQ(back->operation, VersionOperation::kAppend);
  EXPECT_TRUE(back->schema->Equals(*Sample().schema));
  ASSERT_EQ(back->parts.size(), 2u);
  EXPECT_EQ(back->parts[0].stats[0].max, "9");
  EXPECT_EQ(back->num_rows(), 15);
  EXPECT_EQ(back->stored_bytes(), 150);
  EXPECT_EQ(*back->restored_from, 3);
  auto doc = nlohmann::json::parse(*text);
  EXPECT_EQ(doc["committed_at"], "2026-12-01T22:00:00.123456Z");
  EXPECT_EQ(doc["format_version"], kManifestFormatVersion);
}

TEST(ManifestTest, HostileManifestsAreClearErrors) {
  std::string good = *EncodeManifest(Sample());
  auto expect_invalid = [](const std::string& text, const char* needle) {
    auto m = DecodeManifest(text);
    ASSERT_TRUE(m.status().IsInvalid()) << text.substr(0, 80);
    EXPECT_NE(m.status().message().find(needle), std::string::npos)
        << m.status().message();
  };
  for (size_t cut : {size_t{0}, size_t{1}, good.size() / 2, good.size() - 3}) {
    expect_invalid(good.substr(0, cut), "invalid manifest");
  }
  auto edit = [&](auto&& change) {
    auto doc = nlohmann::json::parse(good);
    change(doc);
    return doc.dump();
  };
  expect_invalid(edit([](auto& d) { d["format_version"] = 99; }), "newer");
  expect_invalid(edit([](auto& d) { d["format"] = "other"; }), "not a quiver manifest");
  expect_invalid(edit([](auto& d) { d["version"] = -1; }), "'version'");
  expect_invalid(edit([](auto& d) { d["version"] = "7"; }), "'version'");
  expect_invalid(edit([](auto& d) { d["rows"] = 16; }), "'rows'");
  expect_invalid(edit([](auto& d) { d["parts"][0]["rows"] = 9223372036854775807LL; }),
                 "overflow");
  expect_invalid(edit([](auto& d) { d["parts"][0]["file"] = "../../etc/passwd"; }),
                 "file name");
  expect_invalid(edit([](auto& d) { d["parts"][0]["file"] = "a/b.parquet"; }),
                 "file name");
  expect_invalid(edit([](auto& d) { d["parts"] = 3; }), "'parts'");
  expect_invalid(edit([](auto& d) { d["schema"] = "bm90IGEgc2NoZW1h"; }), "schema");
  expect_invalid(edit([](auto& d) { d["operation"] = "explode"; }), "operation");
  expect_invalid(edit([](auto& d) { d.erase("dataset"); }), "'dataset'");
  expect_invalid(edit([](auto& d) { d["operation"] = "drop"; }), "a drop has parts");
  expect_invalid("[]", "not a JSON object");
  expect_invalid(std::string(kMaxManifestBytes + 1, ' '), "too large");
}

TEST(CompactionPlanTest, MergesRunsOfSmallPartsInOrder) {
  auto part = [](int64_t bytes) { return PartInfo{"p", 1, bytes, 1, {}}; };
  std::vector<PartInfo> parts = {part(10), part(10), part(1000), part(10),
                                 part(10), part(10), part(1000), part(10)};
  auto runs = PlanCompaction(parts, 100, 25);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].begin, 0u);
  EXPECT_EQ(runs[0].end, 2u);
  EXPECT_EQ(runs[1].begin, 3u);
  EXPECT_EQ(runs[1].end, 5u);  // 30 bytes would pass the 25-byte target
  EXPECT_TRUE(PlanCompaction({part(1000), part(10)}, 100, 1000).empty());
}

TEST(ExclusiveCreateTest, ExactlyOneOfManyWritersWins) {
  testing::TempDir dir;
  auto creator = MakeLocalExclusiveCreator();
  std::string path = dir.path() + "/00000000000000000001.json";
  std::atomic<int> won{0}, lost{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto st = creator->CreateExclusive(path, "writer " + std::to_string(i));
      if (st.ok()) ++won;
      if (st.IsAlreadyExists()) ++lost;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(lost, 7);
  std::ifstream in(path);
  std::string contents((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(contents.rfind("writer ", 0), 0u);  // whole, from one writer
  // No temporary file is left beside it.
  int files = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(dir.path()))
    ++files;
  EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace quiver::store
