#pragma once

#include <gtest/gtest.h>

/// Assert that an arrow::Status (or the status of a Result) is OK, printing it if not.
#define ASSERT_OK(expr)                                                     \
  do {                                                                      \
    auto _quiver_st = (expr);                                               \
    ASSERT_TRUE(_quiver_st.ok()) << #expr << ": " << _quiver_st.ToString(); \
  } while (0)

#define QUIVER_CONCAT_INNER_(a, b) a##b
#define QUIVER_CONCAT_(a, b) QUIVER_CONCAT_INNER_(a, b)
#define QUIVER_ASSERT_OK_AND_ASSIGN_IMPL_(result, lhs, rexpr)                   \
  auto result = (rexpr);                                                        \
  ASSERT_TRUE(result.ok()) << #rexpr << ": " << result.status().ToString();     \
  lhs = std::move(result).ValueUnsafe()

/// Assert that an arrow::Result is OK and move its value into `lhs` (a declaration
/// such as `auto x` or an existing variable), as Arrow's own testing macro does.
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  QUIVER_ASSERT_OK_AND_ASSIGN_IMPL_(QUIVER_CONCAT_(_quiver_result_, __LINE__), lhs, rexpr)
