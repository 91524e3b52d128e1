package quiver.interop;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.complex.impl.UnionMapWriter;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

/**
 * The scenario's data: the cookbook table, the streamed dataset and every type of
 * tests/testing/data.cc (same columns, types and values, every 3rd row null).
 */
final class Data {
  private Data() {}

  static VectorSchemaRoot cookbookTable(BufferAllocator allocator) {
    Schema schema = new Schema(List.of(Field.nullable("Character", new ArrowType.Utf8())));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    VarCharVector v = (VarCharVector) root.getVector(0);
    String[] names = {"Mario", "Luigi", "Peach"};
    for (int i = 0; i < names.length; i++) {
      v.setSafe(i, names[i].getBytes(StandardCharsets.UTF_8));
    }
    root.setRowCount(names.length);
    return root;
  }

  /** id = row number, val = id * 7919 mod 1000003. */
  static final Schema STREAM_SCHEMA =
      new Schema(
          List.of(
              Field.notNullable("id", new ArrowType.Int(64, true)),
              Field.notNullable("val", new ArrowType.Int(64, true))));

  static void fillStreamBatch(VectorSchemaRoot root, long start, int n) {
    BigIntVector ids = (BigIntVector) root.getVector(0);
    BigIntVector vals = (BigIntVector) root.getVector(1);
    ids.allocateNew(n);
    vals.allocateNew(n);
    for (int i = 0; i < n; i++) {
      long id = start + i;
      ids.set(i, id);
      vals.set(i, id * 7919 % 1000003);
    }
    root.setRowCount(n);
  }

  /** The wrapping sum of id XOR val. */
  static long checksum(VectorSchemaRoot root) {
    BigIntVector ids = (BigIntVector) root.getVector(0);
    BigIntVector vals = (BigIntVector) root.getVector(1);
    long sum = 0;
    for (int i = 0; i < root.getRowCount(); i++) {
      sum += ids.get(i) ^ vals.get(i);
    }
    return sum;
  }

  static final long DICT_ID = 1;

  /** Every type, and the dictionary of the "dict" column (in provider). */
  static VectorSchemaRoot allTypes(
      BufferAllocator allocator, int n, DictionaryProvider.MapDictionaryProvider provider) {
    List<Field> fields = new ArrayList<>();
    fields.add(Field.nullable("i8", new ArrowType.Int(8, true)));
    fields.add(Field.nullable("i16", new ArrowType.Int(16, true)));
    fields.add(Field.nullable("i32", new ArrowType.Int(32, true)));
    fields.add(Field.nullable("i64", new ArrowType.Int(64, true)));
    fields.add(Field.nullable("u8", new ArrowType.Int(8, false)));
    fields.add(Field.nullable("u32", new ArrowType.Int(32, false)));
    fields.add(Field.nullable("u64", new ArrowType.Int(64, false)));
    fields.add(
        Field.nullable("f32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    fields.add(
        Field.nullable("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
    fields.add(Field.nullable("bool", new ArrowType.Bool()));
    fields.add(Field.nullable("str", new ArrowType.Utf8()));
    fields.add(Field.nullable("large_str", new ArrowType.LargeUtf8()));
    fields.add(Field.nullable("bin", new ArrowType.Binary()));
    fields.add(
        Field.nullable("date32", new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY)));
    fields.add(
        Field.nullable(
            "date64", new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.MILLISECOND)));
    fields.add(Field.nullable("time32_s", new ArrowType.Time(TimeUnit.SECOND, 32)));
    fields.add(Field.nullable("time64_ns", new ArrowType.Time(TimeUnit.NANOSECOND, 64)));
    fields.add(Field.nullable("duration_ms", new ArrowType.Duration(TimeUnit.MILLISECOND)));
    fields.add(Field.nullable("f16", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)));
    fields.add(Field.nullable("fixed_bin", new ArrowType.FixedSizeBinary(3)));
    fields.add(Field.nullable("large_bin", new ArrowType.LargeBinary()));
    fields.add(Field.nullable("ts_ms_utc", new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")));
    fields.add(
        Field.nullable(
            "ts_us_paris", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "Europe/Paris")));
    fields.add(Field.nullable("ts_ns_naive", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)));
    fields.add(Field.nullable("dec128", new ArrowType.Decimal(20, 4, 128)));
    fields.add(Field.nullable("dec256", new ArrowType.Decimal(50, 10, 256)));
    fields.add(
        new Field(
            "list_i32",
            FieldType.nullable(new ArrowType.List()),
            List.of(Field.nullable("item", new ArrowType.Int(32, true)))));
    fields.add(
        new Field(
            "struct",
            FieldType.nullable(new ArrowType.Struct()),
            List.of(
                Field.nullable("a", new ArrowType.Int(64, true)),
                Field.nullable("b", new ArrowType.Utf8()))));
    fields.add(
        new Field(
            "map",
            FieldType.nullable(new ArrowType.Map(false)),
            List.of(
                new Field(
                    "entries",
                    FieldType.notNullable(new ArrowType.Struct()),
                    List.of(
                        Field.notNullable("key", new ArrowType.Utf8()),
                        Field.nullable("value", new ArrowType.Int(32, true)))))));
    DictionaryEncoding encoding =
        new DictionaryEncoding(DICT_ID, false, new ArrowType.Int(32, true));
    fields.add(
        new Field("dict", new FieldType(true, new ArrowType.Int(32, true), encoding), null));

    VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
    root.allocateNew();
    for (int i = 0; i < n; i++) {
      boolean isNull = i % 3 == 2;
      for (FieldVector v : root.getFieldVectors()) {
        String name = v.getName();
        if (isNull) {
          if (!name.equals("list_i32") && !name.equals("map")) {
            setNull(v, i);
          }
          continue;
        }
        set(v, name, i);
      }
    }
    // Lists and maps are written through their writers, nulls included.
    writeList((ListVector) root.getVector("list_i32"), n);
    writeMap((MapVector) root.getVector("map"), n);
    root.setRowCount(n);

    VarCharVector dictValues =
        new VarCharVector(
            Field.nullable("dict_values", new ArrowType.Utf8()).getName(), allocator);
    dictValues.allocateNew();
    String[] colors = {"red", "green", "blue"};
    for (int k = 0; k < colors.length; k++) {
      dictValues.setSafe(k, colors[k].getBytes(StandardCharsets.UTF_8));
    }
    dictValues.setValueCount(colors.length);
    provider.put(new Dictionary(dictValues, encoding));
    return root;
  }

  private static void setNull(FieldVector v, int i) {
    if (v instanceof StructVector s) {
      s.setNull(i);
      for (FieldVector child : s.getChildrenFromFields()) {
        setNull(child, i);
      }
    } else if (v instanceof org.apache.arrow.vector.BaseFixedWidthVector f) {
      f.setNull(i);
    } else if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector f) {
      f.setNull(i);
    } else if (v instanceof org.apache.arrow.vector.BaseLargeVariableWidthVector f) {
      f.setNull(i);
    } else {
      throw new IllegalStateException("no null for " + v.getName());
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void set(FieldVector v, String name, int i) {
    switch (name) {
      case "i8" -> ((TinyIntVector) v).setSafe(i, (byte) (i % 100 - 50));
      case "i16" -> ((SmallIntVector) v).setSafe(i, (short) (i * 7));
      case "i32" -> ((IntVector) v).setSafe(i, i * -31);
      case "i64" -> ((BigIntVector) v).setSafe(i, ((long) i) << 33);
      case "u8" -> ((UInt1Vector) v).setSafe(i, (byte) i);
      case "u32" -> ((UInt4Vector) v).setSafe(i, (int) (4000000000L - i));
      case "u64" -> ((UInt8Vector) v).setSafe(i, (1L << 63) | i);
      case "f32" -> ((Float4Vector) v).setSafe(i, (float) i / 3);
      case "f64" -> ((Float8Vector) v).setSafe(i, (double) i * 1.5e300 / (i + 1));
      case "bool" -> ((BitVector) v).setSafe(i, i % 2 == 0 ? 1 : 0);
      case "str" -> ((VarCharVector) v).setSafe(i, utf8("s" + i + "é"));
      case "large_str" -> ((LargeVarCharVector) v).setSafe(i, utf8("z".repeat(i % 17)));
      case "bin" -> ((VarBinaryVector) v).setSafe(i, new byte[] {0, (byte) i, 0, 0});
      case "date32" -> ((DateDayVector) v).setSafe(i, 19000 + i);
      case "date64" -> ((DateMilliVector) v).setSafe(i, 86400000L * i);
      case "time32_s" -> ((TimeSecVector) v).setSafe(i, i % 86400);
      case "time64_ns" -> ((TimeNanoVector) v).setSafe(i, i * 1000L);
      case "duration_ms" -> ((DurationVector) v).setSafe(i, -(long) i);
      case "f16" -> ((Float2Vector) v).setSafe(i, (short) (0x3c00 + i % 64));
      case "fixed_bin" -> {
        byte[] b = new byte[3];
        Arrays.fill(b, (byte) ('a' + i % 26));
        ((FixedSizeBinaryVector) v).setSafe(i, b);
      }
      case "large_bin" -> {
        byte[] b = new byte[i % 5];
        Arrays.fill(b, (byte) 1);
        ((LargeVarBinaryVector) v).setSafe(i, b);
      }
      case "ts_ms_utc" -> ((TimeStampMilliTZVector) v).setSafe(i, 1700000000000L + i);
      case "ts_us_paris" -> ((TimeStampMicroTZVector) v).setSafe(i, 1700000000000000L + i);
      case "ts_ns_naive" -> ((TimeStampNanoVector) v).setSafe(i, i * 1000000007L);
      case "dec128" ->
          ((DecimalVector) v).setSafe(i, BigDecimal.valueOf(i * 12345L - 99999, 4));
      case "dec256" ->
          ((Decimal256Vector) v)
              .setSafe(
                  i,
                  new BigDecimal(
                      BigInteger.valueOf(i).multiply(new BigInteger("1000000000000000000000")),
                      10));
      case "struct" -> {
        StructVector s = (StructVector) v;
        s.setIndexDefined(i);
        ((BigIntVector) s.getChild("a")).setSafe(i, i);
        VarCharVector b = (VarCharVector) s.getChild("b");
        if (i % 2 == 1) {
          b.setNull(i);
        } else {
          b.setSafe(i, utf8("v" + i));
        }
      }
      case "dict" -> ((IntVector) v).setSafe(i, (i / 3) % 3);
      case "list_i32", "map" -> {}
      default -> throw new IllegalStateException("no value for " + name);
    }
  }

  private static void writeList(ListVector list, int n) {
    UnionListWriter w = list.getWriter();
    for (int i = 0; i < n; i++) {
      w.setPosition(i);
      if (i % 3 == 2) {
        w.writeNull();
        continue;
      }
      w.startList();
      for (int k = 0; k < i % 4; k++) {
        w.integer().writeInt(i + k);
      }
      w.endList();
    }
    w.setValueCount(n);
  }

  private static void writeMap(MapVector map, int n) {
    UnionMapWriter w = map.getWriter();
    for (int i = 0; i < n; i++) {
      w.setPosition(i);
      if (i % 3 == 2) {
        w.writeNull();
        continue;
      }
      w.startMap();
      for (int e = 0; e < i % 3; e++) {
        w.startEntry();
        w.key().varChar().writeVarChar(new Text("k" + e));
        w.value().integer().writeInt(i * e);
        w.endEntry();
      }
      w.endMap();
    }
    w.setValueCount(n);
  }
}
