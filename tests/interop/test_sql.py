"""Flight SQL over quiver's datasets with the real ADBC Flight SQL driver (DBAPI):
the catalog (adbc_get_objects, adbc_get_table_schema, table types, info), the grants
applied to it, and the refusals (docs/sql.md). This build links no SQL engine:
statements are refused with UNIMPLEMENTED saying so."""
import datetime
import decimal

import adbc_driver_flightsql.dbapi as flight_sql
import adbc_driver_manager
import pyarrow as pa
import pyarrow.flight as fl
import pytest

from security_util import PASSWORD, add_user


def tables():
    n = 100
    return {
        "trips": pa.table({
            "id": pa.array(range(n), pa.int64()),
            "city": pa.array([["paris", "rome", "oslo", None][i % 4] for i in range(n)]),
            "fare": pa.array([i * 0.25 for i in range(n)], pa.float64()),
            "at": pa.array([datetime.datetime(2024, 1, 1) + datetime.timedelta(hours=i)
                            for i in range(n)], pa.timestamp("us", tz="UTC")),
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


def table_names(conn):
    objects = conn.adbc_get_objects(depth="tables").read_all().to_pylist()
    return [t["table_name"] for c in objects for s in (c["catalog_db_schemas"] or [])
            for t in (s["db_schema_tables"] or [])]


@pytest.fixture
def server(quiverd):
    for name, table in tables().items():
        upload(quiverd.location, name, table)
    return quiverd


@pytest.fixture
def conn(server):
    with connect(server) as connection:
        yield connection


def test_get_objects_lists_the_datasets(conn):
    objects = conn.adbc_get_objects(depth="all").read_all().to_pylist()
    assert [c["catalog_name"] for c in objects] == ["quiver"]
    schemas = objects[0]["catalog_db_schemas"]
    assert [s["db_schema_name"] for s in schemas] == ["main"]
    by_name = {t["table_name"]: t for t in schemas[0]["db_schema_tables"]}
    assert sorted(by_name) == ["sales/2024", "trips"]
    assert by_name["trips"]["table_type"] == "TABLE"
    columns = [c["column_name"] for c in by_name["trips"]["table_columns"]]
    assert columns == ["id", "city", "fare", "at"]
    # Filters are SQL LIKE patterns.
    only = conn.adbc_get_objects(depth="tables", table_name_filter="sales%").read_all()
    assert table_names_of(only) == ["sales/2024"]


def table_names_of(objects):
    return [t["table_name"] for c in objects.to_pylist() for s in c["catalog_db_schemas"]
            for t in s["db_schema_tables"]]


def test_get_table_schema_is_the_dataset_schema(conn):
    for name, table in tables().items():
        schema = conn.adbc_get_table_schema(name)
        assert schema.names == table.schema.names
        assert [f.type for f in schema] == [f.type for f in table.schema]


def test_catalog_follows_the_store(conn, server):
    upload(server.location, "later/one", tables()["trips"].slice(0, 3))
    assert "later/one" in table_names(conn)
    client = fl.connect(server.location)
    list(client.do_action(fl.Action("drop_dataset", b"later/one")))
    client.close()
    assert "later/one" not in table_names(conn)


def test_table_types_and_info(conn):
    assert conn.adbc_get_table_types() == ["TABLE"]
    info = conn.adbc_get_info()
    assert info["vendor_name"] == "quiver"
    assert info["vendor_arrow_version"] == pa.__version__  # the wheel quiverd links


@pytest.mark.skip(reason="the engine is linked on this branch: see test_sql_queries.py")
def test_statements_are_refused_saying_why(server, conn):
    with conn.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error,
                           match="built without the SQL engine") as refused:
            cur.execute('SELECT count(*) FROM "sales/2024"')
            cur.fetch_arrow_table()
    assert refused.value.status_code == adbc_driver_manager.AdbcStatusCode.NOT_IMPLEMENTED
    # The storage RPCs are unaffected.
    client = fl.connect(server.location)
    info = client.get_flight_info(fl.FlightDescriptor.for_path("sales", "2024"))
    assert info.total_records == 5
    client.close()


def test_writes_are_unimplemented(conn):
    with conn.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error):
            cur.adbc_ingest("new_table", tables()["trips"], mode="create")
    assert "new_table" not in table_names(conn)


def field(number, payload):
    """A length-delimited protobuf field (payloads here are < 128 bytes)."""
    return bytes([number << 3 | 2, len(payload)]) + payload


def test_hostile_commands_are_invalid_and_the_server_keeps_serving(server):
    client = fl.connect(server.location)
    url = b"type.googleapis.com/arrow.flight.protocol.sql."
    query = field(1, url + b"CommandStatementQuery")
    hostile = [
        field(1, url + b"CommandGetTables")[:-4],                   # truncated type URL
        field(1, b"type.googleapis.com/google.protobuf.Empty"),     # not Flight SQL
        query + field(2, b"\x0a\x09abc"),                            # truncated query
        query + field(2, b"\x08\x05"),                               # wrong wire type
        field(1, url + b"CommandDropEverything"),                   # no such command
    ]
    for cmd in hostile:
        # INVALID_ARGUMENT: pyarrow raises it as ArrowInvalid.
        with pytest.raises(pa.ArrowInvalid):
            client.get_flight_info(fl.FlightDescriptor.for_command(cmd))
    # quiver's own JSON commands keep their meaning.
    info = client.get_flight_info(fl.FlightDescriptor.for_command(b'{"dataset": "trips"}'))
    assert info.total_records == 100
    client.close()


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


def test_a_reader_sees_only_the_datasets_granted(secured):
    with connect(secured, username="rita", password=PASSWORD) as conn:
        assert table_names(conn) == ["sales/2024"]  # trips: no grant, not listed
        assert conn.adbc_get_table_schema("sales/2024").names == ["item", "qty", "price"]
    with connect(secured, username="writer", password=PASSWORD) as conn:
        assert sorted(table_names(conn)) == ["sales/2024", "trips"]


def test_wrong_password_is_refused(secured):
    with pytest.raises(adbc_driver_manager.Error):
        with connect(secured, username="rita", password="wrong") as conn:
            table_names(conn)


def test_no_sql_flag_refuses_flight_sql(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--no-sql")
    with connect(server) as conn:
        with pytest.raises(adbc_driver_manager.Error, match="not enabled"):
            table_names(conn)
