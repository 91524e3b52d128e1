#include <cstdlib>

#include <arrow/io/file.h>

#include "quiver/cli/exit_codes_internal.h"
#include "quiver/cli/progress_internal.h"
#include "quiver/cli/session_internal.h"
#include "quiver/cli/terminal_input_internal.h"

namespace quiver::cli {
namespace {

arrow::Result<std::string> ReadPemFile(const std::string& path, const char* what) {
  auto contents = [&]() -> arrow::Result<std::string> {
    ARROW_ASSIGN_OR_RAISE(auto file, arrow::io::ReadableFile::Open(path));
    ARROW_ASSIGN_OR_RAISE(int64_t size, file->GetSize());
    ARROW_ASSIGN_OR_RAISE(auto buffer, file->Read(size));
    return buffer->ToString();
  }();
  if (!contents.ok()) {
    return WithExitCode(ExitCode::kBadInput,
                        arrow::Status::IOError("cannot read the ", what, " file '", path,
                                               "': ", contents.status().message()));
  }
  return contents;
}

}  // namespace

Session::Session(
    GlobalOptions options,
    std::vector<std::shared_ptr<arrow::flight::ClientMiddlewareFactory>> middleware)
    : options_(std::move(options)), middleware_(std::move(middleware)) {}

std::string Session::ServerUrl() const {
  if (!options_.server.empty()) return options_.server;
  const char* env = std::getenv("QUIVER_SERVER");
  if (env != nullptr && env[0] != '\0') return env;
  return std::string(client::kDefaultServer);
}

std::string Session::TokenKey() const {
  auto location = client::ParseServerLocation(ServerUrl(), !options_.tls_roots.empty());
  return location.ok() ? location->ToString() : ServerUrl();
}

arrow::Result<client::ClientOptions> Session::MakeClientOptions() const {
  auto client_options = client::ClientOptions::Defaults();
  client_options.server = ServerUrl();
  if (!options_.tls_roots.empty()) {
    ARROW_ASSIGN_OR_RAISE(client_options.tls_root_certs,
                          ReadPemFile(options_.tls_roots, "--tls-roots"));
  }
  if (!options_.cert.empty()) {
    ARROW_ASSIGN_OR_RAISE(client_options.cert_chain,
                          ReadPemFile(options_.cert, "--cert"));
  }
  if (!options_.key.empty()) {
    ARROW_ASSIGN_OR_RAISE(client_options.private_key, ReadPemFile(options_.key, "--key"));
  }
  if (options_.timeout_seconds > 0)
    client_options.timeout_seconds = options_.timeout_seconds;
  client_options.middleware = middleware_;
  return client_options;
}

arrow::Result<std::string> Session::Password(const std::string& user) const {
  const char* env = std::getenv("QUIVER_PASSWORD");
  if (env != nullptr) return std::string(env);
  return PromptPassword("Password for " + user + " at " + ServerUrl() + ": ");
}

arrow::Result<TokenCache> Session::Tokens() const {
  ARROW_ASSIGN_OR_RAISE(auto path, DefaultTokenCachePath());
  return TokenCache(std::move(path));
}

bool Session::ShowProgress() const { return !options_.no_progress && StderrIsTerminal(); }

arrow::Result<client::QuiverClient*> Session::Client() {
  if (client_ != nullptr) return client_.get();
  ARROW_ASSIGN_OR_RAISE(auto client_options, MakeClientOptions());
  ARROW_ASSIGN_OR_RAISE(auto connected, client::QuiverClient::Connect(client_options));
  if (!options_.user.empty()) {
    ARROW_ASSIGN_OR_RAISE(auto password, Password(options_.user));
    ARROW_RETURN_NOT_OK(connected->Login(options_.user, password).status());
  } else {
    // A damaged or unreadable token file must not stop commands that need no login.
    auto tokens = Tokens();
    if (tokens.ok()) {
      auto cached = tokens->Get(TokenKey());
      if (cached.ok() && cached->has_value()) {
        connected->SetHeader((*cached)->header_name, (*cached)->header_value);
        used_cached_token_ = true;
      }
    }
  }
  client_ = std::move(connected);
  return client_.get();
}

arrow::Status Session::Explain(arrow::Status status) {
  if (status.ok() || !used_cached_token_ ||
      ClassifyStatus(status) != ExitCode::kUnauthenticated) {
    return status;
  }
  auto tokens = Tokens();
  if (tokens.ok()) (void)tokens->Remove(TokenKey());
  return status.WithMessage("the saved login for ", ServerUrl(),
                            " was refused (expired or revoked): ", CleanMessage(status));
}

}  // namespace quiver::cli
