#include "quiver/store/model/storage_type.h"

#include <arrow/compute/initialize.h>
#include <arrow/extension_type.h>
#include <arrow/ipc/writer.h>
#include <arrow/type.h>
#include <arrow/type_traits.h>
#include <arrow/util/base64.h>
#include <arrow/util/key_value_metadata.h>
#include <parquet/arrow/schema.h>
#include <parquet/properties.h>
#include <parquet/schema.h>

namespace quiver::store {
namespace {

/// Dictionary value types whose top-level dictionaries Parquet stores and reads back.
bool NativeDictionaryValues(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::FIXED_SIZE_BINARY:
      return true;
    default:
      return arrow::is_integer(type.id()) || arrow::is_floating(type.id());
  }
}

std::shared_ptr<arrow::Field> StorageField(const std::shared_ptr<arrow::Field>& field,
                                           bool nullable) {
  auto type = StorageTypeOf(field->type(), /*top_level=*/false);
  if (type == field->type() && nullable == field->nullable()) return field;
  return arrow::field(field->name(), std::move(type), nullable);
}

/// The storage of a container whose children are `fields`: nullptr if none changes.
std::vector<std::shared_ptr<arrow::Field>> StorageChildren(const arrow::DataType& type,
                                                           bool* changed) {
  std::vector<std::shared_ptr<arrow::Field>> children;
  for (const auto& child : type.fields()) {
    children.push_back(StorageField(child, child->nullable()));
    *changed |= children.back() != child;
  }
  return children;
}

std::string SchemaPath(const std::string& parent, const arrow::Field& field) {
  return parent.empty() ? field.name() : parent + "." + field.name();
}

/// The first field under `field` (itself included) that Parquet cannot store.
std::string FailingPath(const std::shared_ptr<arrow::Field>& field,
                        const std::string& parent, const parquet::WriterProperties& props,
                        const parquet::ArrowWriterProperties& arrow_props,
                        std::shared_ptr<arrow::DataType>* type) {
  std::string path = SchemaPath(parent, *field);
  for (const auto& child : field->type()->fields()) {
    std::shared_ptr<parquet::SchemaDescriptor> descriptor;
    auto one = arrow::schema(
        {arrow::field("c", StorageTypeOf(child->type(), false), child->nullable())});
    if (!parquet::arrow::ToParquetSchema(one.get(), props, arrow_props, &descriptor)
             .ok()) {
      return FailingPath(child, path, props, arrow_props, type);
    }
  }
  *type = field->type();
  return path;
}

}  // namespace

std::shared_ptr<arrow::DataType> StorageTypeOf(
    const std::shared_ptr<arrow::DataType>& type, bool top_level) {
  using arrow::Type;
  switch (type->id()) {
    case Type::INTERVAL_MONTHS:
      return arrow::int32();
    case Type::INTERVAL_DAY_TIME:
      return arrow::struct_({arrow::field("days", arrow::int32(), false),
                             arrow::field("milliseconds", arrow::int32(), false)});
    case Type::INTERVAL_MONTH_DAY_NANO:
      return arrow::struct_({arrow::field("months", arrow::int32(), false),
                             arrow::field("days", arrow::int32(), false),
                             arrow::field("nanoseconds", arrow::int64(), false)});
    case Type::RUN_END_ENCODED: {
      const auto& ree = static_cast<const arrow::RunEndEncodedType&>(*type);
      return StorageTypeOf(ree.value_type(), top_level);
    }
    case Type::SPARSE_UNION:
    case Type::DENSE_UNION: {
      std::vector<std::shared_ptr<arrow::Field>> fields{
          arrow::field("type_ids", arrow::int8(), false)};
      // Rows of other children hold nulls (dense) or anything (sparse): nullable.
      for (const auto& child : type->fields()) {
        fields.push_back(StorageField(child, /*nullable=*/true));
      }
      return arrow::struct_(std::move(fields));
    }
    case Type::DICTIONARY: {
      const auto& dictionary = static_cast<const arrow::DictionaryType&>(*type);
      if (top_level && NativeDictionaryValues(*dictionary.value_type())) return type;
      return StorageTypeOf(dictionary.value_type(), false);
    }
    case Type::EXTENSION: {
      const auto& extension = static_cast<const arrow::ExtensionType&>(*type);
      auto storage = StorageTypeOf(extension.storage_type(), false);
      return storage == extension.storage_type() ? type : storage;
    }
    case Type::STRUCT: {
      if (type->num_fields() == 0) return arrow::boolean();  // its validity
      bool changed = false;
      auto children = StorageChildren(*type, &changed);
      return changed ? arrow::struct_(std::move(children)) : type;
    }
    case Type::MAP: {
      const auto& map = static_cast<const arrow::MapType&>(*type);
      bool changed = false;
      auto children = StorageChildren(*map.value_type(), &changed);
      if (!changed) return type;
      auto entries = arrow::field(map.value_field()->name(),
                                  arrow::struct_(std::move(children)), false);
      return std::make_shared<arrow::MapType>(std::move(entries), map.keys_sorted());
    }
    case Type::LIST:
    case Type::LARGE_LIST:
    case Type::LIST_VIEW:
    case Type::LARGE_LIST_VIEW:
    case Type::FIXED_SIZE_LIST: {
      const auto& child = type->field(0);
      auto stored = StorageField(child, child->nullable());
      if (stored == child) return type;
      switch (type->id()) {
        case Type::LIST:
          return arrow::list(std::move(stored));
        case Type::LARGE_LIST:
          return arrow::large_list(std::move(stored));
        case Type::LIST_VIEW:
          return arrow::list_view(std::move(stored));
        case Type::LARGE_LIST_VIEW:
          return arrow::large_list_view(std::move(stored));
        default:
          return arrow::fixed_size_list(
              std::move(stored),
              static_cast<const arrow::FixedSizeListType&>(*type).list_size());
      }
    }
    default:
      return type;
  }
}

bool IsEncoded(const std::shared_ptr<arrow::DataType>& type) {
  return !StorageTypeOf(type, /*top_level=*/true)->Equals(*type);
}

arrow::Result<StorageSchema> StorageSchema::Make(std::shared_ptr<arrow::Schema> client) {
  if (client->num_fields() == 0) {
    // A row group without column chunks has no rows: Parquet would store 0 rows where
    // the client sent some (found by fuzz_ipc_upload).
    return arrow::Status::Invalid(
        "a dataset needs at least one column (Parquet keeps no rows without columns)");
  }
  // Encoding and decoding use Arrow's compute functions (Take, Cast, hashing).
  ARROW_RETURN_NOT_OK(arrow::compute::Initialize());
  StorageSchema out;
  std::vector<std::shared_ptr<arrow::Field>> stored;
  for (const auto& field : client->fields()) {
    auto type = StorageTypeOf(field->type(), /*top_level=*/true);
    if (type->Equals(*field->type())) {
      stored.push_back(field);
    } else {
      stored.push_back(arrow::field(field->name(), std::move(type), field->nullable()));
      out.encoded_ = true;
    }
  }
  auto metadata = client->metadata() ? client->metadata()->Copy()
                                     : std::make_shared<arrow::KeyValueMetadata>();
  // Kept whatever the encoding: Parquet also renames nested fields (list children).
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::ipc::SerializeSchema(*client));
  metadata->Append(kClientSchemaKey, arrow::util::base64_encode(buffer->ToString()));
  out.client_ = client;
  out.stored_ = arrow::schema(std::move(stored), std::move(metadata));
  out.native_ = NativeFields(*client);
  // What Parquet still cannot store is refused now, naming the column.
  auto props = parquet::default_writer_properties();
  auto arrow_props = parquet::ArrowWriterProperties::Builder().store_schema()->build();
  std::shared_ptr<parquet::SchemaDescriptor> descriptor;
  if (!parquet::arrow::ToParquetSchema(out.stored_.get(), *props, *arrow_props,
                                       &descriptor)
           .ok()) {
    for (const auto& field : client->fields()) {
      auto one = arrow::schema(
          {arrow::field("c", StorageTypeOf(field->type(), true), field->nullable())});
      auto st =
          parquet::arrow::ToParquetSchema(one.get(), *props, *arrow_props, &descriptor);
      if (st.ok()) continue;
      std::shared_ptr<arrow::DataType> type;
      std::string path = FailingPath(field, "", *props, *arrow_props, &type);
      return arrow::Status::Invalid("column '", path, "' of type ", type->ToString(),
                                    " cannot be stored as Parquet: ", st.message());
    }
  }
  return out;
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> StorageSchema::Encode(
    const std::shared_ptr<arrow::RecordBatch>& batch) const {
  return EncodeBatch(batch, stored_);
}

std::shared_ptr<arrow::Schema> NativeFields(const arrow::Schema& client) {
  std::vector<std::shared_ptr<arrow::Field>> native;
  for (const auto& field : client.fields()) {
    if (!IsEncoded(field->type())) native.push_back(field);
  }
  return arrow::schema(std::move(native));
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> EncodeBatch(
    const std::shared_ptr<arrow::RecordBatch>& batch,
    const std::shared_ptr<arrow::Schema>& stored) {
  std::vector<std::shared_ptr<arrow::Array>> columns;
  columns.reserve(static_cast<size_t>(batch->num_columns()));
  for (int i = 0; i < batch->num_columns(); ++i) {
    ARROW_ASSIGN_OR_RAISE(auto column,
                          EncodeArray(batch->column(i), stored->field(i)->type()));
    columns.push_back(std::move(column));
  }
  return arrow::RecordBatch::Make(stored, batch->num_rows(), std::move(columns));
}

}  // namespace quiver::store
