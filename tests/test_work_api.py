"""Open orders and the logistics queue over HTTP, read from the work view, on both stores."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import small_tables
from app.config import Settings
from app.users import UserStore
from domain.vocabulary import Role
from tests.helpers import COMPLAINT, Api, auth, in_hours
from tests.postgres import postgres_settings

L, IN, R, G, S, A, ADMIN = (
    Role.LEADERSHIP,
    Role.INTAKE,
    Role.RESPONDER,
    Role.LOGISTICS,
    Role.SPOKESPERSON,
    Role.AUDITOR,
    Role.ADMIN,
)
ORDER_FIELDS = {
    "incident_id",
    "incident_title",
    "incident_kind",
    "severity",
    "incident_status",
    "location",
    "order_id",
    "assignee",
    "instruction",
    "deadline",
    "priority",
    "state",
    "percent",
    "last_note",
    "issued_at",
    "updated_at",
}
REQUEST_FIELDS = {
    "incident_id",
    "incident_title",
    "severity",
    "request_id",
    "resource",
    "item",
    "quantity",
    "needed_by",
    "purpose",
    "state",
    "allocated_quantity",
    "delivered_quantity",
    "source",
    "requested_by",
    "requested_at",
    "updated_at",
}


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(database=str(tmp_path / "incidents.db"), poll_interval=0.05)
        return
    with postgres_settings() as pg:
        yield pg


@pytest.fixture
def tokens(settings: Settings) -> dict[Role, str]:
    users = UserStore(small_tables(settings))
    made = {role: users.add(f"{role.value}-user", role) for role in Role}
    users.tables.close()
    return made


def read(api: Api, role: Role, path: str, **query: str) -> Any:
    """The answer once the views hold every event stored so far."""
    params = {**query, "min_position": str(api.events_stored())}
    return api.client.get(path, params=params, headers=auth(api.tokens[role]))


def orders(api: Api, role: Role, assignee: str = "me") -> dict[str, Any]:
    response = read(api, role, "/api/orders", assignee=assignee)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    assert answer["position"] == api.events_stored()
    return answer


def queue(api: Api, role: Role = G, **query: str) -> dict[str, Any]:
    response = read(api, role, "/api/logistics", **query)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    assert answer["position"] == api.events_stored()
    return answer


def issue(api: Api, incident: str, assignee: str, hours: float) -> str:
    body = {"assignee": assignee, "instruction": "五点取样", "deadline": in_hours(hours)}
    order_id: str = api.ok(L, f"/api/incidents/{incident}/orders", body)["order_id"]
    return order_id


def ask_for(api: Api, incident: str, resource: str, hours: float, quantity: int = 2) -> str:
    body = {
        "resource": resource,
        "item": f"{resource}-item",
        "quantity": quantity,
        "needed_by": in_hours(hours),
        "purpose": "保障供水",
    }
    request_id: str = api.ok(R, f"/api/incidents/{incident}/logistics", body)["request_id"]
    return request_id


def test_a_responder_sees_their_own_open_orders_as_they_change(api: Api) -> None:
    crisis, other = api.graded_crisis("III"), api.graded_crisis("II")
    later = issue(api, crisis, "Responder-User", hours=3)  # their name, typed differently
    sooner = issue(api, other, "responder-user", hours=1)
    issue(api, crisis, "抢修二队", hours=2)

    mine = orders(api, R)
    assert [o["order_id"] for o in mine["orders"]] == [sooner, later]  # by deadline
    first = mine["orders"][1]
    assert set(first) == ORDER_FIELDS
    assert first["incident_id"] == crisis
    assert (first["incident_title"], first["location"]) == ("3号加压泵站浊度报警", "3号加压泵站")
    assert (first["incident_kind"], first["severity"], first["incident_status"]) == (
        "crisis",
        "III",
        "responding",
    )
    assert (first["assignee"], first["instruction"], first["priority"]) == (
        "Responder-User",
        "五点取样",
        "normal",
    )
    assert (first["state"], first["percent"], first["last_note"]) == ("issued", None, None)
    assert first["issued_at"] == first["updated_at"]

    path = f"/api/incidents/{crisis}/orders/{later}"
    api.ok(R, f"{path}/acknowledge", {})
    assert orders(api, R)["orders"][1]["state"] == "acknowledged"
    api.ok(R, f"{path}/progress", {"note": "已取样三点", "percent": 60})
    mine = orders(api, R)
    progressed = mine["orders"][1]
    assert (progressed["state"], progressed["percent"], progressed["last_note"]) == (
        "in_progress",
        60,
        "已取样三点",
    )
    assert progressed["updated_at"] > progressed["issued_at"]
    position = mine["position"]

    api.ok(R, f"{path}/complete", {"outcome": "五点均已取样"})
    done = orders(api, R)
    assert [o["order_id"] for o in done["orders"]] == [sooner]
    assert done["position"] > position


def test_a_reassigned_order_moves_to_its_new_assignee(api: Api) -> None:
    crisis = api.graded_crisis()
    order = issue(api, crisis, "responder-user", hours=2)
    path = f"/api/incidents/{crisis}/orders/{order}"
    api.ok(R, f"{path}/acknowledge", {})
    api.ok(R, f"{path}/progress", {"note": "过半", "percent": 50})

    api.ok(L, f"{path}/reassign", {"assignee": "logistics-user", "reason": "换人"})
    assert orders(api, R)["orders"] == []
    [moved] = orders(api, G)["orders"]
    assert (moved["order_id"], moved["assignee"]) == (order, "logistics-user")
    # Not acknowledged by its new assignee; the progress so far stays with it.
    assert (moved["state"], moved["percent"], moved["last_note"]) == ("issued", 50, "过半")

    api.ok(L, f"{path}/cancel", {"reason": "不再需要"})
    assert orders(api, G)["orders"] == []


def test_other_peoples_orders_are_for_leadership_auditors_and_admins(api: Api) -> None:
    crisis = api.graded_crisis()
    ours = [issue(api, crisis, name, hours) for name, hours in (("抢修一队", 2), ("甲", 1))]
    for role in Role:
        assert orders(api, role)["orders"] == []  # anyone may ask for their own
        for asked in ("*", "抢修一队"):
            response = read(api, role, "/api/orders", assignee=asked)
            if role in (L, A, ADMIN):
                assert response.status_code == 200, response.text
            else:
                assert response.status_code == 403, (role, asked)
                assert response.json()["error"] == "forbidden"
    assert [o["order_id"] for o in orders(api, L, "*")["orders"]] == ours[::-1]
    assert [o["order_id"] for o in orders(api, A, " 抢修一队 ")["orders"]] == ours[:1]
    assert orders(api, R, "Responder-User ")["orders"] == []  # themselves, by name
    assert read(api, R, "/api/orders", assignee=" ").status_code == 422
    assert api.client.get("/api/orders").status_code == 401


def test_the_logistics_queue_follows_each_request_until_it_is_settled(api: Api) -> None:
    crisis = api.graded_crisis("II")
    water = ask_for(api, crisis, "supplies", hours=1, quantity=500)
    generator = ask_for(api, crisis, "equipment", hours=3)
    truck = ask_for(api, crisis, "vehicles", hours=2)

    waiting = queue(api)["requests"]
    assert [r["request_id"] for r in waiting] == [water, truck, generator]  # by need
    first = waiting[0]
    assert set(first) == REQUEST_FIELDS
    assert (first["incident_id"], first["incident_title"], first["severity"]) == (
        crisis,
        "3号加压泵站浊度报警",
        "II",
    )
    assert (first["resource"], first["item"], first["quantity"], first["purpose"]) == (
        "supplies",
        "supplies-item",
        500,
        "保障供水",
    )
    assert (first["state"], first["allocated_quantity"], first["source"]) == (
        "requested",
        None,
        None,
    )
    assert first["requested_by"] == "responder-user"

    base = f"/api/incidents/{crisis}/logistics"
    api.ok(G, f"{base}/{water}/allocate", {"quantity": 400, "source": "2号仓库"})
    allocated = queue(api)["requests"][0]
    assert (allocated["state"], allocated["allocated_quantity"], allocated["source"]) == (
        "allocated",
        400,
        "2号仓库",
    )
    api.ok(G, f"{base}/{water}/deliver", {})  # supplies are used up: settled
    api.ok(G, f"{base}/{truck}/decline", {"note": "无车可派"})
    api.ok(G, f"{base}/{generator}/allocate", {"source": "抢修中心"})
    api.ok(G, f"{base}/{generator}/deliver", {"quantity": 1})
    [lent] = queue(api)["requests"]  # equipment comes back: still to chase
    assert (lent["request_id"], lent["state"], lent["delivered_quantity"]) == (
        generator,
        "delivered",
        1,
    )
    api.ok(G, f"{base}/{generator}/return", {})
    assert queue(api)["requests"] == []


def test_the_logistics_queue_is_for_logistics_leadership_auditors_and_admins(api: Api) -> None:
    complaint = api.verified()  # with a reporter who left a name, phone and email
    crisis = api.graded_crisis()
    ask_for(api, complaint, "compensation_goods", hours=2)
    ask_for(api, crisis, "personnel", hours=1)
    for role in Role:
        response = read(api, role, "/api/logistics")
        if role in (G, L, A, ADMIN):
            assert response.status_code == 200, response.text
            assert len(response.json()["requests"]) == 2
            for personal in (*COMPLAINT["reporter"].values(), COMPLAINT["description"]):
                assert personal not in response.text
        else:
            assert response.status_code == 403, role
            assert response.json()["error"] == "forbidden"
    [only] = queue(api, incident=complaint)["requests"]
    assert (only["incident_id"], only["severity"]) == (complaint, None)


def test_work_follows_its_incident_to_the_close_and_back(api: Api) -> None:
    complaint, crisis = api.verified(), api.graded_crisis("IV")
    order = issue(api, complaint, "responder-user", hours=2)
    request = ask_for(api, complaint, "equipment", hours=2)
    elsewhere = issue(api, crisis, "responder-user", hours=4)

    api.ok(L, f"/api/incidents/{complaint}/classify", {"severity": "III", "rationale": "扩散"})
    regraded = orders(api, R)["orders"][0]
    assert (regraded["severity"], regraded["incident_kind"]) == ("III", "crisis")
    assert queue(api)["requests"][0]["severity"] == "III"

    base = f"/api/incidents/{complaint}"
    api.ok(R, f"{base}/orders/{order}/complete", {"outcome": "已处置"})
    api.ok(G, f"{base}/logistics/{request}/decline", {"note": "不需要了"})
    api.ok(L, f"{base}/resolve", {"resolution": "fixed", "summary": "已修复"})
    api.ok(IN, f"{base}/notify", {"channel": "sms", "message": "已修复"})
    api.ok(L, f"{base}/close", {})
    assert [o["order_id"] for o in orders(api, R)["orders"]] == [elsewhere]
    assert queue(api)["requests"] == []

    api.ok(L, f"{base}/reopen", {"reason": "客户不满意"})
    again = issue(api, complaint, "responder-user", hours=1)
    mine = orders(api, R)["orders"]
    assert [o["order_id"] for o in mine] == [again, elsewhere]
    assert mine[0]["incident_status"] == "responding"
