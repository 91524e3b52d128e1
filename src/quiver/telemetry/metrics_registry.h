#pragma once

/// \file
/// Metrics kept in process and rendered in the Prometheus text exposition format
/// (version 0.0.4). Register families once at start-up; update them from any thread.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "quiver/telemetry/metric_types.h"

namespace quiver::telemetry {

/// \brief A named metric with a fixed set of label names; one child per label values.
template <typename Metric>
class Family {
 public:
  Family(std::vector<std::string> label_names,
         std::function<std::unique_ptr<Metric>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  /// \brief The child for `values` (one per label name, in order), created on first
  /// use. The reference stays valid as long as the registry; callers on hot paths
  /// keep it. Thread-safe.
  Metric& WithLabels(const std::vector<std::string>& values) {
    std::lock_guard lock(mutex_);
    auto& slot = children_[values];
    if (!slot) slot = make_();
    return *slot;
  }
  /// \brief The child of a family without labels.
  Metric& Get() { return WithLabels({}); }

  const std::vector<std::string>& label_names() const { return label_names_; }

  /// \brief Call `visit(label_values, metric)` for every child, sorted by labels.
  template <typename Visit>
  void ForEach(Visit&& visit) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, metric] : children_) visit(values, *metric);
  }

 private:
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

/// \brief Owns metric families and renders them all. Thread-safe.
class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  /// \brief Add a counter family. `name` should end in "_total" (Prometheus
  /// convention); names must be unique in the registry and match
  /// [a-zA-Z_:][a-zA-Z0-9_:]*, which the caller guarantees.
  Family<Counter>& AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names = {});
  /// \param bounds bucket upper bounds, strictly increasing.
  Family<Histogram>& AddHistogram(std::string name, std::string help,
                                  std::vector<std::string> label_names,
                                  std::vector<double> bounds);
  /// \brief A gauge without labels whose value `read` returns at each scrape. `read`
  /// is called from the scraping thread and must be thread-safe.
  void AddGaugeCallback(std::string name, std::string help, std::function<double()> read);
  /// \brief Like AddGaugeCallback for a counter (`read` must never decrease).
  void AddCounterCallback(std::string name, std::string help,
                          std::function<double()> read);

  /// \brief Every family in registration order, as Prometheus text.
  std::string RenderText() const;

 private:
  struct Entry;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

/// \brief Latency buckets in seconds, 1 ms to 60 s.
std::vector<double> DefaultLatencyBuckets();

}  // namespace quiver::telemetry
