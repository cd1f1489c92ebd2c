"""Shared fixtures: a real SQLite store in a temp dir, users of every role, servers."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from app.bootstrap import small_tables
from app.config import Settings
from app.main import create_app
from app.users import UserStore
from domain.vocabulary import Role
from tests.helpers import Api, MovableClock, wait_until


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database=str(tmp_path / "incidents.db"), poll_interval=0.05)


@pytest.fixture
def tokens(settings: Settings) -> dict[Role, str]:
    """One user per role; the token to act in that role."""
    users = UserStore(small_tables(settings))
    return {role: users.add(f"{role.value}-user", role) for role in Role}


@pytest.fixture
def clock() -> MovableClock:
    """The server's clock: real time unless a test moves it; a module that needs
    another start overrides this fixture."""
    return MovableClock()


@pytest.fixture
def client(
    settings: Settings, tokens: dict[Role, str], clock: MovableClock
) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock=clock)) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient, tokens: dict[Role, str]) -> Api:
    return Api(client, tokens)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """`icc serve` in a real process, on a free port, stoppable and restartable."""

    def __init__(self, database: Path, **env: str) -> None:
        self.database = database
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "ICC_DATABASE": str(self.database), **self.env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_until(self._answers, timeout=20):
            raise RuntimeError("the server did not start within 20 s")

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError("the server exited at start")
        try:
            return httpx.get(f"{self.url}/api/session", timeout=1).status_code == 401
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def live_server(settings: Settings, tokens: dict[Role, str]) -> Iterator[LiveServer]:
    server = LiveServer(settings.sqlite_path)
    server.start()
    yield server
    server.stop()
