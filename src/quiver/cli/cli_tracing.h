#pragma once

#include <memory>

#include <arrow/flight/client_middleware.h>

#include "quiver/telemetry/tracer.h"

namespace quiver::cli {

/// \brief Tracing for one run of `quiver`, configured by the standard OTEL_* variables
/// (off unless they ask for it, see docs/operations.md).
///
/// Every Flight call then gets a client span whose context is sent to quiverd, so the
/// server's spans join the CLI's trace. The destructor flushes pending spans.
class CliTracing {
 public:
  /// \brief Read the environment. An invalid configuration turns tracing off with a
  /// warning on stderr (the CLI's job is the data, not the traces).
  static CliTracing FromEnvironment();
  ~CliTracing();
  CliTracing(CliTracing&&) = default;

  /// \brief The client middleware to put on every connection.
  std::shared_ptr<arrow::flight::ClientMiddlewareFactory> middleware() const;

 private:
  CliTracing() = default;
  std::shared_ptr<telemetry::Tracer> tracer_;
};

}  // namespace quiver::cli
