#pragma once

#include <memory>

#include "quiver/store/dataset_store.h"
#include "quiver/telemetry/metrics_registry.h"
#include "quiver/telemetry/tracer.h"

namespace quiver::server {

/// \brief quiverd's metric families, registered in one registry (see
/// docs/operations.md for the names).
///
/// Updated by the RPC telemetry middleware from Flight's threads; the store and span
/// figures are read at scrape time. Thread-safe.
struct ServerMetrics {
  telemetry::Family<telemetry::Counter>* calls = nullptr;      // {method, code}
  telemetry::Family<telemetry::Histogram>* latency = nullptr;  // {method}
  telemetry::Family<telemetry::Gauge>* in_flight = nullptr;    // {method}
  telemetry::Counter* bytes_received = nullptr;
  telemetry::Counter* bytes_sent = nullptr;
  telemetry::Counter* rows_received = nullptr;
  telemetry::Counter* rows_sent = nullptr;
  telemetry::Counter* uploads_failed = nullptr;
  telemetry::Counter* uploads_aborted = nullptr;
  telemetry::Family<telemetry::Counter>* limit_refusals = nullptr;  // {limit}

  /// \brief Register every family in `registry`. `store` feeds the datasets gauges;
  /// `tracer` (may be null) feeds the span counters. Both are kept alive by the
  /// registry's callbacks.
  static std::shared_ptr<ServerMetrics> Make(telemetry::MetricsRegistry& registry,
                                             std::shared_ptr<store::DatasetStore> store,
                                             std::shared_ptr<telemetry::Tracer> tracer);
};

/// \brief Count the object-store requests of `store` (when its file system is a
/// store::MeteredFileSystem, as object-store roots are) in `registry`:
/// quiver_object_store_{requests,errors,bytes}_total and
/// quiver_object_store_request_duration_seconds, by operation. The registry may be
/// destroyed before the store: requests are then no longer counted.
void AddObjectStoreMetrics(const std::shared_ptr<telemetry::MetricsRegistry>& registry,
                           store::DatasetStore& store);

}  // namespace quiver::server
