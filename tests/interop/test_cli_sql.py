"""`quiver sql` against a real quiverd: the statement from the argument, -f FILE or
stdin, a table on stdout, -o files in every format, and the errors with their exit
codes (docs/cli.md, "SQL"). The statement tests skip against a quiverd built without
the SQL engine; the refusal of such a quiverd is tested instead."""
import json

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.flight as fl
import pyarrow.json as pajson
import pyarrow.parquet as pq
import pytest

from quiver_cli import OnTerminal, cli_env, run
from security_util import PASSWORD, add_user
from sql_util import ENGINE_MISSING, oracle, server, tables, upload  # noqa: F401 (server: a fixture)

# Exit codes, as documented in docs/cli.md.
OK, ERROR, USAGE, UNREACHABLE, NOT_FOUND, UNAUTHENTICATED, DENIED, BAD_INPUT = range(8)

# count and max: the CLI is under test here, not the engine's function catalog.
GROUPED = "SELECT city, count(*) AS n, max(fare) AS top FROM trips GROUP BY city ORDER BY city"


@pytest.fixture
def env(server, tmp_path):
    return cli_env(tmp_path / "config", server=server.location)


def has_engine(env):
    probe = run(["sql", "SELECT 1"], env)
    if probe.returncode != OK and ENGINE_MISSING in probe.stderr.decode():
        return False
    assert probe.returncode == OK, probe.stderr.decode()
    return True


@pytest.fixture
def engine(env):
    """The CLI's environment; skips against a quiverd built without the engine."""
    if not has_engine(env):
        pytest.skip("quiverd was built without the SQL engine (scripts/duckdb.sh)")
    return env


def ok(result):
    assert result.returncode == OK, result.stderr.decode()
    return result


def failed(result, code):
    """The command failed with `code`; returns stderr's lines, the first "quiver: ..."."""
    assert result.returncode == code, (result.returncode, result.stderr.decode())
    lines = result.stderr.decode().splitlines()
    assert lines and lines[0].startswith("quiver: "), lines
    assert "Detail:" not in result.stderr.decode()
    return lines


def cells(stdout):
    return [line.split() for line in stdout.decode().splitlines()]


def test_a_query_prints_a_table(engine):
    out = ok(run(["sql", "SELECT id, city, fare FROM trips WHERE id < 3 ORDER BY id"],
                 engine)).stdout
    assert cells(out) == [["id", "city", "fare"], ["0", "paris", "0"],
                          ["1", "rome", "0.25"], ["2", "oslo", "0.5"]]
    lines = out.decode().splitlines()
    assert lines[1].startswith(" 0  paris")  # numbers aligned to the right
    # A dataset with a nested name is one quoted identifier.
    out = ok(run(["sql", 'SELECT item, count(*) AS n, max(qty) AS qty FROM "sales/2024" '
                         "GROUP BY item ORDER BY item"], engine)).stdout
    assert cells(out) == [["item", "n", "qty"], ["a", "2", "4"], ["b", "2", "5"],
                          ["c", "1", "3"]]


def test_a_long_result_shows_the_first_rows_and_says_so(engine):
    out = ok(run(["sql", "-n", "3", "SELECT id FROM trips ORDER BY id"], engine)).stdout
    lines = out.decode().splitlines()
    assert [line.strip() for line in lines[:4]] == ["id", "0", "1", "2"]
    assert "first 3 rows" in lines[4] and "-o FILE" in lines[4]
    exact = ok(run(["sql", "-n", "3", "SELECT id FROM trips WHERE id < 3"], engine))
    assert len(exact.stdout.decode().splitlines()) == 4  # header and 3 rows, no note


def test_output_files_in_every_format_hold_the_result(engine, tmp_path):
    want = oracle(GROUPED)
    parquet = tmp_path / "out.parquet"
    done = ok(run(["sql", GROUPED, "-o", parquet], engine))
    assert done.stdout.decode() == f"wrote 4 rows to {parquet} (parquet)\n"
    got = pq.read_table(parquet)
    assert got.schema.names == want.schema.names
    assert [f.type for f in got.schema] == [f.type for f in want.schema]
    assert got.to_pylist() == want.to_pylist()

    ok(run(["sql", GROUPED, "-o", tmp_path / "out.csv"], engine))
    csv = pacsv.read_csv(tmp_path / "out.csv",
                         convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    assert csv.to_pylist() == want.to_pylist()

    ok(run(["sql", GROUPED, "-o", tmp_path / "out.jsonl"], engine))
    assert pajson.read_json(tmp_path / "out.jsonl").to_pylist() == want.to_pylist()

    # On stdout: CSV by default with -o -, any format with --format.
    stdout = ok(run(["sql", GROUPED, "-o", "-"], engine)).stdout
    assert stdout.decode().splitlines()[0] == '"city","n","top"'
    lines = ok(run(["sql", GROUPED, "--format", "json"], engine)).stdout.splitlines()
    assert [json.loads(line) for line in lines] == want.to_pylist()
    # No partial file is left beside the outputs.
    assert sorted(p.name for p in tmp_path.glob("out*")) == [
        "out.csv", "out.jsonl", "out.parquet"]


def test_statement_from_a_file_or_stdin(engine, tmp_path):
    query = tmp_path / "report.sql"
    query.write_text("-- the busiest cities\n" + GROUPED + ";\n")
    want = oracle(GROUPED).to_pylist()
    ok(run(["sql", "-f", query, "-o", tmp_path / "a.parquet"], engine))
    assert pq.read_table(tmp_path / "a.parquet").to_pylist() == want
    ok(run(["sql", "-o", tmp_path / "b.parquet"], engine, input=query.read_bytes()))
    assert pq.read_table(tmp_path / "b.parquet").to_pylist() == want
    ok(run(["sql", "-", "-o", tmp_path / "c.parquet"], engine, input=query.read_bytes()))
    assert pq.read_table(tmp_path / "c.parquet").to_pylist() == want


def test_a_syntax_error_shows_where_the_engine_says(engine):
    lines = failed(run(["sql", "SELECT id FROM trips WHER id = 1"], engine), USAGE)
    assert "syntax error" in lines[0]
    text = "\n".join(lines)
    assert "LINE 1:" in text and "^" in text, text
    # The caret stands under the position, below the statement's line.
    line = next(x for x in lines if x.startswith("LINE 1:"))
    caret = lines[lines.index(line) + 1]
    assert line[caret.index("^"):].startswith("id = 1") or \
        line[caret.index("^"):].startswith("WHER"), (line, caret)


def test_a_write_answers_with_its_count(engine):
    # Writes come back like a query: a one-row result with a Count column.
    made = run(["sql", "CREATE TABLE copy AS SELECT * FROM trips WHERE id < 10"], engine)
    if made.returncode == USAGE and "only queries" in made.stderr.decode():
        pytest.skip("this quiverd runs no writes yet (docs/sql.md)")
    header, *rows = cells(ok(made).stdout)
    assert [name.lower() for name in header] == ["count"] and rows == [["10"]]
    counted = ok(run(["sql", "SELECT count(*) AS n FROM copy"], engine)).stdout
    assert cells(counted) == [["n"], ["10"]]


def test_an_unknown_table_is_an_error_saying_so(engine):
    lines = failed(run(["sql", "SELECT * FROM nope"], engine), USAGE)
    assert "nope" in lines[0]


@pytest.fixture
def secured(start_quiverd, tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "writer", "writer")
    add_user(users, "rita", "reader", grants=["sales"])
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users))
    client = fl.connect(server.location)
    token = client.authenticate_basic_token("writer", PASSWORD)
    client.close()
    for name, table in tables().items():
        upload(server.location, name, table, headers=[token])
    return server


def test_a_refused_dataset_exits_as_get_does(secured, tmp_path):
    env = cli_env(tmp_path / "config", server=secured.location, QUIVER_PASSWORD=PASSWORD)
    granted = run(["--user", "rita", "sql", 'SELECT count(*) AS n FROM "sales/2024"'], env)
    if granted.returncode != OK and ENGINE_MISSING in granted.stderr.decode():
        pytest.skip("quiverd was built without the SQL engine")
    assert cells(ok(granted).stdout) == [["n"], ["5"]]
    get = run(["--user", "rita", "get", "trips"], env)
    assert get.returncode == DENIED, get.stderr.decode()
    for statement in ["SELECT * FROM trips",
                      'SELECT * FROM "sales/2024" s, trips t WHERE s.qty = t.id']:
        lines = failed(run(["--user", "rita", "sql", statement], env), get.returncode)
        assert "ask an administrator" in lines[0]
    # A reader writes nothing: the same exit code as `put` by a reader.
    lines = failed(run(["--user", "rita", "sql",
                        'CREATE TABLE "sales/copy" AS SELECT * FROM "sales/2024"'], env),
                   DENIED)
    assert "ask an administrator" in lines[0]
    # Not logged in: exit 5, as every command.
    bare = cli_env(tmp_path / "bare", server=secured.location)
    failed(run(["sql", "SELECT 1"], bare), UNAUTHENTICATED)


def test_a_quiverd_without_the_engine_is_unimplemented(env):
    if has_engine(env):
        pytest.skip("this quiverd has the SQL engine")
    lines = failed(run(["sql", 'SELECT count(*) FROM "sales/2024"'], env), ERROR)
    assert ENGINE_MISSING in lines[0] and len(lines) == 1


def test_a_quiverd_without_flight_sql_is_unimplemented(start_quiverd, tmp_path):
    server = start_quiverd("--listen", "127.0.0.1:0", "--no-sql")
    env = cli_env(tmp_path / "config", server=server.location)
    lines = failed(run(["sql", "SELECT 1"], env), ERROR)
    assert "not enabled" in lines[0]


def test_mistakes_are_caught_before_any_call(tmp_path):
    # No server listens there: each of these fails before connecting.
    env = cli_env(tmp_path / "config", server="grpc://127.0.0.1:1")
    failed(run(["sql"], env, input=b"  \n"), USAGE)
    failed(run(["sql", "-f", tmp_path / "missing.sql"], env), BAD_INPUT)
    failed(run(["sql", "-f", tmp_path / "x.sql", "SELECT 1"], env), USAGE)
    failed(run(["sql", "SELECT 1", "-o", tmp_path / "out.txt"], env), USAGE)
    failed(run(["sql", "SELECT 1", "--format", "xml"], env), USAGE)
    # A statement, but nobody listening.
    failed(run(["sql", "SELECT 1"], env), UNREACHABLE)


def test_no_statement_on_a_terminal_says_how_to_give_one(tmp_path):
    env = cli_env(tmp_path / "config", server="grpc://127.0.0.1:1")
    code, _, screen = OnTerminal(["sql"], env).finish()
    assert code == USAGE
    assert b"-f FILE" in screen
