//! The scenario's data: the cookbook table, the streamed dataset and every type of
//! tests/testing/data.cc (same columns, types and values, every 3rd row null).

use std::sync::Arc;

use arrow_array::builder::{Int32Builder, MapBuilder, MapFieldNames, StringBuilder};
use arrow_array::types::Int32Type;
use arrow_array::*;
use arrow_buffer::{i256, NullBuffer};
use arrow_schema::{DataType, Field, Fields, Schema};

pub fn cookbook_table() -> RecordBatch {
    let col: ArrayRef = Arc::new(StringArray::from(vec!["Mario", "Luigi", "Peach"]));
    RecordBatch::try_from_iter(vec![("Character", col)]).unwrap()
}

/// id = row number, val = id * 7919 mod 1000003; the checksum is the wrapping sum of
/// id XOR val.
pub fn stream_schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("val", DataType::Int64, false),
    ]))
}

pub fn stream_batch(start: i64, n: i64) -> RecordBatch {
    let ids = Int64Array::from_iter_values(start..start + n);
    let vals = Int64Array::from_iter_values((start..start + n).map(|i| i * 7919 % 1000003));
    RecordBatch::try_new(stream_schema(), vec![Arc::new(ids), Arc::new(vals)]).unwrap()
}

pub fn checksum(batch: &RecordBatch) -> u64 {
    let ids = batch.column(0).as_any().downcast_ref::<Int64Array>().unwrap();
    let vals = batch.column(1).as_any().downcast_ref::<Int64Array>().unwrap();
    ids.values()
        .iter()
        .zip(vals.values().iter())
        .fold(0u64, |sum, (a, b)| sum.wrapping_add((a ^ b) as u64))
}

fn opt<T>(i: usize, f: impl FnOnce() -> T) -> Option<T> {
    if i % 3 == 2 { None } else { Some(f()) }
}

pub fn all_types_batch(n: usize) -> RecordBatch {
    let rows = || 0..n;
    let mut cols: Vec<(&str, ArrayRef)> = vec![
        ("i8", Arc::new(Int8Array::from_iter(rows().map(|i| opt(i, || (i % 100) as i8 - 50))))),
        ("i16", Arc::new(Int16Array::from_iter(rows().map(|i| opt(i, || (i * 7) as i16))))),
        ("i32", Arc::new(Int32Array::from_iter(rows().map(|i| opt(i, || i as i32 * -31))))),
        ("i64", Arc::new(Int64Array::from_iter(rows().map(|i| opt(i, || (i as i64) << 33))))),
        ("u8", Arc::new(UInt8Array::from_iter(rows().map(|i| opt(i, || i as u8))))),
        ("u32", Arc::new(UInt32Array::from_iter(rows().map(|i| opt(i, || 4000000000u32 - i as u32))))),
        ("u64", Arc::new(UInt64Array::from_iter(rows().map(|i| opt(i, || 1u64 << 63 | i as u64))))),
        ("f32", Arc::new(Float32Array::from_iter(rows().map(|i| opt(i, || i as f32 / 3.0))))),
        ("f64", Arc::new(Float64Array::from_iter(
            rows().map(|i| opt(i, || i as f64 * 1.5e300 / (i + 1) as f64)),
        ))),
        ("bool", Arc::new(BooleanArray::from_iter(rows().map(|i| opt(i, || i % 2 == 0))))),
        ("str", Arc::new(StringArray::from_iter(rows().map(|i| opt(i, || format!("s{i}é")))))),
        ("large_str", Arc::new(LargeStringArray::from_iter(
            rows().map(|i| opt(i, || "z".repeat(i % 17))),
        ))),
        ("bin", Arc::new(BinaryArray::from_iter(rows().map(|i| opt(i, || vec![0u8, i as u8, 0, 0]))))),
        ("date32", Arc::new(Date32Array::from_iter(rows().map(|i| opt(i, || 19000 + i as i32))))),
        ("date64", Arc::new(Date64Array::from_iter(rows().map(|i| opt(i, || 86400000 * i as i64))))),
        ("time32_s", Arc::new(Time32SecondArray::from_iter(
            rows().map(|i| opt(i, || (i % 86400) as i32)),
        ))),
        ("time64_ns", Arc::new(Time64NanosecondArray::from_iter(
            rows().map(|i| opt(i, || i as i64 * 1000)),
        ))),
        ("duration_ms", Arc::new(DurationMillisecondArray::from_iter(
            rows().map(|i| opt(i, || -(i as i64))),
        ))),
        ("f16", Arc::new(Float16Array::from(
            rows().map(|i| opt(i, || half::f16::from_bits(0x3c00 + (i % 64) as u16))).collect::<Vec<_>>(),
        ))),
        ("fixed_bin", Arc::new(FixedSizeBinaryArray::try_from_sparse_iter_with_size(
            rows().map(|i| opt(i, || vec![b'a' + (i % 26) as u8; 3])),
            3,
        ).unwrap())),
        ("large_bin", Arc::new(LargeBinaryArray::from_iter(rows().map(|i| opt(i, || vec![1u8; i % 5]))))),
        ("ts_ms_utc", Arc::new(TimestampMillisecondArray::from_iter(
            rows().map(|i| opt(i, || 1700000000000 + i as i64)),
        ).with_timezone("UTC"))),
        ("ts_us_paris", Arc::new(TimestampMicrosecondArray::from_iter(
            rows().map(|i| opt(i, || 1700000000000000 + i as i64)),
        ).with_timezone("Europe/Paris"))),
        ("ts_ns_naive", Arc::new(TimestampNanosecondArray::from_iter(
            rows().map(|i| opt(i, || i as i64 * 1000000007)),
        ))),
        ("dec128", Arc::new(Decimal128Array::from_iter(
            rows().map(|i| opt(i, || i as i128 * 12345 - 99999)),
        ).with_precision_and_scale(20, 4).unwrap())),
        ("dec256", Arc::new(Decimal256Array::from_iter(rows().map(|i| {
            opt(i, || i256::from_i128(i as i128) * i256::from_i128(1_000_000_000_000_000_000_000))
        })).with_precision_and_scale(50, 10).unwrap())),
        ("list_i32", Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(rows().map(|i| {
            opt(i, || (0..i % 4).map(|k| Some((i + k) as i32)).collect::<Vec<_>>())
        })))),
    ];
    // struct<a: int64, b: string>; children are null where the struct is.
    let nulls = NullBuffer::from_iter(rows().map(|i| i % 3 != 2));
    let a = Int64Array::from_iter(rows().map(|i| opt(i, || i as i64)));
    let b = StringArray::from_iter(rows().map(|i| {
        if i % 3 == 2 || i % 2 == 1 { None } else { Some(format!("v{i}")) }
    }));
    let fields = Fields::from(vec![
        Field::new("a", DataType::Int64, true),
        Field::new("b", DataType::Utf8, true),
    ]);
    cols.push(("struct", Arc::new(StructArray::new(fields, vec![Arc::new(a), Arc::new(b)], Some(nulls)))));
    // map<string, int32>, with the entry field names of the Arrow format (C++, Go, Java);
    // arrow-rs' own default names are "keys" and "values".
    let names = MapFieldNames { entry: "entries".into(), key: "key".into(), value: "value".into() };
    let mut map = MapBuilder::new(Some(names), StringBuilder::new(), Int32Builder::new());
    for i in rows() {
        if i % 3 == 2 {
            map.append(false).unwrap();
            continue;
        }
        for e in 0..i % 3 {
            map.keys().append_value(format!("k{e}"));
            map.values().append_value((i * e) as i32);
        }
        map.append(true).unwrap();
    }
    cols.push(("map", Arc::new(map.finish())));
    let keys = Int32Array::from_iter(rows().map(|i| opt(i, || ((i / 3) % 3) as i32)));
    let values = Arc::new(StringArray::from(vec!["red", "green", "blue"]));
    cols.push(("dict", Arc::new(DictionaryArray::<Int32Type>::try_new(keys, values).unwrap())));
    RecordBatch::try_from_iter(cols).unwrap()
}
