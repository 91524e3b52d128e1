#include <charconv>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <arrow/flight/types.h>

#include "quiver/app/duration_internal.h"
#include "quiver/app/security_flags_internal.h"
#include "quiver/auth/auth.h"
#include "quiver/auth/user_directory.h"
#include "quiver/auth/users_file.h"

namespace quiver::app {
namespace {

arrow::Result<std::string> ReadPem(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return arrow::Status::IOError("cannot read ", what, " '", path, "'");
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return arrow::Status::Invalid(what, " '", path, "' is not a PEM file");
  }
  return text.str();
}

}  // namespace

void AddSecurityFlags(CLI::App& app, SecurityFlags& flags) {
  app.add_option("--users", flags.users,
                 "Users file (see 'quiverd user'): turns authentication on");
  app.add_option("--token-ttl", flags.token_ttl,
                 "Lifetime of session tokens (e.g. 30m, 12h, 7d)")
      ->capture_default_str();
  app.add_option("--token-key-file", flags.token_key_file,
                 "HMAC keys for session tokens, one per line (openssl rand -hex 32); "
                 "nodes sharing it accept each other's tokens. Default: a random key "
                 "per process");
  app.add_option("--tls-cert", flags.tls_cert,
                 "Server certificate chain (PEM): serve TLS");
  app.add_option("--tls-key", flags.tls_key, "Private key of --tls-cert (PEM)");
  app.add_option("--tls-client-ca", flags.tls_client_ca,
                 "CA (PEM) that must have signed client certificates: turns mTLS on");
  app.add_flag("--tls-client-user-from-cert", flags.tls_client_user_from_cert,
               "Under mTLS, a call without credentials is made by the user its client "
               "certificate names (SAN, else CN); disables password login on Handshake");
  app.add_flag("--allow-insecure", flags.allow_insecure,
               "INSECURE: allow serving a non-loopback address without authentication "
               "or without TLS");
}

arrow::Status ReadTlsFiles(const SecurityFlags& flags, server::ServeOptions* options) {
  arrow::flight::CertKeyPair pair;
  ARROW_ASSIGN_OR_RAISE(pair.pem_cert, ReadPem(flags.tls_cert, "TLS certificate"));
  ARROW_ASSIGN_OR_RAISE(pair.pem_key, ReadPem(flags.tls_key, "TLS key"));
  if (!auth::CheckPrivateFile(flags.tls_key, "TLS key").ok()) {
    spdlog::warn(
        "quiverd: the TLS key file is accessible by group or others; "
        "consider chmod 600");
  }
  options->tls_certificates = {std::move(pair)};
  if (!flags.tls_client_ca.empty()) {
    ARROW_ASSIGN_OR_RAISE(options->tls_client_ca,
                          ReadPem(flags.tls_client_ca, "TLS client CA"));
  }
  return arrow::Status::OK();
}

arrow::Status CheckExposure(const SecurityFlags& flags, const HostPort& listen,
                            std::string_view what) {
  const bool tls = !flags.tls_cert.empty();
  const bool auth = !flags.users.empty();
  if (!listen.IsLoopback() && (!auth || !tls)) {
    std::string missing = !auth && !tls ? "authentication (--users) and TLS (--tls-cert)"
                          : !auth       ? "authentication (--users)"
                                        : "TLS (--tls-cert, --tls-key)";
    if (!flags.allow_insecure) {
      return arrow::Status::Invalid(
          "refusing to ", what, " the non-loopback address ", listen.host, " without ",
          missing, "; add them, listen on 127.0.0.1, or pass --allow-insecure");
    }
    spdlog::warn("quiverd: INSECURE: {} {} without {} (--allow-insecure)",
                 what == "serve" ? "serving" : std::string(what), listen.host, missing);
  }
  return arrow::Status::OK();
}

arrow::Result<std::string> ApplySecurityFlags(
    const SecurityFlags& flags, const HostPort& listen, server::ServeOptions* options,
    std::shared_ptr<auth::UserDirectory>* users,
    std::shared_ptr<auth::Authenticator>* authenticator_out) {
  if (users != nullptr) users->reset();
  if (authenticator_out != nullptr) authenticator_out->reset();
  const bool tls = !flags.tls_cert.empty() || !flags.tls_key.empty();
  const bool auth = !flags.users.empty();
  if (tls && (flags.tls_cert.empty() || flags.tls_key.empty())) {
    return arrow::Status::Invalid("--tls-cert and --tls-key go together");
  }
  if (!flags.tls_client_ca.empty() && !tls) {
    return arrow::Status::Invalid(
        "--tls-client-ca (mTLS) needs --tls-cert and --tls-key");
  }
  if (flags.tls_client_user_from_cert && (flags.tls_client_ca.empty() || !auth)) {
    return arrow::Status::Invalid(
        "--tls-client-user-from-cert needs --tls-client-ca and --users");
  }
  ARROW_RETURN_NOT_OK(CheckExposure(flags, listen, "serve"));

  if (tls) {
    ARROW_RETURN_NOT_OK(ReadTlsFiles(flags, options));
    ARROW_ASSIGN_OR_RAISE(options->listen,
                          arrow::flight::Location::ForGrpcTls(listen.host, listen.port));
  }

  if (auth) {
    auth::AuthOptions auth_options;
    auth_options.users_file = flags.users;
    ARROW_ASSIGN_OR_RAISE(auth_options.token_ttl, ParseDuration(flags.token_ttl));
    auth_options.token_key_file = flags.token_key_file;
    auth_options.middleware.user_from_certificate = flags.tls_client_user_from_cert;
    ARROW_ASSIGN_OR_RAISE(auto authenticator, auth::LoadAuthenticator(auth_options));
    if (users != nullptr) *users = authenticator->users();
    if (authenticator_out != nullptr) *authenticator_out = authenticator;
    auth::InstallAuth(std::move(authenticator), auth_options.middleware, options);
    if (flags.token_key_file.empty()) {
      spdlog::info(
          "quiverd: session tokens signed with a per-process key "
          "(--token-key-file shares one between nodes and restarts)");
    }
  }
  return std::string(tls ? "grpc+tls" : "grpc");
}

}  // namespace quiver::app
