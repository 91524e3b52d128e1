#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <arrow/result.h>

namespace quiver::store {

/// \brief The validated name of a dataset: one or more path segments.
///
/// This is the one place where client-supplied names are checked. A valid name can only
/// ever designate a location below the store's root. Each segment:
///   - is valid UTF-8 of 1 to kMaxSegmentBytes bytes;
///   - is not "." or "..", and does not start with "." (reserved for the store's own
///     temporary files);
///   - contains no '/', '\\', NUL or other control characters (U+0000-U+001F, U+007F).
/// A name has at most kMaxSegments segments and kMaxNameBytes bytes in total.
///
/// Immutable and cheap to copy; thread-safe.
class DatasetName {
 public:
  static constexpr size_t kMaxSegmentBytes = 255;
  static constexpr size_t kMaxSegments = 16;
  static constexpr size_t kMaxNameBytes = 1024;

  /// \brief Validate segments and make a name of them.
  /// \return Invalid naming the offending segment and the rule it breaks.
  static arrow::Result<DatasetName> Make(std::vector<std::string> segments);

  /// \brief Parse a name written with '/' between segments, e.g. "sales/2024".
  static arrow::Result<DatasetName> Parse(std::string_view text);

  const std::vector<std::string>& segments() const { return segments_; }

  /// \brief The segments joined with '/': the name as users write it.
  const std::string& ToString() const { return joined_; }

  bool operator==(const DatasetName& other) const { return joined_ == other.joined_; }
  bool operator<(const DatasetName& other) const { return joined_ < other.joined_; }

 private:
  explicit DatasetName(std::vector<std::string> segments);

  std::vector<std::string> segments_;
  std::string joined_;
};

/// \brief Check one segment against the rules of DatasetName.
arrow::Status ValidateSegment(std::string_view segment);

}  // namespace quiver::store
