"""`quiver get` / `quiver head` with --columns, --where, --limit and --parallel against a
real quiverd (docs/cli.md, "Selective and parallel reads"): results equal pyarrow's own
dataset scanner with the same projection and filter."""
import datetime
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.dataset as ds
import pyarrow.flight as flight
import pyarrow.parquet as pq
import pytest

from quiver_cli import cli_env, run
from test_selective_reads import put, typed  # noqa: F401  (typed: a fixture)

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends

OK, ERROR, USAGE, UNREACHABLE, NOT_FOUND = range(5)

UTC = datetime.timezone.utc

# --where text and the same filter written with pyarrow.compute.
CASES = [
    ("i > 100", pc.field("i") > 100),
    ("i >= -10 and i32 < 3", (pc.field("i") >= -10) & (pc.field("i32") < 3)),
    ("f < 0.25 or s = 'Oslo'", (pc.field("f") < 0.25) | (pc.field("s") == "Oslo")),
    ("not s = 'Lima'", ~(pc.field("s") == "Lima")),
    ("s in ('Quito', 'Åre', '')", pc.field("s").isin(["Quito", "Åre", ""])),
    ("s not in ('Oslo')", pc.field("s").is_valid() & ~pc.field("s").isin(["Oslo"])),
    ("s is null", pc.field("s").is_null()),
    ("f is not null and b", pc.field("f").is_valid() & pc.field("b")),
    ("b = false or i is null", (pc.field("b") == False) | pc.field("i").is_null()),  # noqa: E712
    ("ts >= '2026-02-01'",
     pc.field("ts") >= pa.scalar(datetime.datetime(2026, 2, 1, tzinfo=UTC),
                                 pa.timestamp("us", tz="UTC"))),
    ("ts < timestamp '2026-02-01 01:00:00+01:00'",
     pc.field("ts") < pa.scalar(datetime.datetime(2026, 2, 1, tzinfo=UTC),
                                pa.timestamp("us", tz="UTC"))),
    ("dec > 1234.50", pc.field("dec") > pa.scalar(1234.5).cast(pa.decimal128(12, 2))),
    ("d = 'red'", pc.field("d") == "red"),
    ("day < date '2026-03-01' and (i32 = 7 or i32 = -7 or 0 < i32)",
     (pc.field("day") < pa.scalar(datetime.date(2026, 3, 1)))
     & ((pc.field("i32") == 7) | (pc.field("i32") == -7) | (pc.field("i32") > 0))),
]


@pytest.fixture
def server(start_quiverd):
    return start_quiverd("--listen", "127.0.0.1:0", "--compact-threshold", "0")


@pytest.fixture
def env(server, tmp_path):
    return cli_env(tmp_path / "config", server=server.location)


def ok(result):
    assert result.returncode == OK, result.stderr.decode()
    return result


def usage_error(result):
    assert result.returncode == USAGE, (result.returncode, result.stderr.decode())
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def get_arrow(env, tmp_path, *args):
    # Parquet: the dictionary column's dictionaries differ between parts, which the
    # Arrow IPC file format cannot hold.
    out = tmp_path / "out.parquet"
    ok(run(["get", "typed", "-o", out, *args], env))
    return pq.read_table(out)


def same_rows(got, expected):
    assert got.column_names == expected.column_names
    assert got.num_rows == expected.num_rows
    for name in got.column_names:
        assert got[name].to_pylist() == expected[name].to_pylist(), name


@pytest.mark.parametrize("where,expression", CASES, ids=[c[0] for c in CASES])
def test_where_equals_pyarrow_dataset_filter(typed, env, tmp_path, where, expression):
    _, table = typed
    got = get_arrow(env, tmp_path, "--where", where)
    same_rows(got, ds.dataset(table).to_table(filter=expression))


def test_columns_where_and_limit(typed, env, tmp_path):
    _, table = typed
    expected = ds.dataset(table).to_table(columns=["s", "i"], filter=pc.field("i") > 0)
    got = get_arrow(env, tmp_path, "--columns", "s,i", "--where", "i > 0")
    assert got.schema.names == ["s", "i"]
    same_rows(got, expected)
    got = get_arrow(env, tmp_path, "--columns", "s,i", "--where", "i > 0", "--limit", "7")
    same_rows(got, expected.slice(0, 7))
    got = get_arrow(env, tmp_path, "--limit", "0")
    assert got.num_rows == 0 and got.num_columns == table.num_columns


def test_filter_matching_nothing_writes_an_empty_file(typed, env, tmp_path):
    got = get_arrow(env, tmp_path, "--columns", "i,s", "--where", "i > 5000")
    assert got.num_rows == 0 and got.schema.names == ["i", "s"]


def test_parallel_read_is_the_plain_read(server, env, tmp_path):
    client = flight.connect(server.location)
    table = pa.table({"id": pa.array(range(40_000), pa.int64()),
                      "name": pa.array([f"n{i % 97}" for i in range(40_000)])})
    for start in range(0, 40_000, 5_000):  # 8 parts: 8 row groups at least
        put(client, "many", table.slice(start, 5_000), mode="append")
    info = client.get_flight_info(flight.FlightDescriptor.for_command(
        json.dumps({"dataset": "many", "endpoints": 4}).encode()))
    assert len(info.endpoints) == 4  # the server does split it
    plain = tmp_path / "plain.csv"
    parallel = tmp_path / "parallel.csv"
    ok(run(["get", "many", "-o", plain], env))
    ok(run(["get", "many", "-o", parallel, "--parallel", "4"], env))
    assert parallel.read_bytes() == plain.read_bytes()
    # More streams than endpoints, and a filter, in parallel.
    ok(run(["get", "many", "-o", parallel, "--parallel", "64", "--where",
            "name in ('n1', 'n2')"], env))
    got = pacsv.read_csv(parallel)
    expected = table.filter(pc.field("name").isin(["n1", "n2"]))
    assert got["id"].to_pylist() == expected["id"].to_pylist()


def test_head_uses_columns_where_and_limit(typed, env):
    _, table = typed
    out = ok(run(["head", "typed", "-n", "3", "--columns", "i,s", "--where",
                  "i > 900 and s is not null"], env)).stdout.decode()
    expected = ds.dataset(table).to_table(
        columns=["i", "s"], filter=(pc.field("i") > 900) & pc.field("s").is_valid())
    lines = out.splitlines()
    assert lines[0].split() == ["i", "s"]
    assert len(lines) == 4
    for line, i in zip(lines[1:], expected["i"].to_pylist()[:3]):
        assert line.split()[0] == str(i)


def test_syntax_errors_are_usage_errors_before_any_call(tmp_path):
    # No server listens there: a syntax error must not even try to connect.
    env = cli_env(tmp_path / "config", server="grpc://127.0.0.1:1")
    line = usage_error(run(["get", "typed", "--where", "amount > and city = 'Oslo'"], env))
    assert "--where: expected a value or a column, found the keyword 'and'" in line
    assert "at column 10" in line
    line = usage_error(run(["head", "typed", "--where", "(a = 1"], env))
    assert "--where: expected ')'" in line and "at column 7" in line
    line = usage_error(run(["get", "typed", "--columns", "a,,b"], env))
    assert "--columns: empty column name" in line
    line = usage_error(run(["get", "typed", "--parallel", "0"], env))
    assert "--parallel" in line
    deep = "(" * 40 + "a = 1" + ")" * 40
    line = usage_error(run(["get", "typed", "--where", deep], env))
    assert "nested deeper than 32 levels at column 33" in line


def test_type_errors_name_the_column(typed, env):
    line = usage_error(run(["get", "typed", "--where", "i > 'x'"], env))
    assert line == ("quiver: --where: expected an integer, not 'x' for column 'i' "
                    "(int64) at column 5; see `quiver --help`")
    line = usage_error(run(["get", "typed", "--where", "nope = 1"], env))
    assert "unknown column 'nope' (columns: i, i32, f, s, b, ts, dec, d, day)" in line
    line = usage_error(run(["get", "typed", "--where", "i32 > 3000000000"], env))
    assert "3000000000 is out of range for column 'i32' (int32)" in line
    line = usage_error(run(["get", "typed", "--where", "dec = 0.125"], env))
    assert "0.125 has more decimal places than 2" in line
    # An unknown column in --columns: the server's INVALID_ARGUMENT names it.
    line = usage_error(run(["get", "typed", "--columns", "i,nope"], env))
    assert "nope" in line
