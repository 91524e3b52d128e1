#pragma once

/// \file
/// How Flight requests designate datasets and versions: PATH descriptors, the JSON
/// command vocabulary of CMD descriptors (docs/protocol.md), tickets and action bodies.
/// Everything here parses untrusted client input and returns Invalid on bad input.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <arrow/flight/types.h>
#include <arrow/result.h>

#include "quiver/store/dataset_name.h"
#include "quiver/store/dataset_upload.h"

namespace quiver::server {

/// \brief What a request asks of a dataset.
struct DatasetRequest {
  explicit DatasetRequest(store::DatasetName dataset) : name(std::move(dataset)) {}

  store::DatasetName name;
  /// Time travel (reads): a version number, or the version current at a time.
  std::optional<int64_t> version;
  std::optional<int64_t> as_of_us;
  /// Uploads: overwrite (PATH descriptors) or append.
  store::UploadMode mode = store::UploadMode::kOverwrite;
};

/// \brief What the descriptor is used for: each use accepts its own JSON keys.
enum class DescriptorUse {
  kRead,   ///< GetFlightInfo, GetSchema: "dataset", "version", "as_of"
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
};

/// \brief A ticket for DoGet on one version of `name`: ".quiver/2/" followed by a
/// JSON object. No dataset name can start with '.', so tickets never look like names.
arrow::flight::Ticket MintTicket(const store::DatasetName& name, int64_t version);

/// \brief Parse a ticket: minted (".quiver/2/{json}", or ".quiver/1/<name>" of
/// earlier releases, meaning the current version), or (as the cookbook's clients use)
/// the bare dataset name "a/b".
arrow::Result<TicketRequest> ParseTicket(std::string_view ticket);

/// \brief The body of a dataset action: a bare dataset name (as drop_dataset takes in
/// the cookbook) or a JSON object {"dataset": ..., "version": ...}; `version` is
/// accepted (and then required) only when `with_version`.
arrow::Result<DatasetRequest> ParseActionBody(std::string_view body,
                                              std::string_view action, bool with_version);

}  // namespace quiver::server
