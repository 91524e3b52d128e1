#include "quiver/client/quiver_client.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace quiver::client {

namespace flight = arrow::flight;

namespace {

/// gRPC refuses header names with capitals.
std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

QuiverClient::QuiverClient(ClientOptions options, flight::Location location,
                           std::unique_ptr<flight::FlightClient> flight)
    : options_(std::move(options)),
      location_(std::move(location)),
      flight_(std::move(flight)) {}

QuiverClient::~QuiverClient() = default;

arrow::Result<std::unique_ptr<QuiverClient>> QuiverClient::Connect(
    ClientOptions options) {
  if (options.cert_chain.empty() != options.private_key.empty()) {
    return arrow::Status::Invalid(
        "mutual TLS needs both a client certificate and its private key");
  }
  ARROW_ASSIGN_OR_RAISE(
      auto location,
      ParseServerLocation(options.server, !options.tls_root_certs.empty()));
  std::unique_ptr<QuiverClient> client(
      new QuiverClient(std::move(options), location, nullptr));
  ARROW_ASSIGN_OR_RAISE(client->flight_,
                        flight::FlightClient::Connect(location, client->FlightOptions()));
  return client;
}

flight::FlightClientOptions QuiverClient::FlightOptions() const {
  auto flight_options = flight::FlightClientOptions::Defaults();
  flight_options.tls_root_certs = options_.tls_root_certs;
  flight_options.cert_chain = options_.cert_chain;
  flight_options.private_key = options_.private_key;
  flight_options.middleware = options_.middleware;
  return flight_options;
}

flight::FlightCallOptions QuiverClient::CallOptions() const {
  flight::FlightCallOptions call;
  if (options_.timeout_seconds) {
    call.timeout = flight::TimeoutDuration(*options_.timeout_seconds);
  }
  call.headers = options_.headers;
  call.stop_token = stop_token_;
  return call;
}

void QuiverClient::SetHeader(std::string name, std::string value) {
  name = Lowercase(std::move(name));
  auto& headers = options_.headers;
  std::erase_if(headers, [&](const auto& header) { return header.first == name; });
  headers.emplace_back(std::move(name), std::move(value));
}

arrow::Result<std::pair<std::string, std::string>> QuiverClient::Login(
    const std::string& user, const std::string& password) {
  ARROW_ASSIGN_OR_RAISE(auto header,
                        flight_->AuthenticateBasicToken(CallOptions(), user, password));
  if (header.first.empty()) {
    return flight::MakeFlightError(flight::FlightStatusCode::Unauthenticated,
                                   "the server accepted the login but sent no token");
  }
  SetHeader(header.first, header.second);
  return header;
}

arrow::Result<std::vector<flight::FlightInfo>> QuiverClient::List(
    std::string_view prefix) {
  flight::Criteria criteria{std::string(prefix)};
  ARROW_ASSIGN_OR_RAISE(auto listing, flight_->ListFlights(CallOptions(), criteria));
  std::vector<flight::FlightInfo> infos;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto info, listing->Next());
    if (info == nullptr) break;
    infos.push_back(std::move(*info));
  }
  return infos;
}

arrow::Result<flight::FlightInfo> QuiverClient::GetInfo(std::string_view name,
                                                        const VersionSelector& at,
                                                        const ReadSelection& read) {
  ARROW_ASSIGN_OR_RAISE(
      auto info, flight_->GetFlightInfo(CallOptions(), ReadDescriptor(name, at, read)));
  return std::move(*info);
}

arrow::Result<EndpointStream> QuiverClient::OpenEndpoint(
    const flight::FlightEndpoint& endpoint) {
  EndpointStream stream;
  flight::FlightClient* target = flight_.get();
  if (!endpoint.locations.empty() && !(endpoint.locations.front() == location_) &&
      endpoint.locations.front().scheme() != "arrow-flight-reuse-connection") {
    ARROW_ASSIGN_OR_RAISE(
        stream.other_server,
        flight::FlightClient::Connect(endpoint.locations.front(), FlightOptions()));
    target = stream.other_server.get();
  }
  ARROW_ASSIGN_OR_RAISE(stream.reader, target->DoGet(CallOptions(), endpoint.ticket));
  return stream;
}

arrow::Result<flight::FlightClient::DoPutResult> QuiverClient::OpenPut(
    std::string_view name, const std::shared_ptr<arrow::Schema>& schema, PutMode mode) {
  return flight_->DoPut(CallOptions(), PutDescriptor(name, mode), schema);
}

void QuiverClient::AbandonPut(flight::FlightClient::DoPutResult put) {
  (void)put.writer.release();  // never Close(): see the contract in the header
  (void)put.reader.release();
}

arrow::Status QuiverClient::Drop(std::string_view name) {
  flight::Action action{"drop_dataset", arrow::Buffer::FromString(std::string(name))};
  ARROW_ASSIGN_OR_RAISE(auto results, flight_->DoAction(CallOptions(), action));
  return results->Drain();
}

arrow::Result<std::vector<std::string>> QuiverClient::RunAction(const std::string& type,
                                                                std::string body) {
  flight::Action action{type, arrow::Buffer::FromString(std::move(body))};
  ARROW_ASSIGN_OR_RAISE(auto results, flight_->DoAction(CallOptions(), action));
  std::vector<std::string> bodies;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto result, results->Next());
    if (result == nullptr) break;
    bodies.push_back(result->body ? result->body->ToString() : std::string());
  }
  return bodies;
}

arrow::Result<VersionInfo> QuiverClient::RunVersionAction(const std::string& type,
                                                          std::string body) {
  ARROW_ASSIGN_OR_RAISE(auto bodies, RunAction(type, std::move(body)));
  if (bodies.size() != 1) {
    return arrow::Status::IOError("the server answered ", type, " with ", bodies.size(),
                                  " results instead of one");
  }
  return ParseVersionInfo(bodies.front());
}

arrow::Result<std::vector<VersionInfo>> QuiverClient::ListVersions(
    std::string_view name) {
  ARROW_ASSIGN_OR_RAISE(auto bodies, RunAction("list_versions", DatasetActionBody(name)));
  std::vector<VersionInfo> versions;
  versions.reserve(bodies.size());
  for (const auto& body : bodies) {
    ARROW_ASSIGN_OR_RAISE(auto version, ParseVersionInfo(body));
    versions.push_back(std::move(version));
  }
  return versions;
}

arrow::Result<VersionInfo> QuiverClient::Restore(std::string_view name, int64_t version) {
  return RunVersionAction("restore_version", DatasetActionBody(name, version));
}

arrow::Result<VersionInfo> QuiverClient::Compact(std::string_view name) {
  return RunVersionAction("compact", DatasetActionBody(name));
}

arrow::Status QuiverClient::Close() { return flight_->Close(); }

}  // namespace quiver::client
