#include "quiver/common/strict_json.h"

#include <unordered_set>

namespace quiver {

arrow::Result<StrictJson> StrictJson::Parse(
    std::string_view text, std::string_view what,
    std::initializer_list<std::string_view> allowed, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return arrow::Status::Invalid(what, " is larger than ", max_bytes, " bytes");
  }
  auto doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return arrow::Status::Invalid(what, " must be a UTF-8 JSON object");
  }
  if (allowed.size() > 0) {
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
  }
  return StrictJson(std::make_shared<const nlohmann::json>(std::move(doc)),
                    std::string(what));
}

arrow::Result<StrictJson> StrictJson::Of(const nlohmann::json& value, std::string what) {
  if (!value.is_object()) return arrow::Status::Invalid(what, " must be an object");
  // Not owned: the aliasing constructor with no owner.
  return StrictJson(
      std::shared_ptr<const nlohmann::json>(std::shared_ptr<void>(), &value),
      std::move(what));
}

const nlohmann::json* StrictJson::Find(std::string_view key) const {
  auto it = object_->find(std::string(key));
  return it == object_->end() ? nullptr : &*it;
}

arrow::Status StrictJson::Missing(std::string_view key) const {
  return arrow::Status::Invalid(what_, " needs '", key, "'");
}

arrow::Result<const nlohmann::json*> StrictJson::List(std::string_view key,
                                                      size_t max_items,
                                                      std::string_view items) const {
  const nlohmann::json* list = Find(key);
  if (list == nullptr) return nullptr;
  if (!list->is_array()) {
    return arrow::Status::Invalid("'", key, "' in ", what_, " must be a list of ", items);
  }
  if (list->size() > max_items) {
    return arrow::Status::Invalid("'", key, "' in ", what_, " has more than ", max_items,
                                  " entries");
  }
  return list;
}

bool StrictJson::has(std::string_view key) const { return Find(key) != nullptr; }

arrow::Result<std::optional<std::string>> StrictJson::String(std::string_view key) const {
  const nlohmann::json* value = Find(key);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    return arrow::Status::Invalid("'", key, "' in ", what_, " must be a string");
  }
  return value->get<std::string>();
}

arrow::Result<std::optional<std::vector<std::string>>> StrictJson::StringList(
    std::string_view key, size_t max_items) const {
  ARROW_ASSIGN_OR_RAISE(const nlohmann::json* list, List(key, max_items, "strings"));
  if (list == nullptr) return std::nullopt;
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const auto& item : *list) {
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

arrow::Result<std::optional<std::vector<StrictJson>>> StrictJson::ObjectList(
    std::string_view key, size_t max_items, std::string_view singular) const {
  ARROW_ASSIGN_OR_RAISE(const nlohmann::json* list, List(key, max_items, "objects"));
  if (list == nullptr) return std::nullopt;
  std::vector<StrictJson> out;
  out.reserve(list->size());
  const std::string item_what = std::string(singular) + " in " + what_;
  for (const auto& item : *list) {
    if (!item.is_object()) {
      return arrow::Status::Invalid("'", key, "' in ", what_,
                                    " must be a list of objects");
    }
    // Shares ownership of the whole document with this reader.
    out.push_back(
        StrictJson(std::shared_ptr<const nlohmann::json>(object_, &item), item_what));
  }
  return out;
}

arrow::Result<std::string> StrictJson::RequiredString(std::string_view key) const {
  ARROW_ASSIGN_OR_RAISE(auto value, String(key));
  if (!value) return Missing(key);
  return std::move(*value);
}

arrow::Result<int64_t> StrictJson::RequiredInteger(std::string_view key, int64_t min,
                                                   int64_t max) const {
  ARROW_ASSIGN_OR_RAISE(auto value, Integer(key, min, max));
  if (!value) return Missing(key);
  return *value;
}

arrow::Result<std::optional<int64_t>> StrictJson::Integer(std::string_view key,
                                                          int64_t min,
                                                          int64_t max) const {
  const nlohmann::json* member = Find(key);
  if (member == nullptr) return std::nullopt;
  bool in_range = false;
  int64_t value = 0;
  if (member->is_number_unsigned()) {
    uint64_t u = member->get<uint64_t>();
    in_range = u <= static_cast<uint64_t>(max) && static_cast<int64_t>(u) >= min;
    value = static_cast<int64_t>(u);
  } else if (member->is_number_integer()) {
    value = member->get<int64_t>();
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

}  // namespace quiver
