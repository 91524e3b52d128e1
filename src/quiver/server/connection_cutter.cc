#include <charconv>
#include <cstring>
#include <string>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "quiver/server/connection_cutter_internal.h"

namespace quiver::server {
namespace {

/// The peer as a socket address; false when it is not "ipv4:A:P" or "ipv6:[A]:P".
bool ParsePeer(std::string_view peer, sockaddr_storage* address) {
  std::memset(address, 0, sizeof(*address));
  const bool v4 = peer.starts_with("ipv4:");
  const bool v6 = peer.starts_with("ipv6:");
  if (!v4 && !v6) return false;
  peer.remove_prefix(5);
  auto colon = peer.rfind(':');
  if (colon == std::string_view::npos) return false;
  int port = 0;
  auto port_text = peer.substr(colon + 1);
  auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port <= 0 ||
      port > 65535) {
    return false;
  }
  std::string host(peer.substr(0, colon));
  if (v4) {
    auto* in = reinterpret_cast<sockaddr_in*>(address);
    in->sin_family = AF_INET;
    in->sin_port = htons(static_cast<uint16_t>(port));
    return inet_pton(AF_INET, host.c_str(), &in->sin_addr) == 1;
  }
  if (host.size() < 2 || host.front() != '[' || host.back() != ']') return false;
  host = host.substr(1, host.size() - 2);
  if (auto percent = host.find('%'); percent != std::string::npos) host.resize(percent);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(address);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(static_cast<uint16_t>(port));
  return inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) == 1;
}

/// An IPv4 address mapped into IPv6 (a dual-stack listener) as the IPv4 address gRPC
/// names it by.
sockaddr_storage Unmapped(const sockaddr_storage& address) {
  if (address.ss_family != AF_INET6) return address;
  const auto& in6 = reinterpret_cast<const sockaddr_in6&>(address);
  if (!IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr)) return address;
  sockaddr_storage out;
  std::memset(&out, 0, sizeof(out));
  auto* in = reinterpret_cast<sockaddr_in*>(&out);
  in->sin_family = AF_INET;
  in->sin_port = in6.sin6_port;
  std::memcpy(&in->sin_addr, &in6.sin6_addr.s6_addr[12], 4);
  return out;
}

bool SameEndpoint(const sockaddr_storage& a_in, const sockaddr_storage& b) {
  const sockaddr_storage a = Unmapped(a_in);
  if (a.ss_family != b.ss_family) return false;
  if (a.ss_family == AF_INET) {
    const auto& x = reinterpret_cast<const sockaddr_in&>(a);
    const auto& y = reinterpret_cast<const sockaddr_in&>(b);
    return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
  }
  const auto& x = reinterpret_cast<const sockaddr_in6&>(a);
  const auto& y = reinterpret_cast<const sockaddr_in6&>(b);
  return x.sin6_port == y.sin6_port &&
         std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof(x.sin6_addr)) == 0;
}

int PortOf(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
}

}  // namespace

arrow::Status CutConnection(std::string_view peer, int local_port) {
  sockaddr_storage wanted;
  if (!ParsePeer(peer, &wanted)) {
    return arrow::Status::Invalid("not a TCP peer: '", peer, "'");
  }
  DIR* fds = opendir("/proc/self/fd");
  if (fds == nullptr) return arrow::Status::IOError("cannot list this process's sockets");
  int cut = 0;
  const int own = dirfd(fds);
  while (dirent* entry = readdir(fds)) {
    int fd = 0;
    const char* name = entry->d_name;
    auto [end, ec] = std::from_chars(name, name + std::strlen(name), fd);
    if (ec != std::errc() || *end != '\0' || fd == own) continue;
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
    sockaddr_storage remote, local;
    socklen_t remote_size = sizeof(remote), local_size = sizeof(local);
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&remote), &remote_size) != 0 ||
        !SameEndpoint(remote, wanted)) {
      continue;
    }
    if (local_port != 0 &&
        (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
         PortOf(local) != local_port)) {
      continue;
    }
    if (shutdown(fd, SHUT_RDWR) == 0) ++cut;
  }
  closedir(fds);
  if (cut == 0) return arrow::Status::KeyError("no open connection from '", peer, "'");
  return arrow::Status::OK();
}

}  // namespace quiver::server
