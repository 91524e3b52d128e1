"""Flight SQL over quiver's datasets with the real ADBC Flight SQL driver (DBAPI):
queries compared with DuckDB in process over the same pyarrow tables, bound
parameters, catalog metadata, hostile statements and authorization (docs/sql.md)."""
import datetime
import decimal

import adbc_driver_flightsql
import adbc_driver_flightsql.dbapi as flight_sql
import adbc_driver_manager
import duckdb
import pyarrow as pa
import pyarrow.flight as fl
import pytest

from security_util import PASSWORD, add_user

ENGINE_MISSING = "built without the SQL engine"


def tables():
    n = 1000
    return {
        "trips": pa.table({
            "id": pa.array(range(n), pa.int64()),
            "city": pa.array([["paris", "rome", "oslo", None][i % 4] for i in range(n)]),
            "fare": pa.array([i * 0.25 for i in range(n)], pa.float64()),
            "at": pa.array([datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=i)
                            for i in range(n)], pa.timestamp("us")),
        }),
        "sales/2024": pa.table({
            "item": pa.array(["a", "b", "c", "a", "b"]),
            "qty": pa.array([1, 2, 3, 4, 5], pa.int32()),
            "price": pa.array([decimal.Decimal("1.50"), decimal.Decimal("2.25"), None,
                               decimal.Decimal("0.10"), decimal.Decimal("9.99")],
                              pa.decimal128(10, 2)),
        }),
    }


def upload(location, name, table, headers=()):
    client = fl.connect(location)
    options = fl.FlightCallOptions(headers=list(headers))
    writer, _ = client.do_put(fl.FlightDescriptor.for_path(*name.split("/")), table.schema,
                               options)
    writer.write_table(table)
    writer.close()
    client.close()


def connect(server, **db_kwargs):
    return flight_sql.connect(uri=server.location, db_kwargs=db_kwargs)


@pytest.fixture
def server(quiverd):
    for name, table in tables().items():
        upload(quiverd.location, name, table)
    return quiverd


@pytest.fixture
def conn(server):
    with connect(server) as connection:
        yield connection


@pytest.fixture
def engine(conn):
    """Skip statement tests against a quiverd built without the engine (it says so)."""
    with conn.cursor() as cur:
        try:
            cur.execute("SELECT 1")
            cur.fetch_arrow_table()
        except adbc_driver_manager.Error as e:
            if ENGINE_MISSING in str(e):
                pytest.skip("quiverd was built without the SQL engine (scripts/duckdb.sh)")
            raise
    return conn


def oracle(query):
    """The same query run by DuckDB in process over the same pyarrow tables."""
    con = duckdb.connect()
    for name, table in tables().items():
        con.register(name, table)
    return con.sql(query).to_arrow_table()


def run(conn, query, parameters=None):
    with conn.cursor() as cur:
        cur.execute(query, parameters)
        return cur.fetch_arrow_table()


QUERIES = [
    "SELECT count(*) AS n, sum(fare) AS total FROM trips",
    "SELECT city, count(*) AS n, avg(fare) AS fare FROM trips GROUP BY city ORDER BY city",
    "SELECT id, fare FROM trips WHERE fare BETWEEN 10 AND 12 ORDER BY id",
    'SELECT item, sum(qty) AS qty, sum(price) AS price FROM "sales/2024" '
    "GROUP BY item ORDER BY item",
    'SELECT t.city, s.item FROM trips t JOIN "sales/2024" s ON t.id = s.qty '
    "ORDER BY t.id, s.item",
    "SELECT date_trunc('day', at) AS day, max(fare) AS top FROM trips "
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


def test_get_objects_lists_the_datasets(conn):
    objects = conn.adbc_get_objects(depth="all").read_all().to_pylist()
    assert [c["catalog_name"] for c in objects] == ["quiver"]
    schemas = objects[0]["catalog_db_schemas"]
    assert [s["db_schema_name"] for s in schemas] == ["main"]
    by_name = {t["table_name"]: t for t in schemas[0]["db_schema_tables"]}
    assert sorted(by_name) == ["sales/2024", "trips"]
    columns = [c["column_name"] for c in by_name["trips"]["table_columns"]]
    assert columns == ["id", "city", "fare", "at"]


def test_get_table_schema_is_the_dataset_schema(conn):
    schema = conn.adbc_get_table_schema("sales/2024")
    assert schema.names == tables()["sales/2024"].schema.names
    assert schema.field("price").type == pa.decimal128(10, 2)
    assert schema.field("qty").type == pa.int32()


def test_table_types_and_info(conn):
    assert conn.adbc_get_table_types() == ["TABLE"]
    info = conn.adbc_get_info()
    assert info["vendor_name"] == "quiver"
    assert info["vendor_arrow_version"] == pa.__version__  # the wheel quiverd links


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
    "CREATE TABLE mine (x INTEGER)",
    "CREATE TABLE t2 AS SELECT 1 AS x",
    "INSERT INTO trips VALUES (1, 'x', 1.0, NULL)",
    "DROP TABLE trips",
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
            cur.adbc_ingest("new_table", tables()["trips"], mode="create")


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


def test_wrong_password_is_refused(secured):
    with pytest.raises(adbc_driver_manager.Error):
        with connect(secured, username="rita", password="wrong") as conn:
            conn.adbc_get_objects(depth="catalogs").read_all()
