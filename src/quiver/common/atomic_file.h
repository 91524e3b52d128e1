#pragma once

#include <string>
#include <string_view>

#include <sys/types.h>

#include <arrow/status.h>

namespace quiver {

/// \brief Replace the small file at `path` with `contents`, atomically and durably.
///
/// Writes a fresh temporary file beside `path` (same directory, so the rename is
/// atomic), sets its mode to exactly `mode` (fchmod: the umask does not apply),
/// writes and fsyncs it, renames it over `path`, and fsyncs the directory so that
/// the rename survives a crash. A reader sees the old file or the new one, never a
/// mix; a crash leaves at most a `<path>.tmp-*` file beside it.
///
/// For local files of the host (users file, CLI token cache), not for datasets, which
/// go through the store's file system.
///
/// \return IOError (carrying the errno) naming the step that failed. When a step up to
/// the rename fails, the old file is unchanged and the temporary file removed; when
/// only the directory fsync fails, the new file is in place but may not survive a
/// crash.
arrow::Status WriteFileAtomically(const std::string& path, std::string_view contents,
                                  mode_t mode = 0600);

}  // namespace quiver
