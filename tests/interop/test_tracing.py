"""Traces across client and server: the cookbook's "Propagating OpenTelemetry Traces"
client middleware under a parent span, quiverd exporting OTLP/HTTP (protobuf and JSON)
to a receiver started by the test."""
import json
import re
import socket
import statistics
import time

import pyarrow as pa
import pyarrow.flight as flight
import pytest
from opentelemetry import trace
from opentelemetry.propagate import inject
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace.status import StatusCode

from otlp_receiver import OtlpReceiver, attributes

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends

SERVICE = "arrow.flight.protocol.FlightService"


# --- the cookbook's client middleware and test exporter ------------------------------
class ClientTracingMiddlewareFactory(flight.ClientMiddlewareFactory):
    def __init__(self):
        self._tracer = trace.get_tracer(__name__)

    def start_call(self, info):
        span = self._tracer.start_span(f"client.{info.method}")
        return ClientTracingMiddleware(span)


class ClientTracingMiddleware(flight.ClientMiddleware):
    def __init__(self, span):
        self._span = span

    def sending_headers(self):
        ctx = trace.set_span_in_context(self._span)
        carrier = {}
        inject(carrier=carrier, context=ctx)
        return carrier

    def call_completed(self, exception):
        if exception:
            self._span.record_exception(exception)
            self._span.set_status(StatusCode.ERROR)
        else:
            self._span.set_status(StatusCode.OK)
        self._span.end()


class TestSpanExporter(SpanExporter):
    __test__ = False  # the cookbook's name, not a test class
    def __init__(self):
        self.spans = []

    def export(self, spans):
        self.spans.extend(spans)
        return SpanExportResult.SUCCESS


_EXPORTER = None


def client_exporter():
    """The process-wide OpenTelemetry SDK provider (it can be set only once)."""
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = TestSpanExporter()
        provider = TracerProvider(resource=Resource(attributes={SERVICE_NAME: "pytest"}))
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    return _EXPORTER


# --- helpers -------------------------------------------------------------------------
def sample_table(n=1000):
    return pa.table({"id": pa.array(range(n), pa.int64()),
                     "name": pa.array([f"row-{i}" for i in range(n)])})


def put(client, name, table):
    descriptor = flight.FlightDescriptor.for_path(*name.split("/"))
    writer, _ = client.do_put(descriptor, table.schema)
    writer.write_table(table, max_chunksize=250)
    writer.close()


def get(client, name):
    return client.do_get(flight.Ticket(name.encode())).read_all()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hex_id(value, width):
    return format(value, f"0{width}x")


def by_id(spans):
    return {span["spanId"]: span for span in spans}


@pytest.fixture
def receiver():
    r = OtlpReceiver()
    yield r
    r.stop()


# The OTLP protocols and the Content-Type each must arrive with; None: the default.
PROTOCOLS = {"http/protobuf": "application/x-protobuf", "http/json": "application/json",
             None: "application/x-protobuf"}


def start_traced(start_quiverd, receiver, protocol=None, **extra_env):
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
           "OTEL_SERVICE_NAME": "quiverd-under-test",
           "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=test",
           "OTEL_BSP_SCHEDULE_DELAY": "100", **extra_env}
    if protocol:
        env["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol
    return start_quiverd("--listen", "127.0.0.1:0", env=env)


@pytest.fixture
def traced_quiverd(start_quiverd, receiver):
    return start_traced(start_quiverd, receiver)


# --- tests ---------------------------------------------------------------------------
@pytest.mark.parametrize("protocol", list(PROTOCOLS))
def test_server_spans_join_the_client_trace(start_quiverd, receiver, protocol, storage):
    server = start_traced(start_quiverd, receiver, protocol)
    _spans_join_the_client_trace(server, receiver, PROTOCOLS[protocol], storage == "s3")


def _spans_join_the_client_trace(traced_quiverd, receiver, content_type, object_store):
    """`object_store`: the root is in S3, whose requests are spans of their own."""
    exporter = client_exporter()
    client = flight.connect(traced_quiverd.location,
                            middleware=[ClientTracingMiddlewareFactory()])
    table = sample_table()
    tracer = trace.get_tracer(__name__)
    with tracer.start_as_current_span("test-parent") as parent:
        put(client, "traced/one", table)
        assert get(client, "traced/one").equals(table)
        with pytest.raises(pa.ArrowException):
            get(client, "traced/missing")
    trace_id = hex_id(parent.get_span_context().trace_id, 32)
    client_spans = {s.name: s for s in exporter.spans
                    if s.context.trace_id == parent.get_span_context().trace_id}
    put_client = client_spans["client.FlightMethod.DO_PUT"]

    def complete(spans):
        mine = [s for s in spans if s["traceId"] == trace_id]
        names = [s["name"] for s in mine]
        wanted = [f"{SERVICE}/DoPut", "parquet.write", "commit", "parquet.read"]
        if object_store:
            wanted += ["object_store.create_exclusive", "object_store.read"]
        if all(w in names for w in wanted) and names.count(f"{SERVICE}/DoGet") == 2:
            return mine
        return None

    spans = receiver.wait_for(complete)
    assert all(s["traceId"] == trace_id for s in spans)
    ids = by_id(spans)

    # DoPut: a SERVER span whose parent is the client's span, with RPC attributes.
    do_put = next(s for s in spans if s["name"] == f"{SERVICE}/DoPut")
    assert do_put["parentSpanId"] == hex_id(put_client.context.span_id, 16)
    assert do_put["kind"] == 2
    assert do_put["status"]["code"] == 1
    attrs = attributes(do_put["attributes"])
    assert attrs["rpc.system"] == "grpc"
    assert attrs["rpc.service"] == SERVICE
    assert attrs["rpc.method"] == "DoPut"
    assert attrs["rpc.grpc.status_code"] == 0
    assert attrs["quiver.dataset"] == "traced/one"
    assert attrs["quiver.rows"] == table.num_rows
    assert attrs["quiver.bytes"] > 0

    # Its storage work appears as children.
    children = {s["name"]: s for s in spans if s.get("parentSpanId") == do_put["spanId"]}
    assert {"parquet.write", "commit"} <= set(children)
    write_attrs = attributes(children["parquet.write"]["attributes"])
    assert write_attrs["quiver.rows"] == table.num_rows
    assert write_attrs["quiver.dataset"] == "traced/one"
    assert int(children["commit"]["startTimeUnixNano"]) >= int(
        children["parquet.write"]["startTimeUnixNano"])
    for child in children.values():
        assert int(do_put["startTimeUnixNano"]) <= int(child["startTimeUnixNano"])
        assert int(child["endTimeUnixNano"]) <= int(do_put["endTimeUnixNano"])

    # DoGet: parquet.read child carrying the rows read.
    gets = [s for s in spans if s["name"] == f"{SERVICE}/DoGet"]
    ok_get = next(s for s in gets if s["status"]["code"] == 1)
    assert attributes(ok_get["attributes"])["quiver.rows"] == table.num_rows
    read = next(s for s in spans if s["name"] == "parquet.read")
    assert ids[read["parentSpanId"]] is ok_get
    assert attributes(read["attributes"])["quiver.rows"] == table.num_rows

    # On S3, each object-store request made on the call's thread is a span under the
    # storage step that made it: the part's uploads under parquet.write, the manifest's
    # conditional PUT under commit, the part's reads under parquet.read; all of them
    # inside the RPC. A local root makes none.
    def ancestors(span):
        while span.get("parentSpanId") in ids:
            span = ids[span["parentSpanId"]]
            yield span
    requests = [s for s in spans if s["name"].startswith("object_store.")]
    if object_store:
        def under(name, step):
            found = [s for s in requests if s["name"] == f"object_store.{name}"]
            assert found, f"no object_store.{name} span"
            for s in found:
                names = [a["name"] for a in ancestors(s)]
                assert step in names, (name, names)
            return found
        under("write", "parquet.write")
        under("create_exclusive", "commit")
        reads = under("read", "parquet.read")
        assert sum(attributes(s["attributes"]).get("quiver.bytes", 0) for s in reads) > 0
        assert all(any(a["name"].startswith(SERVICE) for a in ancestors(s))
                   for s in requests)
    else:
        assert requests == []

    # The failed call: an error span with the gRPC code and an exception event.
    failed = next(s for s in gets if s["status"]["code"] == 2)
    failed_attrs = attributes(failed["attributes"])
    assert failed_attrs["rpc.grpc.status_code"] == 5  # NOT_FOUND
    assert "traced/missing" in failed["status"]["message"]
    assert any(e["name"] == "exception" for e in failed.get("events", []))
    assert ids.get(failed["parentSpanId"]) is None  # parent is the client's span
    assert failed["parentSpanId"] in {hex_id(s.context.span_id, 16)
                                      for s in exporter.spans}

    # Resource from the OTEL_* variables; the exporter spoke the protocol asked for.
    resource = next(res for res, s in receiver.spans if s["traceId"] == trace_id)
    assert resource["service.name"] == "quiverd-under-test"
    assert resource["deployment.environment"] == "test"
    assert all(path == "/v1/traces" and ctype == content_type
               for path, ctype in receiver.requests)

    # The access log carries the trace id.
    assert re.search(rf"rpc method=DoPut .*trace_id={trace_id}", traced_quiverd.log())


@pytest.mark.local_storage("a call that touches no storage")
def test_root_span_without_trace_context(traced_quiverd, receiver):
    client = flight.connect(traced_quiverd.location)
    list(client.list_flights())
    span = receiver.wait_for(lambda spans: next(
        (s for s in spans if s["name"] == f"{SERVICE}/ListFlights"), None))
    assert "parentSpanId" not in span or not span["parentSpanId"]
    assert re.fullmatch(r"[0-9a-f]{32}", span["traceId"])
    assert f"trace_id={span['traceId']}" in traced_quiverd.log()


@pytest.mark.local_storage("calls that touch no storage")
def test_unsampled_parent_is_not_recorded(traced_quiverd, receiver):
    client = flight.connect(traced_quiverd.location)
    unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
    sampled = "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    for header in (unsampled, sampled):
        options = flight.FlightCallOptions(headers=[(b"traceparent", header.encode())])
        list(client.list_flights(options=options))
    span = receiver.wait_for(lambda spans: next(
        (s for s in spans if s["traceId"] == sampled[3:35]), None))
    assert span["parentSpanId"] == "00f067aa0ba902b7"
    assert not [s for s in receiver.spans if s[1]["traceId"] == unsampled[3:35]]
    # Both calls are still logged with the caller's trace id.
    assert f"trace_id={unsampled[3:35]}" in traced_quiverd.log()


def timed_calls(location, rounds=20):
    client = flight.connect(location)
    table = sample_table(200)
    durations = []
    for i in range(rounds):
        start = time.perf_counter()
        put(client, f"timing/t{i}", table)
        assert get(client, f"timing/t{i}").num_rows == table.num_rows
        durations.append(time.perf_counter() - start)
    return durations


@pytest.mark.local_storage("the exporter: storage plays no part")
def test_unreachable_collector_never_fails_or_slows_calls(start_quiverd):
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{closed_port()}",
           "OTEL_BSP_SCHEDULE_DELAY": "50"}
    dead = start_quiverd("--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                         env=env)
    off = start_quiverd("--listen", "127.0.0.1:0")
    dead_durations = timed_calls(dead.location)
    off_durations = timed_calls(off.location)
    dead_median = statistics.median(dead_durations)
    off_median = statistics.median(off_durations)
    print(f"median put+get: tracing to a dead collector {dead_median * 1e3:.2f} ms, "
          f"tracing off {off_median * 1e3:.2f} ms")
    # Generous bound: export happens on a background thread; this only catches an
    # RPC waiting for the collector (a connect or export timeout is >= 1 s).
    assert dead_median < off_median * 5 + 0.5

    # The spans were dropped and counted, not queued forever.
    from test_metrics import metrics_port, scrape
    port = metrics_port(dead)
    deadline = time.monotonic() + 30
    while scrape(port)["quiver_spans_dropped_total"] == 0:
        assert time.monotonic() < deadline, "dropped spans were never counted"
        time.sleep(0.05)
    assert "export failed" in dead.log()


@pytest.mark.local_storage("the log format: storage plays no part")
def test_json_log_lines_carry_the_trace_id(start_quiverd, receiver):
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint}
    server = start_quiverd("--listen", "127.0.0.1:0", "--log-format", "json", env=env)
    client = flight.connect(server.location)
    header = "00-6bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    options = flight.FlightCallOptions(headers=[(b"traceparent", header.encode())])
    put(client, "logged", sample_table(10))
    with pytest.raises(pa.ArrowException):
        client.get_flight_info(flight.FlightDescriptor.for_path("nope"), options=options)
    server.stop()
    lines = [json.loads(line) for line in server.log().splitlines() if line.strip()]
    assert all({"ts", "level", "msg"} <= set(line) for line in lines)
    rpcs = [line for line in lines if line["msg"] == "rpc"]
    put_line = next(line for line in rpcs if line["method"] == "DoPut")
    assert put_line["dataset"] == "logged" and put_line["rows"] == 10
    assert put_line["code"] == "OK" and re.fullmatch(r"[0-9a-f]{32}", put_line["trace_id"])
    info_line = next(line for line in rpcs if line["method"] == "GetFlightInfo")
    assert info_line["trace_id"] == header[3:35]
    assert info_line["code"] == "NOT_FOUND" and info_line["level"] == "warning"
    assert re.fullmatch(r"[0-9a-f]{16}", info_line["span_id"])
    assert info_line["span_id"] != header[36:52]  # quiverd's span, not the caller's


@pytest.mark.local_storage("configuration: storage plays no part")
def test_flags_win_over_variables(start_quiverd, receiver):
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{closed_port()}",
           "OTEL_SERVICE_NAME": "from-env",
           "OTEL_BSP_SCHEDULE_DELAY": "100"}
    server = start_quiverd("--listen", "127.0.0.1:0",
                           "--otlp-endpoint", f"{receiver.endpoint}/v1/traces",
                           "--service-name", "from-flag", env=env)
    list(flight.connect(server.location).list_flights())
    receiver.wait_for(lambda spans: spans)
    assert {res["service.name"] for res, _ in receiver.spans} == {"from-flag"}

    silent = start_quiverd("--listen", "127.0.0.1:0", "--traces-exporter", "none",
                           env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint})
    list(flight.connect(silent.location).list_flights())
    assert "tracing: exporting" not in silent.log()
    assert "tracing: exporting" in server.log()


@pytest.mark.parametrize("env", [{"OTEL_TRACES_EXPORTER": "zipkin"},
                                 {"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
                                  "OTEL_TRACES_EXPORTER": "otlp"},
                                 {"OTEL_BSP_MAX_QUEUE_SIZE": "lots"}])
@pytest.mark.local_storage("configuration: storage plays no part")
def test_unusable_variables_stop_quiverd_at_start(start_quiverd, env):
    with pytest.raises(RuntimeError, match=next(iter(env))):
        start_quiverd("--listen", "127.0.0.1:0", env=env)
