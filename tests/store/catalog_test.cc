#include <gtest/gtest.h>

#include <arrow/type.h>

#include "quiver/store/catalog_internal.h"

namespace quiver::store {
namespace {

DatasetInfo Info(const char* name, int64_t bytes) {
  return DatasetInfo{
      *DatasetName::Parse(name), arrow::schema({}), 1, bytes, 0, 0, nullptr};
}

TEST(CatalogTest, PutReplaceEraseKeepTotals) {
  Catalog catalog;
  catalog.Put(Info("a", 10));
  catalog.Put(Info("b", 5));
  EXPECT_EQ(catalog.size(), 2u);
  EXPECT_EQ(catalog.total_bytes(), 15);
  catalog.Put(Info("a", 7));  // overwrite
  EXPECT_EQ(catalog.size(), 2u);
  EXPECT_EQ(catalog.total_bytes(), 12);
  EXPECT_EQ(catalog.Find(*DatasetName::Parse("a"))->stored_bytes, 7);
  EXPECT_TRUE(catalog.Erase(*DatasetName::Parse("a")));
  EXPECT_FALSE(catalog.Erase(*DatasetName::Parse("a")));
  EXPECT_FALSE(catalog.Find(*DatasetName::Parse("a")).has_value());
  EXPECT_EQ(catalog.total_bytes(), 5);
}

TEST(CatalogTest, ListsByPrefixInOrder) {
  Catalog catalog;
  for (const char* n : {"sales/2024", "sales/2023", "salesman", "other", "s"}) {
    catalog.Put(Info(n, 1));
  }
  auto all = catalog.List();
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().name.ToString(), "other");
  auto sales = catalog.List("sales/");
  ASSERT_EQ(sales.size(), 2u);
  EXPECT_EQ(sales[0].name.ToString(), "sales/2023");
  EXPECT_EQ(sales[1].name.ToString(), "sales/2024");
  EXPECT_EQ(catalog.List("sales").size(), 3u);
  EXPECT_TRUE(catalog.List("zzz").empty());
}

TEST(CatalogTest, FindsHierarchyConflicts) {
  Catalog catalog;
  catalog.Put(Info("a/b", 1));
  EXPECT_EQ(catalog.FindConflict(*DatasetName::Parse("a"))->ToString(), "a/b");
  EXPECT_EQ(catalog.FindConflict(*DatasetName::Parse("a/b/c"))->ToString(), "a/b");
  EXPECT_FALSE(catalog.FindConflict(*DatasetName::Parse("a/b")).has_value());
  EXPECT_FALSE(catalog.FindConflict(*DatasetName::Parse("a/bc")).has_value());
  EXPECT_FALSE(catalog.FindConflict(*DatasetName::Parse("ab")).has_value());
}

}  // namespace
}  // namespace quiver::store
