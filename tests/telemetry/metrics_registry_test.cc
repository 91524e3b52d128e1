#include "quiver/telemetry/metrics_registry.h"

#include <limits>
#include <thread>

#include <gtest/gtest.h>

namespace quiver::telemetry {
namespace {

TEST(MetricsRegistryTest, RendersCountersWithLabelsSortedAndEscaped) {
  MetricsRegistry registry;
  auto& calls = registry.AddCounter("calls_total", "Calls.\nSecond line \\ done",
                                    {"method", "code"});
  calls.WithLabels({"DoPut", "OK"}).Increment(2);
  calls.WithLabels({"DoGet", "OK"}).Increment();
  calls.WithLabels({"DoGet", "say \"hi\"\\\n"}).Increment(0.5);
  calls.WithLabels({"DoGet", "OK"}).Increment(-5);  // ignored: counters only go up
  EXPECT_EQ(registry.RenderText(),
            "# HELP calls_total Calls.\\nSecond line \\\\ done\n"
            "# TYPE calls_total counter\n"
            "calls_total{method=\"DoGet\",code=\"OK\"} 1\n"
            "calls_total{method=\"DoGet\",code=\"say \\\"hi\\\"\\\\\\n\"} 0.5\n"
            "calls_total{method=\"DoPut\",code=\"OK\"} 2\n");
}

TEST(MetricsRegistryTest, RendersHistogramsCumulatively) {
  MetricsRegistry registry;
  auto& latency =
      registry.AddHistogram("latency_seconds", "Latency.", {"method"}, {0.25, 1, 10});
  auto& get = latency.WithLabels({"DoGet"});
  get.Observe(0.125);
  get.Observe(0.25);  // le is inclusive
  get.Observe(5);
  get.Observe(100);
  EXPECT_EQ(registry.RenderText(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{method=\"DoGet\",le=\"0.25\"} 2\n"
            "latency_seconds_bucket{method=\"DoGet\",le=\"1\"} 2\n"
            "latency_seconds_bucket{method=\"DoGet\",le=\"10\"} 3\n"
            "latency_seconds_bucket{method=\"DoGet\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{method=\"DoGet\"} 105.375\n"
            "latency_seconds_count{method=\"DoGet\"} 4\n");
}

TEST(MetricsRegistryTest, GaugesCallbacksAndUnlabelledFamilies) {
  MetricsRegistry registry;
  auto& in_flight = registry.AddGauge("in_flight", "Running.", {"method"});
  in_flight.WithLabels({"DoPut"}).Add(2);
  in_flight.WithLabels({"DoPut"}).Add(-1);
  registry.AddCounter("bytes_total", "Bytes.").Get().Increment(1e12);
  double datasets = 3;
  registry.AddGaugeCallback("datasets", "Datasets.", [&] { return datasets; });
  registry.AddCounterCallback("dropped_total", "Dropped.", [] { return 7.0; });
  registry.AddGaugeCallback("weird", "NaN and infinities.",
                            [] { return std::numeric_limits<double>::infinity(); });
  registry.AddGauge("empty", "No children yet.", {"x"});
  datasets = 4;  // read at render time
  EXPECT_EQ(registry.RenderText(),
            "# HELP in_flight Running.\n# TYPE in_flight gauge\n"
            "in_flight{method=\"DoPut\"} 1\n"
            "# HELP bytes_total Bytes.\n# TYPE bytes_total counter\n"
            "bytes_total 1000000000000\n"
            "# HELP datasets Datasets.\n# TYPE datasets gauge\ndatasets 4\n"
            "# HELP dropped_total Dropped.\n# TYPE dropped_total counter\n"
            "dropped_total 7\n"
            "# HELP weird NaN and infinities.\n# TYPE weird gauge\nweird +Inf\n"
            "# HELP empty No children yet.\n# TYPE empty gauge\n");
}

TEST(MetricsRegistryTest, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry registry;
  auto& counter = registry.AddCounter("n_total", "N.", {"t"});
  auto& histogram = registry.AddHistogram("h", "H.", {}, {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.WithLabels({"x"}).Increment();
        histogram.Get().Observe(0.5);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.WithLabels({"x"}).value(), 40000);
  auto snapshot = histogram.Get().Read();
  EXPECT_EQ(snapshot.count, 40000u);
  EXPECT_EQ(snapshot.sum, 20000);
}

}  // namespace
}  // namespace quiver::telemetry
