#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <arrow/array/builder_base.h>
#include <arrow/compute/api_scalar.h>
#include <arrow/scalar.h>
#include <arrow/status.h>
#include <arrow/type.h>
#include <arrow/type_traits.h>
#include <arrow/util/decimal.h>

#include "quiver/cli/where_compiler_internal.h"
#include "quiver/cli/where_literals_internal.h"

namespace quiver::cli {
namespace {

namespace cp = arrow::compute;

std::string Quoted(const std::string& name) { return "'" + name + "'"; }

cp::Expression Compare(WhereCompare op, cp::Expression left, cp::Expression right) {
  switch (op) {
    case WhereCompare::kEqual:
      return cp::equal(std::move(left), std::move(right));
    case WhereCompare::kNotEqual:
      return cp::not_equal(std::move(left), std::move(right));
    case WhereCompare::kLess:
      return cp::less(std::move(left), std::move(right));
    case WhereCompare::kLessEqual:
      return cp::less_equal(std::move(left), std::move(right));
    case WhereCompare::kGreater:
      return cp::greater(std::move(left), std::move(right));
    case WhereCompare::kGreaterEqual:
      return cp::greater_equal(std::move(left), std::move(right));
  }
  return cp::literal(false);
}

/// `value op column` is `column op' value`.
WhereCompare Flip(WhereCompare op) {
  switch (op) {
    case WhereCompare::kLess:
      return WhereCompare::kGreater;
    case WhereCompare::kLessEqual:
      return WhereCompare::kGreaterEqual;
    case WhereCompare::kGreater:
      return WhereCompare::kLess;
    case WhereCompare::kGreaterEqual:
      return WhereCompare::kLessEqual;
    default:
      return op;
  }
}

/// Function references of an expression's Substrait form, the way Arrow 26 writes it
/// (see kMaxFilterFunctionRefs): 1 for a call, plus twice its arguments'. Saturates.
int64_t FunctionRefs(const cp::Expression& expr) {
  const auto* call = expr.call();
  if (call == nullptr) return 0;
  int64_t total = 1;
  for (const auto& argument : call->arguments) {
    int64_t refs = FunctionRefs(argument);
    if (refs > kMaxFilterFunctionRefs) return kMaxFilterFunctionRefs + 1;
    total += 2 * refs;
    if (total > kMaxFilterFunctionRefs) return kMaxFilterFunctionRefs + 1;
  }
  return total;
}

class Compiler {
 public:
  explicit Compiler(const arrow::Schema& schema) : schema_(schema) {}

  arrow::Result<CompiledWhere> Run(const WhereNode& where) {
    ARROW_ASSIGN_OR_RAISE(auto expression, Compile(where));
    CompiledWhere out;
    out.function_refs = FunctionRefs(expression);
    if (out.function_refs > kMaxFilterFunctionRefs) {
      return arrow::Status::Invalid(
          "--where: too complex to send (Arrow's Substrait encoding grows with every "
          "level of nesting); use fewer conditions, or 'in (...)' instead of a chain of "
          "'or's");
    }
    out.schema = arrow::schema(fields_);
    auto bound = expression.Bind(*out.schema);
    if (!bound.ok()) {
      return arrow::Status::Invalid("--where: cannot be evaluated: ",
                                    bound.status().message());
    }
    if (!bound->type()->Equals(arrow::boolean())) {
      return arrow::Status::Invalid("--where: is not a condition (it gives ",
                                    bound->type()->ToString(), ")");
    }
    out.expression = std::move(expression);
    return out;
  }

 private:
  arrow::Result<cp::Expression> Compile(const WhereNode& node) {
    switch (node.kind) {
      case WhereNode::Kind::kAnd:
      case WhereNode::Kind::kOr: {
        std::vector<cp::Expression> children;
        for (const auto& child : node.children) {
          ARROW_ASSIGN_OR_RAISE(auto compiled, Compile(child));
          children.push_back(std::move(compiled));
        }
        return Balanced(node.kind == WhereNode::Kind::kAnd, children, 0, children.size());
      }
      case WhereNode::Kind::kNot: {
        ARROW_ASSIGN_OR_RAISE(auto child, Compile(node.children.at(0)));
        return cp::not_(std::move(child));
      }
      case WhereNode::Kind::kIsNull:
      case WhereNode::Kind::kIsNotNull: {
        if (!node.left.is_column) {
          return Error("'is null' applies to a column, not a value", node.left.position);
        }
        ARROW_ASSIGN_OR_RAISE(auto column, Column(node.left));
        auto ref = cp::field_ref(column->name());
        return node.kind == WhereNode::Kind::kIsNull ? cp::is_null(std::move(ref))
                                                     : cp::is_valid(std::move(ref));
      }
      case WhereNode::Kind::kColumn: {
        ARROW_ASSIGN_OR_RAISE(auto column, Column(node.left));
        if (column->type()->id() != arrow::Type::BOOL) {
          return Error("column " + Quoted(column->name()) + " is " +
                           column->type()->ToString() +
                           ", not boolean: compare it with a value (=, <, ...)",
                       node.left.position);
        }
        return cp::field_ref(column->name());
      }
      case WhereNode::Kind::kIn:
      case WhereNode::Kind::kNotIn:
        return CompileIn(node);
      case WhereNode::Kind::kCompare:
        return CompileCompare(node);
    }
    return arrow::Status::Invalid("--where: unknown node");
  }

  /// and/or of children[begin, end) as a balanced tree: Substrait's size grows with
  /// depth, and the server bounds it.
  cp::Expression Balanced(bool conjunction, std::vector<cp::Expression>& children,
                          size_t begin, size_t end) {
    if (end - begin == 1) return std::move(children[begin]);
    size_t middle = begin + (end - begin) / 2;
    auto left = Balanced(conjunction, children, begin, middle);
    auto right = Balanced(conjunction, children, middle, end);
    return conjunction ? cp::and_(std::move(left), std::move(right))
                       : cp::or_(std::move(left), std::move(right));
  }

  arrow::Result<cp::Expression> CompileCompare(const WhereNode& node) {
    const WhereOperand* left = &node.left;
    const WhereOperand* right = &node.right;
    WhereCompare op = node.compare;
    for (const WhereOperand* side : {left, right}) {
      if (!side->is_column && side->value.kind == WhereValue::Kind::kNull) {
        return Error(
            "a comparison with null is never true; use 'is null' or 'is not "
            "null'",
            side->position);
      }
    }
    if (!left->is_column && !right->is_column) {
      return Error("compares two values; one side must be a column", left->position);
    }
    if (!left->is_column) {
      std::swap(left, right);
      op = Flip(op);
    }
    ARROW_ASSIGN_OR_RAISE(auto column, ComparableColumn(*left));
    if (right->is_column) {
      ARROW_ASSIGN_OR_RAISE(auto other, ComparableColumn(*right));
      if (!column->type()->Equals(*other->type())) {
        return Error("cannot compare column " + Quoted(column->name()) + " (" +
                         column->type()->ToString() + ") with column " +
                         Quoted(other->name()) + " (" + other->type()->ToString() +
                         "): columns compared with each other must have the same type",
                     right->position);
      }
      return Compare(op, cp::field_ref(column->name()), cp::field_ref(other->name()));
    }
    ARROW_ASSIGN_OR_RAISE(auto scalar, LiteralFor(right->value, *column));
    return Compare(op, cp::field_ref(column->name()), cp::literal(std::move(scalar)));
  }

  arrow::Result<cp::Expression> CompileIn(const WhereNode& node) {
    if (!node.left.is_column) {
      return Error("'in' applies to a column, not a value", node.left.position);
    }
    ARROW_ASSIGN_OR_RAISE(auto column, ComparableColumn(node.left));
    ARROW_ASSIGN_OR_RAISE(auto builder, arrow::MakeBuilder(column->type()));
    for (const auto& value : node.values) {
      if (value.kind == WhereValue::Kind::kNull) {
        return Error("null in an 'in' list never matches; use 'is null'", value.position);
      }
      ARROW_ASSIGN_OR_RAISE(auto scalar, LiteralFor(value, *column));
      ARROW_RETURN_NOT_OK(builder->AppendScalar(*scalar));
    }
    ARROW_ASSIGN_OR_RAISE(auto value_set, builder->Finish());
    auto ref = cp::field_ref(column->name());
    auto in = cp::call("is_in", {ref}, cp::SetLookupOptions(std::move(value_set)));
    if (node.kind == WhereNode::Kind::kIn) return in;
    // `x not in (...)` drops the rows where x is null, as `x != v` does.
    return cp::and_(cp::is_valid(ref), cp::not_(std::move(in)));
  }

  /// The column an operand names, entered into the filter's schema in its wire type.
  arrow::Result<std::shared_ptr<arrow::Field>> Column(const WhereOperand& operand) {
    auto matches = schema_.GetAllFieldIndices(operand.column);
    if (matches.empty()) {
      std::string known;
      for (int i = 0; i < schema_.num_fields() && i < 12; ++i) {
        known += (i == 0 ? "" : ", ") + schema_.field(i)->name();
      }
      if (schema_.num_fields() > 12) known += ", ...";
      return Error(
          "unknown column " + Quoted(operand.column) + " (columns: " + known + ")",
          operand.position);
    }
    if (matches.size() > 1) {
      return Error("the dataset has several columns named " + Quoted(operand.column),
                   operand.position);
    }
    const auto& field = schema_.field(matches[0]);
    for (const auto& known : fields_) {
      if (known->name() == field->name()) return known;
    }
    auto wire = field->WithType(FilterWireType(field->type()));
    fields_.push_back(wire);
    return wire;
  }

  arrow::Result<std::shared_ptr<arrow::Field>> ComparableColumn(
      const WhereOperand& operand) {
    ARROW_ASSIGN_OR_RAISE(auto column, Column(operand));
    if (!WhereComparable(*column->type())) {
      return Error("column " + Quoted(column->name()) + " is " +
                       column->type()->ToString() +
                       ", which --where cannot compare (only 'is null' applies)",
                   operand.position);
    }
    return column;
  }

  arrow::Result<std::shared_ptr<arrow::Scalar>> LiteralFor(const WhereValue& value,
                                                           const arrow::Field& column) {
    auto scalar = MakeWhereLiteral(value, *column.type());
    if (!scalar.ok()) {
      return Error(scalar.status().message() + " for column " + Quoted(column.name()) +
                       " (" + column.type()->ToString() + ")",
                   value.position);
    }
    return scalar;
  }

  arrow::Status Error(const std::string& message, size_t position) const {
    return arrow::Status::Invalid(WhereError(message, position));
  }

  const arrow::Schema& schema_;
  std::vector<std::shared_ptr<arrow::Field>> fields_;
};

}  // namespace

std::shared_ptr<arrow::DataType> FilterWireType(
    const std::shared_ptr<arrow::DataType>& type) {
  switch (type->id()) {
    case arrow::Type::DICTIONARY:
      return FilterWireType(
          static_cast<const arrow::DictionaryType&>(*type).value_type());
    case arrow::Type::LARGE_STRING:
    case arrow::Type::STRING_VIEW:
      return arrow::utf8();
    case arrow::Type::LARGE_BINARY:
    case arrow::Type::BINARY_VIEW:
      return arrow::binary();
    case arrow::Type::DATE64:
      return arrow::date32();
    case arrow::Type::TIMESTAMP: {
      const auto& ts = static_cast<const arrow::TimestampType&>(*type);
      if (ts.unit() == arrow::TimeUnit::NANO) {
        return arrow::timestamp(arrow::TimeUnit::MICRO, ts.timezone());
      }
      return type;
    }
    default:
      return type;
  }
}

arrow::Result<CompiledWhere> CompileWhere(const WhereNode& where,
                                          const arrow::Schema& schema) {
  return Compiler(schema).Run(where);
}

}  // namespace quiver::cli
