"""From a command's acknowledgement to its arrival on a board socket, on a real server.

Starts `icc serve` on a temporary SQLite store, watches /ws/board with one
socket, posts N commands one after another and prints p50/p99/max of the time
between each HTTP answer and the socket message carrying that log position.
Run: .venv/bin/python bench/board_latency.py [N]
"""

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx
import orjson
import websockets

from app.small_tables import SQLiteTables
from app.users import UserStore
from domain.vocabulary import Role

CRISIS = {"kind": "crisis", "channel": "monitoring", "category": "供电", "title": "城东变电站故障"}


async def measure(url: str, token: str, n: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    arrived: dict[int, float] = {}
    async with websockets.connect(
        url.replace("http", "ws") + "/ws/board", additional_headers=headers
    ) as socket:
        orjson.loads(await socket.recv())  # the snapshot

        async def listen() -> None:
            async for raw in socket:
                message = orjson.loads(raw)
                if message["type"] == "event":
                    arrived[message["position"]] = time.perf_counter()

        listener = asyncio.create_task(listen())
        acked: dict[int, float] = {}
        async with httpx.AsyncClient(base_url=url, headers=headers) as client:
            for _ in range(n):
                answer = (await client.post("/api/incidents", json=CRISIS)).json()
                acked[answer["position"]] = time.perf_counter()
            deadline = time.perf_counter() + 10
            while len(arrived) < n and time.perf_counter() < deadline:
                await asyncio.sleep(0.01)
        listener.cancel()
    missing = set(acked) - set(arrived)
    if missing:
        raise SystemExit(f"{len(missing)} events never reached the socket")
    return [arrived[p] - acked[p] for p in acked]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "incidents.db"
        token = UserStore(SQLiteTables(database)).add("bench", Role.LEADERSHIP)
        port = 8799
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env={**os.environ, "ICC_DATABASE": str(database)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    httpx.get(url + "/api/session")
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            delays = sorted(asyncio.run(measure(url, token, n)))
        finally:
            server.terminate()
            server.wait()
    ms = [d * 1000 for d in delays]
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"{n} commands, ack -> board socket: p50 {statistics.median(ms):.1f} ms, "
        f"p99 {p99:.1f} ms, max {ms[-1]:.1f} ms, none lost"
    )


if __name__ == "__main__":
    main()
