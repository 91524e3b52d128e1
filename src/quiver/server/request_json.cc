#include "quiver/server/request_json.h"

#include <unordered_set>

#include <fmt/format.h>

namespace quiver::server {

arrow::Result<JsonRequest> JsonRequest::Parse(
    std::string_view text, std::string_view what,
    std::initializer_list<std::string_view> allowed, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return arrow::Status::Invalid(what, " is larger than ", max_bytes, " bytes");
  }
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return arrow::Status::Invalid(what,
                                  " must be a UTF-8 JSON object (see "
                                  "docs/protocol.md)");
  }
  for (const auto& [key, value] : doc.items()) {
    bool known = false;
    for (auto name : allowed) known |= key == name;
    if (!known) {
      std::string list;
      for (auto name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      return arrow::Status::Invalid("unknown key '", key, "' in ", what,
                                    " (accepted: ", list, ")");
    }
  }
  return JsonRequest(std::move(doc), std::string(what));
}

bool JsonRequest::has(std::string_view key) const {
  return doc_.contains(std::string(key));
}

arrow::Result<std::optional<std::string>> JsonRequest::String(
    std::string_view key) const {
  auto it = doc_.find(std::string(key));
  if (it == doc_.end()) return std::nullopt;
  if (!it->is_string()) {
    return arrow::Status::Invalid("'", key, "' in ", what_, " must be a string");
  }
  return it->get<std::string>();
}

arrow::Result<std::optional<std::vector<std::string>>> JsonRequest::StringList(
    std::string_view key, size_t max_items) const {
  auto it = doc_.find(std::string(key));
  if (it == doc_.end()) return std::nullopt;
  if (!it->is_array()) {
    return arrow::Status::Invalid("'", key, "' in ", what_, " must be a list of strings");
  }
  if (it->size() > max_items) {
    return arrow::Status::Invalid("'", key, "' in ", what_, " has more than ", max_items,
                                  " entries");
  }
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const auto& item : *it) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      return arrow::Status::Invalid("'", key, "' in ", what_,
                                    " must be a list of non-empty strings");
    }
    const auto& value = item.get_ref<const std::string&>();
    if (!seen.insert(value).second) {
      return arrow::Status::Invalid("'", key, "' in ", what_, " names '", value,
                                    "' twice");
    }
    out.push_back(value);
  }
  return out;
}

arrow::Result<std::string> JsonRequest::RequiredString(std::string_view key) const {
  ARROW_ASSIGN_OR_RAISE(auto value, String(key));
  if (!value) return arrow::Status::Invalid(what_, " needs '", key, "'");
  return std::move(*value);
}

arrow::Result<std::optional<int64_t>> JsonRequest::Integer(std::string_view key,
                                                           int64_t min,
                                                           int64_t max) const {
  auto it = doc_.find(std::string(key));
  if (it == doc_.end()) return std::nullopt;
  bool in_range = false;
  int64_t value = 0;
  if (it->is_number_unsigned()) {
    uint64_t u = it->get<uint64_t>();
    in_range = u <= static_cast<uint64_t>(max) && static_cast<int64_t>(u) >= min;
    value = static_cast<int64_t>(u);
  } else if (it->is_number_integer()) {
    value = it->get<int64_t>();
    in_range = value >= min && value <= max;
  } else {
    return arrow::Status::Invalid("'", key, "' in ", what_, " must be an integer");
  }
  if (!in_range) {
    return arrow::Status::Invalid("'", key, "' in ", what_, " must be between ", min,
                                  " and ", max);
  }
  return value;
}

}  // namespace quiver::server
