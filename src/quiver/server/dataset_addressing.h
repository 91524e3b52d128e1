#pragma once

/// \file
/// How Flight requests designate datasets and versions: PATH descriptors, the JSON
/// command vocabulary of CMD descriptors (docs/protocol.md), tickets and action bodies.
/// Everything here parses untrusted client input and returns Invalid on bad input.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/compute/expression.h>
#include <arrow/flight/types.h>
#include <arrow/result.h>
#include <arrow/util/type_fwd.h>

#include "quiver/store/dataset_upload.h"
#include "quiver/store/model/dataset_name.h"
#include "quiver/store/model/read_spec.h"

namespace quiver::server {

/// Bounds of the read vocabulary.
inline constexpr size_t kMaxColumns = 10000;
inline constexpr int64_t kMaxLimit = int64_t{1} << 62;
inline constexpr int64_t kMaxEndpoints = 1024;
/// `"endpoints": "auto"`: a count chosen from the version's size.
inline constexpr int64_t kAutoEndpoints = 0;

/// \brief The selective part of a read: what GetFlightInfo's command asks and what its
/// tickets carry to DoGet (docs/protocol.md).
struct ReadSelection {
  std::optional<std::vector<std::string>> columns;
  /// The filter as the client sent it (base64 Substrait), and decoded (by name).
  std::optional<std::string> filter;
  std::optional<arrow::compute::Expression> filter_expression;
  std::optional<int64_t> limit;
  /// Commands only: endpoints asked for (kAutoEndpoints: "auto").
  std::optional<int64_t> endpoints;
  /// IPC compression of the DoGet stream; unset: the server's default.
  std::optional<arrow::Compression::type> compression;
  /// Tickets only: the slice of the version's row groups the endpoint reads.
  std::optional<store::RowGroupRange> row_groups;

  /// Whether anything beyond dataset and version is asked.
  bool selective() const {
    return columns || filter || limit || endpoints || compression || row_groups;
  }
  /// The store's view of it.
  store::ReadSpec ToSpec() const;
};

/// \brief What a request asks of a dataset.
struct DatasetRequest {
  explicit DatasetRequest(store::DatasetName dataset) : name(std::move(dataset)) {}

  store::DatasetName name;
  /// Time travel (reads): a version number, or the version current at a time.
  std::optional<int64_t> version;
  std::optional<int64_t> as_of_us;
  /// Reads: columns, filter, limit, endpoints, compression.
  ReadSelection read;
  /// Uploads: overwrite (PATH descriptors) or append.
  store::UploadMode mode = store::UploadMode::kOverwrite;
};

/// \brief What the descriptor is used for: each use accepts its own JSON keys.
enum class DescriptorUse {
  kRead,   ///< GetFlightInfo, GetSchema: "dataset", "version", "as_of", "columns",
           ///< "filter", "limit", "endpoints", "compression"
  kWrite,  ///< DoPut: "dataset", "mode"
};

/// \brief The request a descriptor makes: a PATH names a dataset (current version,
/// overwrite); a CMD holds a UTF-8 JSON object of the documented vocabulary.
arrow::Result<DatasetRequest> ParseDescriptor(
    const arrow::flight::FlightDescriptor& descriptor, DescriptorUse use);

/// \brief The descriptor clients use for a dataset: a PATH of its segments.
arrow::flight::FlightDescriptor DescriptorOf(const store::DatasetName& name);

/// \brief What a ticket designates: a dataset and, for minted tickets, the version
/// pinned when the ticket was made.
struct TicketRequest {
  store::DatasetName name;
  std::optional<int64_t> version;
  /// ".quiver/3/" tickets: columns, filter, limit, compression, row groups.
  ReadSelection read;
};

/// \brief A ticket for DoGet on one version of `name`: ".quiver/2/" followed by a
/// JSON object. No dataset name can start with '.', so tickets never look like names.
arrow::flight::Ticket MintTicket(const store::DatasetName& name, int64_t version);

/// \brief A self-contained ticket for a selective read of one version:
/// ".quiver/3/" followed by a JSON object with the dataset, the version and `read`'s
/// columns, filter, limit, compression and row-group range (`endpoints` is not kept).
arrow::flight::Ticket MintTicket(const store::DatasetName& name, int64_t version,
                                 const ReadSelection& read);

/// \brief Largest ticket accepted, in bytes (a command's filter and columns fit).
inline constexpr size_t kMaxTicketBytes = 192 * 1024;

/// \brief Parse a ticket: minted (".quiver/3/{json}", ".quiver/2/{json}", or
/// ".quiver/1/<name>" of earlier releases, meaning the current version), or (as the
/// cookbook's clients use) the bare dataset name "a/b". Tickets are untrusted: every
/// field is checked as strictly as in commands.
arrow::Result<TicketRequest> ParseTicket(std::string_view ticket);

/// \brief The body of a dataset action: a bare dataset name (as drop_dataset takes in
/// the cookbook) or a JSON object {"dataset": ..., "version": ...}; `version` is
/// accepted (and then required) only when `with_version`.
arrow::Result<DatasetRequest> ParseActionBody(std::string_view body,
                                              std::string_view action, bool with_version);

}  // namespace quiver::server
