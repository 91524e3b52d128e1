#pragma once

#include <memory>
#include <vector>

#include <arrow/record_batch.h>
#include <arrow/result.h>

namespace parquet {
class FileMetaData;
}

namespace quiver::store {

/// \brief Where Parquet reading changes an Arrow type, how to change it back.
///
/// Parts keep the client's Arrow schema (kClientSchemaKey, storage_type.h): it is
/// restored whole, and every column decoded from its storage form (DecodeArray).
/// Older parts have only the schema Parquet stored ("ARROW:schema"), and Arrow's
/// reader restores most types from it, but not all: date64 comes back as date32 and
/// time32[s] as time32[ms], for example. A TypeRestorer casts such top-level columns
/// back to their uploaded types (only where Arrow can cast them) so that clients get
/// exactly the types they uploaded. Immutable; thread-safe.
class TypeRestorer {
 public:
  /// \brief Compare the schema Parquet reads (`read_schema`) with the one stored in
  /// `metadata`. Files without a stored schema restore nothing.
  static arrow::Result<TypeRestorer> Make(const parquet::FileMetaData& metadata,
                                          std::shared_ptr<arrow::Schema> read_schema);

  /// \brief The schema clients see.
  const std::shared_ptr<arrow::Schema>& schema() const { return schema_; }
  /// \brief Whether batches need restoring (a column to decode or cast, or the
  /// client's schema to put back).
  bool needed() const { return needed_; }

  /// \brief The restorer of a projection: the read schema's fields `fields`, in order.
  TypeRestorer Select(const std::vector<int>& fields) const;

  /// \brief Cast the batch's columns to schema().
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Restore(
      const std::shared_ptr<arrow::RecordBatch>& batch) const;

 private:
  std::shared_ptr<arrow::Schema> schema_;
  bool needed_ = false;
};

/// \brief Wrap `reader` so that its batches come out with `restorer.schema()`.
std::shared_ptr<arrow::RecordBatchReader> MakeRestoringReader(
    std::shared_ptr<arrow::RecordBatchReader> reader, TypeRestorer restorer);

}  // namespace quiver::store
