#pragma once

/// \file
/// How the client designates datasets and versions on the wire: PATH descriptors for
/// the current version and plain overwrites (what the Flight cookbook's clients send),
/// and the JSON commands of docs/protocol.md for everything else. JSON is always built
/// with a JSON library, never by pasting strings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <arrow/flight/types.h>

namespace quiver::client {

/// \brief What an upload does to the dataset.
enum class PutMode {
  kOverwrite,  ///< a new version holding only the uploaded rows
  kAppend,     ///< a new version with the uploaded rows after the current ones
};

/// \brief Which version of a dataset a read designates: the current one (neither
/// set), a version number, or the version current at a time. Plain data.
struct VersionSelector {
  std::optional<int64_t> version;
  /// RFC 3339 timestamp with a "Z" or numeric offset, passed to the server as is.
  std::optional<std::string> as_of;

  bool current() const { return !version && !as_of; }
  static VersionSelector Current() { return {}; }
  static VersionSelector Version(int64_t v) { return {v, std::nullopt}; }
  static VersionSelector AsOf(std::string time) {
    return {std::nullopt, std::move(time)};
  }
};

/// \brief What part of a version a read asks for, and over how many endpoints
/// (docs/protocol.md, "Selective and parallel reads"). All unset: the whole version,
/// one endpoint. Plain data.
struct ReadSelection {
  std::optional<std::vector<std::string>> columns;  ///< projection, in this order
  /// Base64 Substrait ExtendedExpression holding one boolean expression (EncodeFilter).
  std::optional<std::string> filter;
  std::optional<int64_t> limit;      ///< at most this many rows (the first ones)
  std::optional<int64_t> endpoints;  ///< split over up to N endpoints; 0 = "auto"

  bool empty() const { return !columns && !filter && !limit && !endpoints; }
};

/// \brief The PATH descriptor of a dataset name "a/b" (segments "a", "b").
arrow::flight::FlightDescriptor DescriptorFor(std::string_view name);

/// \brief The descriptor of a read (GetFlightInfo, GetSchema): the PATH of the name
/// for the whole current version, else a CMD {"dataset", "version" | "as_of",
/// "columns", "filter", "limit", "endpoints"}.
arrow::flight::FlightDescriptor ReadDescriptor(std::string_view name,
                                               const VersionSelector& at,
                                               const ReadSelection& read = {});

/// \brief The descriptor of an upload: the PATH of the name to overwrite, a CMD
/// {"dataset", "mode": "append"} to append.
arrow::flight::FlightDescriptor PutDescriptor(std::string_view name, PutMode mode);

/// \brief The body of a dataset action: {"dataset": name}, plus "version" if given.
std::string DatasetActionBody(std::string_view name,
                              std::optional<int64_t> version = std::nullopt);

/// \brief The dataset name a descriptor designates: PATH segments joined with '/';
/// for a CMD, its "dataset" member, or the command text when it is not a JSON object
/// naming one.
std::string NameOf(const arrow::flight::FlightDescriptor& descriptor);

}  // namespace quiver::client
