#include <cstdint>
#include <optional>
#include <vector>

#include "quiver/server/substrait_guard_internal.h"

namespace quiver::server {
namespace {

constexpr int kMaxDepth = 120;  // beyond protobuf's own limit (100): refused anyway

struct Field {
  uint32_t number = 0;
  int wire_type = 0;
  uint64_t varint = 0;
  std::string_view bytes;
};

bool ReadVarint(std::string_view* in, uint64_t* out) {
  *out = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (in->empty()) return false;
    auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    if (shift < 64) *out |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

/// Reads fields until the input ends (end_group 0) or the end of group `end_group`,
/// as protobuf does: tags are truncated to 32 bits, groups (unknown to Substrait) are
/// skipped whole. \return false where protobuf would fail too.
bool ReadFields(std::string_view* in, uint32_t end_group, int depth,
                std::vector<Field>* fields) {
  if (depth > kMaxDepth) return false;
  while (!in->empty()) {
    uint64_t key = 0;
    if (!ReadVarint(in, &key)) return false;
    auto tag = static_cast<uint32_t>(key);
    Field field;
    field.number = tag >> 3;
    field.wire_type = static_cast<int>(tag & 7);
    if (field.number == 0) return false;
    switch (field.wire_type) {
      case 0:
        if (!ReadVarint(in, &field.varint)) return false;
        break;
      case 1:
      case 5: {
        size_t size = field.wire_type == 1 ? 8 : 4;
        if (in->size() < size) return false;
        in->remove_prefix(size);
        break;
      }
      case 2: {
        uint64_t size = 0;
        if (!ReadVarint(in, &size) || size > in->size()) return false;
        field.bytes = in->substr(0, size);
        in->remove_prefix(size);
        break;
      }
      case 3: {
        std::vector<Field> ignored;
        if (!ReadFields(in, field.number, depth + 1, &ignored)) return false;
        continue;
      }
      case 4:
        return field.number == end_group;
      default:
        return false;
    }
    if (fields != nullptr) fields->push_back(field);
  }
  return end_group == 0;
}

/// The fields of `bytes` if it is a well-formed protobuf message, else nullopt.
std::optional<std::vector<Field>> Parse(std::string_view bytes) {
  std::vector<Field> fields;
  if (!ReadFields(&bytes, 0, 0, &fields)) return std::nullopt;
  return fields;
}

std::optional<uint64_t> Varint(const std::vector<Field>& fields, uint32_t number) {
  std::optional<uint64_t> value;
  for (const auto& field : fields) {
    if (field.number == number && field.wire_type == 0) value = field.varint;
  }
  return value;
}

arrow::Status Check(const std::vector<Field>& fields, int depth) {
  if (depth > kMaxDepth) return arrow::Status::Invalid("'filter' is nested too deeply");
  for (const auto& field : fields) {
    if (field.wire_type != 2) continue;
    auto inner = Parse(field.bytes);
    if (!inner) continue;  // a string or bytes value
    if (field.number == 24) {
      // Literal.Decimal {bytes value = 1; int32 precision = 2; int32 scale = 3} and
      // Type.Decimal {int32 scale = 1; int32 precision = 2; ...}.
      uint64_t precision = Varint(*inner, 2).value_or(0);
      if (precision < 1 || precision > 38) {
        return arrow::Status::Invalid("'filter' holds a decimal of precision ", precision,
                                      " (quiver reads decimal precisions 1 to 38)");
      }
    } else if (field.number == 23) {
      auto length = Varint(*inner, 1);
      if (length && *length > 0x7FFFFFFF) {
        return arrow::Status::Invalid("'filter' holds a fixed_binary of invalid length");
      }
    }
    ARROW_RETURN_NOT_OK(Check(*inner, depth + 1));
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Status CheckSubstraitParameters(std::string_view bytes) {
  auto fields = Parse(bytes);
  if (!fields) {
    return arrow::Status::Invalid("'filter' is not a Substrait ExtendedExpression");
  }
  return Check(*fields, 0);
}

}  // namespace quiver::server
