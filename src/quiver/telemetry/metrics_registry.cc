#include "quiver/telemetry/metrics_registry.h"

#include <cmath>

#include <fmt/format.h>

namespace quiver::telemetry {
namespace {

std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

std::string EscapeHelp(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string EscapeLabelValue(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

/// `{a="x",b="y"}` (empty when there are no labels); `extra` is appended last.
std::string LabelSet(const std::vector<std::string>& names,
                     const std::vector<std::string>& values,
                     std::string_view extra = {}) {
  if (names.empty() && extra.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += fmt::format("{}=\"{}\"", names[i], EscapeLabelValue(values[i]));
  }
  if (!extra.empty()) {
    if (out.size() > 1) out += ',';
    out += extra;
  }
  out += '}';
  return out;
}

template <typename Metric>
void RenderScalars(const std::string& name, const Family<Metric>& family,
                   std::string& out) {
  family.ForEach([&](const std::vector<std::string>& values, const Metric& metric) {
    out += fmt::format("{}{} {}\n", name, LabelSet(family.label_names(), values),
                       FormatNumber(metric.value()));
  });
}

void RenderHistograms(const std::string& name, const Family<Histogram>& family,
                      std::string& out) {
  family.ForEach([&](const std::vector<std::string>& values, const Histogram& metric) {
    auto snapshot = metric.Read();
    const auto& names = family.label_names();
    for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
      std::string le =
          i < snapshot.bounds.size() ? FormatNumber(snapshot.bounds[i]) : "+Inf";
      out += fmt::format("{}_bucket{} {}\n", name,
                         LabelSet(names, values, fmt::format("le=\"{}\"", le)),
                         snapshot.cumulative[i]);
    }
    out += fmt::format("{}_sum{} {}\n", name, LabelSet(names, values),
                       FormatNumber(snapshot.sum));
    out += fmt::format("{}_count{} {}\n", name, LabelSet(names, values), snapshot.count);
  });
}

}  // namespace

struct MetricsRegistry::Entry {
  std::string name;
  std::string help;
  std::string type;
  std::function<void(std::string&)> render;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

Family<Counter>& MetricsRegistry::AddCounter(std::string name, std::string help,
                                             std::vector<std::string> label_names) {
  auto family = std::make_shared<Family<Counter>>(
      std::move(label_names), [] { return std::make_unique<Counter>(); });
  std::lock_guard lock(mutex_);
  entries_.push_back(std::make_unique<Entry>(
      Entry{name, std::move(help), "counter",
            [family, name](std::string& out) { RenderScalars(name, *family, out); }}));
  return *family;
}

Family<Gauge>& MetricsRegistry::AddGauge(std::string name, std::string help,
                                         std::vector<std::string> label_names) {
  auto family = std::make_shared<Family<Gauge>>(std::move(label_names),
                                                [] { return std::make_unique<Gauge>(); });
  std::lock_guard lock(mutex_);
  entries_.push_back(std::make_unique<Entry>(
      Entry{name, std::move(help), "gauge",
            [family, name](std::string& out) { RenderScalars(name, *family, out); }}));
  return *family;
}

Family<Histogram>& MetricsRegistry::AddHistogram(std::string name, std::string help,
                                                 std::vector<std::string> label_names,
                                                 std::vector<double> bounds) {
  auto family = std::make_shared<Family<Histogram>>(
      std::move(label_names), [bounds] { return std::make_unique<Histogram>(bounds); });
  std::lock_guard lock(mutex_);
  entries_.push_back(std::make_unique<Entry>(
      Entry{name, std::move(help), "histogram",
            [family, name](std::string& out) { RenderHistograms(name, *family, out); }}));
  return *family;
}

void MetricsRegistry::AddGaugeCallback(std::string name, std::string help,
                                       std::function<double()> read) {
  std::lock_guard lock(mutex_);
  entries_.push_back(std::make_unique<Entry>(
      Entry{name, std::move(help), "gauge", [name, read](std::string& out) {
              out += fmt::format("{} {}\n", name, FormatNumber(read()));
            }}));
}

void MetricsRegistry::AddCounterCallback(std::string name, std::string help,
                                         std::function<double()> read) {
  std::lock_guard lock(mutex_);
  entries_.push_back(std::make_unique<Entry>(
      Entry{name, std::move(help), "counter", [name, read](std::string& out) {
              out += fmt::format("{} {}\n", name, FormatNumber(read()));
            }}));
}

std::string MetricsRegistry::RenderText() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", entry->name,
                       EscapeHelp(entry->help), entry->name, entry->type);
    entry->render(out);
  }
  return out;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

}  // namespace quiver::telemetry
