#include <spdlog/spdlog.h>

#include "quiver/app/service_runner_internal.h"

namespace quiver::app {
namespace {

namespace flight = arrow::flight;

/// A Flight server with no methods: only starts and stops, to try certificates.
class TrialServer : public flight::FlightServerBase {};

arrow::Status TryCertificates(const server::ServeOptions& options) {
  ARROW_ASSIGN_OR_RAISE(auto location, flight::Location::ForGrpcTls("127.0.0.1", 0));
  flight::FlightServerOptions trial_options(location);
  trial_options.tls_certificates = options.tls_certificates;
  if (!options.tls_client_ca.empty()) {
    trial_options.verify_client = true;
    trial_options.root_certificates = options.tls_client_ca;
  }
  TrialServer trial;
  auto status = trial.Init(trial_options);
  if (!status.ok()) {
    return arrow::Status::Invalid(
        "the TLS certificate, key or client CA was refused (does the key belong to "
        "the certificate?): ",
        status.message());
  }
  return trial.Shutdown();
}

}  // namespace

arrow::Result<std::unique_ptr<ServiceRunner>> ServiceRunner::Start(
    std::shared_ptr<store::DatasetStore> store, server::ServeOptions options,
    const std::string& host) {
  server::InstallLimits(&options);  // one set of stream counts for every server
  std::unique_ptr<ServiceRunner> runner(new ServiceRunner(store, options));
  ARROW_ASSIGN_OR_RAISE(runner->current_,
                        server::StartService(store, std::move(options)));
  // Later servers take over this port.
  ARROW_ASSIGN_OR_RAISE(runner->options_.listen,
                        flight::Location::ForScheme(runner->options_.listen.scheme(),
                                                    host, runner->current_->port()));
  return runner;
}

ServiceRunner::~ServiceRunner() { Shutdown(std::chrono::system_clock::now()); }

int ServiceRunner::port() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_ ? current_->port() : 0;
}

arrow::Result<std::shared_ptr<server::QuiverService>> ServiceRunner::StartOnPort(
    const server::ServeOptions& options) {
  // The replaced server's listening socket closes when its shutdown begins, on another
  // thread: retry for a while.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    auto started = server::StartService(store_, options);
    if (started.ok()) return std::shared_ptr<server::QuiverService>(std::move(*started));
    if (std::chrono::steady_clock::now() > deadline) return started.status();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

arrow::Status ServiceRunner::ReplaceTls(std::vector<flight::CertKeyPair> certificates,
                                        std::string client_ca,
                                        std::chrono::milliseconds grace) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_ == nullptr) return arrow::Status::Invalid("quiverd is shutting down");
  server::ServeOptions next = options_;
  next.tls_certificates = std::move(certificates);
  next.tls_client_ca = std::move(client_ca);
  ARROW_RETURN_NOT_OK(TryCertificates(next));

  std::shared_ptr<server::QuiverService> old = std::move(current_);
  const auto old_deadline = std::chrono::system_clock::now() + grace;
  retiring_.emplace_back([old, old_deadline] {
    auto deadline = old_deadline;
    (void)old->Shutdown(&deadline);
    (void)old->Wait();
  });
  auto started = StartOnPort(next);
  if (started.ok()) {
    current_ = std::move(*started);
    options_ = std::move(next);
    return arrow::Status::OK();
  }
  spdlog::error("quiverd: could not serve the new TLS certificate on port {}: {}",
                old->port(), started.status().ToString());
  ARROW_ASSIGN_OR_RAISE(current_, StartOnPort(options_));
  return arrow::Status::IOError("the new TLS certificate could not be served (",
                                started.status().message(),
                                "); the previous one is served again");
}

void ServiceRunner::Shutdown(std::chrono::system_clock::time_point deadline) {
  std::vector<std::thread> retiring;
  std::shared_ptr<server::QuiverService> current;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    current = std::move(current_);
    retiring.swap(retiring_);
  }
  if (current != nullptr) {
    (void)current->Shutdown(&deadline);
    (void)current->Wait();
  }
  for (auto& thread : retiring) thread.join();
}

}  // namespace quiver::app
