#include "testing/test_server.h"

#include <arrow/table.h>

namespace quiver::testing {

namespace flight = arrow::flight;

arrow::Result<std::unique_ptr<TestServer>> TestServer::Make() {
  return Make(store::StoreOptions::Defaults(), server::ServeOptions{});
}

arrow::Result<std::unique_ptr<TestServer>> TestServer::Make(
    store::StoreOptions store_options, server::ServeOptions serve_options) {
  std::unique_ptr<TestServer> server(new TestServer());
  ARROW_ASSIGN_OR_RAISE(auto local, store::MakeLocalStoreOptions(server->dir_.path()));
  store_options.filesystem = local.filesystem;
  store_options.root = local.root;
  ARROW_ASSIGN_OR_RAISE(server->store_, store::DatasetStore::Make(store_options));
  if (serve_options.listen.ToString().empty()) {
    ARROW_ASSIGN_OR_RAISE(serve_options.listen,
                          flight::Location::ForGrpcTcp("127.0.0.1", 0));
  }
  bool tls = !serve_options.tls_certificates.empty();
  ARROW_ASSIGN_OR_RAISE(server->service_,
                        server::StartService(server->store_, std::move(serve_options)));
  if (tls) {
    ARROW_ASSIGN_OR_RAISE(server->location_, flight::Location::ForGrpcTls(
                                                 "localhost", server->service_->port()));
    return server;  // TLS tests connect with their own options
  }
  ARROW_ASSIGN_OR_RAISE(server->location_, flight::Location::ForGrpcTcp(
                                               "127.0.0.1", server->service_->port()));
  ARROW_ASSIGN_OR_RAISE(server->client_, server->Connect());
  return server;
}

TestServer::~TestServer() {
  if (client_) (void)client_->Close();
  if (service_) (void)service_->Shutdown();
}

arrow::Result<std::unique_ptr<flight::FlightClient>> TestServer::Connect() const {
  return flight::FlightClient::Connect(location_);
}

arrow::Status Upload(flight::FlightClient& client, const std::vector<std::string>& path,
                     const arrow::Table& table, int64_t chunk) {
  ARROW_ASSIGN_OR_RAISE(
      auto put, client.DoPut(flight::FlightDescriptor::Path(path), table.schema()));
  arrow::TableBatchReader reader(table);
  reader.set_chunksize(chunk);
  std::shared_ptr<arrow::RecordBatch> batch;
  while (true) {
    ARROW_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (!batch) break;
    ARROW_RETURN_NOT_OK(put.writer->WriteRecordBatch(*batch));
  }
  ARROW_RETURN_NOT_OK(put.writer->DoneWriting());
  return put.writer->Close();
}

arrow::Result<std::shared_ptr<arrow::Table>> Download(
    flight::FlightClient& client, const std::vector<std::string>& path) {
  ARROW_ASSIGN_OR_RAISE(auto info,
                        client.GetFlightInfo(flight::FlightDescriptor::Path(path)));
  ARROW_ASSIGN_OR_RAISE(auto stream, client.DoGet(info->endpoints()[0].ticket));
  return stream->ToTable();
}

}  // namespace quiver::testing
