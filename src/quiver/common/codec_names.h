#pragma once

/// \file
/// The codec names quiver's flags and requests take, one table per use, because one
/// name means two codecs: "lz4" in a Parquet file is the raw LZ4 block codec
/// (arrow::Compression::LZ4, Parquet's LZ4_RAW), while "lz4" on an IPC stream is the
/// LZ4 frame format (arrow::Compression::LZ4_FRAME, the only LZ4 Arrow IPC allows).
/// IPC bodies allow only LZ4 frame and zstd (the Arrow columnar format).
///
///     ARROW_ASSIGN_OR_RAISE(auto codec, ParseCodec(CodecUse::kParquet, "zstd"));

#include <string>
#include <string_view>

#include <arrow/result.h>
#include <arrow/util/type_fwd.h>

namespace quiver {

/// \brief What a codec compresses: Parquet column chunks (`--compression`) or IPC
/// record batch bodies on the DoGet stream (`--ipc-compression`, a read's
/// `compression`).
enum class CodecUse { kParquet, kIpc };

/// \brief The codec `name` stands for in `use`: Parquet takes none, snappy, zstd,
/// lz4, gzip and brotli; IPC takes none, lz4 and zstd.
/// \return Invalid naming the names `use` takes.
arrow::Result<arrow::Compression::type> ParseCodec(CodecUse use, std::string_view name);

/// \brief The name ParseCodec(use, ...) reads back as `codec`; "none" for a codec
/// `use` has no name for.
std::string_view CodecName(CodecUse use, arrow::Compression::type codec);

/// \brief The names `use` takes, for help texts: "none, lz4, zstd".
std::string CodecNames(CodecUse use);

}  // namespace quiver
