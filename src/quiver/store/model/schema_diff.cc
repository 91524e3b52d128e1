#include "quiver/store/model/schema_diff.h"

#include <fmt/format.h>

#include <arrow/type.h>

namespace quiver::store {

std::optional<std::string> DescribeSchemaDifference(const arrow::Schema& expected,
                                                    const arrow::Schema& actual) {
  if (expected.Equals(actual, /*check_metadata=*/false)) return std::nullopt;
  int common = std::min(expected.num_fields(), actual.num_fields());
  for (int i = 0; i < common; ++i) {
    const auto& want = *expected.field(i);
    const auto& got = *actual.field(i);
    if (want.name() != got.name()) {
      return fmt::format("field {} is named '{}', the dataset's is '{}'", i, got.name(),
                         want.name());
    }
    if (!want.type()->Equals(*got.type())) {
      return fmt::format("field '{}' has type {}, the dataset's is {}", got.name(),
                         got.type()->ToString(), want.type()->ToString());
    }
    if (want.nullable() != got.nullable()) {
      return fmt::format("field '{}' is {}nullable, the dataset's is {}nullable",
                         got.name(), got.nullable() ? "" : "not ",
                         want.nullable() ? "" : "not ");
    }
  }
  if (actual.num_fields() > common) {
    return fmt::format("field '{}' is not in the dataset", actual.field(common)->name());
  }
  if (expected.num_fields() > common) {
    return fmt::format("field '{}' of the dataset is missing",
                       expected.field(common)->name());
  }
  return std::string("the schemas differ");
}

}  // namespace quiver::store
