#include "quiver/store/parquet/part_options.h"

#include <utility>

#include <arrow/util/compression.h>

namespace quiver::store {

WriteOptions WriteOptions::Defaults() {
  WriteOptions options;
  options.compression = arrow::Compression::ZSTD;
  return options;
}

ReadOptions ReadOptions::Defaults() { return ReadOptions{}; }

arrow::Result<arrow::Compression::type> ParseCompression(const std::string& name) {
  static const std::pair<const char*, arrow::Compression::type> kCodecs[] = {
      {"none", arrow::Compression::UNCOMPRESSED}, {"snappy", arrow::Compression::SNAPPY},
      {"zstd", arrow::Compression::ZSTD},         {"lz4", arrow::Compression::LZ4},
      {"gzip", arrow::Compression::GZIP},         {"brotli", arrow::Compression::BROTLI},
  };
  for (const auto& [codec_name, codec] : kCodecs) {
    if (name == codec_name) return codec;
  }
  return arrow::Status::Invalid("unknown compression '", name,
                                "' (expected none, snappy, zstd, lz4, gzip or brotli)");
}

}  // namespace quiver::store
