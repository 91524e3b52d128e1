"""End-to-end tests of the `quiver` CLI's versioned datasets against a real quiverd:
put --append, versions, get/head/info --version and --as-of, restore, compact, their
errors, and the roles they need."""
import datetime
import io
import json
import time

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from quiver_cli import cli_env, run
from security_util import add_user

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends

# Exit codes, as documented in docs/cli.md.
OK, ERROR, USAGE, UNREACHABLE, NOT_FOUND, UNAUTHENTICATED, DENIED, BAD_INPUT = range(8)

# The CLI runs in a fixed time zone without daylight saving time (UTC+3), so that the
# local times it prints and reads can be checked exactly.
TZ = "XYZ-3"
UTC_OFFSET = datetime.timedelta(hours=3)


@pytest.fixture
def env(quiverd, tmp_path):
    return cli_env(tmp_path / "config", server=quiverd.location, TZ=TZ)


def ok(result):
    assert result.returncode == OK, result.stderr.decode()
    return result


def one_line_error(result, code):
    """The command failed with `code` and said so in one line; returns the line."""
    assert result.returncode == code, (result.returncode, result.stderr.decode())
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("quiver: ")
    assert "Detail:" not in lines[0]
    return lines[0]


def rows(first, end):
    return pa.table({
        "id": pa.array(range(first, end), pa.int64()),
        "name": pa.array([f"item {i}" for i in range(first, end)], pa.string()),
    })


def csv_file(path, table):
    pacsv.write_csv(table, path)
    return path


def get_table(env, *args):
    out = ok(run(["get", *args], env)).stdout
    return pacsv.read_csv(io.BytesIO(out))


def versions(env, name):
    return json.loads(ok(run(["versions", name, "--json"], env)).stdout)


def local_text(committed_at):
    """A server timestamp as the CLI prints it in time zone TZ."""
    utc = datetime.datetime.fromisoformat(committed_at.replace("Z", "+00:00"))
    return (utc + UTC_OFFSET).strftime("%Y-%m-%d %H:%M:%S")


def test_append_lists_versions_and_reads_them_back(env, tmp_path):
    first = csv_file(tmp_path / "jan.csv", rows(0, 100))
    second = csv_file(tmp_path / "feb.csv", rows(100, 150))
    third = csv_file(tmp_path / "mar.csv", rows(150, 200))
    ok(run(["put", first, "--name", "shop/orders"], env))
    # A second apart, so that each commit has its own local second for --as-of.
    time.sleep(1.1)
    out = ok(run(["put", "--append", second, "--name", "shop/orders"], env)).stdout
    assert out.decode() == f"put shop/orders (append): 50 rows, 2 columns from {second} (csv)\n"
    time.sleep(1.1)
    ok(run(["put", third, "--append", "--name", "shop/orders"], env))

    listed = versions(env, "shop/orders")
    assert [v["version"] for v in listed] == [1, 2, 3]
    assert [v["operation"] for v in listed] == ["overwrite", "append", "append"]
    assert [v["rows"] for v in listed] == [100, 150, 200]
    assert [v["parts"] for v in listed] == [1, 2, 3]
    assert all(v["dataset"] == "shop/orders" and v["bytes"] > 0 for v in listed)

    table = ok(run(["versions", "shop/orders"], env)).stdout.decode().splitlines()
    assert table[0].split() == ["VERSION", "COMMITTED", "OPERATION", "ROWS", "SIZE", "PARTS"]
    assert len(table) == 4
    for line, version in zip(table[1:], listed):
        cells = line.split()
        assert cells[0] == str(version["version"])
        assert f"{cells[1]} {cells[2]}" == local_text(version["committed_at"])
        assert cells[3] == version["operation"]
        assert cells[4] == f"{version['rows']:,}"
        assert cells[-1] == str(version["parts"])

    everything = pa.concat_tables([rows(0, 100), rows(100, 150), rows(150, 200)])
    assert get_table(env, "shop/orders").equals(everything)
    assert get_table(env, "shop/orders", "--version", "1").equals(rows(0, 100))
    assert get_table(env, "shop/orders", "--version", "2").equals(
        pa.concat_tables([rows(0, 100), rows(100, 150)]))
    # --as-of: the COMMITTED time printed by `versions` selects that version ...
    committed_v2 = local_text(listed[1]["committed_at"])
    assert get_table(env, "shop/orders", "--as-of", committed_v2).num_rows == 150
    # ... and so does the exact RFC 3339 time of --json.
    assert get_table(env, "shop/orders", "--as-of", listed[0]["committed_at"]).equals(
        rows(0, 100))
    got = ok(run(["get", "shop/orders", "--version", "1", "-o", tmp_path / "v1.csv"], env))
    assert got.stdout.decode() == f"got shop/orders version 1: 100 rows to {tmp_path / 'v1.csv'} (csv)\n"

    head = ok(run(["head", "shop/orders", "--version", "1", "-n", "200"], env)).stdout
    assert len(head.decode().splitlines()) == 101
    head = ok(run(["head", "shop/orders", "--as-of", committed_v2, "-n", "500"], env)).stdout
    assert len(head.decode().splitlines()) == 151

    info = json.loads(ok(run(["info", "shop/orders", "--json"], env)).stdout)
    assert (info["name"], info["version"], info["operation"], info["rows"], info["parts"]) == \
        ("shop/orders", 3, "append", 200, 3)
    assert info["committed_at"] == listed[2]["committed_at"]
    old = json.loads(ok(run(["info", "shop/orders", "--version", "1", "--json"], env)).stdout)
    assert (old["name"], old["version"], old["rows"]) == ("shop/orders", 1, 100)
    text = ok(run(["info", "shop/orders"], env)).stdout.decode()
    assert f"version:    3 (append, committed {local_text(listed[2]['committed_at'])})" in text
    assert "parts:      3" in text


def test_append_several_files_and_to_a_new_dataset(env, tmp_path):
    a = csv_file(tmp_path / "a.csv", rows(0, 10))
    b = csv_file(tmp_path / "b.csv", rows(10, 30))
    ok(run(["put", "--append", a, b, "--name", "fresh"], env))
    assert [v["rows"] for v in versions(env, "fresh")] == [10, 30]
    assert get_table(env, "fresh").equals(pa.concat_tables([rows(0, 10), rows(10, 30)]))
    # Without --append, one --name takes one file.
    one_line_error(run(["put", a, b, "--name", "fresh"], env), USAGE)


def test_restore_and_compact(env, tmp_path):
    ok(run(["put", csv_file(tmp_path / "base.csv", rows(0, 10)), "--name", "t"], env))
    for i in range(3):
        part = csv_file(tmp_path / f"more{i}.csv", rows(10 + 10 * i, 20 + 10 * i))
        ok(run(["put", "--append", part, "--name", "t"], env))
    four_parts = get_table(env, "t")
    assert four_parts.num_rows == 40

    out = ok(run(["restore", "t", "1"], env)).stdout.decode()
    assert out == "restored t to version 1: it is now version 5 (10 rows)\n"
    assert get_table(env, "t").equals(rows(0, 10))
    last = versions(env, "t")[-1]
    assert (last["version"], last["operation"], last["restored_from"]) == (5, "restore", 1)
    assert "restore of 1" in ok(run(["versions", "t"], env)).stdout.decode()

    ok(run(["restore", "t", "4"], env))
    assert get_table(env, "t").equals(four_parts)
    out = ok(run(["compact", "t"], env)).stdout.decode()
    assert out == "compacted t: 4 parts -> 1 part, 40 rows, now version 7\n"
    assert get_table(env, "t").equals(four_parts)
    last = versions(env, "t")[-1]
    assert (last["version"], last["operation"], last["parts"], last["rows"]) == \
        (7, "compact", 1, 40)
    out = ok(run(["compact", "t"], env)).stdout.decode()
    assert out == "t: nothing to compact (version 7, 1 part)\n"
    # Time travel still reads the versions from before the compaction.
    assert get_table(env, "t", "--version", "1").equals(rows(0, 10))


def test_version_errors(env, tmp_path):
    ok(run(["put", csv_file(tmp_path / "e.csv", rows(0, 5)), "--name", "e"], env))
    for args in (["get", "e", "--version", "99"], ["head", "e", "--version", "99"],
                 ["info", "e", "--version", "99"], ["restore", "e", "99"]):
        line = one_line_error(run(args, env), NOT_FOUND)
        assert "version 99" in line and "`quiver versions e` lists its versions" in line, args
    line = one_line_error(run(["get", "e", "--as-of", "2001-01-01 00:00:00"], env), NOT_FOUND)
    assert "no version as of" in line and "quiver versions e" in line
    for args in (["versions", "nope"], ["compact", "nope"], ["get", "nope", "--version", "1"]):
        assert "nope" in one_line_error(run(args, env), NOT_FOUND)

    for bad in ("yesterday", "2026-13-01 00:00", "12/01/2026", "1h"):
        line = one_line_error(run(["get", "e", "--as-of", bad], env), USAGE)
        assert f"invalid --as-of '{bad}'" in line and "2026-12-01T22:00:00Z" in line
    one_line_error(run(["info", "e", "--as-of", "noon"], env), USAGE)
    for bad in ("0", "x", "-1", "1.5"):
        line = one_line_error(run(["get", "e", "--version", bad], env), USAGE)
        assert f"'{bad}' is not a version number (1 or more)" in line
    one_line_error(run(["get", "e", "--version", "1", "--as-of", "2026-12-01 00:00"], env),
                   USAGE)
    one_line_error(run(["restore", "e"], env), USAGE)
    assert "not a version number" in one_line_error(run(["restore", "e", "0"], env), USAGE)

    # An append must keep the dataset's schema; the server names the difference.
    other = pa.table({"id": pa.array([1], pa.int64()), "price": pa.array([1.5])})
    line = one_line_error(
        run(["put", "--append", csv_file(tmp_path / "other.csv", other), "--name", "e"],
            env), USAGE)
    assert "price" in line and "name" in line and "`quiver info e` shows the dataset's schema" in line
    assert [v["rows"] for v in versions(env, "e")] == [5]


@pytest.mark.local_storage("help texts: storage plays no part")
def test_help_of_the_version_commands_has_examples(env):
    for command in ("versions", "restore", "compact"):
        text = ok(run([command, "--help"], env)).stdout.decode()
        assert "Example:" in text and f"quiver {command} " in text, command
    for command, option in (("put", "--append"), ("get", "--as-of"), ("head", "--version"),
                            ("info", "--version")):
        assert option in ok(run([command, "--help"], env)).stdout.decode(), command
    assert ok(run(["--version"], env)).stdout.startswith(b"quiver ")


def test_roles_apply_to_versions(start_quiverd, tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "wendy", "writer", password="writer-password")
    add_user(users, "rita", "reader", password="reader-password")
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users))
    writer = cli_env(tmp_path / "w", server=server.location, TZ=TZ,
                     QUIVER_PASSWORD="writer-password")
    reader = cli_env(tmp_path / "r", server=server.location, TZ=TZ,
                     QUIVER_PASSWORD="reader-password")
    writer_args, reader_args = ["--user", "wendy"], ["--user", "rita"]
    data = csv_file(tmp_path / "d.csv", rows(0, 10))
    ok(run([*writer_args, "put", data, "--name", "sales/d"], writer))
    ok(run([*writer_args, "put", "--append", data, "--name", "sales/d"], writer))

    # A reader lists versions and travels in time ...
    assert len(json.loads(ok(run([*reader_args, "versions", "sales/d", "--json"],
                                 reader)).stdout)) == 2
    assert get_table(reader, *reader_args, "sales/d", "--version", "1").num_rows == 10
    # ... but may not append, restore or compact.
    for args in (["put", "--append", data, "--name", "sales/d"], ["restore", "sales/d", "1"],
                 ["compact", "sales/d"]):
        line = one_line_error(run([*reader_args, *args], reader), DENIED)
        assert "your role does not allow this" in line, args
    assert len(json.loads(ok(run([*writer_args, "versions", "sales/d", "--json"],
                                 writer)).stdout)) == 2
    # The writer may.
    ok(run([*writer_args, "restore", "sales/d", "1"], writer))
    ok(run([*writer_args, "compact", "sales/d"], writer))
    one_line_error(run(["versions", "sales/d"], cli_env(tmp_path / "n", server=server.location)),
                   UNAUTHENTICATED)
