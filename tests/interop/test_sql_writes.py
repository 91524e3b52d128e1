"""Writes through Flight SQL with the real ADBC driver: CREATE TABLE [AS], INSERT,
DROP TABLE and adbc_ingest, each one commit of the storage service, visible at once
to the storage RPCs; results compared with DuckDB in process; refusals and grants
(docs/sql.md, "Writes"). Skipped when quiverd was built without the SQL engine."""
import json

import adbc_driver_manager
import pyarrow as pa
import pyarrow.flight as fl
import pytest

from security_util import PASSWORD
from sql_util import (connect, dataset_names, download, oracle, require_engine, run,  # noqa: F401
                      server, start_secured)

NOT_FOUND = adbc_driver_manager.AdbcStatusCode.NOT_FOUND
ALREADY_EXISTS = adbc_driver_manager.AdbcStatusCode.ALREADY_EXISTS
INVALID = adbc_driver_manager.AdbcStatusCode.INVALID_ARGUMENT


@pytest.fixture
def conn(server):
    with connect(server) as connection:
        yield require_engine(connection)


def versions(location, name):
    client = fl.connect(location)
    body = json.dumps({"dataset": name}).encode()
    listed = [json.loads(r.body.to_pybytes())
              for r in client.do_action(fl.Action("list_versions", body))]
    client.close()
    return [v["version"] for v in listed]


def write(conn, statement):
    """A write through DBAPI: ADBC runs a prepared statement that is an update with
    ExecuteUpdate, so its answer is the row count, not rows."""
    with conn.cursor() as cur:
        cur.execute(statement)
        return cur.rowcount


def refused(conn, statement):
    with pytest.raises(adbc_driver_manager.Error) as error:
        run(conn, statement)
    return error.value


def test_create_table_as_makes_a_dataset(conn, server):
    query = "SELECT id, city, fare * 2 AS fare2 FROM trips WHERE id < 50 ORDER BY id"
    assert write(conn, f'CREATE TABLE "copies/trips" AS {query}') == 50
    # At once a dataset of the storage service, read by plain Flight.
    assert "copies/trips" in dataset_names(server.location)
    stored = download(server.location, "copies/trips")
    assert stored.to_pylist() == oracle(query).to_pylist()
    assert versions(server.location, "copies/trips") == [1]
    # And a table of the next statement.
    assert run(conn, 'SELECT count(*) AS n FROM "copies/trips"').column("n") \
        .to_pylist() == [50]


def test_create_table_conflicts(conn, server):
    error = refused(conn, "CREATE TABLE trips AS SELECT 1 AS x")
    assert error.status_code == ALREADY_EXISTS, str(error)
    assert write(conn, "CREATE TABLE IF NOT EXISTS trips AS SELECT 1 AS x") == 0
    assert download(server.location, "trips").num_rows == 1000
    assert write(conn, "CREATE OR REPLACE TABLE trips AS SELECT 1 AS x") == 1
    assert download(server.location, "trips").to_pylist() == [{"x": 1}]
    assert versions(server.location, "trips") == [1, 2]


def test_create_table_with_columns_makes_an_empty_dataset(conn, server):
    write(conn, 'CREATE TABLE "new/empty" (a INTEGER NOT NULL, b VARCHAR, c DECIMAL(12, 3))')
    stored = download(server.location, "new/empty")
    assert stored.num_rows == 0
    assert stored.schema == pa.schema([pa.field("a", pa.int32(), nullable=False),
                                       pa.field("b", pa.string()),
                                       pa.field("c", pa.decimal128(12, 3))])


def test_insert_appends_one_version_per_statement(conn, server):
    write(conn, 'CREATE TABLE "log" (a INTEGER NOT NULL, b VARCHAR)')
    assert write(conn, "INSERT INTO log VALUES (1, 'x'), (2, 'y')") == 2
    assert write(conn, "INSERT INTO log (b, a) SELECT city, CAST(id AS INTEGER) FROM trips "
                     "WHERE id < 3") == 3
    assert write(conn, "INSERT INTO log BY NAME SELECT 'z' AS b, 9 AS a") == 1
    assert write(conn, "INSERT INTO log (a) VALUES (7)") == 1
    stored = download(server.location, "log")
    assert stored.to_pylist() == [
        {"a": 1, "b": "x"}, {"a": 2, "b": "y"},
        {"a": 0, "b": "paris"}, {"a": 1, "b": "rome"}, {"a": 2, "b": "oslo"},
        {"a": 9, "b": "z"}, {"a": 7, "b": None}]
    assert stored.schema.field("a").nullable is False
    assert versions(server.location, "log") == [1, 2, 3, 4, 5]


def test_insert_of_its_own_rows_reads_one_snapshot(conn, server):
    assert write(conn, "INSERT INTO trips SELECT * FROM trips") == 1000
    assert download(server.location, "trips").num_rows == 2000


def test_bad_inserts_change_nothing(conn, server):
    write(conn, 'CREATE TABLE "log" (a INTEGER NOT NULL, b VARCHAR)')
    write(conn, "INSERT INTO log VALUES (1, 'x')")
    bad = [
        ("INSERT INTO log VALUES (NULL, 'x')", INVALID),           # NOT NULL
        ("INSERT INTO log VALUES ('abc', 'x')", INVALID),          # not an integer
        ("INSERT INTO log VALUES (1)", INVALID),                   # too few columns
        ("INSERT INTO log (a, nope) VALUES (1, 2)", INVALID),      # no such column
        ("INSERT INTO log (b) VALUES ('x')", INVALID),             # a left out NOT NULL
        ("INSERT INTO log VALUES (3000000000, 'x')", INVALID),     # overflows INTEGER
        ("INSERT INTO nothing VALUES (1, 'x')", NOT_FOUND),
        ("INSERT INTO log SELECT * FROM nothing", None),           # unknown table
    ]
    for statement, code in bad:
        error = refused(conn, statement)
        if code is not None:
            assert error.status_code == code, (statement, str(error))
    assert download(server.location, "log").to_pylist() == [{"a": 1, "b": "x"}]
    assert versions(server.location, "log") == [1, 2]


def test_drop_table_drops_the_dataset(conn, server):
    assert write(conn, 'DROP TABLE "sales/2024"') == 0
    assert "sales/2024" not in dataset_names(server.location)
    assert refused(conn, 'DROP TABLE "sales/2024"').status_code == NOT_FOUND
    assert write(conn, 'DROP TABLE IF EXISTS "sales/2024"') == 0
    with pytest.raises(adbc_driver_manager.Error):
        run(conn, 'SELECT * FROM "sales/2024"')


def test_execute_update_returns_the_rows_written(conn, server):
    with conn.cursor() as cur:
        assert cur.adbc_statement is not None
        cur.adbc_statement.set_sql_query("CREATE TABLE counted AS SELECT * FROM trips "
                                         "WHERE id < 7")
        assert cur.adbc_statement.execute_update() == 7
        cur.adbc_statement.set_sql_query("SELECT 1")
        with pytest.raises(adbc_driver_manager.Error, match="CommandStatementQuery"):
            cur.adbc_statement.execute_update()
    assert download(server.location, "counted").num_rows == 7


def test_prepared_insert_with_many_parameter_rows_is_one_commit(conn, server):
    write(conn, 'CREATE TABLE "log" (a BIGINT, b VARCHAR)')
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO log VALUES (?, ?)",
                        [(i, f"row {i}") for i in range(20)])
    stored = download(server.location, "log")
    assert stored.to_pylist() == [{"a": i, "b": f"row {i}"} for i in range(20)]
    assert versions(server.location, "log") == [1, 2]


INGEST = pa.table({"k": pa.array([1, 2, 3], pa.int64()), "v": pa.array(["a", "b", "c"])})


def test_ingest_creates_appends_and_replaces(conn, server):
    with conn.cursor() as cur:
        assert cur.adbc_ingest("ingested/one", INGEST, mode="create") == 3
        assert download(server.location, "ingested/one") == INGEST
        with pytest.raises(adbc_driver_manager.Error) as exists:
            cur.adbc_ingest("ingested/one", INGEST, mode="create")
        assert exists.value.status_code == ALREADY_EXISTS
        assert cur.adbc_ingest("ingested/one", INGEST, mode="append") == 3
        assert download(server.location, "ingested/one").num_rows == 6
        assert cur.adbc_ingest("ingested/one", INGEST.slice(0, 1), mode="replace") == 1
        assert download(server.location, "ingested/one").num_rows == 1
        assert cur.adbc_ingest("ingested/two", INGEST, mode="create_append") == 3
        assert cur.adbc_ingest("ingested/two", INGEST, mode="create_append") == 3
        assert download(server.location, "ingested/two").num_rows == 6
        with pytest.raises(adbc_driver_manager.Error) as missing:
            cur.adbc_ingest("ingested/none", INGEST, mode="append")
        assert missing.value.status_code == NOT_FOUND
        # An append of another schema is refused; the dataset is unchanged.
        other = pa.table({"k": pa.array(["x"])})
        with pytest.raises(adbc_driver_manager.Error) as mismatch:
            cur.adbc_ingest("ingested/two", other, mode="append")
        assert mismatch.value.status_code == INVALID
    assert download(server.location, "ingested/two").num_rows == 6
    assert versions(server.location, "ingested/one") == [1, 2, 3]


@pytest.fixture
def secured(start_quiverd, tmp_path):
    return start_secured(start_quiverd, tmp_path, n=100)


def test_writes_need_the_writer_role_and_the_grants(secured):
    forbidden = "(?i)permission|unauthorized"
    with connect(secured, username="rita", password=PASSWORD) as conn:  # reader
        require_engine(conn)
        for statement in ['CREATE TABLE "sales/copy" AS SELECT * FROM "sales/2024"',
                          "INSERT INTO \"sales/2024\" SELECT * FROM \"sales/2024\"",
                          'DROP TABLE "sales/2024"']:
            with pytest.raises(adbc_driver_manager.Error, match=forbidden):
                run(conn, statement)
        with conn.cursor() as cur:
            with pytest.raises(adbc_driver_manager.Error, match=forbidden):
                cur.adbc_ingest("sales/new", INGEST, mode="create")
    with connect(secured, username="wally", password=PASSWORD) as conn:  # sales/ only
        assert write(conn, 'CREATE TABLE "sales/copy" AS SELECT * FROM "sales/2024"') == 5
        # Reading a dataset outside the grants is refused, even to write in them.
        with pytest.raises(adbc_driver_manager.Error, match=forbidden):
            run(conn, 'CREATE TABLE "sales/trips" AS SELECT * FROM trips')
        with pytest.raises(adbc_driver_manager.Error, match=forbidden):
            run(conn, "CREATE TABLE elsewhere AS SELECT 1 AS x")


def test_a_write_as_a_query_answers_one_count_row(conn, server):
    # CommandStatementQuery (GetFlightInfo + DoGet) runs the write at GetFlightInfo and
    # answers one row, Count, as DuckDB does.
    with conn.cursor() as cur:
        cur.adbc_statement.set_sql_query("CREATE TABLE counted AS SELECT * FROM trips "
                                         "WHERE id < 4")
        stream, _ = cur.adbc_statement.execute_query()
        import pyarrow as pa_
        table = pa_.RecordBatchReader._import_from_c(stream.address).read_all()
    assert table.to_pylist() == [{"Count": 4}]
    assert download(server.location, "counted").num_rows == 4
