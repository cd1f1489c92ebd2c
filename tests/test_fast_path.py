"""Well-formed commands skip FastAPI's machinery (`app/fast_path.py`); every
answer stays exactly what the routes give, and anything else still reaches them."""

from typing import Any

import pytest

from app.api import contact, incidents, leadership, logistics, orders, review
from app.fast_path import CommandFastPath
from domain.vocabulary import Role
from tests.helpers import COMPLAINT, Api, auth

ROUTERS = [m.router for m in (incidents, leadership, orders, logistics, contact, review)]


def test_every_command_route_is_taken_by_the_fast_path() -> None:
    posts = [r for router in ROUTERS for r in router.routes if "POST" in getattr(r, "methods", ())]
    assert len(CommandFastPath(app=None, routers=ROUTERS).routes) == len(posts)  # type: ignore[arg-type]


def test_a_command_goes_through_the_fast_path_and_is_stored(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken: list[str] = []
    original = CommandFastPath._arguments

    async def noting(self: CommandFastPath, route: Any, *args: Any) -> Any:
        arguments = await original(self, route, *args)
        taken.append(route.endpoint.__name__ if arguments is not None else "fastapi")
        return arguments

    monkeypatch.setattr(CommandFastPath, "_arguments", noting)
    incident = api.report()
    api.ok(Role.INTAKE, f"/api/incidents/{incident}/verify", {"note": "回拨确认"})
    assert taken == ["report", "verify"]
    assert api.get(Role.AUDITOR, f"/api/incidents/{incident}").json()["status"] == "verified"


def test_a_body_sent_as_text_is_refused_as_the_route_refuses_it(api: Api) -> None:
    answer = api.client.post(
        "/api/incidents",
        content=b'{"kind":"complaint","channel":"hotline","category":"x","title":"t"}',
        headers={**auth(api.tokens[Role.INTAKE]), "Content-Type": "text/plain"},
    )
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_input"
    assert api.events_stored() == 0


@pytest.mark.parametrize(
    ("headers", "body", "status", "error"),
    [
        ({}, COMPLAINT, 401, "unauthenticated"),
        ({"role": Role.RESPONDER}, COMPLAINT, 403, "forbidden"),
        ({"If-Match": "seven"}, COMPLAINT, 400, "bad_if_match"),
        ({}, {**COMPLAINT, "kind": "gossip"}, 422, "invalid_input"),
        ({}, {**COMPLAINT, "surprise": 1}, 422, "invalid_input"),
    ],
)
def test_refusals_are_the_routes_own(
    api: Api, headers: dict[str, Any], body: dict[str, Any], status: int, error: str
) -> None:
    role = headers.pop("role", Role.INTAKE)
    sent = {**headers, **(auth(api.tokens[role]) if status != 401 else {})}
    answer = api.client.post("/api/incidents", json=body, headers=sent)
    assert (answer.status_code, answer.json()["error"]) == (status, error)
    assert api.events_stored() == 0


def test_a_rule_broken_on_the_fast_path_is_answered_as_the_route_would(api: Api) -> None:
    incident = api.verified()
    again = api.post(Role.INTAKE, f"/api/incidents/{incident}/verify", {"note": "再次"})
    assert again.status_code == 409
    assert set(again.json()) == {"error", "detail"}
    stale = api.post(
        Role.INTAKE, f"/api/incidents/{incident}/dismiss", {"reason": "rumour"}, **{"If-Match": "1"}
    )
    assert (stale.status_code, stale.json()["error"]) == (409, "stale_version")
