"""A root written by quiverd 0.1.0 (one Parquet file per dataset, plus the temporary
file of an upload that a crash interrupted) is migrated in place at start-up into
version 1 of each dataset, losing nothing, and idempotently."""
import json
import shutil

import pyarrow as pa
import pyarrow.flight

from conftest import stored_versions, uncommitted_files
from legacy_fixture import tables

import pathlib

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "legacy-root"


def test_a_root_of_the_previous_release_is_migrated(start_quiverd, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(FIXTURE, root)
    expected = tables()
    for run in range(2):  # the second start finds nothing left to do
        server = start_quiverd("--listen", "127.0.0.1:0", root=root)
        client = pa.flight.connect(server.location)
        listed = sorted("/".join(p.decode() for p in f.descriptor.path)
                        for f in client.list_flights())
        assert listed == sorted(expected)
        for name, table in expected.items():
            info = client.get_flight_info(
                pa.flight.FlightDescriptor.for_path(*name.split("/")))
            meta = json.loads(info.app_metadata)
            assert (meta["version"], meta["operation"]) == (1, "migrate"), name
            got = client.do_get(info.endpoints[0].ticket).read_all()
            assert got.equals(table), name
            assert len(stored_versions(root, name)) == 1
        assert uncommitted_files(root) == []
        assert server.stop() == 0
        if run == 0:
            assert f"migrated {len(expected)} one-file datasets" in server.log()
        else:
            assert "migrated 0 one-file datasets" in server.log()
    # And the migrated datasets live on as versioned ones.
    server = start_quiverd("--listen", "127.0.0.1:0", root=root)
    client = pa.flight.connect(server.location)
    more = pa.table([["Yoshi"]], names=["Character"])
    writer, _ = client.do_put(pa.flight.FlightDescriptor.for_command(
        b'{"dataset": "uploaded.parquet", "mode": "append"}'), more.schema)
    writer.write_table(more)
    writer.close()
    got = client.do_get(pa.flight.Ticket(b"uploaded.parquet")).read_all()
    assert got.column("Character").to_pylist() == ["Mario", "Luigi", "Peach", "Yoshi"]
