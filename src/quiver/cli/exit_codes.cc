#include <memory>
#include <optional>

#include <arrow/flight/types.h>

#include "quiver/cli/exit_codes_internal.h"

namespace quiver::cli {
namespace {

constexpr char kDetailType[] = "quiver::cli::ExitCodeDetail";

/// What WithExitCode, WithHint and WithContext attach to a status.
struct Tag {
  std::optional<ExitCode> code;
  std::string hint;
  std::string context;
};

/// Carries a Tag along with the original status detail.
class ExitCodeDetail : public arrow::StatusDetail {
 public:
  ExitCodeDetail(Tag tag, std::shared_ptr<arrow::StatusDetail> inner)
      : tag_(std::move(tag)), inner_(std::move(inner)) {}
  const char* type_id() const override { return kDetailType; }
  std::string ToString() const override { return inner_ ? inner_->ToString() : ""; }
  const Tag& tag() const { return tag_; }
  const std::shared_ptr<arrow::StatusDetail>& inner() const { return inner_; }

 private:
  Tag tag_;
  std::shared_ptr<arrow::StatusDetail> inner_;
};

const ExitCodeDetail* DetailOf(const arrow::Status& status) {
  const auto& detail = status.detail();
  if (detail == nullptr || std::string_view(detail->type_id()) != kDetailType) {
    return nullptr;
  }
  return static_cast<const ExitCodeDetail*>(detail.get());
}

const Tag* TagOf(const arrow::Status& status) {
  const auto* detail = DetailOf(status);
  return detail == nullptr ? nullptr : &detail->tag();
}

/// `status` with its tag (an empty one if none) changed by `change`.
template <typename Change>
arrow::Status Retag(arrow::Status status, Change change) {
  if (status.ok()) return status;
  auto inner = status.detail();
  Tag tag;
  if (const auto* detail = DetailOf(status); detail != nullptr) {
    inner = detail->inner();
    tag = detail->tag();
  }
  change(tag);
  return status.WithDetail(
      std::make_shared<ExitCodeDetail>(std::move(tag), std::move(inner)));
}

std::shared_ptr<arrow::flight::FlightStatusDetail> FlightDetailOf(
    const arrow::Status& status) {
  if (const auto* detail = DetailOf(status); detail != nullptr) {
    return arrow::flight::FlightStatusDetail::UnwrapStatus(
        arrow::Status(status.code(), status.message(), detail->inner()));
  }
  return arrow::flight::FlightStatusDetail::UnwrapStatus(status);
}

void EraseFrom(std::string& text, std::string_view marker) {
  if (auto pos = text.find(marker); pos != std::string::npos) text.erase(pos);
}

}  // namespace

arrow::Status WithExitCode(ExitCode code, arrow::Status status) {
  return Retag(std::move(status), [code](Tag& tag) { tag.code = code; });
}

arrow::Status WithHint(std::string hint, arrow::Status status) {
  return Retag(std::move(status), [&hint](Tag& tag) { tag.hint = std::move(hint); });
}

arrow::Status WithContext(std::string lines, arrow::Status status) {
  return Retag(std::move(status), [&lines](Tag& tag) { tag.context = std::move(lines); });
}

ExitCode ClassifyStatus(const arrow::Status& status) {
  using arrow::flight::FlightStatusCode;
  if (status.ok()) return ExitCode::kOk;
  if (const auto* tag = TagOf(status); tag != nullptr && tag->code) {
    return *tag->code;
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

std::string ServerMessage(const arrow::Status& status) {
  std::string text = status.message();
  constexpr std::string_view kWithMessage = "error, with message: ";
  if (text.starts_with("Flight returned ") || text.starts_with("gRPC returned ")) {
    if (auto pos = text.find(kWithMessage); pos != std::string::npos) {
      text.erase(0, pos + kWithMessage.size());
    }
  }
  EraseFrom(text, ". Detail: ");
  EraseFrom(text, ". gRPC client debug context: ");
  return text;
}

std::string CleanMessage(const arrow::Status& status) {
  std::string text = ServerMessage(status);
  EraseFrom(text, "\n");
  while (!text.empty() && (text.back() == ' ' || text.back() == '.')) text.pop_back();
  return text.empty() ? status.CodeAsString() : text;
}

namespace {

/// The one line DescribeError prints first.
std::string OneLine(const arrow::Status& status, std::string_view server) {
  std::string message = CleanMessage(status);
  std::string where(server);
  if (const auto* tag = TagOf(status); tag != nullptr && !tag->hint.empty()) {
    return message + "; " + tag->hint;
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

}  // namespace

std::string DescribeError(const arrow::Status& status, std::string_view server) {
  std::string line = OneLine(status, server);
  if (const auto* tag = TagOf(status); tag != nullptr && !tag->context.empty()) {
    line += "\n" + tag->context;
  }
  return line;
}

}  // namespace quiver::cli
