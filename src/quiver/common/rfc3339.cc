#include "quiver/common/rfc3339.h"

#include <cctype>
#include <cstdio>

namespace quiver {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;

bool Digits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::optional<WrittenTime> ParseWrittenTime(std::string_view text) {
  int year, month, day, hour, minute;
  if (!Digits(text, 0, 4, &year) || text.size() < 16 || text[4] != '-' ||
      !Digits(text, 5, 2, &month) || text[7] != '-' || !Digits(text, 8, 2, &day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !Digits(text, 11, 2, &hour) || text[13] != ':' || !Digits(text, 14, 2, &minute)) {
    return std::nullopt;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month) || hour > 23 || minute > 59) {
    return std::nullopt;
  }
  WrittenTime out;
  out.tm.tm_year = year - 1900;
  out.tm.tm_mon = month - 1;
  out.tm.tm_mday = day;
  out.tm.tm_hour = hour;
  out.tm.tm_min = minute;
  size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    int second;
    if (!Digits(text, pos + 1, 2, &second) || second > 60) return std::nullopt;
    out.tm.tm_sec = second == 60 ? 59 : second;  // a leap second: its last instant
    out.has_seconds = true;
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      size_t start = ++pos;
      int64_t scale = 100000;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        out.micros += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
      out.has_fraction = true;
    }
  }
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    out.offset_seconds = 0;
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!Digits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() ||
        text[pos + 3] != ':' || !Digits(text, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    out.offset_seconds = (oh * 3600 + om * 60) * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  }
  if (pos != text.size()) return std::nullopt;
  return out;
}

std::tm BrokenDownTime(int64_t micros, bool local) {
  int64_t seconds = micros / kMicrosPerSecond;
  if (micros % kMicrosPerSecond < 0) --seconds;
  auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (local) {
    localtime_r(&t, &tm);
  } else {
    gmtime_r(&t, &tm);
  }
  return tm;
}

arrow::Result<int64_t> ParseRfc3339(std::string_view text) {
  auto written = ParseWrittenTime(text);
  if (!written || !written->has_seconds || !written->offset_seconds) {
    return arrow::Status::Invalid("invalid timestamp '", text,
                                  "': expected RFC 3339, e.g. 2026-12-01T22:00:00Z");
  }
  std::tm tm = written->tm;
  int64_t seconds = static_cast<int64_t>(timegm(&tm)) - *written->offset_seconds;
  return seconds * kMicrosPerSecond + written->micros;
}

std::string FormatRfc3339Utc(int64_t micros) {
  std::tm tm = BrokenDownTime(micros, /*local=*/false);
  int64_t fraction = ((micros % kMicrosPerSecond) + kMicrosPerSecond) % kMicrosPerSecond;
  char text[160];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                tm.tm_sec, static_cast<long long>(fraction));
  return text;
}

}  // namespace quiver
