#include "quiver/cli/version_table.h"

#include <cstdlib>
#include <ctime>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "quiver/cli/version_choice.h"

namespace quiver::cli {
namespace {

client::VersionInfo Version(int64_t number, std::string committed_at,
                            std::string operation, int64_t rows, int64_t bytes,
                            int64_t parts) {
  client::VersionInfo v;
  v.dataset = "shop/orders";
  v.version = number;
  v.committed_at = std::move(committed_at);
  v.operation = std::move(operation);
  v.rows = rows;
  v.bytes = bytes;
  v.parts = parts;
  return v;
}

std::vector<client::VersionInfo> History() {
  auto restored = Version(4, "2026-12-01T22:03:00.000000Z", "restore", 2000, 19306, 1);
  restored.restored_from = 1;
  return {Version(1, "2026-12-01T22:00:00.250000Z", "overwrite", 2000, 19306, 1),
          Version(2, "2026-12-01T22:01:00.000000Z", "append", 3000, 30000, 2),
          Version(3, "2026-12-01T22:02:00.000000Z", "compact", 3000, 25600, 1), restored};
}

TEST(VersionsTable, ShowsLocalTimesOperationsAndUnits) {
  const char* old_tz = std::getenv("TZ");
  std::string saved = old_tz ? old_tz : "";
  setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
  tzset();
  std::string text = RenderTable(VersionsTable(History()));
  if (old_tz) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  EXPECT_EQ(text,
            "VERSION  COMMITTED            OPERATION      ROWS      SIZE  PARTS\n"
            "      1  2026-12-01 23:00:00  overwrite     2,000  18.9 KiB      1\n"
            "      2  2026-12-01 23:01:00  append        3,000  29.3 KiB      2\n"
            "      3  2026-12-01 23:02:00  compact       3,000  25.0 KiB      1\n"
            "      4  2026-12-01 23:03:00  restore of 1  2,000  18.9 KiB      1\n");
}

TEST(VersionsTable, KeepsATimeItCannotRead) {
  auto odd = Version(1, "yesterday", "overwrite", 1, 1, 1);
  EXPECT_EQ(CommittedLocal(odd), "yesterday");
}

TEST(VersionsJson, IsAnArrayWithTheServersFieldsInUtc) {
  auto doc = nlohmann::json::parse(VersionsJson(History()));
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 4u);
  EXPECT_EQ(doc[0]["dataset"], "shop/orders");
  EXPECT_EQ(doc[0]["version"], 1);
  EXPECT_EQ(doc[0]["committed_at"], "2026-12-01T22:00:00.250000Z");
  EXPECT_EQ(doc[1]["operation"], "append");
  EXPECT_EQ(doc[1]["rows"], 3000);
  EXPECT_EQ(doc[1]["bytes"], 30000);
  EXPECT_EQ(doc[1]["parts"], 2);
  EXPECT_FALSE(doc[1].contains("restored_from"));
  EXPECT_EQ(doc[3]["restored_from"], 1);
  EXPECT_EQ(VersionsJson({}), "[]\n");
}

TEST(ToSelector, TurnsOptionsIntoWhatIsSent) {
  EXPECT_TRUE(ToSelector(VersionChoice{})->current());
  EXPECT_EQ(ToSelector(VersionChoice{3, ""})->version, 3);
  auto as_of = ToSelector(VersionChoice{0, "2026-12-01T22:00:00Z"});
  ASSERT_TRUE(as_of.ok());
  EXPECT_EQ(as_of->as_of, "2026-12-01T22:00:00.000000Z");
  EXPECT_FALSE(as_of->version);
  EXPECT_TRUE(ToSelector(VersionChoice{3, "2026-12-01T22:00:00Z"}).status().IsInvalid());
  EXPECT_TRUE(ToSelector(VersionChoice{0, "last tuesday"}).status().IsInvalid());
  EXPECT_TRUE(ToSelector(VersionChoice{-1, ""}).status().IsInvalid());
}

}  // namespace
}  // namespace quiver::cli
