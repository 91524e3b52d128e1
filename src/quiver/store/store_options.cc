#include "quiver/store/store_options.h"

#include <filesystem>

#include <arrow/filesystem/localfs.h>
#include <arrow/util/compression.h>

namespace quiver::store {

WriteOptions WriteOptions::Defaults() {
  WriteOptions options;
  options.compression = arrow::Compression::ZSTD;
  return options;
}

ReadOptions ReadOptions::Defaults() { return ReadOptions{}; }

StoreOptions StoreOptions::Defaults() { return StoreOptions{}; }

arrow::Result<std::string> AbsoluteLocalPath(const std::string& directory) {
  if (directory.empty()) return arrow::Status::Invalid("directory name is empty");
  std::error_code ec;
  auto absolute = std::filesystem::absolute(directory, ec);
  if (ec) {
    return arrow::Status::IOError("cannot resolve directory '", directory,
                                  "': ", ec.message());
  }
  std::string path = absolute.lexically_normal().string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

arrow::Result<StoreOptions> MakeLocalStoreOptions(const std::string& directory) {
  if (directory.empty()) return arrow::Status::Invalid("store directory is empty");
  StoreOptions options = StoreOptions::Defaults();
  options.filesystem = std::make_shared<arrow::fs::LocalFileSystem>();
  ARROW_ASSIGN_OR_RAISE(options.root, AbsoluteLocalPath(directory));
  return options;
}

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
