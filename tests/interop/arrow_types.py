"""A generator of tables covering the types of the Arrow columnar format, grouped, for
the round-trip tests (test_types.py) and the fuzzer's seeds. Every table has schema
metadata, field metadata on some columns, nulls, and an int32 column "n" (the row
number, non-nullable) for filters on a sibling column."""
import ctypes
import decimal
import json
import uuid

import pyarrow as pa
import pyarrow.compute as pc

ROWS = 7


class Rational(pa.ExtensionType):
    """An extension type the test registers; quiverd does not know it."""

    def __init__(self):
        super().__init__(pa.struct([("num", pa.int64()), ("den", pa.int64())]),
                         "quiver.test.rational")

    def __arrow_ext_serialize__(self):
        return b""

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized):
        return cls()


class Label(pa.ExtensionType):
    """Another registered extension type, over dictionary-encoded strings."""

    def __init__(self):
        super().__init__(pa.dictionary(pa.int32(), pa.string()), "quiver.test.label")

    def __arrow_ext_serialize__(self):
        return b""

    @classmethod
    def __arrow_ext_deserialize__(cls, storage_type, serialized):
        return cls()


for _type in (Rational(), Label()):
    try:
        pa.register_extension_type(_type)
    except pa.ArrowKeyError:
        pass  # registered by an earlier import


def _n():
    return pa.array(range(ROWS), pa.int32())


def _nulls(values, every=3):
    """values with every `every`-th one (from the second) replaced by None."""
    return [None if i % every == 1 else v for i, v in enumerate(values)]


def _dict(values, index=pa.int32(), dictionary=None, ordered=False):
    """A dictionary array of `values` (None: a null index) over `dictionary`."""
    dictionary = dictionary if dictionary is not None else pa.array(sorted(
        {v for v in values if v is not None}))
    lookup = {v: i for i, v in enumerate(dictionary.to_pylist())}
    indices = pa.array([None if v is None else lookup[v] for v in values], index)
    return pa.DictionaryArray.from_arrays(indices, dictionary, ordered=ordered)


def _table(columns, metadata=True):
    """columns: [(name, array, field metadata or None, nullable)]."""
    fields, arrays = [], []
    for name, array, field_metadata, nullable in columns:
        fields.append(pa.field(name, array.type, nullable, metadata=field_metadata))
        arrays.append(array)
    fields.append(pa.field("n", pa.int32(), False))
    arrays.append(_n())
    schema = pa.schema(fields, metadata={"origin": "quiver-types", "group": "x"}
                       if metadata else None)
    return pa.Table.from_arrays(arrays, schema=schema)


def _cols(*pairs):
    return [(name, array, {"k": name}, True) for name, array in pairs]


def primitives():
    ints = [(f"{s}int{w}", pa.array(_nulls([0, 1, -1 if s == "" else 2, 2 ** (w - 1) - 1,
                                            5, 6, 7]), getattr(pa, f"{s}int{w}")()))
            for s in ("", "u") for w in (8, 16, 32, 64)]
    return _table(_cols(
        *ints,
        ("f16", pa.array(_nulls([0.5, 1.0, -2.0, 65504.0, 0.0, 1.5, 2.5]), pa.float16())),
        ("f32", pa.array(_nulls([0.5, 1e38, -2.0, 3.0, -0.0, 1.5, 2.5]), pa.float32())),
        ("f64", pa.array(_nulls([0.5, 1e308, -2.0, 3.0, -0.0, 1.5, 5e-324]), pa.float64())),
        ("bool", pa.array(_nulls([True, False, True, True, False, False, True]))),
        ("null", pa.nulls(ROWS)),
    ) + [("required", pa.array(range(ROWS), pa.int16()), None, False)])


def decimals():
    cols = []
    for name, make, precisions in (("d32", pa.decimal32, (1, 9)), ("d64", pa.decimal64, (1, 18)),
                                   ("d128", pa.decimal128, (1, 38)),
                                   ("d256", pa.decimal256, (1, 76))):
        for p in precisions:
            for s in sorted({0, p // 2, p}):
                big = decimal.Decimal("9" * (p - s) + "." + "9" * s)
                neg = decimal.Decimal("-" + str(big))
                values = [big, neg, decimal.Decimal(0), None, big, decimal.Decimal("0." + "0" * (s - 1) + "1") if s else decimal.Decimal(1),
                          neg]
                cols.append((f"{name}_{p}_{s}", pa.array(values, make(p, s))))
    return _table(_cols(*cols))


def temporal():
    cols = [("date32", pa.array(_nulls(range(ROWS)), pa.date32())),
            ("date64", pa.array(_nulls([i * 86_400_000 for i in range(ROWS)]), pa.date64())),
            ("time32_s", pa.array(_nulls(range(ROWS)), pa.time32("s"))),
            ("time32_ms", pa.array(_nulls(range(ROWS)), pa.time32("ms"))),
            ("time64_us", pa.array(_nulls(range(ROWS)), pa.time64("us"))),
            ("time64_ns", pa.array(_nulls(range(ROWS)), pa.time64("ns")))]
    for unit in ("s", "ms", "us", "ns"):
        for tz in (None, "UTC", "Europe/Paris", "+05:30"):
            cols.append((f"ts_{unit}_{tz}", pa.array(_nulls([i * 1000 - 3 for i in range(ROWS)]),
                                                     pa.timestamp(unit, tz))))
        cols.append((f"dur_{unit}", pa.array(_nulls([i - 3 for i in range(ROWS)]),
                                             pa.duration(unit))))
    return _table(_cols(*cols))


def intervals():
    mdn = [pa.MonthDayNano([i, -i, i * 10 ** 12]) for i in range(ROWS)]
    months = pa.array(_nulls([i - 3 for i in range(ROWS)]), pa.int32())
    day_time = pa.array(_nulls([(i << 32) | (i * 1000) for i in range(ROWS)]), pa.int64())
    table = _table(_cols(("months", months), ("day_time", day_time),
                         ("month_day_nano", pa.array(_nulls(mdn), pa.month_day_nano_interval())),
                         ("list_mdn", pa.array(_nulls([mdn[:i % 3] for i in range(ROWS)]),
                                               pa.list_(pa.month_day_nano_interval())))))
    # pyarrow has no month or day-time interval type: the C data interface relabels
    # the int32 and int64 columns (same layouts).
    return _relabel(table, {0: b"tiM", 1: b"tiD"})


class _ArrowSchema(ctypes.Structure):
    _fields_ = [("format", ctypes.c_void_p), ("name", ctypes.c_char_p),
                ("metadata", ctypes.c_char_p), ("flags", ctypes.c_int64),
                ("n_children", ctypes.c_int64), ("children", ctypes.c_void_p),
                ("dictionary", ctypes.c_void_p), ("release", ctypes.c_void_p),
                ("private_data", ctypes.c_void_p)]


class _ArrowArray(ctypes.Structure):
    _fields_ = [("length", ctypes.c_int64), ("null_count", ctypes.c_int64),
                ("offset", ctypes.c_int64), ("n_buffers", ctypes.c_int64),
                ("n_children", ctypes.c_int64), ("buffers", ctypes.c_void_p),
                ("children", ctypes.c_void_p), ("dictionary", ctypes.c_void_p),
                ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p)]


_FORMATS = {}  # the format strings given to imported schemas, kept alive


def _relabel(table, formats):
    """`table` (one batch) with the top-level columns `formats` (index -> C data format
    string) given another type of the same layout."""
    batch = table.combine_chunks().to_batches()[0]
    schema, array = _ArrowSchema(), _ArrowArray()
    batch._export_to_c(ctypes.addressof(array), ctypes.addressof(schema))
    children = ctypes.cast(schema.children, ctypes.POINTER(ctypes.POINTER(_ArrowSchema)))
    for index, fmt in formats.items():
        text = _FORMATS.setdefault(fmt, ctypes.create_string_buffer(fmt))
        children[index].contents.format = ctypes.addressof(text)
    relabelled = pa.RecordBatch._import_from_c(ctypes.addressof(array), ctypes.addressof(schema))
    return pa.Table.from_batches([relabelled])


def binary():
    words = _nulls(["", "a", "bc", "ünïcode", "x" * 40, "long string past twelve bytes", "z"])
    data = [None if w is None else w.encode() for w in words]
    return _table(_cols(
        ("string", pa.array(words, pa.string())),
        ("large_string", pa.array(words, pa.large_string())),
        ("string_view", pa.array(words, pa.string_view())),
        ("binary", pa.array(data, pa.binary())),
        ("large_binary", pa.array(data, pa.large_binary())),
        ("binary_view", pa.array(data, pa.binary_view())),
        ("fixed", pa.array(_nulls([bytes([i] * 3) for i in range(ROWS)]), pa.binary(3))),
    ))


def lists():
    values = _nulls([[1, None], [], [2, 3, 4], [5], None, [6, 7], [8]], every=4)
    fixed = _nulls([[i, None if i % 2 else i] for i in range(ROWS)])
    return _table(_cols(
        ("list", pa.array(values, pa.list_(pa.int64()))),
        ("large_list", pa.array(values, pa.large_list(pa.int64()))),
        ("list_view", pa.array(values, pa.list_view(pa.int64()))),
        ("large_list_view", pa.array(values, pa.large_list_view(pa.int64()))),
        ("fixed_size_list", pa.array(fixed, pa.list_(pa.int64(), 2))),
        ("named_child", pa.array(values, pa.list_(pa.field("item_name", pa.int64(), True)))),
        ("list_of_list", pa.array([[[1], None], None, [], [[2, 3]], [[]], [[4]], [[5, 6]]],
                                  pa.list_(pa.list_(pa.int32())))),
    ))


def maps():
    entries = _nulls([[("a", 1)], [], [("b", None), ("c", 3)], [("d", 4)], None, [("e", 5)],
                      [("f", 6)]], every=4)
    odd = pa.map_(pa.field("the_key", pa.string(), False), pa.field("the_value", pa.int64()))
    return _table(_cols(
        ("map", pa.array(entries, pa.map_(pa.string(), pa.int64()))),
        ("odd_names", pa.array(entries, odd)),
        ("sorted", pa.array(entries, pa.map_(pa.string(), pa.int64(), keys_sorted=True))),
    ))


def structs():
    dup = pa.StructArray.from_arrays([pa.array(range(ROWS)), pa.array([str(i) for i in range(ROWS)])],
                                     fields=[pa.field("a", pa.int64()), pa.field("a", pa.string())])
    empty = pa.array(_nulls([{}] * ROWS), pa.struct([]))
    deep_type = pa.struct([("l", pa.list_(pa.struct([("m", pa.map_(pa.string(), pa.int32()))])))])
    deep = pa.array(_nulls([{"l": [{"m": [("k", i)]}, None]} for i in range(ROWS)]), deep_type)
    nested = pa.array(_nulls([{"x": i, "y": {"z": str(i)}} for i in range(ROWS)]),
                      pa.struct([pa.field("x", pa.int32(), False),
                                 ("y", pa.struct([("z", pa.string())]))]))
    return _table(_cols(("duplicate_names", dup), ("zero_fields", empty), ("depth3", deep),
                        ("nested", nested),
                        ("list_of_empty", pa.array(_nulls([[{}, None]] * ROWS),
                                                   pa.list_(pa.struct([]))))))


def unions():
    codes = pa.array([5, 2, 2, 5, 2, 5, 5], pa.int8())
    ints = pa.array([1, None, 3, 4, 5, None, 7], pa.int64())
    strs = pa.array(["a", "b", None, "d", "e", "f", "g"])
    sparse = pa.UnionArray.from_sparse(codes, [ints, strs], ["i", "s"], [5, 2])
    offsets = pa.array([0, 0, 1, 1, 2, 2, 3], pa.int32())
    dense = pa.UnionArray.from_dense(codes, offsets, [pa.array([1, 2, None, 4]),
                                                       pa.array(["x", None, "z"])],
                                     ["i", "s"], [5, 2])
    same = pa.UnionArray.from_sparse(pa.array([0, 1, 0, 1, 0, 1, 0], pa.int8()),
                                     [ints, ints], ["a", "a"])
    nested = pa.UnionArray.from_dense(
        pa.array([0, 1, 0, 1, 0, 1, 0], pa.int8()), pa.array([0, 0, 1, 1, 2, 2, 3], pa.int32()),
        [pa.array([[1], None, [2, 3], []], pa.list_(pa.int8())),
         pa.array([{"q": 1}, None, {"q": 3}], pa.struct([("q", pa.int32())]))], ["l", "s"])
    return _table(_cols(("sparse", sparse), ("dense", dense), ("same_names", same),
                        ("nested", nested)))


def dictionaries():
    words = ["b", "a", None, "c", "a", "b", "a"]
    cols = []
    for index in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"):
        cols.append((f"idx_{index}", _dict(words, getattr(pa, index)())))
    cols += [
        ("ordered", _dict(words, ordered=True)),
        ("null_in_dictionary", _dict(words, dictionary=pa.array(["a", None, "b", "c"]))),
        ("null_in_dictionary_u8", _dict(words, pa.uint8(), pa.array([None, "a", "b", "c"]))),
        ("ints", _dict([3, 1, None, 3, 2, 2, 1], pa.int16())),
        ("large_values", _dict(words, dictionary=pa.array(["a", "b", "c"], pa.large_string()))),
        ("view_values", _dict(words, dictionary=pa.array(["a", "b", "c"], pa.string_view()))),
        ("in_list", pa.ListArray.from_arrays(pa.array([0, 2, 2, 3, 5, 6, 6, 7], pa.int32()),
                                             _dict(words))),
        ("in_struct", pa.StructArray.from_arrays([_dict(words, pa.int8())], ["d"])),
        ("in_map", pa.MapArray.from_arrays(pa.array([0, 1, 1, 2, 4, 5, 6, 7], pa.int32()),
                                           pa.array(["k"] * 7),
                                           _dict(words, pa.uint16()))),
        # Dictionary-encoded extension types: extensions over dictionary storage (the
        # form IPC carries), one known to quiverd (opaque), one it does not know.
        ("opaque_over_dictionary", pa.ExtensionArray.from_storage(
            pa.opaque(pa.dictionary(pa.int16(), pa.string()), "label", "vendor"),
            _dict(words, pa.int16()))),
        ("label_over_dictionary", pa.ExtensionArray.from_storage(Label(), _dict(words))),
        ("decimals", _dict([decimal.Decimal("1.5"), None] * 3 + [decimal.Decimal("2.5")],
                           dictionary=pa.array([decimal.Decimal("1.5"), decimal.Decimal("2.5")],
                                               pa.decimal128(5, 2)))),
    ]
    return _table(_cols(*cols))


def run_end_encoded():
    values = pa.array([1, 1, None, None, 3, 3, 3], pa.int64())
    cols = [(f"ree_{w}", pc.run_end_encode(values, run_end_type=getattr(pa, w)()))
            for w in ("int16", "int32", "int64")]
    cols.append(("ree_strings", pc.run_end_encode(pa.array(["x", "x", "y", None, None, "y", "y"]))))
    return _table(_cols(*cols))


def extensions():
    uuids = pa.ExtensionArray.from_storage(
        pa.uuid(), pa.array(_nulls([uuid.UUID(int=i).bytes for i in range(ROWS)]),
                            pa.binary(16)))
    jsons = pa.ExtensionArray.from_storage(
        pa.json_(), pa.array(_nulls([json.dumps({"i": i}) for i in range(ROWS)])))
    opaque = pa.ExtensionArray.from_storage(
        pa.opaque(pa.int32(), "geometry", "vendor"), pa.array(_nulls(range(ROWS)), pa.int32()))
    rational = pa.ExtensionArray.from_storage(
        Rational(), pa.array(_nulls([{"num": i, "den": i + 1} for i in range(ROWS)]),
                             Rational().storage_type))
    unknown = pa.array(_nulls(range(ROWS)), pa.int64())
    unknown_meta = {"ARROW:extension:name": "quiver.test.unknown",
                    "ARROW:extension:metadata": "v1"}
    return _table(_cols(("uuid", uuids), ("json", jsons), ("opaque", opaque),
                        ("rational", rational))
                  + [("unknown", unknown, unknown_meta, True)])


def sliced():
    """Arrays with offsets: every column is a slice of a longer one."""
    def cut(array):
        return array.slice(3, ROWS)
    big = ROWS + 6
    sparse = pa.UnionArray.from_sparse(pa.array([i % 2 for i in range(big)], pa.int8()),
                                       [pa.array(range(big)), pa.array([str(i) for i in range(big)])])
    return _table(_cols(
        ("ints", cut(pa.array(_nulls(range(big))))),
        ("strings", cut(pa.array(_nulls([str(i) for i in range(big)])))),
        ("list", cut(pa.array(_nulls([[i] * (i % 3) for i in range(big)]), pa.list_(pa.int32())))),
        ("struct", cut(pa.array(_nulls([{"a": i} for i in range(big)])))),
        ("interval", cut(pa.array(_nulls([pa.MonthDayNano([i, i, i]) for i in range(big)]),
                                  pa.month_day_nano_interval()))),
        ("sparse", cut(sparse)),
        ("dictionary", cut(_dict(_nulls([str(i % 4) for i in range(big)])))),
        ("ree", cut(pc.run_end_encode(pa.array([i // 4 for i in range(big)])))),
    ))


GROUPS = {f.__name__: f for f in (primitives, decimals, temporal, intervals, binary, lists,
                                   maps, structs, unions, dictionaries, run_end_encoded,
                                   extensions, sliced)}


def has_dictionary(t):
    if pa.types.is_dictionary(t):
        return True
    if isinstance(t, pa.BaseExtensionType):
        return has_dictionary(t.storage_type)
    if pa.types.is_run_end_encoded(t):
        return has_dictionary(t.value_type)
    return any(has_dictionary(t.field(i).type) for i in range(t.num_fields))
