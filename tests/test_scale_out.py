"""Several real server processes on the real PostgreSQL server.

Every process follows the log and feeds its own sockets; one of them folds the
views, and when it is killed another takes over with nothing lost or doubled.
"""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2 as httpx
import orjson
import psycopg
import pytest
import websockets

from app.bootstrap import migrate, open_store, small_tables
from app.config import Settings
from app.rebuild import rebuild
from app.users import UserStore
from domain.vocabulary import Role
from tests.conftest import free_port
from tests.helpers import COMPLAINT, wait_until
from tests.postgres import postgres_settings


@pytest.fixture
def pg() -> Iterator[Settings]:
    with postgres_settings() as settings:
        migrate(settings)
        yield settings


def leader_token(settings: Settings) -> str:
    users = UserStore(small_tables(settings))
    try:
        return users.add("王主任", Role.LEADERSHIP)
    finally:
        users.tables.close()


class Server:
    """`icc serve` in a process of its own, on a port of its own."""

    def __init__(self, settings: Settings, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "ICC_DATABASE": settings.database,
            "ICC_MASTER_KEY": settings.master_key or "",
            "ICC_HEARTBEAT": "1",
        }
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # so a kill takes its workers too
        )
        assert wait_until(self.answers, timeout=30), "the server did not start"

    def answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/api/session", timeout=1).status_code == 401
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


@contextmanager
def servers(settings: Settings, count: int) -> Iterator[list[Server]]:
    started: list[Server] = []
    try:
        for _ in range(count):
            started.append(Server(settings))
        yield started
    finally:
        for server in started:
            server.stop()


def report(server: Server, token: str, n: int) -> int:
    body = {**COMPLAINT, "title": f"停水投诉 {n}"}
    answer = httpx.post(
        f"{server.url}/api/incidents", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 201, answer.text
    position: int = answer.json()["position"]
    return position


def views_owner_pid(settings: Settings) -> int | None:
    """The process holding the views' advisory lock (its session is named after it)."""
    with psycopg.connect(settings.postgres.dsn, autocommit=True) as db:
        row = db.execute(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
            "WHERE l.locktype = 'advisory' AND l.granted "
            "AND a.application_name LIKE 'icc views %'"
        ).fetchone()
    return int(row[0].rsplit(" ", 1)[1]) if row else None


class Watcher:
    """A board socket in a thread of its own, recording every event's position."""

    def __init__(self, server: Server, token: str) -> None:
        self.url = server.url.replace("http", "ws") + "/ws/board"
        self.token = token
        self.positions: list[int] = []
        self.rows: dict[int, Any] = {}
        self.snapshot = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._run(),))
        self._thread.daemon = True
        self._thread.start()
        assert self.snapshot.wait(10)

    async def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        async with websockets.connect(self.url, additional_headers=headers) as socket:
            # Until the server stops at the end of the test.
            with contextlib.suppress(websockets.ConnectionClosed):
                await self._receive(socket)

    async def _receive(self, socket: Any) -> None:
        async for raw in socket:
            message = orjson.loads(raw)
            if message["type"] == "snapshot":
                self.snapshot.set()
            elif message["type"] == "event":
                self.positions.append(message["position"])
                self.rows[message["position"]] = message["row"]
            elif message["type"] == "resync":
                raise AssertionError("resynchronised: events were not streamed")

    def has(self, positions: list[int]) -> bool:
        return set(positions) <= set(self.positions)


def test_a_write_through_one_server_reaches_a_socket_on_the_other(pg: Settings) -> None:
    token = leader_token(pg)
    with servers(pg, 2) as (a, b):
        on_b = Watcher(b, token)
        on_a = Watcher(a, token)
        acked = [report(a, token, n) for n in range(3)] + [report(b, token, 3)]
        assert wait_until(lambda: on_b.has(acked) and on_a.has(acked), timeout=10)
        assert on_b.positions == acked
        assert on_a.positions == acked
        # The row is the board's, folded by whichever process owns the views.
        assert on_b.rows[acked[0]]["title"] == "停水投诉 0"
        assert on_b.rows[acked[0]]["status"] == "reported"


def test_killing_the_views_owner_lets_another_take_over_with_nothing_lost_or_doubled(
    pg: Settings,
) -> None:
    token = leader_token(pg)
    with servers(pg, 2) as both:
        assert wait_until(lambda: views_owner_pid(pg) is not None, timeout=10)
        owner = next(s for s in both if s.process.pid == views_owner_pid(pg))
        survivor = next(s for s in both if s is not owner)
        watcher = Watcher(survivor, token)
        acked = [report(survivor, token, n) for n in range(20)]

        # Kill the owner while writes keep arriving through the survivor.
        writing = threading.Thread(
            target=lambda: acked.extend(report(survivor, token, n) for n in range(20, 60))
        )
        writing.start()
        owner.kill()
        writing.join()

        assert wait_until(lambda: views_owner_pid(pg) == survivor.process.pid, timeout=10)
        assert wait_until(lambda: watcher.has(acked), timeout=15), "events never reached the board"
        assert watcher.positions == sorted(acked)  # each once, in log order
        # Once every view (not only the board) holds the last event: compared below.
        board = httpx.get(
            f"{survivor.url}/api/board?min_position={max(acked)}",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert len(board.json()["rows"]) == 60
        assert board.json()["stale"] is False

    # The views hold every event once: exactly what a rebuild from the log makes.
    store = open_store(pg, create_tables=False)
    live = {name: view.dump() for name, view in store.views.items()}
    store.close()
    rebuild(pg, processes=1)
    store = open_store(pg, create_tables=False)
    assert {name: view.dump() for name, view in store.views.items()} == live
    store.close()


def test_icc_serve_with_several_workers_feeds_every_socket(pg: Settings) -> None:
    token = leader_token(pg)
    server = Server(pg, workers=2)
    try:
        # Each socket lands on one worker or the other; all must hear every write.
        watchers = [Watcher(server, token) for _ in range(6)]
        acked = [report(server, token, n) for n in range(10)]
        assert wait_until(lambda: all(w.has(acked) for w in watchers), timeout=10)
        assert all(w.positions == acked for w in watchers)
        with psycopg.connect(pg.postgres.dsn, autocommit=True) as db:
            lock_holders = db.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            ).fetchone()
        assert lock_holders == (1,)  # one process folds the views
    finally:
        server.stop()


def test_while_no_process_folds_the_views_every_board_says_it_is_stale(pg: Settings) -> None:
    token = leader_token(pg)
    headers = {"Authorization": f"Bearer {token}"}
    with servers(pg, 2) as both:
        assert wait_until(lambda: views_owner_pid(pg) is not None, timeout=10)
        owner = next(s for s in both if s.process.pid == views_owner_pid(pg))
        other = next(s for s in both if s is not owner)
        os.kill(owner.process.pid, signal.SIGSTOP)  # hung: it keeps the lock, folds nothing
        try:
            report(other, token, 1)  # the log moves on; the board cannot
            assert wait_until(
                lambda: httpx.get(f"{other.url}/api/board", headers=headers).json()["stale"],
                timeout=10,
            )
        finally:
            os.kill(owner.process.pid, signal.SIGCONT)
        assert wait_until(
            lambda: not httpx.get(f"{other.url}/api/board", headers=headers).json()["stale"],
            timeout=10,
        )
        assert len(httpx.get(f"{other.url}/api/board", headers=headers).json()["rows"]) == 1
