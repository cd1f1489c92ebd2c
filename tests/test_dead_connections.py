"""Dead connections are noticed on both sides, on a real server.

The server pings each socket (the protocol's ping, which browsers answer by
themselves) and drops one that stops answering; the client hears a heartbeat
message on a quiet socket, so silence means the server is gone.
"""

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import websockets.sync.client

from app.config import Settings
from domain.vocabulary import Role
from tests.conftest import LiveServer, free_port
from tests.helpers import wait_until

HEARTBEAT = 0.5


@pytest.fixture
def server(settings: Settings, tokens: dict[Role, str]) -> Iterator[LiveServer]:
    live = LiveServer(settings.sqlite_path, ICC_HEARTBEAT=str(HEARTBEAT))
    live.start()
    yield live
    live.stop()


def frames(data: bytes) -> list[int]:
    """The opcodes of the (unmasked, server-sent) frames in `data`."""
    opcodes, at = [], 0
    while at + 2 <= len(data):
        opcode, length = data[at] & 0x0F, data[at + 1] & 0x7F
        at += 2
        if length == 126:
            length, at = int.from_bytes(data[at : at + 2]), at + 2
        elif length == 127:
            length, at = int.from_bytes(data[at : at + 8]), at + 8
        opcodes.append(opcode)
        at += length
    return opcodes


def test_the_server_drops_a_client_that_stops_answering_pings(
    server: LiveServer, tokens: dict[Role, str]
) -> None:
    # A client that completes the handshake, then never reads nor answers: a
    # laptop closed in the middle of a session.
    raw = socket.create_connection(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        (
            f"GET /ws/board?token={tokens[Role.LEADERSHIP]} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    # Reading is not answering: its pings go unanswered past their timeout.
    raw.settimeout(HEARTBEAT * 10)
    received = b""
    while chunk := raw.recv(65536):  # until the server closes the connection
        received += chunk
    raw.close()
    head, _, rest = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101")
    opcodes = frames(rest)
    assert 0x9 in opcodes  # it was pinged
    assert opcodes[-1] == 0x8  # and closed


def test_a_quiet_socket_hears_heartbeats(server: LiveServer, tokens: dict[Role, str]) -> None:
    url = f"ws://127.0.0.1:{server.port}/ws/board?token={tokens[Role.LEADERSHIP]}"
    with websockets.sync.client.connect(url) as ws:
        snapshot = orjson.loads(ws.recv(timeout=5))
        assert snapshot["heartbeat"] == HEARTBEAT
        started = time.monotonic()
        beats = [orjson.loads(ws.recv(timeout=HEARTBEAT * 3)) for _ in range(3)]
    assert [b["type"] for b in beats] == ["heartbeat"] * 3
    assert all(b["position"] == snapshot["position"] for b in beats)
    assert time.monotonic() - started < HEARTBEAT * 5


def test_a_token_in_a_socket_url_never_reaches_the_servers_log(
    settings: Settings, tokens: dict[Role, str], tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    port = free_port()
    token = tokens[Role.LEADERSHIP]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env={**os.environ, "ICC_DATABASE": str(settings.sqlite_path)},
            stdout=output,
            stderr=output,
        )
    try:
        url = f"ws://127.0.0.1:{port}/ws/board?token={token}&after=0"
        assert wait_until(lambda: answers(port), timeout=20)
        with websockets.sync.client.connect(url):
            pass  # accepted: the server logged the request line
    finally:
        server.terminate()
        server.wait(timeout=10)
    written = log.read_text()
    assert "/ws/board?token=[redacted]&after=0" in written  # the line is there
    assert token not in written


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False
