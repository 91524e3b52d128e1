#include "quiver/server/dataset_addressing_internal.h"

namespace quiver::server {
namespace {
constexpr std::string_view kTicketPrefix = ".quiver/1/";
}

arrow::Result<store::DatasetName> NameFromDescriptor(
    const arrow::flight::FlightDescriptor& descriptor) {
  if (descriptor.type != arrow::flight::FlightDescriptor::PATH) {
    return arrow::Status::Invalid(
        "quiver addresses datasets by PATH descriptors; CMD descriptors are not "
        "supported");
  }
  return store::DatasetName::Make(descriptor.path);
}

arrow::flight::FlightDescriptor DescriptorOf(const store::DatasetName& name) {
  return arrow::flight::FlightDescriptor::Path(name.segments());
}

arrow::flight::Ticket MintTicket(const store::DatasetName& name) {
  return arrow::flight::Ticket{std::string(kTicketPrefix) + name.ToString()};
}

arrow::Result<store::DatasetName> NameFromTicket(std::string_view ticket) {
  if (ticket.starts_with(kTicketPrefix)) ticket.remove_prefix(kTicketPrefix.size());
  auto name = store::DatasetName::Parse(ticket);
  if (!name.ok()) {
    return arrow::Status::Invalid("invalid ticket: ", name.status().message());
  }
  return name;
}

}  // namespace quiver::server
