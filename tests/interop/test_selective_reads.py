"""Selective reads (docs/protocol.md, "Selective and parallel reads"): columns, a
Substrait filter, a limit, several endpoints and IPC compression, checked against
pyarrow's own dataset scanner on the same data."""
import base64
import datetime
import decimal
import json
import random
import re
import urllib.request

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.flight as flight
import pyarrow.substrait as substrait
import pytest

from conftest import REPO

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends

_METRICS_RE = re.compile(r"quiverd metrics listening on http://[^:\s]+:(\d+)")


def cmd(**request):
    return flight.FlightDescriptor.for_command(json.dumps(request).encode())


def encode(expression, schema):
    """A filter as quiverd takes it: base64 of a Substrait ExtendedExpression."""
    # Substrait has no dictionary type: clients describe dictionary columns by value type.
    plain = pa.schema([f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type)
                       else f for f in schema])
    raw = substrait.serialize_expressions([expression], ["filter"], plain)
    return base64.b64encode(bytes(raw)).decode()


def put(client, name, table, mode="overwrite"):
    writer, _ = client.do_put(cmd(dataset=name, mode=mode), table.schema)
    writer.write_table(table)
    writer.close()


def read(client, info):
    """Every endpoint of `info`, read one after the other, as one table."""
    tables = [client.do_get(e.ticket).read_all() for e in info.endpoints]
    return pa.concat_tables(tables) if tables else None


def row_groups_metric(server):
    port = int(_METRICS_RE.search(server.log()).group(1))
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read()
    values = {}
    for line in text.decode().splitlines():
        for name in ("quiver_row_groups_read_total", "quiver_row_groups_skipped_total"):
            if line.startswith(name + " "):
                values[name] = float(line.split()[1])
    return values


def types_table(n, seed):
    rng = random.Random(seed)
    def maybe(value):
        return None if rng.random() < 0.15 else value
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    return pa.table({
        "i": pa.array([maybe(rng.randint(-1000, 1000)) for _ in range(n)], pa.int64()),
        "i32": pa.array([maybe(rng.randint(-50, 50)) for _ in range(n)], pa.int32()),
        "f": pa.array([maybe(rng.random()) for _ in range(n)], pa.float64()),
        "s": pa.array([maybe(rng.choice(["Oslo", "Quito", "Lima", "", "Åre"]))
                       for _ in range(n)], pa.string()),
        "b": pa.array([maybe(rng.random() < 0.5) for _ in range(n)], pa.bool_()),
        "ts": pa.array([maybe(start + datetime.timedelta(minutes=rng.randint(0, 10**5)))
                        for _ in range(n)], pa.timestamp("us", tz="Europe/Oslo")),
        "dec": pa.array([maybe(decimal.Decimal(rng.randint(-10**6, 10**6)) / 100)
                         for _ in range(n)], pa.decimal128(12, 2)),
        "d": pa.array([maybe(rng.choice(["red", "green", "blue"])) for _ in range(n)],
                      pa.string()).dictionary_encode(),
        "day": pa.array([maybe(datetime.date(2026, 1, 1) + datetime.timedelta(rng.randint(0, 300)))
                         for _ in range(n)], pa.date32()),
    })


@pytest.fixture
def server(start_quiverd):
    return start_quiverd("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                         "--compact-threshold", "0")


@pytest.fixture
def typed(server):
    """Dataset "typed" in 4 parts (appends), and the same rows as one pyarrow table."""
    client = flight.connect(server.location)
    parts = [types_table(500, seed) for seed in range(4)]
    for part in parts:
        put(client, "typed", part, mode="append")
    return client, pa.concat_tables(parts)


TS = pa.scalar(datetime.datetime(2026, 2, 1, tzinfo=datetime.timezone.utc),
               pa.timestamp("us", tz="UTC"))
FILTERS = [
    pc.field("i") > 100,
    (pc.field("i") >= -10) & (pc.field("i32") < 3),
    (pc.field("f") < 0.25) | (pc.field("s") == "Oslo"),
    ~(pc.field("s") == "Lima"),
    pc.field("s").isin(["Quito", "Åre", ""]),
    pc.field("s").is_null(),
    pc.field("f").is_valid() & pc.field("b"),
    pc.field("ts") >= TS,
    pc.field("dec") > pa.scalar(decimal.Decimal("1234.50"), pa.decimal128(12, 2)),
    pc.field("d") == "green",
    pc.field("day") < pa.scalar(datetime.date(2026, 3, 1)),
    pc.field("i") > 10**9,  # nothing
]


@pytest.mark.parametrize("index", range(len(FILTERS)))
def test_filter_and_projection_equal_pyarrow_dataset(typed, index):
    client, table = typed
    expression = FILTERS[index]
    columns = ["s", "i", "ts", "dec", "d"]
    info = client.get_flight_info(cmd(dataset="typed", columns=columns,
                                      filter=encode(expression, table.schema)))
    want = ds.dataset(table).to_table(columns=columns, filter=expression)
    assert info.schema == want.schema
    assert info.total_records == -1
    got = read(client, info)
    assert got.schema == want.schema
    assert got.equals(want), (str(expression), got.num_rows, want.num_rows)


def test_projection_limit_and_total_records(typed):
    client, table = typed
    info = client.get_flight_info(cmd(dataset="typed", columns=["day", "b"]))
    assert info.schema == table.select(["day", "b"]).schema
    assert info.total_records == table.num_rows and len(info.endpoints) == 1
    assert read(client, info).equals(table.select(["day", "b"]))
    info = client.get_flight_info(cmd(dataset="typed", limit=777, endpoints=4))
    assert len(info.endpoints) == 1  # a limit is one ordered read
    assert info.total_records == 777
    assert read(client, info).equals(table.slice(0, 777))
    info = client.get_flight_info(cmd(dataset="typed", limit=0))
    assert read(client, info).num_rows == 0
    # GetSchema takes the same command.
    schema = client.get_schema(cmd(dataset="typed", columns=["ts", "i"])).schema
    assert schema == table.select(["ts", "i"]).schema
    expression = pc.field("s") == "Oslo"
    info = client.get_flight_info(cmd(dataset="typed", limit=10,
                                      filter=encode(expression, table.schema)))
    assert read(client, info).equals(ds.dataset(table).to_table(filter=expression)
                                     .slice(0, 10))


def test_unknown_columns_and_bad_filters_are_invalid(typed):
    client, table = typed
    with pytest.raises(pa.ArrowInvalid,
                       match="unknown column 'nope'"):
        client.get_flight_info(cmd(dataset="typed", columns=["i", "nope"]))
    other = pa.schema([("ghost", pa.int64())])
    with pytest.raises(pa.ArrowInvalid, match="unknown column 'ghost'"):
        client.get_flight_info(cmd(dataset="typed",
                                   filter=encode(pc.field("ghost") > 1, other)))
    with pytest.raises(pa.ArrowInvalid, match="boolean"):
        client.get_flight_info(cmd(dataset="typed",
                                   filter=encode(pc.field("i") + 1, table.schema)))
    with pytest.raises(pa.ArrowInvalid, match="Substrait"):
        client.get_flight_info(cmd(dataset="typed",
                                   filter=base64.b64encode(b"\x0a\xff\xff\xff").decode()))


def test_pruning_reads_only_the_row_groups_statistics_allow(server):
    """Sorted data in 20 parts: a 1% filter reads one row group and skips 19."""
    client = flight.connect(server.location)
    for k in range(20):
        keys = pa.array(range(k * 1000, (k + 1) * 1000), pa.int64())
        put(client, "sorted", pa.table({"k": keys, "v": pc.multiply(keys, 3)}),
            mode="append")
    expression = (pc.field("k") >= 5100) & (pc.field("k") < 5300)
    before = row_groups_metric(server)
    info = client.get_flight_info(cmd(dataset="sorted", columns=["v"],
                                      filter=encode(expression, pa.schema([("k", pa.int64())]))))
    got = read(client, info)
    after = row_groups_metric(server)
    assert got.column("v").to_pylist() == [3 * k for k in range(5100, 5300)]
    assert after["quiver_row_groups_read_total"] - before["quiver_row_groups_read_total"] == 1
    assert (after["quiver_row_groups_skipped_total"]
            - before["quiver_row_groups_skipped_total"]) == 19


def test_row_groups_bounded_by_rows_prune_a_single_upload(start_quiverd):
    """--row-group-rows: one DoPut of 20,000 sorted rows is one part of 20 row groups
    (whatever the client's batches), and a 1% filter reads one of them, skipping 19."""
    server = start_quiverd("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                           "--row-group-rows", "1000")
    client = flight.connect(server.location)
    keys = pa.array(range(20_000), pa.int64())
    table = pa.table({"k": keys, "v": pc.multiply(keys, 3)})
    writer, _ = client.do_put(flight.FlightDescriptor.for_path("one"), table.schema)
    for batch in table.to_batches(max_chunksize=3_333):
        writer.write_batch(batch)
    writer.close()
    expression = pc.field("k") < 200
    before = row_groups_metric(server)
    info = client.get_flight_info(cmd(dataset="one", columns=["v"],
                                      filter=encode(expression, pa.schema([("k", pa.int64())]))))
    got = read(client, info)
    after = row_groups_metric(server)
    assert got.column("v").to_pylist() == [3 * k for k in range(200)]
    assert after["quiver_row_groups_read_total"] - before["quiver_row_groups_read_total"] == 1
    assert (after["quiver_row_groups_skipped_total"]
            - before["quiver_row_groups_skipped_total"]) == 19
    # The whole dataset still reads back as it was sent.
    plain = client.get_flight_info(flight.FlightDescriptor.for_path("one"))
    assert client.do_get(plain.endpoints[0].ticket).read_all().equals(table)


def test_endpoints_in_any_order_give_the_rows_of_one_read(typed):
    client, table = typed
    for endpoints in (2, 3, 4, "auto", 64):
        info = client.get_flight_info(cmd(dataset="typed", endpoints=endpoints))
        expected = 1 if endpoints == "auto" else min(endpoints, 4)  # 4 row groups
        assert len(info.endpoints) == expected
        assert len({e.ticket.ticket for e in info.endpoints}) == expected
        order = list(info.endpoints)
        random.Random(7).shuffle(order)
        pieces = {e.ticket.ticket: client.do_get(e.ticket).read_all() for e in order}
        got = pa.concat_tables([pieces[e.ticket.ticket] for e in info.endpoints])
        assert got.equals(table)
    # With a filter and columns too.
    expression = pc.field("i") > 0
    info = client.get_flight_info(cmd(dataset="typed", endpoints=3, columns=["i", "s"],
                                      filter=encode(expression, table.schema)))
    assert len(info.endpoints) == 3
    assert read(client, info).equals(
        ds.dataset(table).to_table(columns=["i", "s"], filter=expression))


def test_plain_path_descriptors_keep_one_endpoint(typed):
    client, table = typed
    info = client.get_flight_info(flight.FlightDescriptor.for_path("typed"))
    assert len(info.endpoints) == 1
    assert info.endpoints[0].ticket.ticket.startswith(b".quiver/2/")
    assert client.do_get(info.endpoints[0].ticket).read_all().equals(table)


def hostile_tickets(good):
    body = json.loads(good[len(".quiver/3/"):])
    def ticket(**changes):
        return ".quiver/3/" + json.dumps({**body, **changes})
    yield ticket(row_groups=[0, 5])  # past the end (4 row groups)
    yield ticket(row_groups=[3, 2])
    yield ticket(row_groups=[-1, 1])
    yield ticket(row_groups=[0, 2**70])
    yield ticket(limit=2**64)
    yield ticket(limit=-1)
    yield ticket(columns=["i", "nope"])
    yield ticket(columns="i")
    yield ticket(filter="AAAA")
    yield ticket(filter=base64.b64encode(random.Random(1).randbytes(300)).decode())
    yield ticket(compression="brotli")
    yield ticket(version=0)
    yield ticket(dataset="../typed")
    yield ticket(endpoints=2)
    yield ".quiver/3/" + json.dumps(body)[:-3]
    yield ".quiver/3/" + "[" * 100000


def test_hostile_tickets_are_invalid_argument(typed):
    client, table = typed
    info = client.get_flight_info(cmd(dataset="typed", endpoints=2, columns=["i"]))
    good = info.endpoints[0].ticket.ticket.decode()
    assert good.startswith(".quiver/3/")
    for bad in hostile_tickets(good):
        with pytest.raises(pa.ArrowInvalid):
            client.do_get(flight.Ticket(bad.encode())).read_all()
    # The server is fine afterwards.
    assert read(client, info).equals(table.select(["i"]))


def varint(n):
    out = b""
    while True:
        if n < 0x80:
            return out + bytes([n])
        out += bytes([0x80 | (n & 0x7F)])
        n >>= 7


def length_delimited(field, payload):
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def test_long_in_lists_are_not_deep_expressions(typed):
    """An "in" of 3000 values becomes a chain of 3000 ors in Arrow; quiverd rebalances it."""
    client, table = typed
    values = ["Oslo"] + [f"city-{k}" for k in range(2999)]
    expression = pc.field("s").isin(values)
    info = client.get_flight_info(cmd(dataset="typed", columns=["s", "i"],
                                      filter=encode(expression, table.schema)))
    assert read(client, info).equals(
        ds.dataset(table).to_table(columns=["s", "i"], filter=expression))


def test_hostile_commands_are_invalid_argument(typed):
    client, table = typed
    # pyarrow cannot serialise deep expressions (its output doubles per level), so the
    # nesting is written as protobuf directly: Expression{scalar_function{arguments{
    # value: Expression{...}}}}, 3000 levels, inside an ExtendedExpression.
    deep = b""
    for _ in range(3000):
        deep = length_delimited(3, length_delimited(4, length_delimited(3, deep)))
    deep = length_delimited(3, length_delimited(1, deep) + length_delimited(2, b"f"))
    bad_commands = [
        {"columns": []}, {"columns": ["i", "i"]}, {"limit": 2**80}, {"limit": 1.5},
        {"endpoints": 0}, {"endpoints": 10**6}, {"endpoints": "all"},
        {"compression": "snappy"}, {"filter": "%%%"}, {"filter": ""},
        {"filter": base64.b64encode(b"\x12" * 5000).decode()},
        {"row_groups": [0, 1]}, {"filter": base64.b64encode(deep).decode()},
        {"columns": ["i"] * 20000},
    ]
    for extra in bad_commands:
        with pytest.raises(pa.ArrowInvalid):
            client.get_flight_info(cmd(dataset="typed", **extra))
    assert client.get_flight_info(cmd(dataset="typed")).total_records == table.num_rows


@pytest.mark.parametrize("codec", ["lz4", "zstd", "none"])
def test_compression_round_trips(typed, codec):
    client, table = typed
    info = client.get_flight_info(cmd(dataset="typed", compression=codec, endpoints=2))
    assert read(client, info).equals(table)


def test_server_default_compression_is_used_and_overridable(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--ipc-compression", "zstd")
    client = flight.connect(server.location)
    table = pa.table({"x": pa.array([i % 10 for i in range(200000)], pa.int64())})
    put(client, "z", table)
    info = client.get_flight_info(flight.FlightDescriptor.for_path("z"))
    reader = client.do_get(info.endpoints[0].ticket)
    assert reader.read_all().equals(table)
    info = client.get_flight_info(cmd(dataset="z", compression="none"))
    assert read(client, info).equals(table)


def readme_snippet():
    text = (REPO / "README.md").read_text()
    section = text[text.index("### Reading every endpoint at once"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_parallel_reading_snippet(typed, server):
    client, table = typed
    namespace = {}
    exec(readme_snippet(), namespace)
    info = client.get_flight_info(cmd(dataset="typed", endpoints=4))
    assert len(info.endpoints) == 4
    assert namespace["read_endpoints"](client, info).equals(table)


def test_selective_tickets_are_authorized_again_on_doget(start_quiverd, tmp_path):
    """A ticket minted for one user is no pass for another: DoGet checks the caller."""
    from security_util import PASSWORD, add_user
    users = tmp_path / "users.json"
    add_user(users, "writer", "writer")
    add_user(users, "sales_reader", "reader", grants=["sales"])
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users))

    def login(user):
        client = flight.connect(server.location)
        token = client.authenticate_basic_token(user.encode(), PASSWORD.encode())
        return client, flight.FlightCallOptions(headers=[token])

    writer, options = login("writer")
    table = pa.table({"x": list(range(100)), "y": [str(i) for i in range(100)]})
    for name in ("sales", "secret"):
        w, _ = writer.do_put(cmd(dataset=name), table.schema, options=options)
        w.write_table(table)
        w.close()
    info = writer.get_flight_info(cmd(dataset="secret", columns=["y"], endpoints=2),
                                  options=options)
    reader, reader_options = login("sales_reader")
    for endpoint in info.endpoints:
        with pytest.raises(flight.FlightUnauthorizedError):
            reader.do_get(endpoint.ticket, options=reader_options).read_all()
    info = reader.get_flight_info(cmd(dataset="sales", columns=["y"], limit=5),
                                  options=reader_options)
    got = reader.do_get(info.endpoints[0].ticket, options=reader_options).read_all()
    assert got.equals(table.select(["y"]).slice(0, 5))
