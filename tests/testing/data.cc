#include "testing/data.h"

#include <arrow/api.h>
#include <arrow/array/concatenate.h>
#include <arrow/compute/api.h>
#include <arrow/util/decimal.h>

namespace quiver::testing {

std::shared_ptr<arrow::RecordBatch> IntBatch(int64_t num_rows, int64_t start) {
  arrow::Int64Builder builder;
  (void)builder.Reserve(num_rows);
  for (int64_t i = 0; i < num_rows; ++i) builder.UnsafeAppend(start + i);
  auto array = builder.Finish().ValueOrDie();
  return arrow::RecordBatch::Make(arrow::schema({arrow::field("x", arrow::int64())}),
                                  num_rows, {array});
}

std::shared_ptr<arrow::Table> IntTable(int64_t num_batches, int64_t rows_per_batch) {
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  for (int64_t b = 0; b < num_batches; ++b) {
    batches.push_back(IntBatch(rows_per_batch, b * rows_per_batch));
  }
  return arrow::Table::FromRecordBatches(batches).ValueOrDie();
}

namespace {

// Builds column values through Arrow's builders, with every 3rd row null.
template <typename Builder, typename Fn>
std::shared_ptr<arrow::Array> Column(std::unique_ptr<Builder> builder, int64_t n,
                                     Fn append) {
  for (int64_t i = 0; i < n; ++i) {
    if (i % 3 == 2) {
      (void)builder->AppendNull();
    } else {
      (void)append(*builder, i);
    }
  }
  return builder->Finish().ValueOrDie();
}

template <typename Builder, typename... Args>
std::unique_ptr<Builder> Make(Args&&... args) {
  return std::make_unique<Builder>(std::forward<Args>(args)...);
}

}  // namespace

std::shared_ptr<arrow::Table> AllTypesTable(int64_t n) {
  using namespace arrow;  // NOLINT: test data builder
  auto pool = default_memory_pool();
  std::vector<std::shared_ptr<Field>> fields;
  std::vector<std::shared_ptr<Array>> columns;
  auto add = [&](std::string name, std::shared_ptr<Array> array) {
    fields.push_back(field(std::move(name), array->type()));
    columns.push_back(std::move(array));
  };
  add("i8", Column(Make<Int8Builder>(), n,
                   [](auto& b, int64_t i) { return b.Append(int8_t(i % 100 - 50)); }));
  add("i16", Column(Make<Int16Builder>(), n,
                    [](auto& b, int64_t i) { return b.Append(int16_t(i * 7)); }));
  add("i32", Column(Make<Int32Builder>(), n,
                    [](auto& b, int64_t i) { return b.Append(int32_t(i * -31)); }));
  add("i64", Column(Make<Int64Builder>(), n,
                    [](auto& b, int64_t i) { return b.Append(i << 33); }));
  add("u8", Column(Make<UInt8Builder>(), n,
                   [](auto& b, int64_t i) { return b.Append(uint8_t(i)); }));
  add("u32", Column(Make<UInt32Builder>(), n, [](auto& b, int64_t i) {
        return b.Append(uint32_t(4000000000u - i));
      }));
  add("u64", Column(Make<UInt64Builder>(), n,
                    [](auto& b, int64_t i) { return b.Append(uint64_t(1) << 63 | i); }));
  add("f32", Column(Make<FloatBuilder>(), n,
                    [](auto& b, int64_t i) { return b.Append(float(i) / 3); }));
  add("f64", Column(Make<DoubleBuilder>(), n, [](auto& b, int64_t i) {
        return b.Append(double(i) * 1.5e300 / (i + 1));
      }));
  add("bool", Column(Make<BooleanBuilder>(), n,
                     [](auto& b, int64_t i) { return b.Append(i % 2 == 0); }));
  add("str", Column(Make<StringBuilder>(), n, [](auto& b, int64_t i) {
        return b.Append("s" + std::to_string(i) + "é");
      }));
  add("large_str", Column(Make<LargeStringBuilder>(), n, [](auto& b, int64_t i) {
        return b.Append(std::string(i % 17, 'z'));
      }));
  add("bin", Column(Make<BinaryBuilder>(), n, [](auto& b, int64_t i) {
        std::string s(4, '\0');
        s[1] = char(i);
        return b.Append(s);
      }));
  add("date32", Column(Make<Date32Builder>(), n,
                       [](auto& b, int64_t i) { return b.Append(int32_t(19000 + i)); }));
  add("date64", Column(Make<Date64Builder>(), n, [](auto& b, int64_t i) {
        return b.Append(int64_t(86400000) * i);
      }));
  add("time32_s",
      Column(Make<Time32Builder>(time32(TimeUnit::SECOND), pool), n,
             [](auto& b, int64_t i) { return b.Append(int32_t(i % 86400)); }));
  add("time64_ns", Column(Make<Time64Builder>(time64(TimeUnit::NANO), pool), n,
                          [](auto& b, int64_t i) { return b.Append(i * 1000); }));
  add("duration_ms", Column(Make<DurationBuilder>(duration(TimeUnit::MILLI), pool), n,
                            [](auto& b, int64_t i) { return b.Append(-i); }));
  add("f16", Column(Make<HalfFloatBuilder>(), n, [](auto& b, int64_t i) {
        return b.Append(uint16_t(0x3c00 + i % 64));
      }));
  add("fixed_bin", Column(Make<FixedSizeBinaryBuilder>(fixed_size_binary(3), pool), n,
                          [](auto& b, int64_t i) {
                            return b.Append(std::string(3, char('a' + i % 26)));
                          }));
  add("large_bin", Column(Make<LargeBinaryBuilder>(), n, [](auto& b, int64_t i) {
        return b.Append(std::string(i % 5, '\x01'));
      }));
  add("ts_ms_utc",
      Column(Make<TimestampBuilder>(timestamp(TimeUnit::MILLI, "UTC"), pool), n,
             [](auto& b, int64_t i) { return b.Append(1700000000000 + i); }));
  add("ts_us_paris",
      Column(Make<TimestampBuilder>(timestamp(TimeUnit::MICRO, "Europe/Paris"), pool), n,
             [](auto& b, int64_t i) { return b.Append(1700000000000000 + i); }));
  add("ts_ns_naive", Column(Make<TimestampBuilder>(timestamp(TimeUnit::NANO), pool), n,
                            [](auto& b, int64_t i) { return b.Append(i * 1000000007); }));
  add("dec128",
      Column(Make<Decimal128Builder>(decimal128(20, 4), pool), n,
             [](auto& b, int64_t i) { return b.Append(Decimal128(i * 12345 - 99999)); }));
  add("dec256",
      Column(Make<Decimal256Builder>(decimal256(50, 10), pool), n,
             [](auto& b, int64_t i) {
               return b.Append(Decimal256(i) * Decimal256("1000000000000000000000"));
             }));

  // list<int32>
  {
    auto values = std::make_shared<Int32Builder>();
    ListBuilder b(pool, values);
    for (int64_t i = 0; i < n; ++i) {
      if (i % 3 == 2) {
        (void)b.AppendNull();
        continue;
      }
      (void)b.Append();
      for (int64_t k = 0; k < i % 4; ++k) (void)values->Append(int32_t(i + k));
    }
    add("list_i32", b.Finish().ValueOrDie());
  }
  // struct<a: int64, b: string>
  {
    auto a = std::make_shared<Int64Builder>();
    auto s = std::make_shared<StringBuilder>();
    StructBuilder b(struct_({field("a", int64()), field("b", utf8())}), pool, {a, s});
    for (int64_t i = 0; i < n; ++i) {
      if (i % 3 == 2) {
        (void)b.AppendNull();
        continue;
      }
      (void)b.Append();
      (void)a->Append(i);
      if (i % 2)
        (void)s->AppendNull();
      else
        (void)s->Append("v" + std::to_string(i));
    }
    add("struct", b.Finish().ValueOrDie());
  }
  // map<string, int32>
  {
    auto k = std::make_shared<StringBuilder>();
    auto v = std::make_shared<Int32Builder>();
    MapBuilder b(pool, k, v);
    for (int64_t i = 0; i < n; ++i) {
      if (i % 3 == 2) {
        (void)b.AppendNull();
        continue;
      }
      (void)b.Append();
      for (int64_t e = 0; e < i % 3; ++e) {
        (void)k->Append("k" + std::to_string(e));
        (void)v->Append(int32_t(i * e));
      }
    }
    add("map", b.Finish().ValueOrDie());
  }
  // dictionary<int32, string>
  {
    StringBuilder values;
    (void)values.AppendValues({"red", "green", "blue"});
    auto dict_values = values.Finish().ValueOrDie();
    Int32Builder indices;
    for (int64_t i = 0; i < n; ++i) {
      if (i % 3 == 2)
        (void)indices.AppendNull();
      else
        (void)indices.Append(int32_t((i / 3) % 3));
    }
    auto index_array = indices.Finish().ValueOrDie();
    add("dict",
        DictionaryArray::FromArrays(dictionary(int32(), utf8()), index_array, dict_values)
            .ValueOrDie());
  }
  return Table::Make(schema(fields), columns, n);
}

}  // namespace quiver::testing
