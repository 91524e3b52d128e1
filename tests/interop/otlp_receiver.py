"""A minimal OTLP/HTTP JSON trace receiver for tests: collects the spans POSTed to it."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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


class OtlpReceiver:
    """Listens on 127.0.0.1 (free port) and keeps every span with its resource."""

    def __init__(self):
        self.spans = []  # (resource attributes dict, span dict)
        self.requests = []  # (path, content type)
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                payload = json.loads(body)
                with receiver._lock:
                    receiver.requests.append((self.path, self.headers.get("Content-Type")))
                    for rs in payload.get("resourceSpans", []):
                        resource = attributes(rs.get("resource", {}).get("attributes"))
                        for ss in rs.get("scopeSpans", []):
                            for span in ss.get("spans", []):
                                receiver.spans.append((resource, span))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

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
