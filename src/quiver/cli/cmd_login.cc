#include <chrono>

#include "quiver/cli/commands_internal.h"
#include "quiver/cli/exit_codes_internal.h"

namespace quiver::cli {

arrow::Status RunLogin(Session& session, std::ostream& out) {
  const std::string& user = session.options().user;
  if (user.empty()) return arrow::Status::Invalid("login needs --user NAME");
  ARROW_ASSIGN_OR_RAISE(auto tokens, session.Tokens());
  ARROW_ASSIGN_OR_RAISE(auto options, session.MakeClientOptions());
  ARROW_ASSIGN_OR_RAISE(auto client, client::QuiverClient::Connect(std::move(options)));
  ARROW_ASSIGN_OR_RAISE(auto password, session.Password(user));
  auto header = client->Login(user, password);
  if (header.status().IsNotImplemented()) {
    return arrow::Status::NotImplemented("the server at ", session.ServerUrl(),
                                         " has no login (authentication is off); "
                                         "commands work without logging in");
  }
  ARROW_RETURN_NOT_OK(header.status());
  CachedToken token;
  token.user = user;
  token.header_name = header->first;
  token.header_value = header->second;
  token.obtained_at = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  ARROW_RETURN_NOT_OK(tokens.Put(session.TokenKey(), token));
  out << "logged in to " << session.ServerUrl() << " as " << user << "; token kept in "
      << tokens.path() << '\n';
  return arrow::Status::OK();
}

arrow::Status RunLogout(Session& session, std::ostream& out) {
  ARROW_ASSIGN_OR_RAISE(auto tokens, session.Tokens());
  ARROW_ASSIGN_OR_RAISE(auto cached, tokens.Get(session.TokenKey()));
  if (!cached) {
    out << "not logged in to " << session.ServerUrl() << '\n';
    return arrow::Status::OK();
  }
  // Ask the server to revoke the token too; a server without the "logout" action
  // (or that already dropped the token) leaves only the local copy to forget.
  bool revoked = false;
  ARROW_ASSIGN_OR_RAISE(auto options, session.MakeClientOptions());
  options.headers.emplace_back(cached->header_name, cached->header_value);
  if (auto client = client::QuiverClient::Connect(std::move(options)); client.ok()) {
    auto results = (*client)->flight().DoAction((*client)->CallOptions(),
                                                arrow::flight::Action{"logout", nullptr});
    revoked = results.ok() && (*results)->Drain().ok();
  }
  ARROW_RETURN_NOT_OK(tokens.Remove(session.TokenKey()).status());
  out << "logged out of " << session.ServerUrl()
      << (revoked ? " (token revoked by the server)" : " (token forgotten locally)")
      << '\n';
  return arrow::Status::OK();
}

}  // namespace quiver::cli
