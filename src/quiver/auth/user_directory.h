#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <arrow/result.h>

#include "quiver/auth/user_record.h"

namespace quiver::auth {

/// \brief Where the users come from.
struct UserDirectoryOptions {
  /// The users file; it is read again when it changes (a new file renamed over it, as
  /// `quiverd user ...` does, or a new modification time or size).
  std::string path;
  /// The file is looked at (one stat) at most this often, on the calling thread.
  std::chrono::milliseconds check_interval = std::chrono::seconds(1);

  static UserDirectoryOptions Defaults() { return {}; }
};

/// \brief The users the server knows: a fixed list, or a users file followed as it
/// changes, so that `quiverd user add|passwd|remove` take effect without a restart.
///
/// A changed file that cannot be read (wrong mode, malformed) is refused with a warning
/// in the log and the previous users stay in force. Thread-safe.
class UserDirectory {
 public:
  /// \brief A fixed set of users (no file).
  static std::shared_ptr<UserDirectory> MakeFixed(std::vector<UserRecord> users);

  /// \brief Read the users file now and follow it.
  /// \return the errors of ReadUsersFile.
  static arrow::Result<std::shared_ptr<UserDirectory>> Open(UserDirectoryOptions options);

  /// \brief The user of that name, or nullptr. May first re-read the file (see
  /// check_interval). The record stays valid as long as the pointer is held.
  std::shared_ptr<const UserRecord> Find(const std::string& name);

  /// \brief Read the users file again now, whether or not it looks changed (SIGHUP).
  /// A file that cannot be read is refused with a warning in the log and the previous
  /// users stay in force. No-op for a fixed set of users.
  /// \return the errors of ReadUsersFile.
  arrow::Status Reload();

  /// \brief How many times the file was (re)loaded, the first time included.
  int loads() const;

 private:
  using Users = std::unordered_map<std::string, std::shared_ptr<const UserRecord>>;
  struct FileIdentity {
    uint64_t device = 0, inode = 0;
    // ctime changes with chmod too, so a file refused for its mode is retried once fixed.
    int64_t size = -1, mtime_ns = 0, ctime_ns = 0;
    bool operator==(const FileIdentity&) const = default;
  };

  explicit UserDirectory(UserDirectoryOptions options) : options_(std::move(options)) {}
  void Set(std::vector<UserRecord> users);
  // REQUIRES: mutex_ held.
  void MaybeReload();

  const UserDirectoryOptions options_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Users> users_;
  FileIdentity identity_;
  FileIdentity
      refused_;  // a changed file that failed to load, not retried until it changes
  std::chrono::steady_clock::time_point last_check_;
  int loads_ = 0;
};

}  // namespace quiver::auth
