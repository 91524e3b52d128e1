"""Every Arrow type comes back exactly (docs/storage-format.md, "Arrow types"): the
tables of arrow_types.py, one group of types per test, through DoPut and DoGet, a
projection, a filter on a sibling column, an append, a compaction, time travel and a
restore, the part cache, zero rows and zero batches, and IPC-compressed uploads.

Exact: the schema with its metadata and every field's, types, nullability and values.
Columns holding dictionaries compare by value: dictionaries come back re-encoded, one
per batch (docs/protocol.md, "Dictionaries")."""
import base64
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.flight as flight
import pyarrow.substrait as substrait
import pytest

from arrow_types import GROUPS, has_dictionary
from test_metrics import metrics_port, scrape
from test_part_cache import wait_for

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends


def cmd(**request):
    return flight.FlightDescriptor.for_command(json.dumps(request).encode())


def put(client, name, table, mode="overwrite", options=None, batches=True):
    writer, _ = client.do_put(cmd(dataset=name, mode=mode), table.schema, options=options)
    if batches:
        writer.write_table(table, max_chunksize=4)  # several batches per upload
    writer.close()


def get(client, descriptor):
    info = client.get_flight_info(descriptor)
    tables = [client.do_get(e.ticket).read_all() for e in info.endpoints]
    return pa.concat_tables(tables)


def sent(table):
    """`table` as Arrow IPC carries it to the server: the baseline. (IPC itself does not
    keep a map's non-canonical field names: they arrive as "key" and "value".)"""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return pa.ipc.open_stream(sink.getvalue()).read_all()


def assert_same(got, want, what):
    want = sent(want)
    assert got.schema.equals(want.schema, check_metadata=True), \
        f"{what}: schema\n{got.schema}\n!=\n{want.schema}"
    assert got.num_rows == want.num_rows, what
    for i, field in enumerate(want.schema):
        if has_dictionary(field.type):
            assert got.column(i).to_pylist() == want.column(i).to_pylist(), \
                f"{what}: column {field.name}"
        else:
            assert got.column(i).equals(want.column(i)), f"{what}: column {field.name}"


def sibling_filter(table, minimum):
    """Substrait for `n >= minimum`, described by the sibling column alone."""
    schema = pa.schema([table.schema.field("n")])
    raw = substrait.serialize_expressions([pc.field("n") >= pa.scalar(minimum, pa.int32())],
                                          ["filter"], schema)
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("group", list(GROUPS))
def test_a_group_of_types_round_trips_everywhere(quiverd, group):
    table = GROUPS[group]()
    client = flight.connect(quiverd.location)
    put(client, "t", table)
    assert_same(get(client, flight.FlightDescriptor.for_path("t")), table, "DoGet")
    assert client.get_schema(flight.FlightDescriptor.for_path("t")).schema.equals(
        sent(table).schema, check_metadata=True)

    names = [f.name for f in table.schema][::-1]
    assert_same(get(client, cmd(dataset="t", columns=names)), table.select(names),
                "projection")
    assert_same(get(client, cmd(dataset="t", filter=sibling_filter(table, 3))),
                table.slice(3), "filter on a sibling column")

    put(client, "t", table, mode="append")
    both = pa.concat_tables([table, table])
    assert_same(get(client, flight.FlightDescriptor.for_path("t")), both, "append")
    (compacted,) = [json.loads(r.body.to_pybytes())
                    for r in client.do_action(flight.Action("compact", b"t"))]
    assert compacted["parts"] == 1
    assert_same(get(client, flight.FlightDescriptor.for_path("t")), both, "compaction")
    assert_same(get(client, cmd(dataset="t", version=1)), table, "time travel")
    list(client.do_action(flight.Action(
        "restore_version", json.dumps({"dataset": "t", "version": 1}).encode())))
    assert_same(get(client, flight.FlightDescriptor.for_path("t")), table, "restore")


def test_zero_rows_and_zero_batches_round_trip(quiverd):
    client = flight.connect(quiverd.location)
    for group, make in GROUPS.items():
        table = make()
        put(client, f"{group}/rows", table.slice(0, 0))
        assert_same(get(client, flight.FlightDescriptor.for_path(group, "rows")),
                    table.slice(0, 0), f"{group}: zero rows")
        put(client, f"{group}/batches", table, batches=False)
        got = get(client, flight.FlightDescriptor.for_path(group, "batches"))
        assert_same(got, table.slice(0, 0), f"{group}: zero batches")


@pytest.mark.parametrize("codec", ["lz4", "zstd"])
def test_compressed_uploads_round_trip(quiverd, codec):
    client = flight.connect(quiverd.location)
    options = flight.FlightCallOptions(
        write_options=pa.ipc.IpcWriteOptions(compression=codec))
    for group, make in GROUPS.items():
        table = make()
        put(client, group, table, options=options)
        assert_same(get(client, flight.FlightDescriptor.for_path(group)), table,
                    f"{group}, {codec}")


def test_every_group_reads_back_from_the_part_cache(start_quiverd, tmp_path):
    server = start_quiverd("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                           "--cache-dir", str(tmp_path / "cache"))
    port = metrics_port(server)
    client = flight.connect(server.location)
    for group, make in GROUPS.items():
        table = make()
        put(client, group, table)
        assert_same(get(client, flight.FlightDescriptor.for_path(group)), table,
                    f"{group}: first read")
    # Entries are written in the background: the second reads start once all are in.
    wait_for(port, "quiver_part_cache_fills_total", len(GROUPS))
    hits = scrape(port)["quiver_part_cache_hits_total"]
    for group, make in GROUPS.items():
        table = make()
        assert_same(get(client, flight.FlightDescriptor.for_path(group)), table,
                    f"{group}: from the cache")
        names = [f.name for f in table.schema][1:]
        assert_same(get(client, cmd(dataset=group, columns=names)), table.select(names),
                    f"{group}: projection from the cache")
    assert scrape(port)["quiver_part_cache_hits_total"] >= hits + 2 * len(GROUPS)


def test_a_filter_arrow_cannot_compute_on_an_encoded_column_is_refused(quiverd):
    table = GROUPS["run_end_encoded"]()
    client = flight.connect(quiverd.location)
    put(client, "r", table)
    # Substrait has no run-end encoded type: the column is described by its values.
    schema = pa.schema([pa.field("ree_int32", pa.int64())])
    raw = substrait.serialize_expressions([pc.field("ree_int32") == 3], ["filter"], schema)
    with pytest.raises(pa.ArrowInvalid, match="filter"):
        client.get_flight_info(cmd(dataset="r", filter=base64.b64encode(bytes(raw)).decode()))


def test_batches_with_different_dictionaries_come_back_with_equal_values(quiverd):
    """docs/protocol.md, "Dictionaries": values equal, one dictionary per batch read."""
    first = pa.DictionaryArray.from_arrays(pa.array([0, 1, 0], pa.int8()), pa.array(["a", "b"]))
    second = pa.DictionaryArray.from_arrays(pa.array([1, None, 0], pa.int8()),
                                            pa.array(["c", None, "a"]))
    nested = [pa.ListArray.from_arrays(pa.array([0, 1, 3, 3], pa.int32()), d)
              for d in (first, second)]
    schema = pa.schema([pa.field("d", first.type), pa.field("l", nested[0].type)],
                       metadata={"m": "1"})
    table = pa.Table.from_batches([pa.record_batch([first, nested[0]], schema=schema),
                                   pa.record_batch([second, nested[1]], schema=schema)])
    client = flight.connect(quiverd.location)
    writer, _ = client.do_put(cmd(dataset="d"), schema)
    for batch in table.to_batches():
        writer.write_batch(batch)
    writer.close()
    got = get(client, flight.FlightDescriptor.for_path("d"))
    assert_same(got, table, "different dictionaries")
    assert got.column("d").to_pylist() == ["a", "b", "a", None, None, "c"]


def test_a_type_parquet_cannot_store_is_refused_at_the_schema(quiverd):
    schema = pa.schema([pa.field("id", pa.int32()),
                        pa.field("col", pa.struct([pa.field("inner", pa.binary(0))]))])
    client = flight.connect(quiverd.location)
    with pytest.raises(pa.ArrowInvalid, match=r"'col\.inner' of type fixed_size_binary\[0\]"):
        writer, _ = client.do_put(cmd(dataset="bad"), schema)
        writer.close()
    assert list(client.list_flights()) == []
