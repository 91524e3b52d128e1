#include "quiver/cli/exit_codes.h"

#include <memory>
#include <optional>

#include <arrow/flight/types.h>

namespace quiver::cli {
namespace {

constexpr char kDetailType[] = "quiver::cli::ExitCodeDetail";

/// Carries the class given by WithExitCode and the hint given by WithHint along with
/// the original status detail.
class ExitCodeDetail : public arrow::StatusDetail {
 public:
  ExitCodeDetail(std::optional<ExitCode> code, std::string hint,
                 std::shared_ptr<arrow::StatusDetail> inner)
      : code_(code), hint_(std::move(hint)), inner_(std::move(inner)) {}
  const char* type_id() const override { return kDetailType; }
  std::string ToString() const override { return inner_ ? inner_->ToString() : ""; }
  const std::optional<ExitCode>& code() const { return code_; }
  const std::string& hint() const { return hint_; }
  const std::shared_ptr<arrow::StatusDetail>& inner() const { return inner_; }

 private:
  std::optional<ExitCode> code_;
  std::string hint_;
  std::shared_ptr<arrow::StatusDetail> inner_;
};

const ExitCodeDetail* TagOf(const arrow::Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || std::string_view(detail->type_id()) != kDetailType) {
    return nullptr;
  }
  return static_cast<const ExitCodeDetail*>(detail.get());
}

std::shared_ptr<arrow::flight::FlightStatusDetail> FlightDetailOf(
    const arrow::Status& status) {
  if (const auto* tag = TagOf(status); tag != nullptr) {
    return arrow::flight::FlightStatusDetail::UnwrapStatus(
        arrow::Status(status.code(), status.message(), tag->inner()));
  }
  return arrow::flight::FlightStatusDetail::UnwrapStatus(status);
}

void EraseFrom(std::string& text, std::string_view marker) {
  if (auto pos = text.find(marker); pos != std::string::npos) text.erase(pos);
}

}  // namespace

arrow::Status WithExitCode(ExitCode code, arrow::Status status) {
  if (status.ok()) return status;
  auto inner = status.detail();
  std::string hint;
  if (const auto* tag = TagOf(status); tag != nullptr) {
    inner = tag->inner();
    hint = tag->hint();
  }
  return status.WithDetail(
      std::make_shared<ExitCodeDetail>(code, std::move(hint), std::move(inner)));
}

arrow::Status WithHint(std::string hint, arrow::Status status) {
  if (status.ok()) return status;
  auto inner = status.detail();
  std::optional<ExitCode> code;
  if (const auto* tag = TagOf(status); tag != nullptr) {
    inner = tag->inner();
    code = tag->code();
  }
  return status.WithDetail(
      std::make_shared<ExitCodeDetail>(code, std::move(hint), std::move(inner)));
}

ExitCode ClassifyStatus(const arrow::Status& status) {
  using arrow::flight::FlightStatusCode;
  if (status.ok()) return ExitCode::kOk;
  if (const auto* tag = TagOf(status); tag != nullptr && tag->code()) {
    return *tag->code();
  }
  if (auto flight = FlightDetailOf(status); flight != nullptr) {
    switch (flight->code()) {
      case FlightStatusCode::Unavailable:
        return ExitCode::kUnreachable;
      case FlightStatusCode::TimedOut:
        return ExitCode::kTimedOut;
      case FlightStatusCode::Unauthenticated:
        return ExitCode::kUnauthenticated;
      case FlightStatusCode::Unauthorized:
        return ExitCode::kPermissionDenied;
      default:
        break;
    }
  }
  switch (status.code()) {
    case arrow::StatusCode::KeyError:
      return ExitCode::kNotFound;
    case arrow::StatusCode::Invalid:
      return ExitCode::kUsage;
    default:
      return ExitCode::kError;
  }
}

std::string CleanMessage(const arrow::Status& status) {
  std::string text = status.message();
  constexpr std::string_view kWithMessage = "error, with message: ";
  if (text.starts_with("Flight returned ") || text.starts_with("gRPC returned ")) {
    if (auto pos = text.find(kWithMessage); pos != std::string::npos) {
      text.erase(0, pos + kWithMessage.size());
    }
  }
  EraseFrom(text, ". Detail: ");
  EraseFrom(text, ". gRPC client debug context: ");
  EraseFrom(text, "\n");
  while (!text.empty() && (text.back() == ' ' || text.back() == '.')) text.pop_back();
  return text.empty() ? status.CodeAsString() : text;
}

std::string DescribeError(const arrow::Status& status, std::string_view server) {
  std::string message = CleanMessage(status);
  std::string where(server);
  if (const auto* tag = TagOf(status); tag != nullptr && !tag->hint().empty()) {
    return message + "; " + tag->hint();
  }
  switch (ClassifyStatus(status)) {
    case ExitCode::kUnreachable:
      if (where.starts_with("grpc+tls")) {
        return "cannot reach " + where + " (" + message +
               "); check that quiverd is running there, --server or QUIVER_SERVER, "
               "and --tls-roots";
      }
      return "cannot reach " + where + " (" + message +
             "); check that quiverd is running there, --server or QUIVER_SERVER";
    case ExitCode::kNotFound:
      return message + "; `quiver ls` lists the datasets";
    case ExitCode::kUnauthenticated:
      return message + "; log in with `quiver login --user NAME` (server " + where + ")";
    case ExitCode::kPermissionDenied:
      return message + "; your role does not allow this, ask an administrator";
    case ExitCode::kTimedOut:
      return message + "; retry, or allow more time with --timeout SECONDS";
    case ExitCode::kUsage:
      return message + "; see `quiver --help`";
    default:
      return message;
  }
}

}  // namespace quiver::cli
