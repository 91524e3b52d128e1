#pragma once

/// \file
/// The manifest: the small, immutable document that makes one version of a dataset.
///
/// A version lists the immutable Parquet parts it is made of, in order, with their row
/// counts, sizes and a summary of their row-group statistics. Manifests are JSON (see
/// docs/storage-format.md, format version kManifestFormatVersion) and are never
/// modified after commit.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver::store {

/// The format version written in every manifest; readers refuse newer ones.
inline constexpr int kManifestFormatVersion = 1;

/// \brief What made a version.
enum class VersionOperation {
  kOverwrite,  ///< DoPut replacing the data (PATH descriptor or mode "overwrite")
  kAppend,     ///< DoPut adding parts (mode "append")
  kDrop,       ///< drop_dataset: a tombstone without parts; the dataset is not listed
  kRestore,    ///< restore_version: the parts of an older version made current again
  kCompact,    ///< compaction: the same rows in fewer, larger parts
  kMigrate,    ///< the one-file-per-dataset layout of earlier releases, as version 1
};

std::string_view VersionOperationName(VersionOperation operation);
arrow::Result<VersionOperation> ParseVersionOperation(std::string_view name);

/// \brief Statistics of one top-level column over all row groups of a part. min and
/// max are Arrow scalar renderings, present only when every row group had them.
struct ColumnStats {
  std::string column;
  int64_t null_count = 0;
  std::optional<std::string> min;
  std::optional<std::string> max;
};

/// \brief One immutable Parquet file of a dataset.
struct PartInfo {
  /// The file's name inside the dataset's parts directory (no directories).
  std::string file;
  int64_t num_rows = 0;
  int64_t bytes = 0;
  int64_t row_groups = 0;
  std::vector<ColumnStats> stats;

  /// \brief Whether `other` is the same part: file names are never reused within a
  /// dataset, so the name identifies the part (its other fields describe it).
  bool SameFile(const PartInfo& other) const { return file == other.file; }
};

/// \brief One version of a dataset.
struct Manifest {
  /// The dataset's name as users write it ("sales/2024").
  std::string dataset;
  /// 1, 2, 3... per dataset; never reused while the dataset's history exists.
  int64_t version = 0;
  /// Commit time, microseconds since the Unix epoch (UTC); increasing with version.
  int64_t committed_at_us = 0;
  VersionOperation operation = VersionOperation::kOverwrite;
  /// The Arrow schema of every part. Set for every operation (a drop keeps the last).
  std::shared_ptr<arrow::Schema> schema;
  std::vector<PartInfo> parts;
  /// For kRestore: the version whose parts were restored.
  std::optional<int64_t> restored_from;

  bool dropped() const { return operation == VersionOperation::kDrop; }
  int64_t num_rows() const;
  int64_t stored_bytes() const;
};

/// Bounds enforced when decoding (manifests are read from storage that other
/// processes write: treated as untrusted).
inline constexpr size_t kMaxManifestBytes = 64 << 20;
inline constexpr size_t kMaxManifestParts = 1 << 20;

/// \brief The manifest as JSON (UTF-8, one object).
arrow::Result<std::string> EncodeManifest(const Manifest& manifest);

/// \brief Parse and validate a manifest.
/// \return Invalid naming what is wrong (truncated, unknown format version, bad field,
///         counts out of range); never crashes on hostile input.
arrow::Result<Manifest> DecodeManifest(std::string_view json);

}  // namespace quiver::store
