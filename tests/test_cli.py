"""The `icc` command as an operator uses it."""

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest

from app.bootstrap import open_store
from app.cli import main
from app.config import Settings
from app.small_tables import SQLiteTables
from app.users import UserStore
from domain.vocabulary import Role
from tests.conftest import free_port
from tests.helpers import Api, auth, timeline_entries

TOKEN_LINE = re.compile(r"^\s+(\w+)\s+(\S+)\s+(icc_\S+)$")


@pytest.fixture
def database(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ICC_DATABASE", settings.database)
    return settings.sqlite_path


def test_users_add_prints_a_token_once_and_keeps_only_its_hash(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "add", "李客服", "--role", "intake"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("icc_")
    user = UserStore(SQLiteTables(database)).authenticate(token)
    assert user is not None and (user.name, user.role) == ("李客服", Role.INTAKE)
    assert token.encode() not in database.read_bytes()


def test_a_second_user_with_the_same_name_is_refused(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "add", "王主任", "--role", "leadership"]) == 0
    assert main(["users", "add", "王主任", "--role", "auditor"]) == 1
    assert "already exists" in capsys.readouterr().err


def test_an_unknown_role_is_refused(database: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["users", "add", "x", "--role", "mayor"])
    assert refused.value.code == 2


def test_several_workers_on_sqlite_are_refused_with_a_pointer_to_postgresql(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--workers", "2"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


@contextmanager
def serve(database: Path, *args: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Run `icc serve ARGS`; yields its URL and the tokens it printed, by role."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), *args],
        env={**os.environ, "ICC_DATABASE": str(database), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    started = threading.Event()

    def read() -> None:  # drains the pipe for the server's whole life, so it never blocks
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if "Application startup complete" in line:
                started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(timeout=20), "\n".join(lines)
        tokens = {found[1]: found[3] for line in lines if (found := TOKEN_LINE.match(line))}
        yield f"http://127.0.0.1:{port}", tokens
    finally:
        process.terminate()
        process.wait(timeout=10)
        reader.join(timeout=5)


def test_serve_demo_shows_live_crises_and_keeps_the_reviewed_one_off_the_board(
    database: Path,
) -> None:
    with serve(database, "--demo") as (url, tokens):
        assert set(tokens) == {role.value for role in Role} - {"admin"}
        board = httpx.get(f"{url}/api/board", headers=auth(tokens["leadership"])).json()
    titles = {row["title"] for row in board["rows"]}
    assert "3号加压泵站浊度报警" not in titles  # resolved, closed and reviewed
    signals = next(row for row in board["rows"] if row["title"] == "暴雨后多个路口信号灯故障")
    assert (signals["severity"], signals["open_orders"], signals["overdue_orders"]) == (
        "III",
        2,
        1,
    )
    assert sum(1 for row in board["rows"] if row["parent_id"] == signals["id"]) == 2
    assert board["totals"]["overdue_orders"] == 1

    with serve(database, "--demo") as (url, again):
        events = httpx.get(f"{url}/api/board", headers=auth(again["leadership"])).json()
        assert events["position"] == board["position"]  # not loaded twice
        stale = httpx.get(f"{url}/api/board", headers=auth(tokens["leadership"]))
        assert stale.status_code == 401  # a new run's tokens replace the old ones


def test_a_fresh_store_gets_a_first_leader_to_log_in_with(database: Path) -> None:
    with serve(database) as (url, tokens):
        assert list(tokens) == ["leadership"]
        who = httpx.post(f"{url}/api/session", json={"token": tokens["leadership"]})
        assert who.json() == {"name": "leader", "role": "leadership"}
    with serve(database) as (_, tokens):
        assert tokens == {}


def test_rebuild_folds_the_whole_log_again_into_the_same_views(
    database: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(database, "--demo"):
        pass
    store = open_store(settings)
    events = store.incidents.recorder.max_notification_id()
    before = {name: view.dump() for name, view in store.views.items()}
    store.close()
    capsys.readouterr()

    assert main(["rebuild"]) == 0
    assert f"from {events} events" in capsys.readouterr().out
    store = open_store(settings)
    assert {name: view.dump() for name, view in store.views.items()} == before
    assert timeline_entries(store) == events
    store.close()


def test_replay_prints_what_the_api_answers_for_that_version_and_moment(
    api: Api,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    incident = api.verified()
    update = {"note": "已到达现场", "status": "on_scene"}
    api.ok(Role.RESPONDER, f"/api/incidents/{incident}/responses", update)
    monkeypatch.setenv("ICC_DATABASE", settings.database)
    first = api.get(Role.AUDITOR, f"/api/incidents/{incident}?version=2").json()

    assert main(["replay", incident, "--version", "2"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    moment = first["updated_at"]
    assert main(["replay", incident, "--at", moment]) == 0
    assert json.loads(capsys.readouterr().out) == first

    assert main(["replay", incident, "--version", "99"]) == 1
    assert "version" in capsys.readouterr().err
