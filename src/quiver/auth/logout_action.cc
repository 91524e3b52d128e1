#include <arrow/buffer.h>
#include <arrow/flight/types.h>

#include "quiver/auth/auth_middleware.h"
#include "quiver/auth/logout_action_internal.h"

namespace quiver::auth {
namespace {

namespace flight = arrow::flight;

class LogoutAction : public server::ActionHandler {
 public:
  explicit LogoutAction(std::shared_ptr<Authenticator> authenticator)
      : authenticator_(std::move(authenticator)) {}

  flight::ActionType type() const override {
    return {kLogoutAction, "End this session: the bearer token of the call is revoked."};
  }

  server::Operation operation() const override {
    return server::Operation::kSessionAction;
  }

  arrow::Result<std::vector<flight::Result>> Run(const flight::ServerCallContext& context,
                                                 const flight::Action&) override {
    const Principal* principal = GetPrincipal(context);
    if (principal == nullptr) {
      return flight::MakeFlightError(flight::FlightStatusCode::Unauthenticated,
                                     kNoCredentials);
    }
    auto status = authenticator_->Logout(*principal);
    if (status.IsCapacityError()) {
      return flight::MakeFlightError(flight::FlightStatusCode::Unavailable,
                                     status.message());
    }
    ARROW_RETURN_NOT_OK(status);
    std::vector<flight::Result> results;
    results.push_back(flight::Result{arrow::Buffer::FromString(R"({"status":"ok"})")});
    return results;
  }

 private:
  std::shared_ptr<Authenticator> authenticator_;
};

}  // namespace

std::shared_ptr<server::ActionHandler> MakeLogoutAction(
    std::shared_ptr<Authenticator> authenticator) {
  return std::make_shared<LogoutAction>(std::move(authenticator));
}

}  // namespace quiver::auth
