#pragma once

/// \file
/// The parts of a '/'-separated path (a local path or an arrow::fs path), the way
/// POSIX dirname(3) and basename(3) split it, without touching any file system.

#include <string_view>

namespace quiver {

/// \brief Everything before the last '/' of `path`: "a/b/c" -> "a/b", "/c" -> "/",
/// "c" -> "." (the current directory). A trailing '/' is not stripped first.
/// \return a view into `path`, or a static "." / "/".
std::string_view DirName(std::string_view path);

/// \brief Everything after the last '/' of `path`: "a/b/c" -> "c", "c" -> "c",
/// "a/" -> "". \return a view into `path`.
std::string_view BaseName(std::string_view path);

}  // namespace quiver
