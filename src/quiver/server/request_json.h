#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <arrow/result.h>

namespace quiver::server {

/// \brief A request written as one JSON object (a CMD descriptor, a ticket, an action
/// body), read strictly: unknown keys and wrong types are Invalid naming the key.
///
/// The vocabulary is documented in docs/protocol.md. Immutable; thread-compatible.
class JsonRequest {
 public:
  /// Largest request accepted, in bytes.
  static constexpr size_t kMaxBytes = 64 * 1024;

  /// \brief Parse `text` as one JSON object whose keys are all in `allowed`.
  /// \param what how the request is called in errors ("GetFlightInfo command").
  /// \param max_bytes larger requests are Invalid.
  static arrow::Result<JsonRequest> Parse(std::string_view text, std::string_view what,
                                          std::initializer_list<std::string_view> allowed,
                                          size_t max_bytes = kMaxBytes);

  bool has(std::string_view key) const;
  /// \brief A string member. \return Invalid if present with another type.
  arrow::Result<std::optional<std::string>> String(std::string_view key) const;
  /// \brief An integer member in [min, max]. \return Invalid otherwise.
  arrow::Result<std::optional<int64_t>> Integer(std::string_view key, int64_t min,
                                                int64_t max) const;
  /// \brief A member that is a list of at most `max_items` non-empty, unique strings.
  arrow::Result<std::optional<std::vector<std::string>>> StringList(
      std::string_view key, size_t max_items) const;
  /// \brief A required string member.
  arrow::Result<std::string> RequiredString(std::string_view key) const;

  const nlohmann::json& json() const { return doc_; }
  const std::string& what() const { return what_; }

 private:
  JsonRequest(nlohmann::json doc, std::string what)
      : doc_(std::move(doc)), what_(std::move(what)) {}

  nlohmann::json doc_;
  std::string what_;
};

}  // namespace quiver::server
