"""The store and its views on the real PostgreSQL server: the same guarantees as on SQLite."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx2 as httpx
import pytest
from eventsourcing.persistence import IntegrityError, Tracking
from fastapi.testclient import TestClient

from app.bootstrap import Store, open_store, small_tables
from app.config import Settings
from app.main import create_app
from app.users import UserStore
from domain.vocabulary import Role
from tests.conftest import free_port
from tests.helpers import (
    COMPLAINT,
    Api,
    auth,
    graded_crisis_in,
    issue_order_in,
    timeline_entries,
    wait_until,
)
from tests.postgres import postgres_settings


@pytest.fixture
def pg() -> Iterator[Settings]:
    with postgres_settings() as settings:
        yield settings


def crisis_with_orders(store: Store, orders: int) -> None:
    incident = graded_crisis_in(store)
    for n in range(orders):
        issue_order_in(store, incident, n)


def views(store: Store) -> dict[str, Any]:
    return {name: view.dump() for name, view in store.views.items()}


def test_views_resume_after_a_restart_without_double_counting(pg: Settings) -> None:
    first = open_store(pg)
    crisis_with_orders(first, orders=2)
    assert first.follower.catch_up() == 5
    first.close()

    second = open_store(pg)
    crisis_with_orders(second, orders=1)
    assert second.follower.catch_up() == 4
    board = second.board.board(second.follower.tracking_name("board"), datetime.now(UTC))
    assert sorted(row["open_orders"] for row in board["rows"]) == [1, 2]
    incremental = views(second)
    assert timeline_entries(second) == 9
    assert second.follower.rebuild() == 9
    assert views(second) == incremental
    second.close()


def test_an_event_already_folded_is_refused_and_changes_nothing(pg: Settings) -> None:
    store = open_store(pg)
    crisis_with_orders(store, orders=1)
    store.follower.catch_up()
    before = views(store)
    notification = store.incidents.recorder.select_notifications(start=1, limit=10)[3]
    event = store.incidents.mapper.to_domain_event(notification)
    for name in ("board", "timeline", "figures", "work"):
        with pytest.raises(IntegrityError):
            store.projector.projection(name).process_event(
                event, Tracking(store.follower.tracking_name(name), notification.id)
            )
    assert views(store) == before
    store.close()


def test_a_batch_that_fails_midway_leaves_neither_rows_nor_position(
    pg: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(pg)
    crisis_with_orders(store, orders=2)
    folded = 0

    def crash_on_the_fourth(facts: Any, event: Any) -> bool:
        nonlocal folded
        folded += 1
        if folded == 4:
            raise RuntimeError("the process dies here")
        return True

    monkeypatch.setattr("projections.figures_view.fold", crash_on_the_fourth)
    with pytest.raises(RuntimeError):
        store.follower.catch_up()
    assert store.figures.max_tracking_id(store.follower.tracking_name("figures")) is None
    assert store.figures.dump()["figures_incidents"] == []
    monkeypatch.undo()

    store.follower.catch_up()
    resumed = views(store)
    store.follower.rebuild()
    assert views(store) == resumed
    store.close()


def test_the_api_reads_board_timeline_and_figures_from_postgres(pg: Settings) -> None:
    users = UserStore(small_tables(pg))
    tokens = {role: users.add(f"{role.value}-pg", role) for role in Role}
    users.tables.close()
    with TestClient(create_app(pg)) as client:
        api = Api(client, tokens)
        incident = api.report()
        api.ok(Role.INTAKE, f"/api/incidents/{incident}/verify", {"note": "回访核实"})
        board = api.board()
        assert [row["id"] for row in board["rows"]] == [incident]
        assert board["rows"][0]["status"] == "verified"

        timeline = api.get(Role.AUDITOR, f"/api/incidents/{incident}/timeline?lang=en").json()
        assert [entry["type"] for entry in timeline["entries"]] == ["Reported", "Verified"]
        figures = api.get(Role.AUDITOR, "/api/figures").json()
        assert figures["reports"] == 1
        assert figures["by_channel"] == {COMPLAINT["channel"]: 1}


def test_icc_rebuild_rebuilds_every_view_on_postgres(pg: Settings) -> None:
    store = open_store(pg)
    crisis_with_orders(store, orders=1)
    store.follower.catch_up()
    before = views(store)
    store.close()

    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "rebuild"],
        env={"ICC_DATABASE": pg.database, "ICC_MASTER_KEY": pg.master_key or "", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "from 4 events" in done.stdout
    store = open_store(pg)
    assert views(store) == before
    store.close()


def test_icc_serve_runs_on_postgres(pg: Settings) -> None:
    users = UserStore(small_tables(pg))
    token = users.add("王主任", Role.LEADERSHIP)
    users.tables.close()
    port = free_port()
    env = {**os.environ, "ICC_DATABASE": pg.database, "ICC_MASTER_KEY": pg.master_key or ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until(lambda: answers(f"{url}/api/session"), timeout=20)
        headers = auth(token)
        reported = httpx.post(f"{url}/api/incidents", json=COMPLAINT, headers=headers)
        assert reported.status_code == 201, reported.text
        incident, position = reported.json()["id"], reported.json()["position"]
        timeline = httpx.get(
            f"{url}/api/incidents/{incident}/timeline?min_position={position}", headers=headers
        )
        assert [e["type"] for e in timeline.json()["entries"]] == ["Reported"]
    finally:
        server.terminate()
        server.wait(timeout=10)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 401
    except httpx.TransportError:
        return False
