#include "quiver/server/server_metrics.h"

#include <string>

namespace quiver::server {
namespace {

/// Object-store requests into the registry's quiver_object_store_* families.
class ObjectStoreMetrics : public store::ObjectStoreListener {
 public:
  explicit ObjectStoreMetrics(const std::shared_ptr<telemetry::MetricsRegistry>& owner)
      : owner_(owner),
        requests_(owner->AddCounter(
            "quiver_object_store_requests_total",
            "Requests made to the object store, by operation (stat, list, open_read, "
            "read, open_write, write, close_write, delete, create_exclusive, ...).",
            {"operation"})),
        errors_(owner->AddCounter("quiver_object_store_errors_total",
                                  "Object-store requests that failed, by operation.",
                                  {"operation"})),
        bytes_(owner->AddCounter(
            "quiver_object_store_bytes_total",
            "Payload bytes read from (read) or handed to (write, create_exclusive) the "
            "object store.",
            {"operation"})),
        latency_(owner->AddHistogram("quiver_object_store_request_duration_seconds",
                                     "Time of object-store requests, by operation.",
                                     {"operation"},
                                     {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                      0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})) {}

  void OnRequest(const store::ObjectStoreRequest& request) override {
    // The families live as long as the registry, which may go before the store.
    auto alive = owner_.lock();
    if (!alive) return;
    const std::vector<std::string> labels{std::string(request.operation)};
    requests_.WithLabels(labels).Increment();
    if (request.error) errors_.WithLabels(labels).Increment();
    if (request.bytes > 0) {
      bytes_.WithLabels(labels).Increment(static_cast<double>(request.bytes));
    }
    latency_.WithLabels(labels).Observe(request.seconds);
  }

 private:
  std::weak_ptr<telemetry::MetricsRegistry> owner_;
  telemetry::Family<telemetry::Counter>& requests_;
  telemetry::Family<telemetry::Counter>& errors_;
  telemetry::Family<telemetry::Counter>& bytes_;
  telemetry::Family<telemetry::Histogram>& latency_;
};

/// A counter metric read from one std::atomic field of a counters struct.
template <typename Counters>
struct CounterField {
  const char* name;
  const char* help;
  const std::atomic<int64_t> Counters::*field;
};

/// Registers each of `fields`, read from the struct `counters()` returns.
template <typename Counters, size_t N, typename Get>
void AddCounterFields(telemetry::MetricsRegistry& registry,
                      const CounterField<Counters> (&fields)[N], Get counters) {
  for (const auto& counter : fields) {
    auto field = counter.field;
    registry.AddCounterCallback(counter.name, counter.help, [counters, field] {
      return static_cast<double>((counters().*field).load());
    });
  }
}

/// quiver_part_cache_*: registered only when the store has a part cache.
void AddPartCacheMetrics(telemetry::MetricsRegistry& registry,
                         const std::shared_ptr<store::DatasetStore>& store) {
  if (store->part_cache() == nullptr) return;
  static const CounterField<store::PartCacheCounters> kCounters[] = {
      {"quiver_part_cache_hits_total", "Parts read from the part cache.",
       &store::PartCacheCounters::hits},
      {"quiver_part_cache_misses_total",
       "Parts read from Parquet that a read could have taken from the part cache.",
       &store::PartCacheCounters::misses},
      {"quiver_part_cache_fills_total", "Parts written to the part cache.",
       &store::PartCacheCounters::fills},
      {"quiver_part_cache_fill_errors_total",
       "Parts not written to the part cache because of an error (disk full, part "
       "larger than the cache).",
       &store::PartCacheCounters::fill_errors},
      {"quiver_part_cache_evictions_total",
       "Parts removed from the part cache to keep it under --cache-size.",
       &store::PartCacheCounters::evictions},
  };
  AddCounterFields(registry, kCounters, [store]() -> const store::PartCacheCounters& {
    return store->part_cache()->counters();
  });
  registry.AddGaugeCallback(
      "quiver_part_cache_bytes", "Bytes held by the part cache.",
      [store] { return static_cast<double>(store->part_cache()->bytes()); });
  registry.AddGaugeCallback(
      "quiver_part_cache_entries", "Parts held by the part cache.",
      [store] { return static_cast<double>(store->part_cache()->entries()); });
}

}  // namespace

std::shared_ptr<ServerMetrics> ServerMetrics::Make(
    telemetry::MetricsRegistry& registry, std::shared_ptr<store::DatasetStore> store,
    std::shared_ptr<telemetry::Tracer> tracer) {
  auto metrics = std::make_shared<ServerMetrics>();
  metrics->calls = &registry.AddCounter(
      "quiver_rpc_calls_total", "Flight calls completed, by method and gRPC status code.",
      {"method", "code"});
  metrics->latency = &registry.AddHistogram(
      "quiver_rpc_duration_seconds",
      "Time from the start of a Flight call to its completion, streaming included.",
      {"method"}, telemetry::DefaultLatencyBuckets());
  metrics->in_flight = &registry.AddGauge(
      "quiver_rpc_in_flight", "Flight calls (streams included) currently running.",
      {"method"});
  metrics->bytes_received =
      &registry
           .AddCounter("quiver_received_bytes_total",
                       "Arrow buffer bytes of record batches received by DoPut.")
           .Get();
  metrics->bytes_sent =
      &registry
           .AddCounter("quiver_sent_bytes_total",
                       "Arrow buffer bytes of record batches sent by DoGet.")
           .Get();
  metrics->rows_received =
      &registry.AddCounter("quiver_received_rows_total", "Rows received by DoPut.").Get();
  metrics->rows_sent =
      &registry.AddCounter("quiver_sent_rows_total", "Rows sent by DoGet.").Get();
  metrics->uploads_failed =
      &registry
           .AddCounter("quiver_uploads_failed_total",
                       "DoPut calls that ended in an error (nothing was committed).")
           .Get();
  metrics->uploads_aborted =
      &registry
           .AddCounter("quiver_uploads_aborted_total",
                       "DoPut calls cancelled or abandoned by the client (nothing was "
                       "committed).")
           .Get();
  metrics->limit_refusals = &registry.AddCounter(
      "quiver_limit_refusals_total",
      "Streams refused or cut by a limit: max-upload-bytes, max-streams, "
      "max-streams-per-user, stream-idle-timeout.",
      {"limit"});
  registry.AddGaugeCallback("quiver_datasets", "Datasets stored.", [store] {
    return static_cast<double>(store->dataset_count());
  });
  registry.AddGaugeCallback(
      "quiver_datasets_bytes", "Total size of the stored datasets' Parquet files.",
      [store] { return static_cast<double>(store->total_bytes()); });
  static const CounterField<store::MaintenanceCounters> kStoreCounters[] = {
      {"quiver_gc_runs_total", "Garbage collection passes run.",
       &store::MaintenanceCounters::gc_runs},
      {"quiver_gc_versions_deleted_total", "Versions deleted by retention.",
       &store::MaintenanceCounters::versions_deleted},
      {"quiver_gc_parts_deleted_total", "Parquet parts deleted by retention.",
       &store::MaintenanceCounters::parts_deleted},
      {"quiver_gc_bytes_deleted_total", "Bytes of Parquet parts deleted by retention.",
       &store::MaintenanceCounters::bytes_deleted},
      {"quiver_gc_errors_total", "Deletions or reads that failed during GC.",
       &store::MaintenanceCounters::gc_errors},
      {"quiver_compactions_total", "Compactions committed (automatic and requested).",
       &store::MaintenanceCounters::compactions},
      {"quiver_compaction_errors_total", "Compactions that failed.",
       &store::MaintenanceCounters::compaction_errors},
  };
  AddCounterFields(
      registry, kStoreCounters,
      [store]() -> const store::MaintenanceCounters& { return store->counters(); });
  registry.AddCounterCallback(
      "quiver_row_groups_read_total",
      "Parquet row groups read by DoGet (whole reads count every row group).", [store] {
        return static_cast<double>(store->read_counters().row_groups_read.load());
      });
  registry.AddCounterCallback(
      "quiver_row_groups_skipped_total",
      "Parquet row groups a read's filter ruled out from their statistics (never read).",
      [store] {
        return static_cast<double>(store->read_counters().row_groups_skipped.load());
      });
  AddPartCacheMetrics(registry, store);
  registry.AddCounterCallback(
      "quiver_spans_exported_total", "Trace spans accepted by the OTLP collector.",
      [tracer] { return tracer ? static_cast<double>(tracer->counts().exported) : 0.0; });
  registry.AddCounterCallback(
      "quiver_spans_dropped_total",
      "Trace spans lost: export queue full, collector unreachable or refusing.",
      [tracer] { return tracer ? static_cast<double>(tracer->counts().dropped) : 0.0; });
  return metrics;
}

void AddObjectStoreMetrics(const std::shared_ptr<telemetry::MetricsRegistry>& registry,
                           store::DatasetStore& store) {
  // Families are registered only for a metered (object-store) root.
  if (store.options().shared) {
    store.SetObjectStoreListener(std::make_shared<ObjectStoreMetrics>(registry));
  }
}

}  // namespace quiver::server
