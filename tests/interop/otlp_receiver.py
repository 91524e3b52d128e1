"""A minimal OTLP/HTTP trace receiver for tests: collects the spans POSTed to it.

Bodies are decoded by the real decoders: `json` for `application/json`, and the
official `opentelemetry-proto` protobuf classes for `application/x-protobuf`. Protobuf
requests are turned into the OTLP JSON mapping (hex ids, lowerCamelCase names) so that
tests read spans the same way whichever protocol the exporter spoke."""
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest, ExportTraceServiceResponse)

JSON = "application/json"
PROTOBUF = "application/x-protobuf"


def _attribute_value(value):
    for kind in ("stringValue", "boolValue", "doubleValue"):
        if kind in value:
            return value[kind]
    if "intValue" in value:
        return int(value["intValue"])
    raise AssertionError(f"unexpected attribute value {value!r}")


def attributes(items):
    """OTLP attribute list -> dict."""
    return {item["key"]: _attribute_value(item["value"]) for item in items or []}


def _hex(b64):
    return base64.b64decode(b64).hex()


def decode_protobuf(body):
    """An ExportTraceServiceRequest in protobuf -> the OTLP JSON mapping as a dict."""
    message = ExportTraceServiceRequest.FromString(body)
    payload = MessageToDict(message, use_integers_for_enums=True)
    for rs in payload.get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            for span in ss.get("spans", []):
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in span:
                        span[key] = _hex(span[key])
                span.setdefault("status", {}).setdefault("code", 0)
    return payload


class OtlpReceiver:
    """Listens on 127.0.0.1 (free port) and keeps every span with its resource.

    `fail_first` requests are answered `fail_status` (with `Retry-After: retry_after`
    when given) before the receiver starts accepting, to exercise the exporter's
    retries."""

    def __init__(self, fail_first=0, fail_status=503, retry_after=None):
        self.spans = []  # (resource attributes dict, span dict)
        self.requests = []  # (path, content type)
        self.errors = []  # bodies that could not be decoded
        self.times = []  # arrival of every request (time.monotonic())
        self.headers = []  # the request headers, lower-cased names -> value
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self, status, content_type, body, headers=()):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ctype = self.headers.get("Content-Type")
                with receiver._lock:
                    receiver.times.append(time.monotonic())
                    receiver.requests.append((self.path, ctype))
                    receiver.headers.append({k.lower(): v for k, v in self.headers.items()})
                    if len(receiver.times) <= fail_first:
                        extra = [("Retry-After", str(retry_after))] if retry_after else []
                        self._answer(fail_status, "text/plain", b"try later", extra)
                        return
                try:
                    if ctype == JSON:
                        payload = json.loads(body)
                    elif ctype == PROTOBUF:
                        payload = decode_protobuf(body)
                    else:
                        self._answer(415, "text/plain", b"unsupported content type")
                        return
                except Exception as error:  # noqa: BLE001 - reported to the test
                    with receiver._lock:
                        receiver.errors.append(f"{ctype}: {error!r}")
                    self._answer(400, "text/plain", b"undecodable body")
                    return
                with receiver._lock:
                    for rs in payload.get("resourceSpans", []):
                        resource = attributes(rs.get("resource", {}).get("attributes"))
                        for ss in rs.get("scopeSpans", []):
                            for span in ss.get("spans", []):
                                receiver.spans.append((resource, span))
                if ctype == PROTOBUF:
                    self._answer(200, PROTOBUF,
                                 ExportTraceServiceResponse().SerializeToString())
                else:
                    self._answer(200, JSON, b"{}")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def wait_for(self, predicate, timeout=30):
        """Poll until predicate(list of spans) is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                spans = [span for _, span in self.spans]
                assert not self.errors, f"undecodable OTLP bodies: {self.errors}"
            result = predicate(spans)
            if result:
                return result
            if time.monotonic() > deadline:
                names = sorted(span["name"] for span in spans)
                raise AssertionError(f"spans did not arrive; have {names}")
            time.sleep(0.05)

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
