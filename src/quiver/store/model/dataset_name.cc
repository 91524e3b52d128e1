#include "quiver/store/model/dataset_name.h"

#include <arrow/status.h>
#include <arrow/util/utf8.h>

#include "quiver/common/name_path.h"

namespace quiver::store {
namespace {

// Render a client-supplied segment for an error message: printable ASCII stays, the
// rest is escaped, and long segments are cut, so messages stay one readable line.
std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 64)) {
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  if (s.size() > 64) out += "...";
  return out;
}

}  // namespace

arrow::Status ValidateSegment(std::string_view segment) {
  if (segment.empty()) {
    return arrow::Status::Invalid("dataset name has an empty segment");
  }
  if (segment.size() > DatasetName::kMaxSegmentBytes) {
    return arrow::Status::Invalid("dataset name segment '", Printable(segment),
                                  "' is longer than ", DatasetName::kMaxSegmentBytes,
                                  " bytes");
  }
  if (segment == "." || segment == "..") {
    return arrow::Status::Invalid("dataset name segment '", segment, "' is not allowed");
  }
  if (segment.front() == '.') {
    return arrow::Status::Invalid("dataset name segment '", Printable(segment),
                                  "' must not start with '.'");
  }
  for (unsigned char c : segment) {
    if (c == '/' || c == '\\') {
      return arrow::Status::Invalid("dataset name segment '", Printable(segment),
                                    "' contains a path separator");
    }
    if (c < 0x20 || c == 0x7f) {
      return arrow::Status::Invalid("dataset name segment '", Printable(segment),
                                    "' contains a control character");
    }
  }
  arrow::util::InitializeUTF8();
  if (!arrow::util::ValidateUTF8(reinterpret_cast<const uint8_t*>(segment.data()),
                                 static_cast<int64_t>(segment.size()))) {
    return arrow::Status::Invalid("dataset name segment '", Printable(segment),
                                  "' is not valid UTF-8");
  }
  return arrow::Status::OK();
}

DatasetName::DatasetName(std::vector<std::string> segments)
    : segments_(std::move(segments)), joined_(JoinNamePath(segments_)) {}

arrow::Result<DatasetName> DatasetName::Make(std::vector<std::string> segments) {
  if (segments.empty()) {
    return arrow::Status::Invalid("dataset name is empty");
  }
  if (segments.size() > kMaxSegments) {
    return arrow::Status::Invalid("dataset name has more than ", kMaxSegments,
                                  " segments");
  }
  size_t total = segments.size() - 1;
  for (const auto& s : segments) {
    ARROW_RETURN_NOT_OK(ValidateSegment(s));
    total += s.size();
  }
  if (total > kMaxNameBytes) {
    return arrow::Status::Invalid("dataset name is longer than ", kMaxNameBytes,
                                  " bytes");
  }
  return DatasetName(std::move(segments));
}

arrow::Result<DatasetName> DatasetName::Parse(std::string_view text) {
  return Make(SplitNamePath(text, kMaxSegments));  // Make() reports too many segments
}

}  // namespace quiver::store
