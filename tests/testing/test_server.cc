#include "testing/test_server.h"

#include <atomic>
#include <set>
#include <utility>

#include <unistd.h>

#include <arrow/filesystem/filesystem.h>
#include <arrow/io/interfaces.h>
#include <arrow/table.h>

#include "quiver/store/model/layout.h"
#include "quiver/store/model/manifest.h"
#include "quiver/store/store_root.h"

namespace quiver::testing {

namespace flight = arrow::flight;

namespace {

// A prefix no other store of this S3 server has: the process id and a counter.
std::string UniquePrefix() {
  static std::atomic<int> next{0};
  return "test-" + std::to_string(::getpid()) + "-" + std::to_string(next++);
}

}  // namespace

std::string_view StorageName(Storage storage) {
  return storage == Storage::kS3 ? "s3" : "local";
}

std::string PrintStorage(const ::testing::TestParamInfo<Storage>& info) {
  return std::string(StorageName(info.param));
}

arrow::Result<std::unique_ptr<TestServer>> TestServer::Make(Storage storage) {
  return Make(store::StoreOptions::Defaults(), server::ServeOptions{}, storage);
}

arrow::Result<std::unique_ptr<TestServer>> TestServer::Make(
    store::StoreOptions store_options, server::ServeOptions serve_options,
    Storage storage) {
  std::unique_ptr<TestServer> server(new TestServer());
  store::StoreOptions where;
  if (storage == Storage::kS3) {
    ARROW_ASSIGN_OR_RAISE(const S3TestServer* s3, SharedS3TestServer());
    ARROW_ASSIGN_OR_RAISE(where, store::MakeStoreOptionsForRoot(s3->Uri(UniquePrefix())));
  } else {
    ARROW_ASSIGN_OR_RAISE(where, store::MakeLocalStoreOptions(server->dir_.path()));
  }
  store_options.filesystem = where.filesystem;
  store_options.root = where.root;
  store_options.exclusive_creator = where.exclusive_creator;
  store_options.shared = where.shared;
  server->root_ = where.root;
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

arrow::Result<std::vector<std::string>> TestServer::UncommittedFiles() const {
  namespace fs = arrow::fs;
  auto& filesystem = *store_->options().filesystem;
  const store::Layout layout(store_->options().root);
  fs::FileSelector selector;
  selector.base_dir = layout.root();
  selector.recursive = true;
  selector.allow_not_found = true;
  ARROW_ASSIGN_OR_RAISE(auto infos, filesystem.GetFileInfo(selector));
  std::set<std::string> referenced;  // "<dataset>/<part file>"
  std::vector<std::pair<std::string, store::Layout::Entry>> files;
  for (const auto& info : infos) {
    if (!info.IsFile()) continue;
    auto entry = layout.Classify(info.path());
    if (entry.kind == store::Layout::Kind::kManifest) {
      ARROW_ASSIGN_OR_RAISE(auto input, filesystem.OpenInputStream(info.path()));
      ARROW_ASSIGN_OR_RAISE(auto body, input->Read(info.size()));
      ARROW_ASSIGN_OR_RAISE(auto manifest, store::DecodeManifest(body->ToString()));
      for (const auto& part : manifest.parts)
        referenced.insert(entry.name + "/" + part.file);
    }
    files.emplace_back(info.path().substr(layout.root().size() + 1), std::move(entry));
  }
  std::vector<std::string> uncommitted;
  for (const auto& [path, entry] : files) {
    using Kind = store::Layout::Kind;
    if (entry.kind == Kind::kManifestTemp || entry.kind == Kind::kLegacyTemp ||
        (entry.kind == Kind::kPart &&
         !referenced.contains(entry.name + "/" + entry.file))) {
      uncommitted.push_back(path);
    }
  }
  return uncommitted;
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
