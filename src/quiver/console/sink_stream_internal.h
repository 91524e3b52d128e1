#pragma once

#include <httplib.h>

#include <arrow/io/interfaces.h>

namespace quiver::console {

/// \brief An OutputStream writing straight into an HTTP response (httplib's DataSink
/// of a chunked response): nothing is buffered here, so a download holds only what
/// its writer (Parquet, CSV, IPC) buffers itself.
///
/// Write fails with IOError once the client has gone (the sink refuses the bytes).
class SinkOutputStream : public arrow::io::OutputStream {
 public:
  explicit SinkOutputStream(httplib::DataSink* sink) : sink_(sink) {}

  arrow::Status Write(const void* data, int64_t nbytes) override;
  using arrow::io::OutputStream::Write;
  arrow::Result<int64_t> Tell() const override { return position_; }
  arrow::Status Close() override {
    closed_ = true;
    return arrow::Status::OK();
  }
  bool closed() const override { return closed_; }

 private:
  httplib::DataSink* sink_;
  int64_t position_ = 0;
  bool closed_ = false;
};

}  // namespace quiver::console
