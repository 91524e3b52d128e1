#pragma once

#include <string_view>

#include <arrow/status.h>

namespace quiver::server {

/// \brief Shut down (shutdown(2), both directions) this process's TCP connection(s)
/// to the gRPC peer `peer` ("ipv4:127.0.0.1:5555", "ipv6:[::1]:5555"), accepted on
/// `local_port` (0: any).
///
/// Flight gives a handler no way to end a call that is blocked reading from or
/// writing to its client; shutting the socket down makes gRPC see the connection
/// end, cancel its calls and unblock their threads. gRPC still owns and closes the
/// descriptor. Linux only (it looks through /proc/self/fd).
/// \return KeyError when no such connection is open (it ended meanwhile), Invalid for
///         a peer that is not a TCP address.
arrow::Status CutConnection(std::string_view peer, int local_port);

}  // namespace quiver::server
