"""The quiver CLI sends its trace context: quiverd's spans join the CLI's trace."""
import pyarrow as pa
import pyarrow.parquet as pq

from otlp_receiver import OtlpReceiver
import quiver_cli


def test_cli_calls_and_server_spans_share_one_trace(start_quiverd, tmp_path):
    receiver = OtlpReceiver()
    try:
        otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
                "OTEL_BSP_SCHEDULE_DELAY": "100"}
        server = start_quiverd("--listen", "127.0.0.1:0", env=otel)
        data = tmp_path / "traced.parquet"
        pq.write_table(pa.table({"x": list(range(100))}), data)
        env = quiver_cli.cli_env(tmp_path / "config", server=server.location, **otel)
        done = quiver_cli.run(["put", data, "--name", "traced"], env)
        assert done.returncode == 0, done.stderr

        def pair(spans):
            clients = [s for s in spans if s["name"].startswith("client.")
                       and "DoPut" in s["name"]]
            for client in clients:
                for s in spans:
                    if (s["traceId"] == client["traceId"] and s.get("parentSpanId") ==
                            client["spanId"] and not s["name"].startswith("client.")):
                        return client, s
            return None

        client_span, server_span = receiver.wait_for(pair)
        assert server_span["name"].endswith("DoPut")
        assert server_span["traceId"] == client_span["traceId"]
    finally:
        receiver.stop()
