#include "auth_testing.h"

#include <fstream>
#include <sstream>

#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/flight/types.h>

#include "quiver/auth/password.h"
#include "quiver/auth/token_service.h"

namespace quiver::testing {

namespace flight = arrow::flight;

std::vector<auth::UserRecord> TestUsers() {
  auto make = [](std::string name, auth::Role role, std::vector<std::string> grants) {
    auth::UserRecord user;
    user.name = std::move(name);
    user.role = role;
    user.password_hash =
        auth::HashPassword(kPassword, auth::PasswordHashOptions::ForTesting())
            .ValueOrDie();
    for (const auto& grant : grants) {
      user.grants.push_back(store::DatasetName::Parse(grant).ValueOrDie());
    }
    return user;
  };
  return {make("rita", auth::Role::kReader, {}), make("wendy", auth::Role::kWriter, {}),
          make("adam", auth::Role::kAdmin, {}),
          make("greta", auth::Role::kWriter, {"sales"}),
          make("client", auth::Role::kReader, {})};
}

arrow::Result<std::unique_ptr<AuthServer>> AuthServer::Start(AuthServerOptions options) {
  ARROW_RETURN_NOT_OK(arrow::compute::Initialize());
  auto server = std::make_unique<AuthServer>();
  ARROW_ASSIGN_OR_RAISE(auto store_options,
                        store::MakeLocalStoreOptions(server->dir.path() + "/datasets"));
  ARROW_ASSIGN_OR_RAISE(server->store, store::DatasetStore::Make(store_options));

  server::ServeOptions serve;
  server->tls = !options.tls_cert.empty();
  if (server->tls) {
    ARROW_ASSIGN_OR_RAISE(serve.listen, flight::Location::ForGrpcTls("127.0.0.1", 0));
    serve.tls_certificates = {{ReadCert(options.tls_cert), ReadCert(options.tls_key)}};
    if (!options.tls_client_ca.empty())
      serve.tls_client_ca = ReadCert(options.tls_client_ca);
  } else {
    ARROW_ASSIGN_OR_RAISE(serve.listen, flight::Location::ForGrpcTcp("127.0.0.1", 0));
  }
  if (options.auth) {
    if (!options.authenticator.directory && options.authenticator.users.empty()) {
      options.authenticator.users = TestUsers();
    }
    options.authenticator.decoy_hash = auth::PasswordHashOptions::ForTesting();
    ARROW_ASSIGN_OR_RAISE(server->authenticator,
                          auth::Authenticator::Make(std::move(options.authenticator)));
    auth::InstallAuth(server->authenticator, options.middleware, &serve);
  }
  ARROW_ASSIGN_OR_RAISE(server->service, server::StartService(server->store, serve));
  return server;
}

AuthServer::~AuthServer() {
  if (service) (void)service->Shutdown();
}

arrow::Result<std::unique_ptr<flight::FlightClient>> AuthServer::Connect(
    flight::FlightClientOptions options) const {
  flight::Location location;
  if (tls) {
    // "localhost": the name the development server certificate is made for.
    ARROW_ASSIGN_OR_RAISE(location,
                          flight::Location::ForGrpcTls("localhost", service->port()));
    if (options.tls_root_certs.empty()) options.tls_root_certs = ReadCert("ca.pem");
  } else {
    ARROW_ASSIGN_OR_RAISE(location,
                          flight::Location::ForGrpcTcp("127.0.0.1", service->port()));
  }
  return flight::FlightClient::Connect(location, options);
}

std::string CertPath(const std::string& name) {
  return std::string(QUIVER_TEST_CERT_DIR) + "/" + name;
}

std::string ReadCert(const std::string& name) {
  std::ifstream in(CertPath(name), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

flight::FlightCallOptions WithHeader(std::pair<std::string, std::string> header) {
  flight::FlightCallOptions call;
  call.headers.push_back(std::move(header));
  return call;
}

std::shared_ptr<arrow::Table> SmallTable() {
  arrow::Int64Builder builder;
  (void)builder.AppendValues({1, 2, 3});
  auto column = builder.Finish().ValueOrDie();
  return arrow::Table::Make(arrow::schema({arrow::field("x", arrow::int64())}), {column});
}

arrow::Status PutAs(flight::FlightClient& client, const flight::FlightCallOptions& call,
                    const std::string& name, const std::shared_ptr<arrow::Table>& table) {
  ARROW_ASSIGN_OR_RAISE(auto descriptor_name, store::DatasetName::Parse(name));
  auto descriptor = flight::FlightDescriptor::Path(descriptor_name.segments());
  ARROW_ASSIGN_OR_RAISE(auto put, client.DoPut(call, descriptor, table->schema()));
  ARROW_RETURN_NOT_OK(put.writer->WriteTable(*table));
  ARROW_RETURN_NOT_OK(put.writer->DoneWriting());
  return put.writer->Close();
}

arrow::Result<int64_t> RowsOf(flight::FlightClient& client,
                              const flight::FlightCallOptions& call,
                              const std::string& name) {
  ARROW_ASSIGN_OR_RAISE(auto parsed, store::DatasetName::Parse(name));
  ARROW_ASSIGN_OR_RAISE(
      auto info,
      client.GetFlightInfo(call, flight::FlightDescriptor::Path(parsed.segments())));
  ARROW_ASSIGN_OR_RAISE(auto reader, client.DoGet(call, info->endpoints()[0].ticket));
  ARROW_ASSIGN_OR_RAISE(auto table, reader->ToTable());
  return table->num_rows();
}

arrow::Status RunAction(flight::FlightClient& client,
                        const flight::FlightCallOptions& call, const std::string& type,
                        const std::string& body) {
  flight::Action action{type, arrow::Buffer::FromString(body)};
  ARROW_ASSIGN_OR_RAISE(auto results, client.DoAction(call, action));
  return results->Drain();
}

flight::FlightStatusCode CodeOf(const arrow::Status& status) {
  auto detail = flight::FlightStatusDetail::UnwrapStatus(status);
  return detail ? detail->code() : flight::FlightStatusCode::Internal;
}

}  // namespace quiver::testing
