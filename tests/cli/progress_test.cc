#include <gtest/gtest.h>

#include "quiver/cli/progress_internal.h"

namespace quiver::cli {
namespace {

TEST(RenderProgress, ShowsBarPercentageAndEtaWhenTheTotalIsKnown) {
  ProgressState state;
  state.label = "put sales";
  state.bytes = 50 * 1024 * 1024;
  state.total_bytes = 100 * 1024 * 1024;
  state.rows = 1000;
  state.elapsed_seconds = 10;
  std::string line = RenderProgress(state, 100);
  EXPECT_EQ(line.rfind("put sales [", 0), 0u) << line;
  EXPECT_NE(line.find(" 50%"), std::string::npos) << line;
  EXPECT_NE(line.find("50.0 MiB"), std::string::npos) << line;
  EXPECT_NE(line.find("1,000 rows"), std::string::npos) << line;
  EXPECT_NE(line.find("5.0 MiB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 10s"), std::string::npos) << line;
  EXPECT_LE(line.size(), 100u);
}

TEST(RenderProgress, UsesRowsWhenOnlyTheRowCountIsKnown) {
  ProgressState state;
  state.label = "get big";
  state.rows = 250;
  state.total_rows = 1000;
  state.bytes = 1024;
  state.elapsed_seconds = 1;
  std::string line = RenderProgress(state, 100);
  EXPECT_NE(line.find(" 25%"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 3s"), std::string::npos) << line;
}

TEST(RenderProgress, HasNoPercentageOrEtaWithoutATotal) {
  ProgressState state;
  state.label = "put -";
  state.rows = 10;
  state.bytes = 2048;
  state.elapsed_seconds = 65;
  std::string line = RenderProgress(state, 100);
  EXPECT_EQ(line.find('%'), std::string::npos) << line;
  EXPECT_EQ(line.find("ETA"), std::string::npos) << line;
  EXPECT_NE(line.find("1m05s"), std::string::npos) << line;
}

TEST(RenderProgress, FitsANarrowTerminal) {
  ProgressState state;
  state.label = "put a-rather-long-dataset-name";
  state.total_bytes = 10;
  state.bytes = 5;
  state.elapsed_seconds = 1;
  EXPECT_LE(RenderProgress(state, 30).size(), 30u);
}

}  // namespace
}  // namespace quiver::cli
