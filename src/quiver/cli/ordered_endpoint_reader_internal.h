#pragma once

/// \file
/// Reading the endpoints of one FlightInfo concurrently while handing their batches
/// on in endpoint order (`quiver get --parallel K`): the result is the same file as a
/// sequential read, and each endpoint's stream runs ahead by a bounded amount.

#include <cstdint>
#include <memory>
#include <vector>

#include <arrow/flight/types.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include "quiver/client/quiver_client.h"

namespace quiver::cli {

/// \brief Options of OrderedEndpointReader.
struct OrderedReadOptions {
  /// Endpoints read at once; 1 reads them one after the other on the caller's thread.
  int parallel = 1;
  /// Bytes of batches an endpoint ahead of the one being consumed may hold before its
  /// reader waits (gRPC flow control then holds the server back).
  int64_t max_buffered_bytes = 64 << 20;

  static OrderedReadOptions Defaults() { return {}; }
};

/// \brief The batches of several endpoints, endpoint after endpoint, read concurrently.
///
/// Not thread-safe: one consumer calls Next(). The reader threads it starts end
/// before the destructor returns (an unfinished read is cancelled).
class OrderedEndpointReader {
 public:
  /// \brief Start reading `endpoints` through `client` (which must outlive the
  /// reader): the first `options.parallel` streams are opened at once.
  static arrow::Result<std::unique_ptr<OrderedEndpointReader>> Open(
      client::QuiverClient& client, std::vector<arrow::flight::FlightEndpoint> endpoints,
      OrderedReadOptions options = OrderedReadOptions::Defaults());

  virtual ~OrderedEndpointReader() = default;

  /// \brief The schema of the first endpoint's stream (waits for it).
  virtual arrow::Result<std::shared_ptr<arrow::Schema>> schema() = 0;

  /// \brief The next batch in endpoint order; nullptr after the last one.
  /// \return the first error of any stream; Invalid if an endpoint's schema differs
  ///         from the first one's.
  virtual arrow::Result<std::shared_ptr<arrow::RecordBatch>> Next() = 0;

  /// \brief Stop every stream (the server sees the calls cancelled).
  virtual void Cancel() = 0;
};

}  // namespace quiver::cli
