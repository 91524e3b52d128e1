#include "quiver/common/codec_names.h"

#include <span>
#include <utility>

#include <arrow/util/compression.h>

namespace quiver {
namespace {

using Entry = std::pair<std::string_view, arrow::Compression::type>;

constexpr Entry kParquetCodecs[] = {
    {"none", arrow::Compression::UNCOMPRESSED}, {"snappy", arrow::Compression::SNAPPY},
    {"zstd", arrow::Compression::ZSTD},         {"lz4", arrow::Compression::LZ4},
    {"gzip", arrow::Compression::GZIP},         {"brotli", arrow::Compression::BROTLI},
};

constexpr Entry kIpcCodecs[] = {
    {"none", arrow::Compression::UNCOMPRESSED},
    {"lz4", arrow::Compression::LZ4_FRAME},
    {"zstd", arrow::Compression::ZSTD},
};

std::span<const Entry> Table(CodecUse use) {
  if (use == CodecUse::kIpc) return kIpcCodecs;
  return kParquetCodecs;
}

std::string_view UseName(CodecUse use) {
  return use == CodecUse::kIpc ? "IPC" : "Parquet";
}

}  // namespace

arrow::Result<arrow::Compression::type> ParseCodec(CodecUse use, std::string_view name) {
  for (const auto& [codec_name, codec] : Table(use)) {
    if (name == codec_name) return codec;
  }
  return arrow::Status::Invalid("unknown ", UseName(use), " compression '", name,
                                "' (expected ", CodecNames(use), ")");
}

std::string_view CodecName(CodecUse use, arrow::Compression::type codec) {
  for (const auto& [codec_name, entry] : Table(use)) {
    if (entry == codec) return codec_name;
  }
  return "none";
}

std::string CodecNames(CodecUse use) {
  std::string out;
  for (const auto& [codec_name, codec] : Table(use)) {
    if (!out.empty()) out += ", ";
    out += codec_name;
  }
  return out;
}

}  // namespace quiver
