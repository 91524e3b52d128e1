"""What one oversized gRPC message can cost quiverd (docs/security.md, "Message size").

Arrow Flight's server accepts messages of any size and the wheel's gRPC cannot be
configured, so quiverd cannot refuse a message before gRPC has received it. These tests
pin down what it does bound: an unauthenticated stream gets no message read at all, and
an oversized upload message is refused by --max-upload-bytes as soon as it arrives
(before validation or encoding), costs about twice its size while it is held, and is
released when the call ends."""
import time

import pyarrow as pa
import pyarrow.flight as flight
import pytest

from security_util import make_users

# Every test runs on a local root and on an S3 root (conftest.py, storage_backends).
pytestmark = pytest.mark.storage_backends

MIB = 1 << 20


def memory(server):
    """(VmRSS, VmHWM) of the server process, in bytes."""
    fields = {}
    for line in open(f"/proc/{server.proc.pid}/status"):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return fields["VmRSS"], fields["VmHWM"]


def reset_peak(server):
    with open(f"/proc/{server.proc.pid}/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current RSS (Linux 4.0+)


def one_message(size):
    """A table that pyarrow sends as one IPC message of about `size` bytes."""
    return pa.table({"x": pa.array(range(size // 8), pa.int64())})


def send(client, name, table, options=None):
    writer, _ = client.do_put(flight.FlightDescriptor.for_path(name), table.schema,
                              options=options)
    writer.write_table(table, max_chunksize=table.num_rows)
    writer.close()


def test_an_oversized_upload_message_is_refused_and_released(start_quiverd):
    server = start_quiverd("--listen", "127.0.0.1:0", "--max-upload-bytes", str(MIB))
    client = flight.connect(server.location)
    send(client, "warm-up", one_message(512 * 1024))  # threads and pools started
    message = one_message(96 * MIB)
    rss_before, _ = memory(server)
    reset_peak(server)
    with pytest.raises(pa.ArrowInvalid, match=rf"--max-upload-bytes={MIB}"):
        send(client, "huge", message)
    _, peak = memory(server)
    # gRPC holds the message, then one contiguous copy of it: about 2x, no more (the
    # batch is not validated, queued or encoded).
    assert peak - rss_before < 2.5 * 96 * MIB
    # Released when the call ended (glibc's free heap is trimmed every 0.5 s).
    deadline = time.monotonic() + 10
    while memory(server)[0] - rss_before >= 32 * MIB:
        assert time.monotonic() < deadline, f"RSS stays at {memory(server)[0] / MIB} MiB"
        time.sleep(0.1)
    print(f"RSS {rss_before / MIB:.0f} MiB before, peak {peak / MIB:.0f} MiB, "
          f"{memory(server)[0] / MIB:.0f} MiB after a 96 MiB message")
    assert [f.descriptor.path for f in client.list_flights()] == [[b"warm-up"]]


@pytest.mark.local_storage("refused before any storage is touched")
def test_an_unauthenticated_stream_gets_no_message_read(start_quiverd, tmp_path):
    users = make_users(tmp_path / "users.json", alice="writer")
    server = start_quiverd("--listen", "127.0.0.1:0", "--users", str(users))
    client = flight.connect(server.location)
    with pytest.raises(flight.FlightUnauthenticatedError):
        send(client, "warm-up", one_message(512 * 1024))
    rss_before, _ = memory(server)
    reset_peak(server)
    with pytest.raises(flight.FlightUnauthenticatedError):
        send(client, "huge", one_message(96 * MIB))
    _, peak = memory(server)
    print(f"peak grew by {(peak - rss_before) / MIB:.1f} MiB for a refused 96 MiB message")
    assert peak - rss_before < 16 * MIB  # refused in StartCall: the body is never read
