#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

Run once with the project's .venv (pyarrow) after changing it:
    .venv/bin/python fuzz/make_seeds.py
The files are small and committed; fuzzing grows its own working corpus elsewhere.
"""
import base64
import datetime
import decimal
import io
import json
import os
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.substrait
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "interop"))
import arrow_types  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def put(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def tables():
    n = 5
    yield "ints", pa.table({"x": pa.array(range(n), pa.int64()),
                            "y": pa.array([1.5, None, 3.0, -1.0, 0.0])})
    yield "strings", pa.table({"s": ["a", None, "ccc", "", "ü"],
                               "l": pa.array(["x"] * n, pa.large_string()),
                               "b": pa.array([b"\x00\x01", None, b"", b"zz", b"q"])})
    yield "nested", pa.table({
        "list": pa.array([[1, 2], None, [], [3], [4, 5, 6]], pa.list_(pa.int32())),
        "struct": pa.array([{"a": 1, "b": "x"}, None, {"a": 2, "b": None},
                            {"a": 3, "b": "y"}, {"a": None, "b": "z"}]),
        "map": pa.array([[("k", 1)], None, [], [("a", 2), ("b", 3)], [("c", 4)]],
                        pa.map_(pa.string(), pa.int64())),
    })
    yield "dictionary", pa.table({
        "d": pa.array(["red", "green", None, "red", "blue"]).dictionary_encode()})
    yield "temporal", pa.table({
        "ts": pa.array([0, 1, None, 3, 4], pa.timestamp("ms", tz="Europe/Paris")),
        "date": pa.array([datetime.date(2024, 1, i + 1) for i in range(n)]),
        "t32": pa.array([1, 2, 3, None, 5], pa.time32("s")),
        "dec": pa.array([decimal.Decimal("1.25"), None, decimal.Decimal("-3.50"),
                         decimal.Decimal("0.00"), decimal.Decimal("9.99")],
                        pa.decimal128(5, 2)),
    })
    yield "empty", pa.table({"x": pa.array([], pa.int64())})


FILTER_SCHEMA = pa.schema([("x", pa.int64()), ("city", pa.string()), ("f", pa.float64()),
                           ("ts", pa.timestamp("us", tz="UTC")), ("ok", pa.bool_()),
                           ("dec", pa.decimal128(10, 2))])


def FILTERS():
    yield pc.field("city") == "Oslo"
    yield (pc.field("x") > 5) & ~(pc.field("f") < 0.5)
    yield pc.field("city").isin(["a", "b"]) | pc.field("ok")
    yield pc.field("f").is_null() | (pc.field("x") + 3 == 9)
    yield pc.field("ts") >= pa.scalar(datetime.datetime(2026, 1, 1), pa.timestamp("us", tz="UTC"))
    yield pc.field("dec") < pa.scalar(decimal.Decimal("1.50"), pa.decimal128(10, 2))


def filter_bytes(expression):
    return bytes(pa.substrait.serialize_expressions([expression], ["f"], FILTER_SCHEMA))


def filter_base64(expression):
    return base64.b64encode(filter_bytes(expression)).decode()


def ipc_stream(table, batches=1, compression=None):
    sink = io.BytesIO()
    options = ipc.IpcWriteOptions(compression=compression)
    with ipc.new_stream(sink, table.schema, options=options) as writer:
        for chunk in table.to_batches(max_chunksize=max(1, -(-table.num_rows // batches))):
            writer.write_batch(chunk)
    return sink.getvalue()


def parquet_file(table, **kwargs):
    sink = io.BytesIO()
    pq.write_table(table, sink, **kwargs)
    return sink.getvalue()


def main():
    # Regression inputs (findings, named regression-*) are kept.
    for folder, _, files in os.walk(ROOT):
        for name in files:
            if not name.startswith(("regression-", "regress-")):
                os.remove(os.path.join(folder, name))
    for name, table in tables():
        put("fuzz_ipc_upload", name, ipc_stream(table))
        put("fuzz_parquet_load", name, parquet_file(table, compression="zstd"))
    # Every type of the Arrow columnar format, one group per seed (the generator of
    # the round-trip tests).
    for group, make in arrow_types.GROUPS.items():
        put("fuzz_ipc_upload", f"types-{group}", ipc_stream(make(), batches=2))
    ints = dict(tables())["ints"]
    put("fuzz_ipc_upload", "ints-3-batches", ipc_stream(ints, batches=3))
    put("fuzz_ipc_upload", "ints-lz4", ipc_stream(ints, compression="lz4"))
    put("fuzz_ipc_upload", "ints-zstd", ipc_stream(ints, compression="zstd"))
    put("fuzz_parquet_load", "ints-row-groups",
        parquet_file(ints, row_group_size=2, compression="none"))
    put("fuzz_parquet_load", "ints-snappy-v1",
        parquet_file(ints, compression="snappy", data_page_version="1.0"))
    put("fuzz_parquet_load", "dictionary-plain",
        parquet_file(dict(tables())["dictionary"], use_dictionary=False))

    for i, name in enumerate(["sales/2024", "a", "a/b/c", "..", "a//b", ".hidden",
                              "ü/日本", "x" * 300, "a\\b", "a\x00b", "/lead", "trail/"]):
        put("fuzz_dataset_name", f"name-{i}", name)

    for i, ticket in enumerate([".quiver/1/sales/2024", ".quiver/1/a", "sales/2024",
                                '.quiver/2/{"dataset":"a/b","version":3}',
                                '.quiver/2/{"dataset":"a","version":0}',
                                ".quiver/2/a", ".quiver/1/", ".quiver/1/..", "a\x00b"]):
        put("fuzz_ticket", f"ticket-{i}", ticket)
    oslo = filter_base64(pc.field("city") == "Oslo")
    for i, ticket in enumerate([
            {"dataset": "sales", "version": 7, "columns": ["city", "amount"],
             "filter": oslo, "limit": 1000, "compression": "zstd", "row_groups": [3, 9]},
            {"dataset": "a/b", "version": 1, "row_groups": [0, 1]},
            {"dataset": "a", "version": 2, "columns": ["x"], "compression": "lz4"},
            {"dataset": "a", "version": 2, "row_groups": [9, 3]}]):
        put("fuzz_ticket", f"ticket-v3-{i}", ".quiver/3/" + json.dumps(ticket))

    for i, request in enumerate(['{"dataset":"a/b","version":3}', '{"dataset":"x"}',
                                 '{"dataset":"x","mode":"append"}',
                                 '{"dataset":"x","as_of":"2026-12-01T22:00:00Z"}',
                                 '{"dataset":"x","version":1,"as_of":"2026-12-01T22:00:00Z"}',
                                 '{"dataset":["a","b"]}', 'sales/2024', '{}', '[]']):
        put("fuzz_request", f"request-{i}", request)
    for i, request in enumerate([
            {"dataset": "sales", "columns": ["city", "amount"], "limit": 1000,
             "endpoints": 4, "version": 7, "filter": oslo},
            {"dataset": "sales", "endpoints": "auto", "compression": "lz4"},
            {"dataset": "sales", "columns": ["a", "a"], "endpoints": 0}]):
        put("fuzz_request", f"request-read-{i}", json.dumps(request))

    # Filters: raw Substrait ExtendedExpressions (the target base64-encodes them).
    for i, expression in enumerate(FILTERS()):
        put("fuzz_filter", f"filter-{i}", filter_bytes(expression))

    schema = base64.b64encode(
        pa.schema([("id", pa.int64()), ("s", pa.string())]).serialize().to_pybytes()).decode()
    manifest = {
        "format": "quiver-manifest", "format_version": 1, "dataset": "sales/2024",
        "version": 3, "committed_at": "2026-12-01T22:30:24.409801Z",
        "committed_at_us": 1796164224409801, "operation": "append", "rows": 200,
        "bytes": 3128, "schema": schema,
        "parts": [
            {"file": "9f0c-0.parquet", "rows": 100, "bytes": 1044, "row_groups": 1,
             "stats": [{"column": "id", "null_count": 0, "min": "0", "max": "99"}]},
            {"file": "77aa-5.parquet", "rows": 100, "bytes": 2084, "row_groups": 1,
             "stats": []}]}
    put("fuzz_manifest", "append", json.dumps(manifest, indent=1))
    put("fuzz_manifest", "drop", json.dumps(dict(manifest, operation="drop", rows=0,
                                                 bytes=0, parts=[])))
    put("fuzz_manifest", "restore", json.dumps(dict(manifest, operation="restore",
                                                    restored_from=1)))

    parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    for i, text in enumerate([parent, parent + "\nrojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
                              "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-xyz",
                              "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                              "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                              parent + "\nk@t=v,a=b"]):
        put("fuzz_traceparent", f"traceparent-{i}", text)

    hash_ = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$" + "A" * 43
    users = {"version": 1, "users": [
        {"name": "alice", "role": "writer", "password_hash": hash_, "grants": ["sales"]},
        {"name": "bob", "role": "reader", "password_hash": hash_},
        {"name": "root", "role": "admin", "password_hash": hash_, "grants": []}]}
    put("fuzz_users_file", "users", json.dumps(users, indent=2))
    put("fuzz_users_file", "empty", json.dumps({"version": 1, "users": []}))
    put("fuzz_users_file", "bad-version", json.dumps({"version": 2, "users": []}))

    payload = {"kid": "k", "sub": "alice", "gen": "g", "iat": 0,
               "exp": 4102444800000, "jti": "abc"}
    put("fuzz_token", "signed-payload", b"\x01" + json.dumps(payload).encode())
    put("fuzz_token", "signed-expired", b"\x01" + json.dumps(dict(payload, exp=1)).encode())
    put("fuzz_token", "raw-token", b"\x00qv1.eyJzdWIiOiJhIn0.c2lnbmF0dXJl")
    put("fuzz_token", "minted-user", b"\x02alice")

    # Flight SQL: Any-packed commands, tickets and action bodies, encoded by hand
    # (protobuf wire format) so the seeds need no protobuf package.
    def varint(n):
        out = b""
        while True:
            byte = n & 0x7F
            n >>= 7
            out += bytes([byte | (0x80 if n else 0)])
            if not n:
                return out

    def field(number, payload):  # a length-delimited field
        payload = payload.encode() if isinstance(payload, str) else payload
        return varint(number << 3 | 2) + varint(len(payload)) + payload

    def packed(message, value=b""):
        url = "type.googleapis.com/arrow.flight.protocol.sql." + message
        return field(1, url) + field(2, value)

    put("fuzz_sql_command", "statement", packed("CommandStatementQuery",
                                                field(1, 'SELECT * FROM "sales/2024"')))
    put("fuzz_sql_command", "tables", packed("CommandGetTables",
                                             field(3, "sales%") + field(4, "TABLE")
                                             + varint(5 << 3) + varint(1)))
    put("fuzz_sql_command", "sql-info", packed("CommandGetSqlInfo",
                                               varint(1 << 3) + varint(504)))
    put("fuzz_sql_command", "catalogs", packed("CommandGetCatalogs"))
    put("fuzz_sql_command", "ticket", packed("TicketStatementQuery", field(1, "0" * 32)))
    put("fuzz_sql_command", "prepare", packed("ActionCreatePreparedStatementRequest",
                                              field(1, "SELECT $1")))
    put("fuzz_sql_command", "ingest", packed("CommandStatementIngest",
                                             field(2, "t") + field(1000, field(1, "k")
                                                                   + field(2, "v"))))
    put("fuzz_sql_command", "wrong-url", field(1, "type.googleapis.com/google.protobuf.Empty"))


if __name__ == "__main__":
    main()
