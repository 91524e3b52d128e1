#pragma once
/// \file
/// A node-local cache of decoded parts: whole parts kept as Arrow IPC streams in a
/// local directory, so that reading a hot dataset again costs no Parquet decoding and,
/// on an object-store root, no request to the store (docs/operations.md, "Part
/// cache").
///
/// Parts are immutable and their file names unique, so an entry never goes stale: it
/// is correct for as long as it exists, whatever other nodes do to the dataset.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>

namespace quiver::store {

class LruIndex;
class PartCacheWriter;

/// \brief The cache key of part file `part_file` of dataset `dataset` ("a/b").
std::string PartCacheKey(std::string_view dataset, std::string_view part_file);

/// \brief Where the cache lives and how large it may grow.
struct PartCacheOptions {
  /// A local directory; created if missing. The cache keeps its entries in a
  /// subdirectory of its own ("parts-v1") and touches nothing else there.
  std::string directory;
  /// The entries' total size is brought back under this after each new entry, the
  /// least recently read first.
  int64_t max_bytes = int64_t{10} << 30;
  /// Batches queued for writing to the cache, in bytes: a read that fills the cache
  /// waits while more are queued (memory stays bounded when the disk is slow).
  int64_t queue_bytes = int64_t{64} << 20;
};

/// \brief Counters since start (for metrics).
struct PartCacheCounters {
  std::atomic<int64_t> hits{0};
  std::atomic<int64_t> misses{0};
  /// Entries written.
  std::atomic<int64_t> fills{0};
  /// Entries not written: a write failed (disk full...), or the part is larger than
  /// the whole cache.
  std::atomic<int64_t> fill_errors{0};
  std::atomic<int64_t> evictions{0};
};

/// \brief The decoded-part cache. Thread-safe. Entries are written by one background
/// thread of the cache's own, each to a temporary file made durable before it is
/// renamed into place, so an entry found at start-up is complete.
///
/// Errors of the cache never fail a read that has not started from it: a fill that
/// fails is dropped (and counted), an entry that cannot be opened is a miss.
class PartCache : public std::enable_shared_from_this<PartCache> {
 public:
  /// \brief Open the cache in options.directory, keeping the complete entries found
  /// there (temporary files of interrupted fills are deleted).
  /// \return IOError if the directory cannot be created or listed.
  static arrow::Result<std::shared_ptr<PartCache>> Make(PartCacheOptions options);
  ~PartCache();
  PartCache(const PartCache&) = delete;
  PartCache& operator=(const PartCache&) = delete;

  /// \brief A reader over the cached part `key` (a relative path naming the part,
  /// e.g. "sales/2024/<part>"), returning only the top-level `fields` of `schema`
  /// (ascending; empty: all). `num_rows` is the part's row count: a reader that ends
  /// with another count fails with IOError (and drops the entry).
  /// \return nullptr on a miss, including an entry that does not open or whose schema
  /// is not `schema` (then the entry is dropped).
  std::shared_ptr<arrow::RecordBatchReader> Open(const std::string& key,
                                                 const arrow::Schema& schema,
                                                 const std::vector<int>& fields,
                                                 int64_t num_rows);

  /// \brief Wrap `reader`, a reader of the whole part `key` with every column, so that
  /// the batches it returns are also written to the cache. The entry is committed
  /// after the reader has returned its end; closing or destroying it before drops the
  /// entry. \return `reader` itself when `key` is cached or being filled already.
  std::shared_ptr<arrow::RecordBatchReader> Fill(
      const std::string& key, std::shared_ptr<arrow::RecordBatchReader> reader);

  /// \brief Drop the entry of `key`, if any (its part was deleted).
  void Erase(const std::string& key);

  /// Total size of the entries, in bytes.
  int64_t bytes() const;
  int64_t entries() const;
  const PartCacheCounters& counters() const { return counters_; }

 private:
  friend class FillingReader;

  explicit PartCache(PartCacheOptions options);
  std::string PathOf(const std::string& key) const;
  /// Called by the filling reader.
  void Write(uint64_t fill, std::shared_ptr<arrow::RecordBatch> batch);
  void End(uint64_t fill, bool complete);

  PartCacheOptions options_;
  std::string entries_dir_;
  PartCacheCounters counters_;
  std::unique_ptr<LruIndex> index_;
  /// Declared last: destroyed (its thread joined) first, as its callbacks use the rest.
  std::unique_ptr<PartCacheWriter> writer_;
};

}  // namespace quiver::store
