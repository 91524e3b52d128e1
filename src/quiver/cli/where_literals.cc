#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>
#include <limits>
#include <string>

#include <arrow/scalar.h>
#include <arrow/status.h>
#include <arrow/type.h>
#include <arrow/util/decimal.h>

#include "quiver/cli/where_literals_internal.h"

namespace quiver::cli {
namespace {

using Kind = WhereValue::Kind;

/// How a value is shown in errors: as written, strings quoted.
std::string Shown(const WhereValue& value) {
  switch (value.kind) {
    case Kind::kString:
      return "'" + value.text.substr(0, 40) + (value.text.size() > 40 ? "...'" : "'");
    case Kind::kDate:
      return "date '" + value.text + "'";
    case Kind::kTimestamp:
      return "timestamp '" + value.text + "'";
    case Kind::kNull:
      return "null";
    default:
      return value.text.size() > 40 ? value.text.substr(0, 40) + "..." : value.text;
  }
}

arrow::Status Expected(std::string_view what, const WhereValue& value) {
  return arrow::Status::Invalid("expected ", what, ", not ", Shown(value));
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/// Exactly `width` digits at text[*at], advancing *at.
bool Digits(std::string_view text, size_t* at, size_t width, int64_t* out) {
  if (*at + width > text.size()) return false;
  int64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = text[*at + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  *at += width;
  *out = value;
  return true;
}

/// "YYYY-MM-DD" at the start of text: days since the epoch; *at past it.
bool DatePart(std::string_view text, size_t* at, int64_t* days) {
  int64_t y = 0, m = 0, d = 0;
  if (!Digits(text, at, 4, &y) || *at >= text.size() || text[(*at)++] != '-' ||
      !Digits(text, at, 2, &m) || *at >= text.size() || text[(*at)++] != '-' ||
      !Digits(text, at, 2, &d)) {
    return false;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  int64_t month_days = kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
  if (d > month_days) return false;
  *days = DaysFromCivil(y, m, d);
  return true;
}

template <typename T>
bool ParseNumber(const std::string& text, T* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

arrow::Result<std::shared_ptr<arrow::Scalar>> IntegerLiteral(
    const WhereValue& value, const arrow::DataType& type) {
  if (value.kind == Kind::kFloat) {
    return arrow::Status::Invalid(Shown(value), " is not an integer");
  }
  if (value.kind != Kind::kInteger) return Expected("an integer", value);
  bool is_signed = arrow::is_signed_integer(type.id());
  if (is_signed) {
    int64_t v = 0;
    if (!ParseNumber(value.text, &v)) {
      return arrow::Status::Invalid(Shown(value), " is out of range");
    }
    int bits = type.bit_width();
    if (bits < 64) {
      int64_t limit = int64_t{1} << (bits - 1);
      if (v < -limit || v >= limit) {
        return arrow::Status::Invalid(Shown(value), " is out of range");
      }
    }
    return arrow::MakeScalar(type.GetSharedPtr(), v);
  }
  uint64_t v = 0;
  if (value.text[0] == '-' || !ParseNumber(value.text, &v)) {
    return arrow::Status::Invalid(Shown(value), " is out of range");
  }
  int bits = type.bit_width();
  if (bits < 64 && v >= (uint64_t{1} << bits)) {
    return arrow::Status::Invalid(Shown(value), " is out of range");
  }
  return arrow::MakeScalar(type.GetSharedPtr(), v);
}

arrow::Result<std::shared_ptr<arrow::Scalar>> FloatLiteral(const WhereValue& value,
                                                           const arrow::DataType& type) {
  if (value.kind != Kind::kInteger && value.kind != Kind::kFloat) {
    return Expected("a number", value);
  }
  double v = 0;
  if (!ParseNumber(value.text, &v) || !std::isfinite(v) ||
      (type.id() == arrow::Type::FLOAT &&
       std::fabs(v) > std::numeric_limits<float>::max())) {
    return arrow::Status::Invalid(Shown(value), " is out of range");
  }
  if (type.id() == arrow::Type::FLOAT) {
    return std::make_shared<arrow::FloatScalar>(static_cast<float>(v));
  }
  return std::make_shared<arrow::DoubleScalar>(v);
}

template <typename Decimal, typename ScalarType>
arrow::Result<std::shared_ptr<arrow::Scalar>> DecimalLiteral(
    const WhereValue& value, const arrow::DecimalType& type) {
  if (value.kind != Kind::kInteger && value.kind != Kind::kFloat) {
    return Expected("a number", value);
  }
  Decimal decimal;
  int32_t precision = 0;
  int32_t scale = 0;
  if (!Decimal::FromString(value.text, &decimal, &precision, &scale).ok()) {
    return arrow::Status::Invalid(Shown(value), " is not a decimal number");
  }
  if (scale > type.scale()) {
    return arrow::Status::Invalid(Shown(value), " has more decimal places than ",
                                  type.scale());
  }
  auto rescaled = decimal.Rescale(scale, type.scale());
  if (!rescaled.ok() || !rescaled->FitsInPrecision(type.precision())) {
    return arrow::Status::Invalid(Shown(value), " is out of range");
  }
  return std::make_shared<ScalarType>(*rescaled, type.GetSharedPtr());
}

arrow::Result<std::shared_ptr<arrow::Scalar>> TimestampLiteral(
    const WhereValue& value, const arrow::TimestampType& type) {
  if (value.kind != Kind::kString && value.kind != Kind::kTimestamp &&
      value.kind != Kind::kDate) {
    return Expected("a time ('2024-01-31 12:00:00')", value);
  }
  ARROW_ASSIGN_OR_RAISE(auto time, ParseWhereTime(value.text));
  if (time.has_zone && type.timezone().empty()) {
    return arrow::Status::Invalid(
        Shown(value),
        " has a time zone, but the column's times have none: write it "
        "without Z or an offset");
  }
  int64_t per_second = 1;
  switch (type.unit()) {
    case arrow::TimeUnit::SECOND:
      per_second = 1;
      break;
    case arrow::TimeUnit::MILLI:
      per_second = 1000;
      break;
    case arrow::TimeUnit::MICRO:
      per_second = 1000000;
      break;
    case arrow::TimeUnit::NANO:
      per_second = 1000000000;
      break;
  }
  int64_t nanos_per_unit = 1000000000 / per_second;
  if (time.nanos % nanos_per_unit != 0) {
    return arrow::Status::Invalid(Shown(value),
                                  " is more precise than the column's unit");
  }
  int64_t units = 0;
  if (__builtin_mul_overflow(time.seconds, per_second, &units) ||
      __builtin_add_overflow(units, time.nanos / nanos_per_unit, &units)) {
    return arrow::Status::Invalid(Shown(value), " is out of range");
  }
  return std::make_shared<arrow::TimestampScalar>(units, type.GetSharedPtr());
}

}  // namespace

arrow::Result<int32_t> ParseWhereDate(std::string_view text) {
  size_t at = 0;
  int64_t days = 0;
  if (!DatePart(text, &at, &days) || at != text.size()) {
    return arrow::Status::Invalid("'", text, "' is not a date (YYYY-MM-DD)");
  }
  return static_cast<int32_t>(days);
}

arrow::Result<WhereTime> ParseWhereTime(std::string_view text) {
  auto bad = [&] {
    return arrow::Status::Invalid("'", text,
                                  "' is not a time (YYYY-MM-DD HH:MM:SS[.ffffff], "
                                  "optionally with Z or +HH:MM)");
  };
  size_t at = 0;
  int64_t days = 0;
  if (!DatePart(text, &at, &days)) return bad();
  WhereTime out;
  int64_t hours = 0, minutes = 0, seconds = 0;
  if (at < text.size() && (text[at] == ' ' || text[at] == 'T' || text[at] == 't')) {
    ++at;
    if (!Digits(text, &at, 2, &hours) || at >= text.size() || text[at++] != ':' ||
        !Digits(text, &at, 2, &minutes)) {
      return bad();
    }
    if (at < text.size() && text[at] == ':') {
      ++at;
      if (!Digits(text, &at, 2, &seconds)) return bad();
      if (at < text.size() && text[at] == '.') {
        ++at;
        size_t digits = 0;
        int64_t fraction = 0;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
          if (++digits > 9) return bad();
          fraction = fraction * 10 + (text[at++] - '0');
        }
        if (digits == 0) return bad();
        for (size_t i = digits; i < 9; ++i) fraction *= 10;
        out.nanos = static_cast<int32_t>(fraction);
      }
    }
    if (hours > 23 || minutes > 59 || seconds > 59) return bad();
  }
  int64_t offset_seconds = 0;
  if (at < text.size()) {
    char c = text[at];
    if (c == 'Z' || c == 'z') {
      ++at;
      out.has_zone = true;
    } else if (c == '+' || c == '-') {
      ++at;
      int64_t oh = 0, om = 0;
      if (!Digits(text, &at, 2, &oh) || at >= text.size() || text[at++] != ':' ||
          !Digits(text, &at, 2, &om) || oh > 23 || om > 59) {
        return bad();
      }
      offset_seconds = (c == '+' ? 1 : -1) * (oh * 3600 + om * 60);
      out.has_zone = true;
    }
  }
  if (at != text.size()) return bad();
  out.seconds = days * 86400 + hours * 3600 + minutes * 60 + seconds - offset_seconds;
  return out;
}

bool WhereComparable(const arrow::DataType& type) {
  static constexpr arrow::Type::type kComparable[] = {
      arrow::Type::BOOL,       arrow::Type::INT8,     arrow::Type::INT16,
      arrow::Type::INT32,      arrow::Type::INT64,    arrow::Type::UINT8,
      arrow::Type::UINT16,     arrow::Type::UINT32,   arrow::Type::UINT64,
      arrow::Type::FLOAT,      arrow::Type::DOUBLE,   arrow::Type::DECIMAL128,
      arrow::Type::DECIMAL256, arrow::Type::STRING,   arrow::Type::BINARY,
      arrow::Type::DATE32,     arrow::Type::TIMESTAMP};
  return std::find(std::begin(kComparable), std::end(kComparable), type.id()) !=
         std::end(kComparable);
}

arrow::Result<std::shared_ptr<arrow::Scalar>> MakeWhereLiteral(
    const WhereValue& value, const arrow::DataType& type) {
  if (!WhereComparable(type)) {
    return arrow::Status::Invalid("values of type ", type.ToString(),
                                  " cannot be written in --where");
  }
  if (value.kind == Kind::kNull) return arrow::MakeNullScalar(type.GetSharedPtr());
  switch (type.id()) {
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
      return IntegerLiteral(value, type);
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE:
      return FloatLiteral(value, type);
    case arrow::Type::DECIMAL128:
      return DecimalLiteral<arrow::Decimal128, arrow::Decimal128Scalar>(
          value, static_cast<const arrow::DecimalType&>(type));
    case arrow::Type::DECIMAL256:
      return DecimalLiteral<arrow::Decimal256, arrow::Decimal256Scalar>(
          value, static_cast<const arrow::DecimalType&>(type));
    case arrow::Type::STRING:
      if (value.kind != Kind::kString) return Expected("a quoted string", value);
      return std::make_shared<arrow::StringScalar>(value.text);
    case arrow::Type::BINARY:
      if (value.kind != Kind::kString) return Expected("a quoted string", value);
      return std::make_shared<arrow::BinaryScalar>(value.text);
    case arrow::Type::BOOL:
      if (value.kind != Kind::kBool) return Expected("true or false", value);
      return std::make_shared<arrow::BooleanScalar>(value.text == "true");
    case arrow::Type::DATE32: {
      if (value.kind != Kind::kString && value.kind != Kind::kDate) {
        return Expected("a date ('2024-01-31')", value);
      }
      ARROW_ASSIGN_OR_RAISE(auto days, ParseWhereDate(value.text));
      return std::make_shared<arrow::Date32Scalar>(days);
    }
    case arrow::Type::TIMESTAMP:
      return TimestampLiteral(value, static_cast<const arrow::TimestampType&>(type));
    default:  // WhereComparable lists exactly the cases above
      return arrow::Status::UnknownError("no literal for type ", type.ToString());
  }
}

}  // namespace quiver::cli
