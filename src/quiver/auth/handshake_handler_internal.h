#pragma once

#include <memory>

#include <arrow/flight/server_auth.h>

namespace quiver::auth {

/// \brief The Handshake handler of the cookbook's recipe: it accepts every Handshake
/// and every call, because the real work is done by the authentication middleware
/// (which also runs on Handshake, where it answers a Basic login with the bearer
/// token). It only exists so that `authenticate_basic_token` gets an answer.
std::shared_ptr<arrow::flight::ServerAuthHandler> MakeHandshakeHandler();

}  // namespace quiver::auth
