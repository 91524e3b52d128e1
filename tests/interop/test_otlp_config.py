"""quiverd configured for OTLP the way operators do it: the standard OTEL_* variables
for headers, endpoints, sampling, and the exporter's retries against a collector that
asks it to back off. Spans are decoded by the official opentelemetry-proto classes."""
import os
import time

import pyarrow.flight as flight
import pytest
from opentelemetry.sdk.trace.sampling import Decision, TraceIdRatioBased

from otlp_receiver import OtlpReceiver, attributes

SERVICE = "arrow.flight.protocol.FlightService"


@pytest.fixture
def receiver():
    r = OtlpReceiver()
    yield r
    r.stop()


def list_flights(server, traceparent=None):
    options = None
    if traceparent:
        options = flight.FlightCallOptions(headers=[(b"traceparent", traceparent.encode())])
    list(flight.connect(server.location).list_flights(options=options))


def names(spans):
    return [s["name"] for s in spans]


def test_headers_and_traces_endpoint(start_quiverd, receiver):
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9/unused",
           "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"{receiver.endpoint}/custom/traces",
           "OTEL_EXPORTER_OTLP_HEADERS": "api-key=general,x-team=storage",
           "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "api-key=for%20traces",
           "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf",
           "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
           "OTEL_RESOURCE_ATTRIBUTES": "service.name=from-attrs,host.name=h1",
           "OTEL_BSP_SCHEDULE_DELAY": "50"}
    server = start_quiverd("--listen", "127.0.0.1:0", env=env)
    list_flights(server)
    receiver.wait_for(lambda spans: spans)
    path, ctype = receiver.requests[0]
    assert path == "/custom/traces"            # the traces endpoint is used as is
    assert ctype == "application/x-protobuf"   # the _TRACES_ protocol wins
    headers = receiver.headers[0]
    assert headers["api-key"] == "for traces"  # _TRACES_ headers replace, decoded
    assert "x-team" not in headers
    resource = receiver.spans[0][0]
    assert resource["service.name"] == "from-attrs"
    assert resource["host.name"] == "h1"
    assert "OTLP/HTTP (http/protobuf)" in server.log()


def test_retries_honour_retry_after(start_quiverd):
    receiver = OtlpReceiver(fail_first=2, fail_status=503, retry_after=1)
    try:
        server = start_quiverd("--listen", "127.0.0.1:0",
                               env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
                                    "OTEL_BSP_SCHEDULE_DELAY": "50"})
        list_flights(server)
        spans = receiver.wait_for(lambda spans: spans)
        assert names(spans) == [f"{SERVICE}/ListFlights"]
        assert len(receiver.requests) == 3  # two refusals, then the same batch again
        assert receiver.times[1] - receiver.times[0] >= 0.9
        assert receiver.times[2] - receiver.times[1] >= 0.9
        assert "export failed" not in server.log()
    finally:
        receiver.stop()


def test_retries_are_bounded_and_never_block_calls(start_quiverd):
    receiver = OtlpReceiver(fail_first=1000, fail_status=429)
    try:
        server = start_quiverd("--listen", "127.0.0.1:0",
                               env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
                                    "OTEL_EXPORTER_OTLP_TIMEOUT": "1500",
                                    "OTEL_BSP_SCHEDULE_DELAY": "50"})
        start = time.monotonic()
        for _ in range(20):
            list_flights(server)
        assert time.monotonic() - start < 5  # calls never wait for the exporter
        deadline = time.monotonic() + 20
        while "export failed" not in server.log():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "HTTP 429" in server.log()
        # Within the 1.5 s timeout, 1 s then 2 s of back-off allow two attempts.
        first_batch = [t for t in receiver.times if t - receiver.times[0] < 1.6]
        assert 2 <= len(first_batch) <= 3
    finally:
        receiver.stop()


def test_parentbased_always_off_records_only_sampled_callers(start_quiverd, receiver):
    server = start_quiverd("--listen", "127.0.0.1:0",
                           env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
                                "OTEL_TRACES_SAMPLER": "parentbased_always_off",
                                "OTEL_BSP_SCHEDULE_DELAY": "50"})
    list_flights(server)  # root: not recorded
    sampled = "00-7bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    list_flights(server, sampled)
    spans = receiver.wait_for(lambda spans: spans)
    server.stop()
    assert [s["traceId"] for _, s in receiver.spans] == [sampled[3:35]]
    # The unsampled root call still has a trace id in the access log.
    assert server.log().count("trace_id=") >= 2
    assert "trace_id=-" not in server.log()


def test_traceidratio_keeps_the_same_traces_as_the_python_sdk(start_quiverd, receiver):
    server = start_quiverd("--listen", "127.0.0.1:0",
                           env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
                                "OTEL_TRACES_SAMPLER": "traceidratio",
                                "OTEL_TRACES_SAMPLER_ARG": "0.5",
                                "OTEL_BSP_SCHEDULE_DELAY": "50"})
    python_sampler = TraceIdRatioBased(0.5)
    expected = set()
    sent = []
    for _ in range(40):
        trace_id = os.urandom(16).hex()
        sent.append(trace_id)
        # The parent's sampled flag is ignored by a non-parent-based sampler.
        list_flights(server, f"00-{trace_id}-00f067aa0ba902b7-00")
        decision = python_sampler.should_sample(None, int(trace_id, 16), "x").decision
        if decision == Decision.RECORD_AND_SAMPLE:
            expected.add(trace_id)
    assert 0 < len(expected) < 40
    server.stop()  # flushes what is queued
    got = {s["traceId"] for _, s in receiver.spans}
    assert got == expected
    assert all(attributes(s["attributes"])["rpc.method"] == "ListFlights"
               for _, s in receiver.spans)


def test_always_off_exports_nothing(start_quiverd, receiver):
    server = start_quiverd("--listen", "127.0.0.1:0",
                           env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
                                "OTEL_TRACES_SAMPLER": "always_off",
                                "OTEL_BSP_SCHEDULE_DELAY": "50"})
    list_flights(server, "00-7bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    list_flights(server)
    assert server.stop() == 0
    assert receiver.requests == []


@pytest.mark.parametrize("env,named", [
    ({"OTEL_TRACES_SAMPLER": "sometimes"}, "OTEL_TRACES_SAMPLER"),
    ({"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "2"},
     "OTEL_TRACES_SAMPLER_ARG"),
    ({"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc",
      "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"},
     "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")])
def test_unusable_values_stop_quiverd_at_start(start_quiverd, env, named):
    with pytest.raises(RuntimeError, match=named):
        start_quiverd("--listen", "127.0.0.1:0", env=env)
