#include <cstdio>
#include <filesystem>
#include <system_error>

#include <arrow/io/buffered.h>
#include <arrow/io/file.h>
#include <arrow/io/stdio.h>

#include "quiver/cli/output_target_internal.h"

namespace quiver::cli {
namespace {

constexpr int64_t kBufferBytes = 1 << 20;

std::string PartialPath(const std::string& path) { return path + ".partial"; }

}  // namespace

OutputTarget::OutputTarget(std::string path, bool in_place,
                           std::shared_ptr<arrow::io::OutputStream> stream)
    : path_(std::move(path)), in_place_(in_place), stream_(std::move(stream)) {}

OutputTarget::~OutputTarget() {
  if (committed_ || in_place_) return;
  (void)stream_->Close();
  std::error_code ignored;
  std::filesystem::remove(PartialPath(path_), ignored);
}

arrow::Result<std::unique_ptr<OutputTarget>> OutputTarget::Open(const std::string& path) {
  std::shared_ptr<arrow::io::OutputStream> raw;
  bool in_place = true;
  if (path == "-") {
    raw = std::make_shared<arrow::io::StdoutStream>();
  } else {
    std::error_code error;
    auto status = std::filesystem::symlink_status(path, error);
    in_place =
        std::filesystem::exists(status) && !std::filesystem::is_regular_file(status);
    ARROW_ASSIGN_OR_RAISE(
        raw, arrow::io::FileOutputStream::Open(in_place ? path : PartialPath(path)));
  }
  ARROW_ASSIGN_OR_RAISE(auto buffered,
                        arrow::io::BufferedOutputStream::Create(
                            kBufferBytes, arrow::default_memory_pool(), std::move(raw)));
  return std::unique_ptr<OutputTarget>(
      new OutputTarget(path, in_place, std::move(buffered)));
}

arrow::Status OutputTarget::Commit() {
  if (is_stdout()) {
    ARROW_RETURN_NOT_OK(stream_->Flush());
    std::fflush(stdout);
    committed_ = true;
    return arrow::Status::OK();
  }
  ARROW_RETURN_NOT_OK(stream_->Close());
  if (!in_place_) {
    std::error_code error;
    std::filesystem::rename(PartialPath(path_), path_, error);
    if (error) {
      return arrow::Status::IOError("cannot move the download into place at '", path_,
                                    "': ", error.message());
    }
  }
  committed_ = true;
  return arrow::Status::OK();
}

}  // namespace quiver::cli
