#pragma once

#include <gtest/gtest.h>

/// Assert that an arrow::Status (or the status of a Result) is OK, printing it if not.
#define ASSERT_OK(expr)                                                     \
  do {                                                                      \
    auto _quiver_st = (expr);                                               \
    ASSERT_TRUE(_quiver_st.ok()) << #expr << ": " << _quiver_st.ToString(); \
  } while (0)
