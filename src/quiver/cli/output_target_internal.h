#pragma once

/// \file
/// Where `get` writes: a file, replaced only once complete, or stdout.

#include <memory>
#include <string>

#include <arrow/io/interfaces.h>
#include <arrow/result.h>

namespace quiver::cli {

/// \brief A buffered output that becomes visible only on Commit().
///
/// For a regular file (or a path that does not exist yet), data goes to
/// "FILE.partial" beside it and is renamed over FILE on Commit(); destroying an
/// uncommitted target removes the partial file, so a failed download never leaves a
/// truncated FILE. Anything else that exists (a device such as /dev/null, a FIFO, a
/// symbolic link) is written in place, never replaced. For stdout ("-"), Commit()
/// flushes.
class OutputTarget {
 public:
  /// \brief Open `path` ("-" = stdout).
  static arrow::Result<std::unique_ptr<OutputTarget>> Open(const std::string& path);
  ~OutputTarget();

  const std::shared_ptr<arrow::io::OutputStream>& stream() const { return stream_; }
  bool is_stdout() const { return path_ == "-"; }
  /// \brief Whether the output is written in place (stdout, device, FIFO, link).
  bool in_place() const { return in_place_; }

  /// \brief Flush and close, then move the file into place.
  arrow::Status Commit();

 private:
  OutputTarget(std::string path, bool in_place,
               std::shared_ptr<arrow::io::OutputStream> stream);

  std::string path_;
  bool in_place_;  ///< written directly, not through a partial file
  std::shared_ptr<arrow::io::OutputStream> stream_;
  bool committed_ = false;
};

}  // namespace quiver::cli
