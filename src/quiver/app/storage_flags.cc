#include <chrono>
#include <string_view>
#include <utility>

#include "quiver/app/duration_internal.h"
#include "quiver/app/storage_flags_internal.h"

namespace quiver::app {
namespace {

/// A duration flag that takes zero ("0", "0s": keep nothing, no grace), in seconds.
arrow::Result<std::chrono::seconds> Seconds(std::string_view flag,
                                            const std::string& text) {
  ARROW_ASSIGN_OR_RAISE(auto duration,
                        ParseDurationFlag(flag, text, ZeroDuration::kAllowed));
  return std::chrono::duration_cast<std::chrono::seconds>(duration);
}

}  // namespace

arrow::Result<int64_t> ParseByteSize(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string unit = text.substr(digits);
  static const std::pair<const char*, int> kUnits[] = {
      {"", 0},     {"B", 0},  {"K", 10},   {"KiB", 10}, {"M", 20},
      {"MiB", 20}, {"G", 30}, {"GiB", 30}, {"T", 40},   {"TiB", 40}};
  for (const auto& [name, shift] : kUnits) {
    if (unit != name || digits == 0 || digits > 15) continue;
    int64_t value = std::stoll(text.substr(0, digits));
    if (value > (int64_t{1} << (62 - shift))) break;
    return value << shift;
  }
  return arrow::Status::Invalid("'", text,
                                "' is not a size: write digits and a unit, e.g. 512MiB, "
                                "10GiB, 2TiB (K, M, G, T are powers of 1024)");
}

void AddStorageFlags(CLI::App& app, StorageFlags& flags) {
  app.add_option("--retain-versions", flags.retain_versions,
                 "Versions kept per dataset by count (with --retain-for: a version is "
                 "deleted only when both let it go)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_option("--retain-for", flags.retain_for,
                 "How long a version is kept after it stops being current (90s, 30m, "
                 "12h, 7d); also how long a dropped dataset's data is kept")
      ->capture_default_str();
  app.add_option("--gc-grace", flags.gc_grace,
                 "Never delete a version sooner than this after it stopped being current "
                 "(lets reads on other nodes finish)")
      ->capture_default_str();
  app.add_option("--gc-interval", flags.gc_interval,
                 "How often retention runs in the background")
      ->capture_default_str();
  app.add_option(
         "--gc-deletes-per-second", flags.gc_deletes_per_second,
         "At most this many deletions a second by retention, to spare the storage "
         "other work (0: unthrottled)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  app.add_option("--compact-threshold", flags.compact_threshold,
                 "Compact a dataset in the background once it has more parts than this "
                 "(0: never automatically)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 20));
  app.add_option("--catalog-refresh", flags.catalog_refresh,
                 "Object-store roots: how often the list of datasets is re-read, so "
                 "that datasets other nodes write appear in ListFlights within this "
                 "delay (500ms, 5s, 1m; 0: never)")
      ->capture_default_str();
  auto* cache_dir = app.add_option(
      "--cache-dir", flags.cache_dir,
      "Local directory for a cache of decoded parts: reading a dataset again costs no "
      "Parquet decoding and, on an object store, no request to it");
  app.add_option("--cache-size", flags.cache_size,
                 "Largest total size of the --cache-dir cache (512MiB, 10GiB, 2TiB); the "
                 "least recently read parts leave first")
      ->capture_default_str()
      ->needs(cache_dir);
}

arrow::Status ApplyStorageFlags(const StorageFlags& flags, store::StoreOptions* options) {
  options->retention.keep_versions = flags.retain_versions;
  ARROW_ASSIGN_OR_RAISE(options->retention.keep_for,
                        Seconds("--retain-for", flags.retain_for));
  ARROW_ASSIGN_OR_RAISE(options->retention.grace, Seconds("--gc-grace", flags.gc_grace));
  ARROW_ASSIGN_OR_RAISE(options->maintenance.gc_interval,
                        Seconds("--gc-interval", flags.gc_interval));
  if (options->maintenance.gc_interval.count() < 1) {
    return arrow::Status::Invalid("--gc-interval must be at least 1s");
  }
  options->maintenance.gc_deletes_per_second = flags.gc_deletes_per_second;
  options->maintenance.compact_min_parts = flags.compact_threshold;
  // Zero: never.
  ARROW_ASSIGN_OR_RAISE(options->maintenance.catalog_refresh,
                        ParseDurationFlag("--catalog-refresh", flags.catalog_refresh,
                                          ZeroDuration::kAllowed));
  if (!flags.cache_dir.empty()) {
    store::PartCacheOptions cache;
    cache.directory = flags.cache_dir;
    auto size = ParseByteSize(flags.cache_size);
    if (!size.ok())
      return arrow::Status::Invalid("--cache-size: ", size.status().message());
    if (*size < (int64_t{1} << 20)) {
      return arrow::Status::Invalid("--cache-size must be at least 1MiB");
    }
    cache.max_bytes = *size;
    options->part_cache = std::move(cache);
  }
  return arrow::Status::OK();
}

}  // namespace quiver::app
