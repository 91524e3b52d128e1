// The DoPut path fed hostile Arrow IPC streams: the bytes are read as an IPC stream
// (as Flight's DoPut reader does with the messages of a call), and its schema and
// batches drive a real DatasetStore upload in a scratch directory: BeginUpload,
// Write (which validates every batch with ValidateFull before encoding), Commit. A
// committed dataset is then read back whole and must hold the rows written.
//
// Lengths, offsets, nesting and dictionary ids that lie must end in an error, never
// in a crash, a sanitizer report or an out-of-memory.

#include <cstdio>

#include <arrow/buffer.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/reader.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>

#include "quiver/store/dataset_store.h"

#include "fuzz_util.h"

using quiver::store::DatasetName;
using quiver::store::DatasetStore;

namespace {

std::shared_ptr<DatasetStore> Store() {
  static quiver::fuzz::ScratchDir dir;
  static std::shared_ptr<DatasetStore> store = [] {
    auto options = quiver::store::MakeLocalStoreOptions(dir.path());
    if (!options.ok()) std::abort();
    options->write.pipeline_batches = 0;  // encode inline: one thread, reproducible
    // No background thread; old versions are collected below (the scratch directory
    // is in memory and would otherwise grow with every committed input).
    options->maintenance.background = false;
    options->retention.keep_versions = 1;
    options->retention.keep_for = std::chrono::seconds(0);
    options->retention.grace = std::chrono::seconds(0);
    options->read.use_threads = false;
    options->read.readahead_batches = 0;
    auto made = DatasetStore::Make(*options);
    if (!made.ok()) std::abort();
    return *made;
  }();
  return store;
}

arrow::Status Upload(const uint8_t* data, size_t size, int64_t* rows) {
  auto input = std::make_shared<arrow::io::BufferReader>(
      std::make_shared<arrow::Buffer>(data, static_cast<int64_t>(size)));
  ARROW_ASSIGN_OR_RAISE(auto reader, arrow::ipc::RecordBatchStreamReader::Open(input));
  static const DatasetName name = *DatasetName::Parse("fuzz/upload");
  ARROW_ASSIGN_OR_RAISE(auto upload, Store()->BeginUpload(name, reader->schema()));
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    ARROW_RETURN_NOT_OK(reader->ReadNext(&batch));
    if (!batch) break;
    ARROW_RETURN_NOT_OK(upload->Write(batch));
  }
  *rows = upload->rows_written();
  return upload->Commit().status();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int64_t rows = 0;
  if (!Upload(data, size, &rows).ok()) return 0;
  static const DatasetName name = *DatasetName::Parse("fuzz/upload");
  auto info = Store()->Get(name);
  QUIVER_FUZZ_CHECK(info.ok() && info->num_rows == rows);
  auto reader = Store()->OpenReader(name);
  QUIVER_FUZZ_CHECK(reader.ok());
  auto table = (*reader)->ToTable();
  QUIVER_FUZZ_CHECK(table.ok() && (*table)->num_rows() == rows);
  QUIVER_FUZZ_CHECK((*table)->ValidateFull().ok());
  static int commits = 0;
  if (++commits % 64 == 0) (void)Store()->CollectGarbage();
  return 0;
}
