"""Flight SQL over quiver's datasets with the real ADBC Flight SQL driver (DBAPI):
the catalog (adbc_get_objects, adbc_get_table_schema, table types, info), the grants
applied to it, the protocol's refusals, and what a quiverd without the SQL engine
answers (docs/sql.md)."""
import adbc_driver_manager
import pyarrow as pa
import pyarrow.flight as fl
import pytest

from security_util import PASSWORD
from sql_util import connect, has_engine, start_secured, tables, upload


def table_names(conn):
    objects = conn.adbc_get_objects(depth="tables").read_all().to_pylist()
    return [t["table_name"] for c in objects for s in (c["catalog_db_schemas"] or [])
            for t in (s["db_schema_tables"] or [])]


@pytest.fixture
def server(quiverd):
    for name, table in tables(100).items():
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
    for name, table in tables(100).items():
        schema = conn.adbc_get_table_schema(name)
        assert schema.names == table.schema.names
        assert [f.type for f in schema] == [f.type for f in table.schema]


def test_catalog_follows_the_store(conn, server):
    upload(server.location, "later/one", tables(100)["trips"].slice(0, 3))
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


def test_statements_are_refused_saying_why(server, conn):
    if has_engine(conn):
        pytest.skip("this quiverd has the SQL engine: test_sql_queries.py tests it")
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
    return start_secured(start_quiverd, tmp_path, n=100)


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
