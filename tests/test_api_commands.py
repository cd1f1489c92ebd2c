"""Every command over HTTP against the real store: success, and each way it is refused."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from domain.vocabulary import Role
from tests.helpers import COMPLAINT, CRISIS, Api, auth, in_hours


def refused(api: Api, response: Any, status: int, code: str, stored_before: int) -> None:
    """A refused command answers the status and code, and stores nothing."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    assert body["detail"]
    assert api.events_stored() == stored_before


def test_a_report_answers_id_version_and_log_position(api: Api) -> None:
    response = api.post(Role.INTAKE, "/api/incidents", COMPLAINT)
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1
    assert body["position"] == api.events_stored()
    shown = api.get(Role.INTAKE, f"/api/incidents/{body['id']}").json()
    assert shown["title"] == COMPLAINT["title"]
    assert shown["status"] == "reported"
    assert shown["reporter"]["phone"] == "13812345678"


def test_a_request_without_a_valid_token_is_401(api: Api, client: TestClient) -> None:
    before = api.events_stored()
    refused(api, client.post("/api/incidents", json=COMPLAINT), 401, "unauthenticated", before)
    refused(
        api,
        client.post("/api/incidents", json=COMPLAINT, headers=auth("icc_forged")),
        401,
        "unauthenticated",
        before,
    )
    assert client.get("/api/board").status_code == 401


@pytest.mark.parametrize(
    "role", [Role.RESPONDER, Role.LOGISTICS, Role.SPOKESPERSON, Role.AUDITOR, Role.ADMIN]
)
def test_only_intake_and_leadership_register_reports(api: Api, role: Role) -> None:
    refused(api, api.post(role, "/api/incidents", COMPLAINT), 403, "forbidden", 0)


def test_the_role_is_checked_before_the_body(api: Api) -> None:
    refused(api, api.post(Role.AUDITOR, "/api/incidents", {"nonsense": True}), 403, "forbidden", 0)


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "rumour"},
        {"channel": "pigeon"},
        {"title": ""},
        {"title": "长" * 201},
        {"description": "x" * 4001},
        {"title": 42},
        {"reporter": {"name": "张三", "phone": "call me"}},
        {"reporter": {"email": "not-an-address"}},
        {"received_at": "2026-11-26T08:00:00"},
        {"received_at": "yesterday"},
        {"unknown_field": 1},
    ],
)
def test_bad_report_input_is_422_naming_the_field(api: Api, change: dict[str, Any]) -> None:
    response = api.post(Role.INTAKE, "/api/incidents", {**COMPLAINT, **change})
    refused(api, response, 422, "invalid_input", 0)
    assert response.json()["fields"]


def test_a_body_that_is_not_json_is_422(
    api: Api, client: TestClient, tokens: dict[Role, str]
) -> None:
    response = client.post(
        "/api/incidents",
        content=b"{not json",
        headers={**auth(tokens[Role.INTAKE]), "Content-Type": "application/json"},
    )
    refused(api, response, 422, "invalid_input", 0)


def test_a_report_received_in_the_future_is_422(api: Api) -> None:
    response = api.post(Role.INTAKE, "/api/incidents", {**COMPLAINT, "received_at": in_hours(3)})
    refused(api, response, 422, "received_in_future", 0)


def test_verify_once_then_409(api: Api) -> None:
    incident = api.report()
    assert (
        api.post(Role.INTAKE, f"/api/incidents/{incident}/verify", {"note": "ok"}).json()["version"]
        == 2
    )
    before = api.events_stored()
    again = api.post(Role.INTAKE, f"/api/incidents/{incident}/verify", {"note": "again"})
    refused(api, again, 409, "already_verified", before)


def test_a_command_on_an_unknown_incident_is_404(api: Api) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    refused(
        api,
        api.post(Role.INTAKE, f"/api/incidents/{unknown}/verify", {}),
        404,
        "incident_not_found",
        0,
    )
    refused(api, api.get(Role.INTAKE, f"/api/incidents/{unknown}"), 404, "incident_not_found", 0)


def test_an_id_that_is_not_a_uuid_is_422(api: Api) -> None:
    refused(api, api.post(Role.INTAKE, "/api/incidents/42/verify", {}), 422, "invalid_input", 0)


def test_responders_cannot_grade(api: Api) -> None:
    crisis = api.verified(CRISIS)
    before = api.events_stored()
    body = {"severity": "II", "rationale": "r"}
    refused(
        api,
        api.post(Role.RESPONDER, f"/api/incidents/{crisis}/classify", body),
        403,
        "forbidden",
        before,
    )
    refused(
        api,
        api.post(Role.INTAKE, f"/api/incidents/{crisis}/classify", body),
        403,
        "forbidden",
        before,
    )


def test_grading_an_unverified_report_is_409(api: Api) -> None:
    incident = api.report(CRISIS)
    response = api.post(
        Role.LEADERSHIP,
        f"/api/incidents/{incident}/classify",
        {"severity": "III", "rationale": "r"},
    )
    refused(api, response, 409, "not_verified", 1)


def test_an_unknown_severity_is_422(api: Api) -> None:
    crisis = api.verified(CRISIS)
    response = api.post(
        Role.LEADERSHIP, f"/api/incidents/{crisis}/classify", {"severity": "V", "rationale": "r"}
    )
    refused(api, response, 422, "invalid_input", 2)


def test_grading_a_complaint_makes_it_a_crisis(api: Api) -> None:
    incident = api.verified()
    api.ok(
        Role.LEADERSHIP,
        f"/api/incidents/{incident}/classify",
        {"severity": "IV", "rationale": "食品安全，单例"},
    )
    shown = api.get(Role.LEADERSHIP, f"/api/incidents/{incident}").json()
    assert (shown["kind"], shown["severity"], shown["status"]) == ("crisis", "IV", "responding")


def test_an_order_answers_its_id_and_appears_on_the_incident(api: Api) -> None:
    crisis = api.graded_crisis()
    order_id = api.order(crisis)
    shown = api.get(Role.LEADERSHIP, f"/api/incidents/{crisis}").json()
    assert [o["order_id"] for o in shown["orders"]] == [order_id]
    assert shown["orders"][0]["status"] == "issued"


def test_an_order_on_an_ungraded_crisis_is_409(api: Api) -> None:
    crisis = api.verified(CRISIS)
    response = api.post(
        Role.LEADERSHIP,
        f"/api/incidents/{crisis}/orders",
        {"assignee": "a", "instruction": "i", "deadline": in_hours(1)},
    )
    refused(api, response, 409, "crisis_not_graded", 2)


def test_only_leadership_issues_orders(api: Api) -> None:
    crisis = api.graded_crisis()
    body = {"assignee": "a", "instruction": "i", "deadline": in_hours(1)}
    for role in (Role.INTAKE, Role.RESPONDER, Role.SPOKESPERSON, Role.AUDITOR):
        refused(api, api.post(role, f"/api/incidents/{crisis}/orders", body), 403, "forbidden", 3)


@pytest.mark.parametrize(
    ("deadline", "code"),
    [(in_hours(-1), "deadline_in_past"), ("2026-11-26T08:00:00", "invalid_input")],
)
def test_an_order_deadline_must_be_a_future_moment_with_a_zone(
    api: Api, deadline: str, code: str
) -> None:
    crisis = api.graded_crisis()
    response = api.post(
        Role.LEADERSHIP,
        f"/api/incidents/{crisis}/orders",
        {"assignee": "a", "instruction": "i", "deadline": deadline},
    )
    refused(api, response, 422, code, 3)


def test_a_responder_completes_an_order_once(api: Api) -> None:
    crisis = api.graded_crisis()
    order_id = api.order(crisis)
    path = f"/api/incidents/{crisis}/orders/{order_id}/complete"
    api.ok(Role.RESPONDER, path, {"outcome": "浊度 3.2 NTU"})
    before = api.events_stored()
    refused(
        api, api.post(Role.RESPONDER, path, {"outcome": "again"}), 409, "order_not_open", before
    )


def test_completing_an_unknown_order_is_404(api: Api) -> None:
    crisis = api.graded_crisis()
    path = f"/api/incidents/{crisis}/orders/00000000-0000-4000-8000-000000000000/complete"
    refused(api, api.post(Role.RESPONDER, path, {"outcome": "x"}), 404, "order_not_found", 3)


def test_responses_are_posted_with_when_they_really_happened(api: Api) -> None:
    incident = api.verified()
    occurred = in_hours(-0.5)
    body = {"note": "已到达现场", "status": "on_scene", "occurred_at": occurred}
    assert api.post(Role.RESPONDER, f"/api/incidents/{incident}/responses", body).status_code == 201
    shown = api.get(Role.LEADERSHIP, f"/api/incidents/{incident}").json()
    assert shown["last_update"] == "已到达现场"
    before = api.events_stored()
    refused(
        api,
        api.post(
            Role.RESPONDER, f"/api/incidents/{incident}/responses", {**body, "status": "napping"}
        ),
        422,
        "invalid_input",
        before,
    )
    refused(
        api,
        api.post(Role.AUDITOR, f"/api/incidents/{incident}/responses", body),
        403,
        "forbidden",
        before,
    )


def test_a_response_before_verification_is_409(api: Api) -> None:
    incident = api.report()
    response = api.post(
        Role.RESPONDER, f"/api/incidents/{incident}/responses", {"note": "n", "status": "en_route"}
    )
    refused(api, response, 409, "not_verified", 1)


def test_resolve_waits_for_open_orders_and_close_waits_for_resolve(api: Api) -> None:
    crisis = api.graded_crisis()
    order_id = api.order(crisis)
    resolution = {"resolution": "fixed", "summary": "滤料已更换"}
    refused(
        api, api.post(Role.LEADERSHIP, f"/api/incidents/{crisis}/close", {}), 409, "not_resolved", 4
    )
    refused(
        api,
        api.post(Role.LEADERSHIP, f"/api/incidents/{crisis}/resolve", resolution),
        409,
        "orders_open",
        4,
    )
    api.ok(Role.RESPONDER, f"/api/incidents/{crisis}/orders/{order_id}/complete", {"outcome": "ok"})
    api.ok(Role.LEADERSHIP, f"/api/incidents/{crisis}/resolve", resolution)
    api.ok(Role.LEADERSHIP, f"/api/incidents/{crisis}/close", {"note": "结案"})
    assert api.get(Role.AUDITOR, f"/api/incidents/{crisis}").json()["status"] == "closed"


def test_intake_closes_everyday_cases_but_not_a_crisis(api: Api) -> None:
    inquiry = api.verified({**COMPLAINT, "kind": "inquiry", "title": "社保窗口周末办公吗"})
    api.ok(
        Role.INTAKE,
        f"/api/incidents/{inquiry}/resolve",
        {"resolution": "explained", "summary": "周六上午办公"},
    )
    api.ok(
        Role.INTAKE,
        f"/api/incidents/{inquiry}/notify",
        {"channel": "phone", "message": "周六上午办公"},
    )
    api.ok(Role.INTAKE, f"/api/incidents/{inquiry}/close", {})
    crisis = api.graded_crisis()
    before = api.events_stored()
    refused(
        api,
        api.post(
            Role.INTAKE, f"/api/incidents/{crisis}/resolve", {"resolution": "fixed", "summary": "s"}
        ),
        403,
        "forbidden",
        before,
    )


def test_a_complaint_links_to_a_crisis(api: Api) -> None:
    crisis = api.graded_crisis()
    complaint = api.verified()
    api.ok(Role.INTAKE, f"/api/incidents/{complaint}/link", {"parent_id": crisis})
    assert api.get(Role.INTAKE, f"/api/incidents/{complaint}").json()["parent_id"] == crisis
    other = api.verified()
    before = api.events_stored()
    refused(
        api,
        api.post(Role.INTAKE, f"/api/incidents/{complaint}/link", {"parent_id": other}),
        409,
        "parent_not_crisis",
        before,
    )
    refused(
        api,
        api.post(
            Role.INTAKE,
            f"/api/incidents/{complaint}/link",
            {"parent_id": "00000000-0000-4000-8000-000000000000"},
        ),
        422,
        "unknown_incident",
        before,
    )


def test_if_match_turns_a_stale_write_into_409(api: Api) -> None:
    incident = api.report()
    path = f"/api/incidents/{incident}/verify"
    refused(api, api.post(Role.INTAKE, path, {}, **{"If-Match": "7"}), 409, "stale_version", 1)
    refused(api, api.post(Role.INTAKE, path, {}, **{"If-Match": "seven"}), 400, "bad_if_match", 1)
    assert api.post(Role.INTAKE, path, {}, **{"If-Match": '"1"'}).status_code == 200


def test_personal_data_is_masked_for_roles_that_do_not_need_it(api: Api) -> None:
    incident = api.verified()
    for role in (Role.RESPONDER, Role.AUDITOR, Role.LOGISTICS, Role.SPOKESPERSON):
        reporter = api.get(role, f"/api/incidents/{incident}").json()["reporter"]
        assert reporter == {"name": "张**", "phone": "138****5678", "email": "z***@example.cn"}
    for role in (Role.INTAKE, Role.LEADERSHIP):
        assert api.get(role, f"/api/incidents/{incident}").json()["reporter"]["name"] == "张桂英"


def test_an_incident_reads_as_it_stood_at_an_earlier_version(api: Api) -> None:
    crisis = api.graded_crisis()
    api.order(crisis)
    then = api.get(Role.AUDITOR, f"/api/incidents/{crisis}?version=2").json()
    assert (then["version"], then["status"], then["severity"], then["orders"]) == (
        2,
        "verified",
        None,
        [],
    )
    refused(
        api,
        api.get(Role.AUDITOR, f"/api/incidents/{crisis}?version=99"),
        404,
        "version_not_found",
        4,
    )
    refused(
        api, api.get(Role.AUDITOR, f"/api/incidents/{crisis}?version=0"), 422, "invalid_input", 4
    )


def test_a_body_over_the_limit_is_refused_with_413_and_stores_nothing(api: Api) -> None:
    huge = {**COMPLAINT, "description": "水" * 300_000}
    response = api.post(Role.INTAKE, "/api/incidents", huge)
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"
    assert api.events_stored() == 0
