// Selective reads: PlanRead's checks, row-group splitting, and the store reading only
// the columns, row groups and rows asked for.
#include <numeric>

#include <gtest/gtest.h>

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/expression.h>
#include <arrow/table.h>

#include "quiver/store/dataset_store.h"
#include "quiver/store/model/read_spec.h"

#include "testing/store_options.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

namespace cp = arrow::compute;

DatasetName Name(const char* text) { return *DatasetName::Parse(text); }

/// Columns x (0, 1, 2, ...), y = 2x, s = "v<x % 7>"; sorted by x.
std::shared_ptr<arrow::RecordBatch> Batch(int64_t rows, int64_t start) {
  arrow::Int64Builder x, y;
  arrow::StringBuilder s;
  for (int64_t i = start; i < start + rows; ++i) {
    EXPECT_TRUE(x.Append(i).ok());
    EXPECT_TRUE(y.Append(2 * i).ok());
    EXPECT_TRUE(s.Append("v" + std::to_string(i % 7)).ok());
  }
  auto schema =
      arrow::schema({arrow::field("x", arrow::int64()), arrow::field("y", arrow::int64()),
                     arrow::field("s", arrow::utf8())});
  return arrow::RecordBatch::Make(schema, rows, {*x.Finish(), *y.Finish(), *s.Finish()});
}

std::vector<int64_t> Column(const std::shared_ptr<arrow::Table>& table, int index) {
  std::vector<int64_t> out;
  for (const auto& chunk : table->column(index)->chunks()) {
    auto ints = std::static_pointer_cast<arrow::Int64Array>(chunk);
    for (int64_t i = 0; i < ints->length(); ++i) out.push_back(ints->Value(i));
  }
  return out;
}

std::vector<int64_t> Iota(int64_t begin, int64_t end) {
  std::vector<int64_t> out(static_cast<size_t>(end - begin));
  std::iota(out.begin(), out.end(), begin);
  return out;
}

Manifest ManifestOf(std::vector<std::pair<int64_t, int64_t>> parts_bytes_groups) {
  Manifest manifest;
  manifest.version = 3;
  manifest.schema = Batch(1, 0)->schema();
  for (auto [bytes, groups] : parts_bytes_groups) {
    PartInfo part;
    part.bytes = bytes;
    part.row_groups = groups;
    part.num_rows = groups * 10;
    manifest.parts.push_back(part);
  }
  return manifest;
}

TEST(ReadPlanTest, ProjectsInTheOrderAskedAndReadsTheFilterColumns) {
  auto manifest = ManifestOf({{100, 2}});
  ReadSpec spec;
  spec.columns = std::vector<std::string>{"s", "x"};
  spec.filter = cp::greater(cp::field_ref("y"), cp::literal(int64_t{4}));
  auto plan = PlanRead(manifest, spec);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->schema->field(0)->name(), "s");
  EXPECT_EQ(plan->schema->field(1)->name(), "x");
  EXPECT_EQ(plan->read_fields, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(plan->output_positions, (std::vector<int>{2, 0}));
  EXPECT_TRUE(plan->filter->IsBound());
  EXPECT_EQ(plan->row_groups, (RowGroupRange{0, 2}));
}

TEST(ReadPlanTest, BadSpecsAreInvalidNamingTheProblem) {
  auto manifest = ManifestOf({{100, 2}, {100, 3}});
  auto invalid = [&](ReadSpec spec, const char* needle) {
    auto plan = PlanRead(manifest, spec);
    ASSERT_TRUE(plan.status().IsInvalid()) << plan.status().ToString();
    EXPECT_NE(plan.status().message().find(needle), std::string::npos)
        << plan.status().message();
  };
  ReadSpec spec;
  spec.columns = std::vector<std::string>{"x", "nope"};
  invalid(spec, "unknown column 'nope'");
  spec.columns = std::vector<std::string>{"x", "x"};
  invalid(spec, "twice");
  spec.columns = std::vector<std::string>{};
  invalid(spec, "at least one");
  spec = {};
  spec.filter = cp::field_ref("x");  // int64, not boolean
  invalid(spec, "boolean");
  spec.filter = cp::equal(cp::field_ref("ghost"), cp::literal(1));
  invalid(spec, "unknown column 'ghost'");
  spec.filter = cp::call("no_such_function", {cp::field_ref("x")});
  invalid(spec, "does not apply");
  spec = {};
  for (auto range : {RowGroupRange{0, 6}, RowGroupRange{3, 3}, RowGroupRange{-1, 2},
                     RowGroupRange{4, 2}}) {
    spec.row_groups = range;
    invalid(spec, "row-group range");
  }
  spec.row_groups = RowGroupRange{2, 5};
  EXPECT_TRUE(PlanRead(manifest, spec).ok());
}

TEST(ReadPlanTest, SplitsCoverEveryRowGroupOnceInSimilarSizes) {
  // Parts of 4 x 10, 2 x 50 and 6 x 5 bytes per group: 170 bytes in 12 row groups.
  auto manifest = ManifestOf({{40, 4}, {100, 2}, {30, 6}});
  EXPECT_EQ(CountRowGroups(manifest), 12);
  for (int64_t n : {1, 2, 3, 4, 7, 12, 50}) {
    auto ranges = SplitRowGroups(manifest, n);
    ASSERT_EQ(static_cast<int64_t>(ranges.size()), std::min<int64_t>(n, 12)) << n;
    int64_t next = 0;
    for (const auto& range : ranges) {
      EXPECT_EQ(range.begin, next);
      EXPECT_LT(range.begin, range.end);
      next = range.end;
    }
    EXPECT_EQ(next, 12);
  }
  // Halves by bytes: the 4 small groups and the first big one (90 of 170) vs. the rest.
  EXPECT_EQ(SplitRowGroups(manifest, 2), (std::vector<RowGroupRange>{{0, 5}, {5, 12}}));
  EXPECT_TRUE(SplitRowGroups(ManifestOf({}), 4).empty());
  EXPECT_EQ(AutoSplitCount(ManifestOf({{100, 1}})), 1);
  EXPECT_EQ(AutoSplitCount(ManifestOf({{kAutoEndpointBytes * 3 + 1, 8}})), 4);
  EXPECT_EQ(AutoSplitCount(ManifestOf({{kAutoEndpointBytes * 1000, 8}})),
            kMaxAutoEndpoints);
}

class SelectiveReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto options = testing::TestStoreOptions(dir_.path());
    options.write.row_group_max_rows = 100;  // 10 row groups per 1000-row part
    auto store = DatasetStore::Make(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = *store;
    // Two parts: x = 0..999 and 1000..1999.
    for (int64_t start : {0, 1000}) {
      auto batch = Batch(1000, start);
      auto upload = store_->BeginUpload(Name("d"), batch->schema(), UploadMode::kAppend);
      ASSERT_TRUE(upload.ok()) << upload.status().ToString();
      ASSERT_TRUE((*upload)->Write(batch).ok());
      auto info = (*upload)->Commit();
      ASSERT_TRUE(info.ok()) << info.status().ToString();
      info_ = *info;
    }
    ASSERT_EQ(CountRowGroups(*info_.manifest), 20);
  }

  arrow::Result<std::shared_ptr<arrow::Table>> Read(const ReadSpec& spec) {
    ARROW_ASSIGN_OR_RAISE(auto reader, store_->OpenReader(info_, spec));
    return reader->ToTable();
  }

  testing::TempDir dir_;
  std::shared_ptr<DatasetStore> store_;
  DatasetInfo info_{Name("d"), nullptr, 0, 0, 0, 0, nullptr};
};

TEST_F(SelectiveReadTest, FilterSkipsRowGroupsByStatisticsAndKeepsMatchingRows) {
  ReadSpec spec;
  spec.columns = std::vector<std::string>{"y"};
  spec.filter =
      cp::and_(cp::greater_equal(cp::field_ref("x"), cp::literal(int64_t{1150})),
               cp::less(cp::field_ref("x"), cp::literal(int64_t{1250})));
  int64_t read_before = store_->read_counters().row_groups_read;
  int64_t skipped_before = store_->read_counters().row_groups_skipped;
  auto table = Read(spec);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ((*table)->num_columns(), 1);
  std::vector<int64_t> want;
  for (int64_t x = 1150; x < 1250; ++x) want.push_back(2 * x);
  EXPECT_EQ(Column(*table, 0), want);
  // Rows 1150..1249 live in row groups 11 and 12 of 20.
  EXPECT_EQ(store_->read_counters().row_groups_read - read_before, 2);
  EXPECT_EQ(store_->read_counters().row_groups_skipped - skipped_before, 18);
}

TEST_F(SelectiveReadTest, FilterOnStringsAndNullsDropsNonMatching) {
  ReadSpec spec;
  spec.columns = std::vector<std::string>{"x"};
  spec.filter = cp::equal(cp::field_ref("s"), cp::literal("v3"));
  auto table = Read(spec);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto xs = Column(*table, 0);
  ASSERT_EQ(xs.size(), 286u);  // x % 7 == 3 for x < 2000
  for (auto x : xs) EXPECT_EQ(x % 7, 3);
}

TEST_F(SelectiveReadTest, LimitStopsEarlyAndRangesPartitionTheVersion) {
  ReadSpec spec;
  spec.limit = 250;
  auto table = Read(spec);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(Column(*table, 0), Iota(0, 250));
  spec.limit = 0;
  EXPECT_EQ((*Read(spec))->num_rows(), 0);

  // Ranges read in any order give exactly the version's rows.
  std::vector<int64_t> all;
  auto ranges = SplitRowGroups(*info_.manifest, 3);
  ASSERT_EQ(ranges.size(), 3u);
  for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
    ReadSpec part;
    part.row_groups = *it;
    auto t = Read(part);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    auto xs = Column(*t, 0);
    all.insert(all.begin(), xs.begin(), xs.end());
  }
  EXPECT_EQ(all, Iota(0, 2000));

  ReadSpec outside;
  outside.row_groups = RowGroupRange{5, 21};
  EXPECT_TRUE(store_->OpenReader(info_, outside).status().IsInvalid());
}

}  // namespace
}  // namespace quiver::store
