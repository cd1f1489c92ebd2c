"""On SQLite the timeline, figures and work views are folded in a child process,
leaving the server's interpreter to the commands and the board: readers still
read their own writes, a dead view process is replaced with nothing lost or
doubled, and the board says it is stale meanwhile."""

import multiprocessing
import os
import signal
from typing import Any

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from domain.vocabulary import Role
from tests.helpers import CRISIS, Api, auth, wait_until

L = Role.LEADERSHIP


def view_processes() -> list[Any]:
    return [p for p in multiprocessing.active_children() if p.name == "icc views"]


def the_view_process() -> Any:
    """The one view process, once the server has started it."""
    assert wait_until(lambda: len(view_processes()) == 1)
    (child,) = view_processes()
    return child


def timeline_events(api: Api, incident: str) -> list[str]:
    """The timeline's entries once the views hold every event stored so far."""
    url = f"/api/incidents/{incident}/timeline?min_position={api.events_stored()}"
    response = api.client.get(url, headers=auth(api.tokens[Role.AUDITOR]))
    assert response.status_code == 200, response.text
    return [entry["type"] for entry in response.json()["entries"]]


def test_the_timeline_figures_and_work_are_folded_outside_the_server(api: Api) -> None:
    child = the_view_process()
    assert child.is_alive() and child.pid != os.getpid()

    incident = api.graded_crisis()
    order = api.order(incident)

    # Read-your-writes holds across the processes: each read waits for the child.
    assert timeline_events(api, incident)[-1] == "OrderIssued"
    orders = api.get(Role.LEADERSHIP, f"/api/orders?assignee=*&min_position={api.events_stored()}")
    assert order in [o["order_id"] for o in orders.json()["orders"]]
    figures = api.get(Role.AUDITOR, f"/api/figures?min_position={api.events_stored()}").json()
    assert figures["position"] == api.events_stored()


def test_a_killed_view_process_is_replaced_and_its_views_miss_nothing(api: Api) -> None:
    incident = api.graded_crisis()
    before = timeline_events(api, incident)
    child = the_view_process()

    os.kill(child.pid, signal.SIGKILL)
    assert wait_until(lambda: api.board()["stale"], timeout=5)
    # Written while no process folds the timeline.
    api.ok(L, f"/api/incidents/{incident}/responses", {"note": "抢修队到场", "status": "on_scene"})

    assert wait_until(lambda: [p for p in view_processes() if p.pid != child.pid], timeout=10)
    after = timeline_events(api, incident)
    assert after == [*before, "ResponsePosted"]  # the write folded once, nothing lost
    assert wait_until(lambda: not api.board()["stale"], timeout=5)


def test_the_view_process_ends_with_the_server(settings: Settings, tokens: dict[Role, str]) -> None:
    with TestClient(create_app(settings)) as client:
        Api(client, tokens).report(CRISIS)
        child = the_view_process()
    child.join(timeout=10)
    assert not child.is_alive()
    assert view_processes() == []


def test_without_the_view_process_the_server_folds_every_view_itself(
    settings: Settings, tokens: dict[Role, str]
) -> None:
    no_child = Settings(database=settings.database, views_process=False)
    with TestClient(create_app(no_child)) as client:
        api = Api(client, tokens)
        incident = api.report(CRISIS)
        assert view_processes() == []
        assert timeline_events(api, incident) == ["Reported"]
