#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arrow/buffer.h>
#include <arrow/util/io_util.h>

#include "quiver/store/cache/mapped_input_stream_internal.h"

namespace quiver::store {
namespace {

constexpr int64_t kSmallestMapping = 256 * 1024;

/// A buffer over part of a mapping it owns.
class MappedBuffer : public arrow::Buffer {
 public:
  MappedBuffer(void* mapping, size_t mapping_size, int64_t offset, int64_t size)
      : arrow::Buffer(static_cast<const uint8_t*>(mapping) + offset, size),
        mapping_(mapping),
        mapping_size_(mapping_size) {}
  ~MappedBuffer() override { ::munmap(mapping_, mapping_size_); }

 private:
  void* mapping_;
  size_t mapping_size_;
};

class MappedInputStream : public arrow::io::InputStream {
 public:
  MappedInputStream(int fd, int64_t size) : fd_(fd), size_(size) {}
  ~MappedInputStream() override { (void)DoClose(); }

  arrow::Status Close() override { return DoClose(); }
  bool closed() const override { return fd_ < 0; }
  arrow::Result<int64_t> Tell() const override { return position_; }

  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    ARROW_RETURN_NOT_OK(CheckOpen());
    int64_t want = std::min(nbytes, size_ - position_), done = 0;
    while (done < want) {
      ssize_t n = ::pread(fd_, static_cast<uint8_t*>(out) + done,
                          static_cast<size_t>(want - done), position_ + done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return arrow::internal::IOErrorFromErrno(errno, "cannot read a file");
      if (n == 0) break;  // the file shrank: a short read
      done += n;
    }
    position_ += done;
    return done;
  }

  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    ARROW_RETURN_NOT_OK(CheckOpen());
    int64_t want = std::max<int64_t>(0, std::min(nbytes, size_ - position_));
    if (want >= kSmallestMapping) {
      static const int64_t page = ::sysconf(_SC_PAGESIZE);
      int64_t start = position_ - position_ % page, offset = position_ - start;
      auto length = static_cast<size_t>(offset + want);
      void* mapping = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_,
                             static_cast<off_t>(start));
      if (mapping != MAP_FAILED) {
        position_ += want;
        return std::make_shared<MappedBuffer>(mapping, length, offset, want);
      }
      // No address space or mapping refused: read a copy instead.
    }
    ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateResizableBuffer(want));
    ARROW_ASSIGN_OR_RAISE(int64_t got, Read(want, buffer->mutable_data()));
    ARROW_RETURN_NOT_OK(buffer->Resize(got, /*shrink_to_fit=*/false));
    return std::shared_ptr<arrow::Buffer>(std::move(buffer));
  }

 private:
  arrow::Status CheckOpen() const {
    if (fd_ < 0) return arrow::Status::Invalid("the file is closed");
    return arrow::Status::OK();
  }

  arrow::Status DoClose() {
    // Mappings outlive the descriptor: buffers still in use stay valid.
    if (fd_ >= 0 && ::close(fd_) != 0 && errno != EINTR) {
      fd_ = -1;
      return arrow::internal::IOErrorFromErrno(errno, "cannot close a file");
    }
    fd_ = -1;
    return arrow::Status::OK();
  }

  int fd_;
  int64_t size_;
  int64_t position_ = 0;
};

}  // namespace

arrow::Result<std::shared_ptr<arrow::io::InputStream>> OpenMappedInputStream(
    const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return arrow::internal::IOErrorFromErrno(errno, "cannot open a file");
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    return arrow::internal::IOErrorFromErrno(error, "cannot stat a file");
  }
  return std::make_shared<MappedInputStream>(fd, static_cast<int64_t>(info.st_size));
}

}  // namespace quiver::store
