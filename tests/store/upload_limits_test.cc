// What an upload must refuse, whatever a client sends (regressions found by fuzzing).
#include <filesystem>

#include <gtest/gtest.h>

#include <arrow/type.h>

#include "quiver/store/dataset_store.h"

#include "testing/assert.h"
#include "testing/temp_dir.h"

namespace quiver::store {
namespace {

// fuzz_ipc_upload: a stream whose schema has no column but whose batches claim rows
// was committed with num_rows = 5 in the catalog, read back with 0 rows, and listed
// with 0 rows after a restart. It is now refused before anything is written.
TEST(UploadLimitsTest, SchemaWithoutColumnsIsRefused) {
  testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto options, MakeLocalStoreOptions(dir.path()));
  ASSERT_OK_AND_ASSIGN(auto store, DatasetStore::Make(options));
  auto upload = store->BeginUpload(*DatasetName::Parse("empty"), arrow::schema({}));
  ASSERT_TRUE(upload.status().IsInvalid()) << upload.status().ToString();
  EXPECT_NE(upload.status().message().find("at least one column"), std::string::npos);
  EXPECT_TRUE(store->List().empty());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    EXPECT_FALSE(entry.is_regular_file()) << entry.path();  // nothing was written
  }
}

}  // namespace
}  // namespace quiver::store
