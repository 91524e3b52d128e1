#pragma once

#include <string>
#include <string_view>

#include <arrow/flight/types.h>
#include <arrow/result.h>

#include "quiver/store/dataset_name.h"

namespace quiver::server {

/// \brief The dataset a Flight descriptor designates.
///
/// PATH descriptors name a dataset with one or more segments. CMD descriptors are not
/// used by quiver (yet) and are refused with Invalid (INVALID_ARGUMENT on the wire).
arrow::Result<store::DatasetName> NameFromDescriptor(
    const arrow::flight::FlightDescriptor& descriptor);

/// \brief The descriptor clients use for a dataset: a PATH of its segments.
arrow::flight::FlightDescriptor DescriptorOf(const store::DatasetName& name);

/// \brief A ticket minted by quiver for DoGet on `name`.
///
/// Minted tickets start with ".quiver/1/" (no dataset name can start with '.'), which
/// leaves room to carry more than a name later without breaking old tickets.
arrow::flight::Ticket MintTicket(const store::DatasetName& name);

/// \brief The dataset a ticket designates: a minted ticket, or (as the cookbook's
/// clients use) the bare dataset name "a/b".
arrow::Result<store::DatasetName> NameFromTicket(std::string_view ticket);

}  // namespace quiver::server
