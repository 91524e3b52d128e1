"""Flight SQL queries with the real ADBC Flight SQL driver (DBAPI): results compared
with DuckDB in process over the same pyarrow tables, bound parameters, snapshots, time
travel, hostile statements and authorization (docs/sql.md). Skipped when quiverd was
built without the SQL engine."""
import datetime

import adbc_driver_manager
import pyarrow as pa
import pyarrow.flight as fl
import pytest

from security_util import PASSWORD
from sql_util import (ENGINE_MISSING, connect, oracle, require_engine, run,  # noqa: F401
                      server, start_secured, tables)


@pytest.fixture
def engine(server):
    with connect(server) as connection:
        yield require_engine(connection)


QUERIES = [
    "SELECT count(*) AS n, sum(fare) AS total FROM trips",
    "SELECT city, count(*) AS n, avg(fare) AS fare FROM trips GROUP BY city ORDER BY city",
    "SELECT id, fare FROM trips WHERE fare BETWEEN 10 AND 12 ORDER BY id",
    'SELECT item, sum(qty) AS qty, sum(price) AS price FROM "sales/2024" '
    "GROUP BY item ORDER BY item",
    'SELECT t.city, s.item FROM trips t JOIN "sales/2024" s ON t.id = s.qty '
    "ORDER BY t.id, s.item",
    "SELECT date_trunc('day', \"at\") AS day, max(fare) AS top FROM trips "
    "GROUP BY day ORDER BY day LIMIT 5",
]


@pytest.mark.parametrize("query", QUERIES)
def test_results_match_duckdb_in_process(engine, query):
    got = run(engine, query)
    want = oracle(query)
    assert got.column_names == want.column_names
    assert got.to_pylist() == want.to_pylist()


def test_result_schema_is_the_announced_schema(engine):
    # The DoGet stream's schema (nullability included) is the one announced before
    # execution (GetSchema of the command, as GetFlightInfo's).
    query = "SELECT id, city, fare * 2 AS double_fare FROM trips WHERE id < 3 ORDER BY id"
    with engine.cursor() as cur:
        announced = cur.adbc_execute_schema(query)
        cur.execute(query)
        result = cur.fetch_arrow_table()
    assert result.column("id").to_pylist() == [0, 1, 2]
    assert announced == result.schema


def test_bound_parameters(engine):
    got = run(engine, "SELECT id, city FROM trips WHERE id > ? AND city = ? ORDER BY id",
              (990, "oslo"))
    want = oracle("SELECT id, city FROM trips WHERE id > 990 AND city = 'oslo' ORDER BY id")
    assert got.to_pylist() == want.to_pylist()
    # The same prepared statement again, with other values.
    with engine.cursor() as cur:
        for low in (995, 998):
            cur.execute("SELECT count(*) AS n FROM trips WHERE id >= ?", (low,))
            assert cur.fetch_arrow_table().column("n").to_pylist() == [1000 - low]


def test_large_result_streams_in_batches(engine):
    with engine.cursor() as cur:
        cur.execute("SELECT a.id AS x, b.id AS y FROM trips a, trips b WHERE b.id < 300")
        reader = cur.fetch_record_batch()
        rows = batches = 0
        for batch in reader:
            rows += batch.num_rows
            batches += 1
    assert rows == 300_000
    assert batches > 1


def test_each_statement_reads_one_snapshot(engine, server):
    before = run(engine, "SELECT count(*) AS n FROM trips").column("n").to_pylist()
    client = fl.connect(server.location)
    extra = tables()["trips"].slice(0, 10)
    writer, _ = client.do_put(
        fl.FlightDescriptor.for_command(b'{"dataset": "trips", "mode": "append"}'),
        extra.schema)
    writer.write_table(extra)
    writer.close()
    after = run(engine, "SELECT count(*) AS n FROM trips").column("n").to_pylist()
    assert before == [1000] and after == [1010]


HOSTILE = [
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_parquet('/tmp/x.parquet')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM '/etc/passwd'",
    "COPY (SELECT 1) TO '/tmp/quiver-sql-copy.csv'",
    "EXPORT DATABASE '/tmp/quiver-sql-export'",
    "ATTACH '/tmp/quiver-sql.db' AS other",
    "INSTALL httpfs",
    "LOAD parquet",
    "SET enable_external_access = true",
    "SET memory_limit = '100GB'",
    "PRAGMA enable_profiling",
    "CREATE VIEW v AS SELECT 1 AS x",
    "CREATE TEMPORARY TABLE t2 AS SELECT 1 AS x",
    "CREATE SEQUENCE s",
    "CREATE MACRO m(x) AS x + 1",
    "CREATE SCHEMA other",
    "CREATE TABLE other.t3 AS SELECT 1 AS x",
    "CREATE TABLE memory.main.t4 AS SELECT 1 AS x",
    "CREATE TABLE keyed (x INTEGER PRIMARY KEY)",
    "DELETE FROM trips",
    "UPDATE trips SET fare = 0",
    "ALTER TABLE trips ADD COLUMN y INTEGER",
    "INSERT INTO trips SELECT * FROM trips RETURNING id",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT 1; SELECT 2",
    "SELECT * FROM quiver_scan(0)",
    "CALL pragma_version()",
]


@pytest.mark.parametrize("statement", HOSTILE)
def test_hostile_statements_are_refused(engine, statement, tmp_path):
    with engine.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error) as refused:
            cur.execute(statement)
            cur.fetch_arrow_table()
    message = str(refused.value)
    assert "INVALID_ARGUMENT" in message or "Invalid" in message or \
        "PERMISSION" in message or "UNAUTHORIZED" in message, message
    # The server keeps serving.
    assert run(engine, "SELECT count(*) AS n FROM trips").column("n").to_pylist() == [1000]


def test_syntax_errors_say_where(engine):
    with pytest.raises(adbc_driver_manager.Error, match="syntax error"):
        run(engine, "SELEC 1")


def test_unsupported_commands_are_unimplemented(engine):
    with engine.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error):
            cur.adbc_ingest("temp_table", tables()["trips"], mode="create", temporary=True)


@pytest.fixture
def secured(start_quiverd, tmp_path):
    return start_secured(start_quiverd, tmp_path)


def test_authorization_applies_to_every_dataset(secured):
    with connect(secured, username="rita", password=PASSWORD) as conn:
        objects = conn.adbc_get_objects(depth="tables").read_all().to_pylist()
        names = [t["table_name"] for c in objects for s in c["catalog_db_schemas"]
                 for t in s["db_schema_tables"]]
        assert names == ["sales/2024"]  # trips: no grant, not listed
        with conn.cursor() as cur:
            try:
                cur.execute('SELECT count(*) AS n FROM "sales/2024"')
                assert cur.fetch_arrow_table().column("n").to_pylist() == [5]
            except adbc_driver_manager.Error as e:
                if ENGINE_MISSING in str(e):
                    pytest.skip("quiverd was built without the SQL engine")
                raise
            with pytest.raises(adbc_driver_manager.Error, match="(?i)permission|unauthorized"):
                cur.execute("SELECT * FROM trips")
                cur.fetch_arrow_table()
            # A join that touches one refused dataset is refused whole.
            with pytest.raises(adbc_driver_manager.Error, match="(?i)permission|unauthorized"):
                cur.execute('SELECT * FROM "sales/2024" s, trips t WHERE s.qty = t.id')
                cur.fetch_arrow_table()


def append(location, name, table):
    client = fl.connect(location)
    command = ('{"dataset": "%s", "mode": "append"}' % name).encode()
    writer, _ = client.do_put(fl.FlightDescriptor.for_command(command), table.schema)
    writer.write_table(table)
    writer.close()
    client.close()


def test_time_travel_reads_a_version_or_the_dataset_as_of_a_time(engine, server):
    first = datetime.datetime.now(datetime.timezone.utc)
    append(server.location, "trips", tables()["trips"].slice(0, 10))
    count = "SELECT count(*) AS n FROM {}"
    assert run(engine, count.format("trips")).column("n").to_pylist() == [1010]
    assert run(engine, count.format("dataset_at_version('trips', 1)")) \
        .column("n").to_pylist() == [1000]
    assert run(engine, count.format("dataset_at_version('trips', 2)")) \
        .column("n").to_pylist() == [1010]
    # As of a time: the version current then.
    as_of = "SELECT count(*) AS n FROM dataset_as_of('trips', TIMESTAMPTZ '{}')"
    assert run(engine, as_of.format(first.isoformat())).column("n").to_pylist() == [1000]
    now = datetime.datetime.now(datetime.timezone.utc)
    assert run(engine, as_of.format(now.isoformat())).column("n").to_pylist() == [1010]
    # Versions of one dataset side by side, projections pushed down as for tables.
    got = run(engine, "SELECT a.id FROM dataset_at_version('trips', 2) a "
                      "LEFT JOIN dataset_at_version('trips', 1) b ON a.id = b.id "
                      "AND a.\"at\" = b.\"at\" WHERE a.id < 3 ORDER BY a.id")
    assert got.column("id").to_pylist() == [0, 0, 1, 1, 2, 2]


def test_time_travel_to_what_does_not_exist_is_not_found(engine):
    for query in ["SELECT * FROM dataset_at_version('trips', 9)",
                  "SELECT * FROM dataset_at_version('nothing', 1)",
                  "SELECT * FROM dataset_as_of('trips', TIMESTAMPTZ '2001-01-01 00:00:00+00')"]:
        with pytest.raises(adbc_driver_manager.Error) as refused:
            run(engine, query)
        assert refused.value.status_code == adbc_driver_manager.AdbcStatusCode.NOT_FOUND, \
            (query, str(refused.value))


def test_time_travel_applies_the_grants(secured):
    with connect(secured, username="rita", password=PASSWORD) as conn:
        require_engine(conn)
        assert run(conn, "SELECT count(*) AS n FROM dataset_at_version('sales/2024', 1)") \
            .column("n").to_pylist() == [5]
        with pytest.raises(adbc_driver_manager.Error, match="(?i)permission|unauthorized"):
            run(conn, "SELECT * FROM dataset_at_version('trips', 1)")
