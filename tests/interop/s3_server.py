"""A real S3-compatible server (versitygw via scripts/s3-server.sh) for interop tests.

    def test_something(s3_server):
        fs = s3_server.filesystem()              # pyarrow.fs.S3FileSystem, this server's keys
        uri = s3_server.uri("prefix")            # s3://bucket/prefix?endpoint_override=...
        env = s3_server.env()                    # AWS_* variables for a subprocess (quiverd)

The server is built on first use (a few minutes, once per machine; cached in
~/.cache/quiver); without a Go toolchain the tests that use it are skipped.
"""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "s3-server.sh"
TOOLCHAIN_MISSING = 3


class S3Server:
    """A running server with one bucket. Stop with stop()."""

    def __init__(self, directory, bucket="quiver-test"):
        self.dir = pathlib.Path(directory)
        self.bucket = bucket
        proc = subprocess.run(
            ["bash", str(SCRIPT), "start", "--parent", str(os.getpid()), str(self.dir), bucket],
            capture_output=True, text=True, timeout=1800)
        if proc.returncode == TOOLCHAIN_MISSING:
            pytest.skip(f"S3 test server unavailable: {proc.stderr.strip()}")
        if proc.returncode != 0:
            raise RuntimeError(f"s3-server.sh start failed ({proc.returncode}):\n"
                               f"{proc.stdout}{proc.stderr}")
        values = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
        self.endpoint = values["S3_ENDPOINT"]
        self.access_key = values["AWS_ACCESS_KEY_ID"]
        self.secret_key = values["AWS_SECRET_ACCESS_KEY"]
        self.region = values["AWS_REGION"]
        self.pid = int(values["S3_PID"])

    def uri(self, prefix=""):
        path = f"{self.bucket}/{prefix}" if prefix else self.bucket
        return f"s3://{path}?endpoint_override={self.endpoint}&scheme=http&region={self.region}"

    def env(self):
        """Environment variables giving a subprocess this server's credentials."""
        return {"AWS_ACCESS_KEY_ID": self.access_key,
                "AWS_SECRET_ACCESS_KEY": self.secret_key,
                "AWS_REGION": self.region,
                "AWS_EC2_METADATA_DISABLED": "true"}

    def filesystem(self, **kwargs):
        from pyarrow import fs
        return fs.S3FileSystem(access_key=self.access_key, secret_key=self.secret_key,
                               endpoint_override=self.endpoint, scheme="http",
                               region=self.region, **kwargs)

    def stop(self):
        subprocess.run(["bash", str(SCRIPT), "stop", str(self.dir)], check=False,
                       capture_output=True, timeout=60)
        if getattr(self, "_restarted", None) is not None and self._restarted.poll() is None:
            self._restarted.kill()
            self._restarted.wait()

    def kill(self):
        """Stop the server abruptly (SIGKILL), as an outage would; restart() brings it
        back on the same port with the same keys and data."""
        import signal
        import time
        proc = getattr(self, "_restarted", None)
        if proc is not None:
            proc.kill()
            proc.wait()
        else:
            os.kill(self.pid, signal.SIGKILL)
            for _ in range(200):
                try:
                    os.kill(self.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)

    def restart(self):
        """Start the server again after kill(): same port, keys and data."""
        import socket
        import time
        binary = subprocess.run(["bash", str(SCRIPT), "build"], capture_output=True,
                                text=True, check=True, timeout=1800).stdout.strip()
        env = {**os.environ, "ROOT_ACCESS_KEY": self.access_key,
               "ROOT_SECRET_KEY": self.secret_key}
        log = open(self.dir / "server-restarted.log", "ab")
        # Same flags as scripts/s3-server.sh start.
        self._restarted = subprocess.Popen(
            [binary, "--port", self.endpoint, "--region", self.region, "--quiet", "posix",
             "--sidecar", str(self.dir / "meta"), str(self.dir / "data")],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        host, port = self.endpoint.split(":")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection((host, int(port)), timeout=1).close()
                return
            except OSError:
                if self._restarted.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError(f"the S3 server did not restart on {self.endpoint}")
