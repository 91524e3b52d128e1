#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include <arrow/status.h>

#include "quiver/store/store_options.h"

namespace quiver::app {

/// \brief quiverd's flags for version retention, garbage collection and compaction.
struct StorageFlags {
  int64_t retain_versions = 10;
  std::string retain_for = "7d";
  std::string gc_grace = "15m";
  std::string gc_interval = "60s";
  int64_t gc_deletes_per_second = 500;
  int64_t compact_threshold = 32;
  std::string catalog_refresh = "5s";
  std::string cache_dir;
  std::string cache_size = "10GiB";
};

void AddStorageFlags(CLI::App& app, StorageFlags& flags);

/// \brief A size in bytes: digits, optionally followed by B, KiB, MiB, GiB or TiB
/// (K, M, G, T alike: powers of 1024). \return Invalid saying what is accepted.
arrow::Result<int64_t> ParseByteSize(const std::string& text);

/// \brief Put the flags into `options`. \return Invalid naming a bad flag value.
arrow::Status ApplyStorageFlags(const StorageFlags& flags, store::StoreOptions* options);

}  // namespace quiver::app
