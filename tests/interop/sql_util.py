"""What the Flight SQL tests share: the datasets they load, uploads, ADBC connections,
running a statement, and telling whether quiverd was built with the SQL engine."""
import datetime
import decimal

import adbc_driver_flightsql.dbapi as flight_sql
import adbc_driver_manager
import duckdb
import pyarrow as pa
import pyarrow.flight as fl
import pytest

from security_util import PASSWORD, add_user

ENGINE_MISSING = "built without the SQL engine"


def tables(n=1000):
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


def download(location, name, headers=()):
    """The dataset as a plain Flight client reads it (GetFlightInfo + DoGet)."""
    client = fl.connect(location)
    options = fl.FlightCallOptions(headers=list(headers))
    info = client.get_flight_info(fl.FlightDescriptor.for_path(*name.split("/")), options)
    table = client.do_get(info.endpoints[0].ticket, options).read_all()
    client.close()
    return table


def dataset_names(location):
    client = fl.connect(location)
    names = sorted("/".join(p.decode() if isinstance(p, bytes) else p
                            for p in f.descriptor.path) for f in client.list_flights())
    client.close()
    return names


@pytest.fixture
def server(quiverd):
    """A quiverd holding the datasets of tables() (import this fixture by name)."""
    for name, table in tables().items():
        upload(quiverd.location, name, table)
    return quiverd


def connect(server, **db_kwargs):
    return flight_sql.connect(uri=server.location, db_kwargs=db_kwargs)


def run(conn, query, parameters=None):
    with conn.cursor() as cur:
        cur.execute(query, parameters)
        return cur.fetch_arrow_table()


def oracle(query, datasets=None):
    """The same query run by DuckDB in process over the same pyarrow tables."""
    con = duckdb.connect()
    for name, table in (datasets or tables()).items():
        con.register(name, table)
    return con.sql(query).to_arrow_table()


def has_engine(conn):
    """Whether quiverd runs statements (it says so when it was built without)."""
    with conn.cursor() as cur:
        try:
            cur.execute("SELECT 1")
            cur.fetch_arrow_table()
        except adbc_driver_manager.Error as e:
            if ENGINE_MISSING in str(e):
                return False
            raise
    return True


def require_engine(conn):
    if not has_engine(conn):
        pytest.skip("quiverd was built without the SQL engine (scripts/duckdb.sh)")
    return conn


def start_secured(start_quiverd, tmp_path, n=1000):
    """A quiverd with users: writer (writer role), rita (reader granted sales/),
    wally (writer granted sales/), holding the test datasets."""
    users = tmp_path / "users.json"
    add_user(users, "writer", "writer")
    add_user(users, "rita", "reader", grants=["sales"])
    add_user(users, "wally", "writer", grants=["sales"])
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users))
    client = fl.connect(server.location)
    token = client.authenticate_basic_token("writer", PASSWORD)
    client.close()
    for name, table in tables(n).items():
        upload(server.location, name, table, headers=[token])
    return server
