#include "quiver/server/filter_expression.h"

#include <arrow/buffer.h>
#include <arrow/compute/initialize.h>
#include <arrow/engine/substrait/serde.h>
#include <arrow/type.h>
#include <arrow/util/base64.h>

#include "quiver/server/substrait_guard_internal.h"

namespace quiver::server {
namespace {

namespace cp = arrow::compute;

/// The reference `ref` makes into `schema`, by names.
arrow::Result<arrow::FieldRef> ByName(const arrow::FieldRef& ref,
                                      const arrow::Schema& schema) {
  auto path = ref.FindOne(schema);
  if (!path.ok()) {
    return arrow::Status::Invalid("'filter' refers to a field its schema lacks");
  }
  const auto& indices = path->indices();
  if (indices.empty()) return arrow::Status::Invalid("'filter' has an empty reference");
  std::shared_ptr<arrow::Field> field = schema.field(indices[0]);
  std::vector<arrow::FieldRef> names{arrow::FieldRef(field->name())};
  for (size_t i = 1; i < indices.size(); ++i) {
    if (field->type()->id() != arrow::Type::STRUCT) {
      return arrow::Status::Invalid(
          "'filter' refers into a column of type ", field->type()->ToString(),
          "; only struct fields can be referenced inside columns");
    }
    field = field->type()->field(indices[i]);
    names.emplace_back(field->name());
  }
  if (names.size() == 1) return std::move(names[0]);
  return arrow::FieldRef(std::move(names));
}

arrow::Result<cp::Expression> WithNames(const cp::Expression& expr,
                                        const arrow::Schema& schema, int depth);

bool IsAssociative(const std::string& function) {
  return function == "and_kleene" || function == "or_kleene" || function == "and" ||
         function == "or";
}

/// A chain of one associative function (a or b or c ..., as Substrait's "in" lists
/// become) as a balanced tree: depth log2(n) instead of n.
arrow::Result<cp::Expression> Balanced(const cp::Expression::Call& call,
                                       const arrow::Schema& schema, int depth) {
  std::vector<const cp::Expression*> operands;
  std::vector<const cp::Expression*> pending{&call.arguments.back()};
  for (auto it = call.arguments.rbegin() + 1; it != call.arguments.rend(); ++it) {
    pending.push_back(&*it);
  }
  while (!pending.empty()) {  // iterative: chains may be thousands long
    const cp::Expression* next = pending.back();
    pending.pop_back();
    const auto* inner = next->call();
    if (inner != nullptr && inner->function_name == call.function_name &&
        inner->options == nullptr) {
      for (auto it = inner->arguments.rbegin(); it != inner->arguments.rend(); ++it) {
        pending.push_back(&*it);
      }
    } else {
      operands.push_back(next);
    }
  }
  std::vector<cp::Expression> level;
  level.reserve(operands.size());
  for (const auto* operand : operands) {
    ARROW_ASSIGN_OR_RAISE(auto named, WithNames(*operand, schema, depth + 1));
    level.push_back(std::move(named));
  }
  while (level.size() > 1) {
    std::vector<cp::Expression> up;
    for (size_t i = 0; i + 1 < level.size(); i += 2) {
      up.push_back(cp::call(call.function_name, {level[i], level[i + 1]}));
    }
    if (level.size() % 2 == 1) up.push_back(std::move(level.back()));
    level = std::move(up);
  }
  return std::move(level.front());
}

arrow::Result<cp::Expression> WithNames(const cp::Expression& expr,
                                        const arrow::Schema& schema, int depth) {
  if (depth > kMaxFilterDepth) {
    return arrow::Status::Invalid("'filter' is nested deeper than ", kMaxFilterDepth,
                                  " levels");
  }
  if (const auto* ref = expr.field_ref()) {
    ARROW_ASSIGN_OR_RAISE(auto named, ByName(*ref, schema));
    return cp::field_ref(std::move(named));
  }
  if (const auto* call = expr.call()) {
    if (IsAssociative(call->function_name) && call->options == nullptr &&
        call->arguments.size() == 2) {
      return Balanced(*call, schema, depth);
    }
    std::vector<cp::Expression> arguments;
    arguments.reserve(call->arguments.size());
    for (const auto& argument : call->arguments) {
      ARROW_ASSIGN_OR_RAISE(auto named, WithNames(argument, schema, depth + 1));
      arguments.push_back(std::move(named));
    }
    return cp::call(call->function_name, std::move(arguments), call->options);
  }
  if (expr.literal() != nullptr) return expr;
  return arrow::Status::Invalid("'filter' holds an expression quiver cannot read");
}

}  // namespace

arrow::Result<cp::Expression> DecodeFilter(std::string_view base64) {
  // Substrait functions map onto the compute registry, filled by Initialize (idempotent).
  ARROW_RETURN_NOT_OK(cp::Initialize());
  if (base64.empty()) return arrow::Status::Invalid("'filter' is empty");
  auto bytes = arrow::util::base64_decode(base64);
  if (!bytes.ok() || bytes->empty()) {
    return arrow::Status::Invalid(
        "'filter' must be base64 (of a Substrait "
        "ExtendedExpression)");
  }
  ARROW_RETURN_NOT_OK(CheckSubstraitParameters(*bytes));
  auto buffer = arrow::Buffer::FromString(std::move(*bytes));
  auto decoded = arrow::engine::DeserializeExpressions(*buffer);
  if (!decoded.ok()) {
    return arrow::Status::Invalid(
        "'filter' is not a Substrait ExtendedExpression quiver "
        "can read: ",
        decoded.status().message());
  }
  if (decoded->named_expressions.size() != 1 || decoded->schema == nullptr) {
    return arrow::Status::Invalid("'filter' must hold exactly one expression, not ",
                                  decoded->named_expressions.size());
  }
  return WithNames(decoded->named_expressions[0].expression, *decoded->schema, 0);
}

}  // namespace quiver::server
