// Hostile Parquet files at catalog load: the bytes are put in a store's root as the
// one-file dataset "ds" of earlier releases, and DatasetStore::Make migrates it and
// loads the catalog (as quiverd does at start-up), reading its footer. A file the catalog
// accepts is then read back whole, as DoGet would. Footers that lie (schemas, row counts,
// offsets, sizes) must end in the file being skipped or a read error, never in a crash or
// a sanitizer report.

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <arrow/buffer.h>
#include <arrow/io/memory.h>
#include <arrow/table.h>

#include "quiver/store/dataset_store.h"
#include "quiver/store/parquet/parquet_format.h"

#include "fuzz_util.h"

using quiver::store::DatasetName;
using quiver::store::DatasetStore;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static quiver::fuzz::ScratchDir dir;
  static const DatasetName name = *DatasetName::Parse("ds");

  // The footer alone, from memory.
  auto buffer = std::make_shared<arrow::Buffer>(data, static_cast<int64_t>(size));
  auto summary = quiver::store::ReadParquetSummary(
      std::make_shared<arrow::io::BufferReader>(buffer));

  // The whole catalog load, from a file left by an earlier release (one file per
  // dataset, which the load migrates into the versioned layout) in a fresh root.
  const std::string root = dir.path() + "/root";
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
  std::filesystem::create_directories(root);
  {
    std::ofstream out(root + "/ds", std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto options = quiver::store::MakeLocalStoreOptions(root);
  QUIVER_FUZZ_CHECK(options.ok());
  options->maintenance.background = false;
  options->read.use_threads = false;
  options->read.readahead_batches = 0;
  options->read.batch_size = 4096;
  auto store = DatasetStore::Make(*options);
  QUIVER_FUZZ_CHECK(store.ok());  // an unreadable file is skipped, never fatal
  auto info = (*store)->Get(name);
  // The catalog accepts only files whose footer reads (it may refuse more: a file
  // whose footer reads but that cannot be migrated is skipped).
  QUIVER_FUZZ_CHECK(!info.ok() || summary.ok());
  if (!info.ok()) return 0;
  QUIVER_FUZZ_CHECK(info->num_rows == summary->num_rows);
  auto reader = (*store)->OpenReader(name);
  if (!reader.ok()) return 0;
  // Stop after a bounded number of rows: a footer may claim billions.
  int64_t rows = 0;
  while (rows < (1 << 20)) {
    std::shared_ptr<arrow::RecordBatch> batch;
    if (!(*reader)->ReadNext(&batch).ok() || !batch) break;
    // What DoGet would send must be structurally valid Arrow data (buffer sizes,
    // offsets, lengths, nesting, dictionary indices), whatever the file said. Value
    // checks are the exception: Arrow's Parquet reader checks neither UTF-8 nor the
    // range of time-of-day values, so a file quiver did not write may hold them, and
    // they are served as stored (see docs/reliability.md).
    QUIVER_FUZZ_CHECK(batch->Validate().ok());
    auto valid = batch->ValidateFull();
    QUIVER_FUZZ_CHECK(
        valid.ok() || valid.message().find("Invalid UTF8") != std::string::npos ||
        valid.message().find("is not within the acceptable range") != std::string::npos ||
        valid.message().find("does not fit in precision") != std::string::npos);
    rows += batch->num_rows();
  }
  return 0;
}
