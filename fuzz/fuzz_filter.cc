// Read filters: arbitrary bytes taken as a Substrait ExtendedExpression (base64-encoded
// as clients send it) -> server::DecodeFilter -> store::PlanRead against a fixed
// schema -> evaluated on a small batch. Hostile expressions must be refused with
// Invalid (or evaluate), never crash, hang or allocate without bound.

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/exec.h>
#include <arrow/compute/initialize.h>
#include <arrow/record_batch.h>
#include <arrow/util/base64.h>

#include "quiver/server/filter_expression.h"
#include "quiver/store/model/read_spec.h"

#include "fuzz_util.h"

namespace {

namespace cp = arrow::compute;

std::shared_ptr<arrow::RecordBatch> MakeBatch() {
  auto schema = arrow::schema(
      {arrow::field("x", arrow::int64()), arrow::field("city", arrow::utf8()),
       arrow::field("f", arrow::float64()),
       arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
       arrow::field("ok", arrow::boolean()),
       arrow::field("dec", arrow::decimal128(10, 2))});
  arrow::Int64Builder x, ts;
  arrow::StringBuilder city;
  arrow::DoubleBuilder f;
  arrow::BooleanBuilder ok;
  arrow::Decimal128Builder dec(arrow::decimal128(10, 2));
  for (int i = 0; i < 4; ++i) {
    (void)x.Append(i * 3 - 2);
    (void)city.Append(i % 2 ? "Oslo" : "Lima");
    (void)(i == 2 ? f.AppendNull() : f.Append(0.4 * i));
    (void)ts.Append(int64_t{1767225600000000} + i);
    (void)ok.Append(i % 3 == 0);
    (void)dec.Append(arrow::Decimal128(i * 75));
  }
  std::shared_ptr<arrow::Array> ts_array;
  (void)ts.Finish(&ts_array);
  auto ts_data = ts_array->data()->Copy();
  ts_data->type = schema->field(3)->type();
  return arrow::RecordBatch::Make(
      schema, 4,
      {*x.Finish(), *city.Finish(), *f.Finish(), arrow::MakeArray(ts_data), *ok.Finish(),
       *dec.Finish()});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool initialized = cp::Initialize().ok();
  static const auto batch = MakeBatch();
  QUIVER_FUZZ_CHECK(initialized);
  auto filter = quiver::server::DecodeFilter(
      arrow::util::base64_encode(quiver::fuzz::AsText(data, size)));
  if (!filter.ok()) {
    QUIVER_FUZZ_CHECK(filter.status().IsInvalid());
    return 0;
  }
  quiver::store::Manifest manifest;
  manifest.schema = batch->schema();
  quiver::store::ReadSpec spec;
  spec.filter = *filter;
  auto plan = quiver::store::PlanRead(manifest, spec);
  if (!plan.ok()) {
    QUIVER_FUZZ_CHECK(plan.status().IsInvalid());
    return 0;
  }
  std::vector<std::shared_ptr<arrow::Array>> columns;
  for (int index : plan->read_fields) columns.push_back(batch->column(index));
  cp::ExecBatch input(std::vector<arrow::Datum>(columns.begin(), columns.end()), 4);
  (void)cp::ExecuteScalarExpression(*plan->filter, input);
  return 0;
}
