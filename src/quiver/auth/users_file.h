#pragma once

#include <string>
#include <vector>

#include <arrow/result.h>

#include "quiver/auth/user_record.h"

namespace quiver::auth {

/// \file
/// The users file: a JSON document holding names, roles, grants and argon2id
/// password hashes (never a password):
///
///     {"version": 1, "users": [{"name": "alice", "role": "writer",
///       "password_hash": "$argon2id$v=19$...", "grants": ["sales"]}]}
///
/// It is a local file of the host quiverd runs on: it is read and written with POSIX
/// calls, not through the store's filesystem.

/// \brief Read and validate a users file.
///
/// \return IOError if it cannot be read; Invalid if it is group- or world-accessible
///         (the message says to run chmod 600), malformed, or holds a duplicate or
///         invalid user. A missing file is an IOError unless `missing_ok`, in which
///         case it reads as empty (for `quiverd user add` on a new file).
arrow::Result<std::vector<UserRecord>> ReadUsersFile(const std::string& path,
                                                     bool missing_ok = false);

/// \brief Replace the users file atomically: write a temporary file of mode 0600 in
/// the same directory, fsync it, rename it over `path`, fsync the directory. A reader
/// sees either the old file or the new one.
/// \return IOError naming the step that failed (the old file is then unchanged).
arrow::Status WriteUsersFile(const std::string& path,
                             const std::vector<UserRecord>& users);

/// \brief Check that a secret file (users file, token key) is not accessible by group
/// or others. \return Invalid telling how to fix it, IOError if it cannot be stat'ed.
arrow::Status CheckPrivateFile(const std::string& path, const std::string& what);

}  // namespace quiver::auth
