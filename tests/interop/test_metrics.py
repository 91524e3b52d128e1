"""quiverd's /metrics, /healthz and /readyz (--metrics-listen), scraped before and after
known calls and parsed with prometheus_client's text parser."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pyarrow as pa
import pyarrow.flight as flight
import pytest

from conftest import S3Root, stored_bytes
from prometheus_client.parser import text_string_to_metric_families

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends

_METRICS_RE = re.compile(r"quiverd metrics listening on http://[^:\s]+:(\d+)")


def metrics_port(server):
    return int(_METRICS_RE.search(server.log()).group(1))


def fetch(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read().decode(), r.headers.get("Content-Type")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers.get("Content-Type")


def scrape(port):
    """{sample name with sorted labels: value}; a missing sample reads as 0."""
    status, text, _ = fetch(port, "/metrics")
    assert status == 200
    samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            samples[f"{s.name}{{{labels}}}" if labels else s.name] = s.value
    return Samples(samples)


class Samples(dict):
    def __missing__(self, key):
        return 0.0


def put(client, name, table):
    writer, _ = client.do_put(flight.FlightDescriptor.for_path(*name.split("/")),
                              table.schema)
    writer.write_table(table)
    writer.close()


@pytest.fixture
def server(start_quiverd):
    return start_quiverd("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0")


def test_counters_move_by_the_calls_made(server):
    port = metrics_port(server)
    client = flight.connect(server.location)
    before = scrape(port)
    table = pa.table({"x": pa.array(range(500), pa.int64())})
    put(client, "m/a", table)
    put(client, "m/b", table.slice(0, 100))
    for _ in range(3):
        assert client.do_get(flight.Ticket(b"m/a")).read_all().num_rows == 500
    with pytest.raises(pa.ArrowException):
        client.do_get(flight.Ticket(b"m/missing")).read_all()
    with pytest.raises(pa.ArrowException):
        put(client, "../bad", table)
    after = scrape(port)

    def delta(name):
        return after[name] - before[name]

    assert delta("quiver_rpc_calls_total{code=OK,method=DoPut}") == 2
    assert delta("quiver_rpc_calls_total{code=OK,method=DoGet}") == 3
    assert delta("quiver_rpc_calls_total{code=NOT_FOUND,method=DoGet}") == 1
    assert delta("quiver_rpc_calls_total{code=INVALID_ARGUMENT,method=DoPut}") == 1
    assert delta("quiver_rpc_duration_seconds_count{method=DoPut}") == 3
    assert delta("quiver_rpc_duration_seconds_count{method=DoGet}") == 4
    assert delta("quiver_rpc_duration_seconds_bucket{le=+Inf,method=DoGet}") == 4
    assert delta("quiver_rpc_duration_seconds_sum{method=DoGet}") > 0
    assert delta("quiver_received_rows_total") == 600
    assert delta("quiver_sent_rows_total") == 1500
    assert delta("quiver_received_bytes_total") >= 600 * 8
    assert delta("quiver_sent_bytes_total") >= 1500 * 8
    assert delta("quiver_uploads_failed_total") == 1
    assert delta("quiver_uploads_aborted_total") == 0
    assert after["quiver_rpc_in_flight{method=DoGet}"] == 0
    assert after["quiver_datasets"] == 2
    on_disk = sum(stored_bytes(server.root, "/".join(p.decode() for p in f.descriptor.path))
                  for f in client.list_flights())
    assert after["quiver_datasets_bytes"] == on_disk > 0
    assert after["quiver_spans_dropped_total"] == 0  # tracing is off


@pytest.mark.local_storage("the exposition format: storage plays no part")
def test_exposition_is_valid_prometheus_text(server):
    status, text, content_type = fetch(metrics_port(server), "/metrics")
    assert status == 200 and content_type.startswith("text/plain; version=0.0.4")
    families = {f.name: f.type for f in text_string_to_metric_families(text)}
    assert families["quiver_rpc_calls"] == "counter"
    assert families["quiver_rpc_duration_seconds"] == "histogram"
    assert families["quiver_rpc_in_flight"] == "gauge"
    assert families["quiver_spans_dropped"] == "counter"
    assert families["quiver_datasets_bytes"] == "gauge"


_SLOW_UPLOADER = """
import sys, time, pyarrow as pa, pyarrow.flight as flight
client = flight.connect(sys.argv[1])
table = pa.table({"x": pa.array(range(100), pa.int64())})
writer, _ = client.do_put(flight.FlightDescriptor.for_path("aborted"), table.schema)
writer.write_table(table)
print("written", flush=True)
time.sleep(600)
"""


def test_in_flight_and_aborted_upload(server, storage):
    port = metrics_port(server)
    before = scrape(port)
    uploader = subprocess.Popen([sys.executable, "-c", _SLOW_UPLOADER, server.location],
                                stdout=subprocess.PIPE, text=True)
    try:
        assert uploader.stdout.readline().strip() == "written"
        deadline = time.monotonic() + 30
        while scrape(port)["quiver_rpc_in_flight{method=DoPut}"] != 1:
            assert time.monotonic() < deadline, "the upload never showed as in flight"
            time.sleep(0.05)
    finally:
        uploader.send_signal(signal.SIGKILL)
        uploader.wait()
    deadline = time.monotonic() + 30
    while scrape(port)["quiver_uploads_aborted_total"] == before["quiver_uploads_aborted_total"]:
        assert time.monotonic() < deadline, "the abandoned upload was never counted"
        time.sleep(0.05)
    after = scrape(port)
    assert after["quiver_rpc_in_flight{method=DoPut}"] == 0
    assert after["quiver_uploads_aborted_total"] - before["quiver_uploads_aborted_total"] == 1
    assert after["quiver_datasets"] == 0
    if storage == "s3":
        # The multipart upload is aborted, never completed into an object and deleted.
        def moved(operation, name="quiver_object_store_requests_total"):
            key = f"{name}{{operation={operation}}}"
            return after[key] - before[key]
        assert moved("abort_write") == 1
        assert moved("close_write") == 0 and moved("delete") == 0
        assert sum(v for k, v in after.items()
                   if k.startswith("quiver_object_store_errors_total")) == 0


def test_health_and_readiness(start_quiverd, storage, request, tmp_path):
    """/readyz turns 503 while the root is gone (a local directory moved away, the S3
    server down) and 200 again when it is back; /healthz stays 200."""
    flags = ("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0")
    if storage == "s3":
        # A server of its own: this test stops it, the session's serves other tests.
        s3 = request.getfixturevalue("s3_server")
        server = start_quiverd(*flags, root=S3Root(s3, "ready"))
        take_away, bring_back = s3.kill, s3.restart
    else:
        server = start_quiverd(*flags)
        moved = server.root.with_name(server.root.name + "-moved")
        take_away = lambda: shutil.move(server.root, moved)  # noqa: E731
        bring_back = lambda: shutil.move(moved, server.root)  # noqa: E731
    port = metrics_port(server)
    assert fetch(port, "/healthz")[:2] == (200, "ok\n")
    assert fetch(port, "/readyz")[:2] == (200, "ready\n")
    take_away()
    try:
        status, body, _ = fetch(port, "/readyz")
        assert status == 503 and body.startswith("not ready"), (status, body)
        assert fetch(port, "/healthz")[0] == 200
    finally:
        bring_back()
    assert fetch(port, "/readyz")[0] == 200
    assert fetch(port, "/nope")[0] == 404


@pytest.mark.local_storage("a flag check: storage plays no part")
def test_metrics_listen_rejects_a_bad_address(start_quiverd):
    with pytest.raises(RuntimeError, match="HOST:PORT|Invalid"):
        start_quiverd("--listen", "127.0.0.1:0", "--metrics-listen", "no-port")
