#include "quiver/common/codec_names.h"

#include <gtest/gtest.h>

#include <arrow/util/compression.h>

namespace quiver {
namespace {

TEST(CodecNamesTest, Lz4IsTheBlockCodecInParquetAndTheFrameFormatInIpc) {
  EXPECT_EQ(ParseCodec(CodecUse::kParquet, "lz4").ValueOrDie(), arrow::Compression::LZ4);
  EXPECT_EQ(ParseCodec(CodecUse::kIpc, "lz4").ValueOrDie(),
            arrow::Compression::LZ4_FRAME);
}

TEST(CodecNamesTest, EachUseReadsBackItsOwnNames) {
  for (auto use : {CodecUse::kParquet, CodecUse::kIpc}) {
    for (const char* name : {"none", "lz4", "zstd"}) {
      auto codec = ParseCodec(use, name);
      ASSERT_TRUE(codec.ok()) << name;
      EXPECT_EQ(CodecName(use, *codec), name);
    }
  }
  EXPECT_EQ(CodecNames(CodecUse::kParquet), "none, snappy, zstd, lz4, gzip, brotli");
  EXPECT_EQ(CodecNames(CodecUse::kIpc), "none, lz4, zstd");
  EXPECT_EQ(ParseCodec(CodecUse::kParquet, "gzip").ValueOrDie(),
            arrow::Compression::GZIP);
}

TEST(CodecNamesTest, UnknownNamesAreInvalidNamingTheAcceptedOnes) {
  for (const char* name : {"", "LZ4", "lz4_frame", "zstd ", "bz2"}) {
    auto parquet = ParseCodec(CodecUse::kParquet, name);
    ASSERT_TRUE(parquet.status().IsInvalid()) << name;
    EXPECT_NE(parquet.status().message().find("none, snappy, zstd, lz4, gzip, brotli"),
              std::string::npos);
  }
  for (const char* name : {"snappy", "gzip", "brotli"}) {
    auto ipc = ParseCodec(CodecUse::kIpc, name);
    ASSERT_TRUE(ipc.status().IsInvalid()) << name;
    EXPECT_NE(ipc.status().message().find("IPC"), std::string::npos);
  }
}

}  // namespace
}  // namespace quiver
