#pragma once

/// \file
/// How each Arrow type is stored in a Parquet part: the one place that decides it
/// (docs/storage-format.md, "Arrow types").
///
/// Where Arrow's Parquet writer stores a type and its reader gives it back, the column
/// is written as it is. Where it cannot, the column is written in a lossless encoding
/// into plain Parquet columns (intervals as their fixed-width fields, run-end encoded
/// arrays decoded, unions as their type ids and row-aligned children, dictionaries
/// decoded to their values, zero-field structs as their validity), and the client's
/// Arrow schema is kept in every part's key-value metadata (kClientSchemaKey). Reading
/// decodes every column back to the client's type (DecodeArray).
///
/// Upload: StorageSchema::Make when the schema arrives (refuses what cannot be stored),
/// StorageSchema::Encode on every batch. Read: TypeRestorer calls DecodeArray.

#include <memory>
#include <string>

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

namespace quiver::store {

/// \brief The key of a part's Parquet key-value metadata that holds the client's Arrow
/// schema (an IPC schema message, base64). Every part written since types are encoded
/// has it; reads restore it exactly.
inline constexpr char kClientSchemaKey[] = "quiver:arrow_schema";

/// \brief The type a column of Arrow type `type` is written to Parquet as: `type`
/// itself where Parquet stores it natively. `top_level`: the column is a top-level
/// field of the schema (Parquet stores only top-level dictionaries natively).
/// Pure: the same type always gives the same storage type.
std::shared_ptr<arrow::DataType> StorageTypeOf(
    const std::shared_ptr<arrow::DataType>& type, bool top_level);

/// \brief Whether a top-level column of `type` is stored in an encoding (not natively).
bool IsEncoded(const std::shared_ptr<arrow::DataType>& type);

/// \brief How the columns of one schema are stored. Immutable; thread-safe.
class StorageSchema {
 public:
  /// \brief Decide the storage of every column of `client`.
  /// \return Invalid naming the column path and its type if a column cannot be stored
  /// even encoded (checked against Parquet's schema conversion), or if the schema has
  /// no column.
  static arrow::Result<StorageSchema> Make(std::shared_ptr<arrow::Schema> client);

  /// \brief The schema the client uploaded.
  const std::shared_ptr<arrow::Schema>& client() const { return client_; }
  /// \brief The schema written to Parquet: the storage types (the client's where
  /// nothing is encoded), with the client's schema under kClientSchemaKey in its
  /// metadata.
  const std::shared_ptr<arrow::Schema>& stored() const { return stored_; }
  /// \brief The client's top-level fields stored natively (for column statistics).
  const std::shared_ptr<arrow::Schema>& native_fields() const { return native_; }
  /// \brief Whether any column is encoded.
  bool encoded() const { return encoded_; }

  /// \brief A batch of client() as a batch of stored(). Top-level dictionaries stored
  /// natively whose dictionary holds nulls are re-encoded (nulls in the indices).
  /// \return Invalid if the batch is malformed for its type.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> Encode(
      const std::shared_ptr<arrow::RecordBatch>& batch) const;

 private:
  std::shared_ptr<arrow::Schema> client_;
  std::shared_ptr<arrow::Schema> stored_;
  std::shared_ptr<arrow::Schema> native_;
  bool encoded_ = false;
};

/// \brief `batch` (of a client schema) as a batch of `stored`, its StorageSchema's
/// stored(). \return Invalid if the batch is malformed for its type.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> EncodeBatch(
    const std::shared_ptr<arrow::RecordBatch>& batch,
    const std::shared_ptr<arrow::Schema>& stored);

/// \brief The top-level fields of `client` stored natively (their Parquet statistics
/// describe their values).
std::shared_ptr<arrow::Schema> NativeFields(const arrow::Schema& client);

/// \brief `array` (of a client type) in the storage form `storage_type`
/// (StorageTypeOf). Same length; row i stays row i.
arrow::Result<std::shared_ptr<arrow::Array>> EncodeArray(
    const std::shared_ptr<arrow::Array>& array,
    const std::shared_ptr<arrow::DataType>& storage_type);

/// \brief An array read from Parquet (`stored`), back in the client's `type`: decodes
/// the encodings of EncodeArray, re-encodes dictionaries (one dictionary per batch,
/// values equal), and casts where Parquet reads a type differently (date64 as date32,
/// time32[s] as time32[ms], ...). Same length; row i stays row i.
/// \return IOError if `stored` is no storage form of `type` (a part that does not
/// match its schema).
arrow::Result<std::shared_ptr<arrow::Array>> DecodeArray(
    const std::shared_ptr<arrow::Array>& stored,
    const std::shared_ptr<arrow::DataType>& type);

}  // namespace quiver::store
