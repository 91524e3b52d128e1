package main

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/float16"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var mem = memory.DefaultAllocator

// cookbookTable is the cookbook's three characters.
func cookbookTable() arrow.RecordBatch {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.AppendValues([]string{"Mario", "Luigi", "Peach"}, nil)
	col := b.NewArray()
	defer col.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "Character", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
	return array.NewRecordBatch(schema, []arrow.Array{col}, 3)
}

// streamSchema / streamBatch: the streamed dataset, id = row number and
// val = id*7919 mod 1000003; its checksum is the wrapping sum of id XOR val.
var streamSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "val", Type: arrow.PrimitiveTypes.Int64},
}, nil)

func streamBatch(start, n int64) arrow.RecordBatch {
	ids := array.NewInt64Builder(mem)
	vals := array.NewInt64Builder(mem)
	defer ids.Release()
	defer vals.Release()
	ids.Reserve(int(n))
	vals.Reserve(int(n))
	for i := start; i < start+n; i++ {
		ids.UnsafeAppend(i)
		vals.UnsafeAppend(i * 7919 % 1000003)
	}
	a, b := ids.NewArray(), vals.NewArray()
	defer a.Release()
	defer b.Release()
	return array.NewRecordBatch(streamSchema, []arrow.Array{a, b}, n)
}

func checksum(rec arrow.RecordBatch) uint64 {
	ids := rec.Column(0).(*array.Int64)
	vals := rec.Column(1).(*array.Int64)
	var sum uint64
	for i := 0; i < int(rec.NumRows()); i++ {
		sum += uint64(ids.Value(i) ^ vals.Value(i))
	}
	return sum
}

// allTypesBatch mirrors tests/testing/data.cc AllTypesTable: the same columns,
// types and values, every 3rd row null.
func allTypesBatch(n int) arrow.RecordBatch {
	var fields []arrow.Field
	var cols []arrow.Array
	add := func(name string, b array.Builder, appendRow func(i int)) {
		defer b.Release()
		for i := 0; i < n; i++ {
			if i%3 == 2 {
				b.AppendNull()
			} else {
				appendRow(i)
			}
		}
		a := b.NewArray()
		fields = append(fields, arrow.Field{Name: name, Type: a.DataType(), Nullable: true})
		cols = append(cols, a)
	}
	i8 := array.NewInt8Builder(mem)
	add("i8", i8, func(i int) { i8.Append(int8(i%100 - 50)) })
	i16 := array.NewInt16Builder(mem)
	add("i16", i16, func(i int) { i16.Append(int16(i * 7)) })
	i32 := array.NewInt32Builder(mem)
	add("i32", i32, func(i int) { i32.Append(int32(i * -31)) })
	i64 := array.NewInt64Builder(mem)
	add("i64", i64, func(i int) { i64.Append(int64(i) << 33) })
	u8 := array.NewUint8Builder(mem)
	add("u8", u8, func(i int) { u8.Append(uint8(i)) })
	u32 := array.NewUint32Builder(mem)
	add("u32", u32, func(i int) { u32.Append(uint32(4000000000 - i)) })
	u64 := array.NewUint64Builder(mem)
	add("u64", u64, func(i int) { u64.Append(uint64(1)<<63 | uint64(i)) })
	f32 := array.NewFloat32Builder(mem)
	add("f32", f32, func(i int) { f32.Append(float32(i) / 3) })
	f64 := array.NewFloat64Builder(mem)
	add("f64", f64, func(i int) { f64.Append(float64(i) * 1.5e300 / float64(i+1)) })
	bo := array.NewBooleanBuilder(mem)
	add("bool", bo, func(i int) { bo.Append(i%2 == 0) })
	str := array.NewStringBuilder(mem)
	add("str", str, func(i int) { str.Append("s" + strconv.Itoa(i) + "é") })
	lstr := array.NewLargeStringBuilder(mem)
	add("large_str", lstr, func(i int) { lstr.Append(strings.Repeat("z", i%17)) })
	bin := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	add("bin", bin, func(i int) { bin.Append([]byte{0, byte(i), 0, 0}) })
	d32 := array.NewDate32Builder(mem)
	add("date32", d32, func(i int) { d32.Append(arrow.Date32(19000 + i)) })
	d64 := array.NewDate64Builder(mem)
	add("date64", d64, func(i int) { d64.Append(arrow.Date64(86400000 * int64(i))) })
	t32 := array.NewTime32Builder(mem, &arrow.Time32Type{Unit: arrow.Second})
	add("time32_s", t32, func(i int) { t32.Append(arrow.Time32(i % 86400)) })
	t64 := array.NewTime64Builder(mem, &arrow.Time64Type{Unit: arrow.Nanosecond})
	add("time64_ns", t64, func(i int) { t64.Append(arrow.Time64(i * 1000)) })
	dur := array.NewDurationBuilder(mem, &arrow.DurationType{Unit: arrow.Millisecond})
	add("duration_ms", dur, func(i int) { dur.Append(arrow.Duration(-i)) })
	f16 := array.NewFloat16Builder(mem)
	// 0x3c00 + k is 1 + k/1024 exactly.
	add("f16", f16, func(i int) { f16.Append(float16.New(1 + float32(i%64)/1024)) })
	fsb := array.NewFixedSizeBinaryBuilder(mem, &arrow.FixedSizeBinaryType{ByteWidth: 3})
	add("fixed_bin", fsb, func(i int) { fsb.Append([]byte(strings.Repeat(string(rune('a'+i%26)), 3))) })
	lbin := array.NewBinaryBuilder(mem, arrow.BinaryTypes.LargeBinary)
	add("large_bin", lbin, func(i int) { lbin.Append([]byte(strings.Repeat("\x01", i%5))) })
	tsMs := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"})
	add("ts_ms_utc", tsMs, func(i int) { tsMs.Append(arrow.Timestamp(1700000000000 + i)) })
	tsUs := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "Europe/Paris"})
	add("ts_us_paris", tsUs, func(i int) { tsUs.Append(arrow.Timestamp(1700000000000000 + i)) })
	tsNs := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Nanosecond})
	add("ts_ns_naive", tsNs, func(i int) { tsNs.Append(arrow.Timestamp(int64(i) * 1000000007)) })
	d128 := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 20, Scale: 4})
	add("dec128", d128, func(i int) { d128.Append(decimal128.FromI64(int64(i)*12345 - 99999)) })
	d256 := array.NewDecimal256Builder(mem, &arrow.Decimal256Type{Precision: 50, Scale: 10})
	e21, _ := new(big.Int).SetString("1000000000000000000000", 10)
	add("dec256", d256, func(i int) {
		d256.Append(decimal256.FromBigInt(new(big.Int).Mul(big.NewInt(int64(i)), e21)))
	})
	list := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int32)
	listValues := list.ValueBuilder().(*array.Int32Builder)
	add("list_i32", list, func(i int) {
		list.Append(true)
		for k := 0; k < i%4; k++ {
			listValues.Append(int32(i + k))
		}
	})
	st := array.NewStructBuilder(mem, arrow.StructOf(
		arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true}))
	add("struct", st, func(i int) {
		st.Append(true)
		st.FieldBuilder(0).(*array.Int64Builder).Append(int64(i))
		if i%2 == 1 {
			st.FieldBuilder(1).AppendNull()
		} else {
			st.FieldBuilder(1).(*array.StringBuilder).Append("v" + strconv.Itoa(i))
		}
	})
	mb := array.NewMapBuilder(mem, arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32, false)
	add("map", mb, func(i int) {
		mb.Append(true)
		for e := 0; e < i%3; e++ {
			mb.KeyBuilder().(*array.StringBuilder).Append("k" + strconv.Itoa(e))
			mb.ItemBuilder().(*array.Int32Builder).Append(int32(i * e))
		}
	})
	{
		values := array.NewStringBuilder(mem)
		values.AppendValues([]string{"red", "green", "blue"}, nil)
		dict := values.NewArray()
		values.Release()
		indices := array.NewInt32Builder(mem)
		for i := 0; i < n; i++ {
			if i%3 == 2 {
				indices.AppendNull()
			} else {
				indices.Append(int32((i / 3) % 3))
			}
		}
		idx := indices.NewArray()
		indices.Release()
		dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
		fields = append(fields, arrow.Field{Name: "dict", Type: dt, Nullable: true})
		cols = append(cols, array.NewDictionaryArray(dt, idx, dict))
		idx.Release()
		dict.Release()
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}
