#include <cmath>
#include <cstdio>
#include <string>

#include <arrow/array.h>
#include <arrow/scalar.h>
#include <arrow/util/checked_cast.h>

#include "quiver/cli/json_lines_writer_internal.h"

namespace quiver::cli {
namespace {

using arrow::internal::checked_cast;

void AppendString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendDouble(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", value);
  out += text;
}

template <typename ArrayType>
void AppendList(std::string& out, const arrow::Array& array, int64_t i);

void AppendValue(std::string& out, const arrow::Array& array, int64_t i) {
  if (array.IsNull(i)) {
    out += "null";
    return;
  }
  switch (array.type_id()) {
    case arrow::Type::NA:
      out += "null";
      return;
    case arrow::Type::BOOL:
      out += checked_cast<const arrow::BooleanArray&>(array).Value(i) ? "true" : "false";
      return;
#define QUIVER_INTEGER(TYPE, ARRAY)                                           \
  case arrow::Type::TYPE:                                                     \
    out += std::to_string(checked_cast<const arrow::ARRAY&>(array).Value(i)); \
    return;
      QUIVER_INTEGER(INT8, Int8Array)
      QUIVER_INTEGER(INT16, Int16Array)
      QUIVER_INTEGER(INT32, Int32Array)
      QUIVER_INTEGER(INT64, Int64Array)
      QUIVER_INTEGER(UINT8, UInt8Array)
      QUIVER_INTEGER(UINT16, UInt16Array)
      QUIVER_INTEGER(UINT32, UInt32Array)
      QUIVER_INTEGER(UINT64, UInt64Array)
#undef QUIVER_INTEGER
    case arrow::Type::FLOAT:
      AppendDouble(out, checked_cast<const arrow::FloatArray&>(array).Value(i));
      return;
    case arrow::Type::DOUBLE:
      AppendDouble(out, checked_cast<const arrow::DoubleArray&>(array).Value(i));
      return;
    case arrow::Type::STRING:
      AppendString(out, checked_cast<const arrow::StringArray&>(array).GetView(i));
      return;
    case arrow::Type::LARGE_STRING:
      AppendString(out, checked_cast<const arrow::LargeStringArray&>(array).GetView(i));
      return;
    case arrow::Type::STRING_VIEW:
      AppendString(out, checked_cast<const arrow::StringViewArray&>(array).GetView(i));
      return;
    case arrow::Type::STRUCT: {
      const auto& struct_array = checked_cast<const arrow::StructArray&>(array);
      out += '{';
      for (int f = 0; f < struct_array.num_fields(); ++f) {
        if (f > 0) out += ',';
        AppendString(out, struct_array.type()->field(f)->name());
        out += ':';
        AppendValue(out, *struct_array.field(f), i);
      }
      out += '}';
      return;
    }
    case arrow::Type::LIST:
    case arrow::Type::MAP:
      AppendList<arrow::ListArray>(out, array, i);
      return;
    case arrow::Type::LARGE_LIST:
      AppendList<arrow::LargeListArray>(out, array, i);
      return;
    case arrow::Type::FIXED_SIZE_LIST:
      AppendList<arrow::FixedSizeListArray>(out, array, i);
      return;
    default: {
      auto scalar = array.GetScalar(i);
      AppendString(out, scalar.ok() ? (*scalar)->ToString() : "");
      return;
    }
  }
}

template <typename ArrayType>
void AppendList(std::string& out, const arrow::Array& array, int64_t i) {
  const auto& list = checked_cast<const ArrayType&>(array);
  const auto& values = *list.values();
  out += '[';
  for (int64_t k = list.value_offset(i); k < list.value_offset(i) + list.value_length(i);
       ++k) {
    if (k > list.value_offset(i)) out += ',';
    AppendValue(out, values, k);
  }
  out += ']';
}

class JsonLinesWriter : public BatchWriter {
 public:
  JsonLinesWriter(std::shared_ptr<arrow::io::OutputStream> sink,
                  std::shared_ptr<arrow::Schema> schema)
      : sink_(std::move(sink)), schema_(std::move(schema)) {
    for (const auto& field : schema_->fields()) {
      std::string key;
      AppendString(key, field->name());
      keys_.push_back(key + ":");
    }
  }

  arrow::Status Write(const arrow::RecordBatch& batch) override {
    if (!batch.schema()->Equals(*schema_, /*check_metadata=*/false)) {
      return arrow::Status::Invalid("batch schema differs from the writer's");
    }
    std::string out;
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      out += '{';
      for (int c = 0; c < batch.num_columns(); ++c) {
        if (c > 0) out += ',';
        out += keys_[static_cast<size_t>(c)];
        AppendValue(out, *batch.column(c), row);
      }
      out += "}\n";
    }
    return sink_->Write(out.data(), static_cast<int64_t>(out.size()));
  }

  arrow::Status Close() override { return arrow::Status::OK(); }

 private:
  std::shared_ptr<arrow::io::OutputStream> sink_;
  std::shared_ptr<arrow::Schema> schema_;
  std::vector<std::string> keys_;
};

}  // namespace

arrow::Result<std::unique_ptr<BatchWriter>> MakeJsonLinesWriter(
    std::shared_ptr<arrow::io::OutputStream> sink,
    const std::shared_ptr<arrow::Schema>& schema) {
  return std::make_unique<JsonLinesWriter>(std::move(sink), schema);
}

}  // namespace quiver::cli
