"""A small HTTP client of quiverd's web console (docs/console.md), for the console's
tests: it keeps the session cookie and sends the CSRF token like the console's page."""
import http.client
import json
import re
import ssl
import urllib.parse

_CONSOLE_RE = re.compile(r"quiverd console listening on (https?)://(\S+):(\d+)")


def console_address(server):
    """(scheme, host, port) of the console of a running QuiverdProcess."""
    m = _CONSOLE_RE.search(server.log())
    assert m, f"no console in the log:\n{server.log()}"
    return m.group(1), m.group(2), int(m.group(3))


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower())


class ConsoleClient:
    """One browser's worth of state: the session cookie and the CSRF token."""

    def __init__(self, server, ca_file=None):
        self.scheme, self.host, self.port = console_address(server)
        self.ca_file = ca_file
        self.cookie = None
        self.csrf = ""

    def _connection(self):
        if self.scheme == "https":
            context = ssl.create_default_context(cafile=self.ca_file)
            return http.client.HTTPSConnection(self.host, self.port, context=context,
                                               timeout=120)
        return http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method, path, params=None, body=None, headers=None, raw_body=None,
                stream_to=None):
        """One request; `stream_to(chunk)` receives the body piece by piece instead."""
        if params:
            path += "?" + urllib.parse.urlencode(params)
        all_headers = {}
        if self.cookie:
            all_headers["Cookie"] = f"quiver_session={self.cookie}"
        data = raw_body
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        if method == "POST":
            all_headers["X-Quiver-CSRF"] = self.csrf
        all_headers.update(headers or {})
        connection = self._connection()
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        got = {k.lower(): v for k, v in response.getheaders()}
        if stream_to is not None and response.status == 200:
            while True:
                chunk = response.read(1 << 20)
                if not chunk:
                    break
                stream_to(chunk)
            payload = b""
        else:
            payload = response.read()
        connection.close()
        cookie = got.get("set-cookie")
        if cookie:
            value = cookie.split(";", 1)[0].split("=", 1)[1]
            self.cookie = value or None
        return Response(response.status, got, payload)

    def get(self, path, **params):
        return self.request("GET", path, params=params)

    def post(self, path, body=None, **kwargs):
        response = self.request("POST", path, body=body if body is not None else {},
                                **kwargs)
        if response.status == 200 and "csrf" in response.body.decode(errors="replace"):
            self.csrf = response.json().get("csrf", self.csrf)
        return response

    def session(self):
        response = self.get("/api/session")
        assert response.status == 200, response.body
        self.csrf = response.json()["csrf"]
        return response.json()

    def login(self, user, password):
        self.session()
        return self.post("/api/login", {"user": user, "password": password})
