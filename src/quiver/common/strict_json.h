#pragma once

/// \file
/// The one strict reader of JSON documents quiver did not write itself or reads back
/// from storage: requests (CMD descriptors, tickets, action bodies), manifests,
/// version descriptions, token payloads. A member must have the type asked for and
/// be in range; the document must be one object no larger than a bound, and may be
/// limited to known keys. Errors are Invalid and name the member and the document:
///
///     ARROW_ASSIGN_OR_RAISE(auto request,
///                           StrictJson::Parse(text, "the ticket", {"dataset",
///                           "version"}));
///     ARROW_ASSIGN_OR_RAISE(auto version, request.Integer("version", 1, kMaxVersion));
///     // Invalid: "'version' in the ticket must be between 1 and ..."

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <arrow/result.h>

namespace quiver {

/// \brief One JSON object, read strictly. Immutable; copies share the document;
/// thread-compatible.
class StrictJson {
 public:
  /// Largest document Parse accepts unless told otherwise, in bytes.
  static constexpr size_t kMaxBytes = 64 * 1024;

  /// \brief Parse `text` as one JSON object whose keys are all in `allowed` (any key
  /// when `allowed` is empty).
  /// \param what how the document is called in errors ("the GetFlightInfo command").
  /// \param max_bytes larger documents are Invalid.
  static arrow::Result<StrictJson> Parse(std::string_view text, std::string_view what,
                                         std::initializer_list<std::string_view> allowed,
                                         size_t max_bytes = kMaxBytes);

  /// \brief Read `value`, which must outlive the reader, as an object called `what`.
  /// \return Invalid if it is not an object.
  static arrow::Result<StrictJson> Of(const nlohmann::json& value, std::string what);

  bool has(std::string_view key) const;
  /// \brief A string member. \return Invalid if present with another type.
  arrow::Result<std::optional<std::string>> String(std::string_view key) const;
  /// \brief An integer member in [min, max]. \return Invalid otherwise.
  arrow::Result<std::optional<int64_t>> Integer(std::string_view key, int64_t min,
                                                int64_t max) const;
  /// \brief A member that is a list of at most `max_items` non-empty, unique strings.
  arrow::Result<std::optional<std::vector<std::string>>> StringList(
      std::string_view key, size_t max_items) const;
  /// \brief A member that is a list of at most `max_items` objects, each read as
  /// "<singular> in <what>".
  arrow::Result<std::optional<std::vector<StrictJson>>> ObjectList(
      std::string_view key, size_t max_items, std::string_view singular) const;
  /// \brief A required string member. \return Invalid if missing.
  arrow::Result<std::string> RequiredString(std::string_view key) const;
  /// \brief A required integer member in [min, max]. \return Invalid if missing.
  arrow::Result<int64_t> RequiredInteger(std::string_view key, int64_t min,
                                         int64_t max) const;

  const nlohmann::json& json() const { return *object_; }
  const std::string& what() const { return what_; }

 private:
  StrictJson(std::shared_ptr<const nlohmann::json> object, std::string what)
      : object_(std::move(object)), what_(std::move(what)) {}

  const nlohmann::json* Find(std::string_view key) const;
  /// The member `key` if it is a list of at most `max_items` (of `items`, for errors);
  /// null if absent.
  arrow::Result<const nlohmann::json*> List(std::string_view key, size_t max_items,
                                            std::string_view items) const;
  arrow::Status Missing(std::string_view key) const;

  std::shared_ptr<const nlohmann::json> object_;
  std::string what_;
};

}  // namespace quiver
