#include "testing/s3_test_server.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>

#include <sys/wait.h>
#include <unistd.h>

#include <arrow/filesystem/s3fs.h>

#ifndef QUIVER_S3_SERVER_SCRIPT
#error "QUIVER_S3_SERVER_SCRIPT must name scripts/s3-server.sh"
#endif

namespace quiver::testing {
namespace {

constexpr char kToolchainMissing[] = "S3 test server unavailable: ";

// Run `command`, returning its exit code and combined output.
arrow::Result<std::pair<int, std::string>> Run(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return arrow::Status::IOError("popen failed");
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return std::make_pair(code, output);
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

}  // namespace

bool IsS3ToolchainMissing(const arrow::Status& status) {
  return status.IsNotImplemented() && status.message().rfind(kToolchainMissing, 0) == 0;
}

arrow::Result<std::unique_ptr<S3TestServer>> S3TestServer::Start(std::string bucket) {
  std::unique_ptr<S3TestServer> server(new S3TestServer());
  const std::string command = std::string("bash ") + Quote(QUIVER_S3_SERVER_SCRIPT) +
                              " start --parent " + std::to_string(::getpid()) + " " +
                              Quote(server->dir_.path()) + " " + Quote(bucket);
  ARROW_ASSIGN_OR_RAISE(auto result, Run(command));
  if (result.first == 3) {
    return arrow::Status::NotImplemented(kToolchainMissing, result.second);
  }
  if (result.first != 0) {
    return arrow::Status::IOError("scripts/s3-server.sh start failed (exit ",
                                  result.first, "): ", result.second);
  }
  std::map<std::string, std::string> env;
  std::ifstream in(server->dir_.path() + "/env");
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  server->endpoint_ = env["S3_ENDPOINT"];
  server->access_key_ = env["AWS_ACCESS_KEY_ID"];
  server->secret_key_ = env["AWS_SECRET_ACCESS_KEY"];
  server->region_ = env["AWS_REGION"];
  server->bucket_ = bucket;
  if (server->endpoint_.empty() || server->access_key_.empty()) {
    return arrow::Status::IOError("scripts/s3-server.sh wrote no endpoint: ",
                                  result.second);
  }
  return server;
}

S3TestServer::~S3TestServer() {
  (void)Run(std::string("bash ") + Quote(QUIVER_S3_SERVER_SCRIPT) + " stop " +
            Quote(dir_.path()));
}

std::string S3TestServer::Uri(std::string_view prefix) const {
  std::string uri = "s3://" + bucket_;
  if (!prefix.empty()) uri += "/" + std::string(prefix);
  return uri + "?endpoint_override=" + endpoint_ + "&scheme=http&region=" + region_;
}

arrow::Result<std::shared_ptr<arrow::fs::S3FileSystem>> S3TestServer::FileSystem() const {
  auto options = arrow::fs::S3Options::FromAccessKey(access_key_, secret_key_);
  options.endpoint_override = endpoint_;
  options.scheme = "http";
  options.region = region_;
  return arrow::fs::S3FileSystem::Make(options);
}

arrow::Result<const S3TestServer*> SharedS3TestServer() {
  // Destroyed (the server stopped, its directory removed) at exit, after the tests.
  static std::mutex mutex;
  static std::unique_ptr<S3TestServer> server;
  static arrow::Status failure;
  std::lock_guard lock(mutex);
  if (!server && failure.ok()) {
    auto started = S3TestServer::Start();
    if (started.ok()) {
      server = std::move(*started);
      server->SetCredentialsEnv();
    } else {
      failure = started.status();
    }
  }
  if (!failure.ok()) return failure;
  return server.get();
}

void S3TestServer::SetCredentialsEnv() const {
  ::setenv("AWS_ACCESS_KEY_ID", access_key_.c_str(), 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", secret_key_.c_str(), 1);
  ::unsetenv("AWS_SESSION_TOKEN");
  ::setenv("AWS_REGION", region_.c_str(), 1);
}

}  // namespace quiver::testing
