"""The permission table, every role against every command, in the table and over HTTP."""

from uuid import uuid4

import pytest

from app.permissions import COMMAND_ROLES, may_run, may_run_on, sees_personal_data
from domain.vocabulary import Kind, Role
from tests.catalogue import ROUTES, Route, World, body_for
from tests.helpers import CRISIS, Api, auth

L, IN, R, G, S = (
    Role.LEADERSHIP,
    Role.INTAKE,
    Role.RESPONDER,
    Role.LOGISTICS,
    Role.SPOKESPERSON,
)
# DESIGN.md's "who uses it", command by command.
EXPECTED: dict[str, set[Role]] = {
    "report": {L, IN},
    "verify": {L, IN},
    "dismiss": {L, IN},
    "link": {L, IN},
    "classify": {L},
    "activate": {L},
    "assign_role": {L},
    "relieve_role": {L},
    "issue_order": {L},
    "acknowledge_order": {L, R, G},
    "progress_order": {L, R, G},
    "reassign_order": {L},
    "complete_order": {L, R, G},
    "cancel_order": {L},
    "post_response": {L, R, G},
    "request_logistics": {L, R, G},
    "allocate_logistics": {L, G},
    "deliver_logistics": {L, G},
    "return_logistics": {L, G},
    "decline_logistics": {L, G},
    "publish_statement": {L, S},
    "notify_customer": {L, IN},
    "record_callback": {L, IN},
    "resolve": {L, IN},
    "close": {L, IN},
    "reopen": {L, IN},
    "record_review": {L},
    "complete_improvement": {L},
    "erase_personal_data": {Role.ADMIN},
}


def test_the_table_covers_exactly_the_commands_of_the_contract() -> None:
    assert set(COMMAND_ROLES) == set(EXPECTED) == {route.command for route in ROUTES}


@pytest.mark.parametrize("command", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_run_exactly_its_commands(role: Role, command: str) -> None:
    assert may_run(role, command) is (role in EXPECTED[command])


def test_auditors_write_nothing_and_admins_only_erase_personal_data() -> None:
    assert not any(may_run(Role.AUDITOR, command) for command in COMMAND_ROLES)
    admins = {command for command in COMMAND_ROLES if may_run(Role.ADMIN, command)}
    assert admins == {"erase_personal_data"}


def test_responders_cannot_grade_order_or_publish() -> None:
    for command in ("classify", "issue_order", "publish_statement", "activate"):
        assert not may_run(Role.RESPONDER, command)


@pytest.mark.parametrize("command", ["resolve", "close", "reopen"])
def test_only_leadership_resolves_closes_or_reopens_a_crisis(command: str) -> None:
    assert may_run_on(Role.INTAKE, command, Kind.COMPLAINT)
    assert not may_run_on(Role.INTAKE, command, Kind.CRISIS)
    assert may_run_on(Role.LEADERSHIP, command, Kind.CRISIS)


@pytest.mark.parametrize("role", list(Role))
def test_personal_data_is_seen_only_by_those_who_contact_the_reporter(role: Role) -> None:
    assert sees_personal_data(role) is (role in {Role.LEADERSHIP, Role.INTAKE, Role.ADMIN})


@pytest.fixture
def world(api: Api) -> World:
    return World(
        complaint=api.report(),
        crisis=api.graded_crisis(),
        order=str(uuid4()),
        request=str(uuid4()),
        action=str(uuid4()),
    )


def send(api: Api, route: Route, world: World, role: Role | None, **headers: str) -> object:
    who = auth(api.tokens[role]) if role else {}
    return api.client.request(
        route.method,
        route.url(world),
        json=body_for(route, world),
        headers={**who, **headers},
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.command)
def test_over_http_every_role_gets_exactly_its_commands(
    api: Api, world: World, route: Route
) -> None:
    """A stale If-Match stops an allowed command right after the role check, so
    one world serves every role: allowed → 409 stale_version, refused → 403."""
    target_kind = Kind.COMPLAINT if "{complaint}" in route.path else Kind.CRISIS
    for role in Role:
        before = api.events_stored()
        response = send(api, route, world, role, **{"If-Match": "0"})
        allowed = may_run_on(role, route.command, target_kind)
        if route.command == "report":
            expected = 201 if allowed else 403
        else:
            expected = 409 if allowed else 403
        assert response.status_code == expected, (role, response.text)
        if expected == 403:
            assert response.json()["error"] == "forbidden"
        if expected != 201:
            assert api.events_stored() == before


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.command)
def test_over_http_nobody_acts_without_a_token(api: Api, world: World, route: Route) -> None:
    before = api.events_stored()
    response = send(api, route, world, None)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"
    assert api.events_stored() == before


def test_a_crisis_reported_by_intake_is_still_leaderships_to_close(api: Api) -> None:
    crisis = api.report(CRISIS, role=Role.INTAKE)
    response = api.post(Role.INTAKE, f"/api/incidents/{crisis}/close", {"note": ""})
    assert response.status_code == 403


def test_the_openapi_page_lists_every_command_with_its_headers(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    for route in ROUTES:
        path = route.path.replace("{crisis}", "{incident_id}").replace(
            "{complaint}", "{incident_id}"
        )
        path = path.replace("{order}", "{order_id}").replace("{request}", "{request_id}")
        path = path.replace("{action}", "{action_id}").replace(
            "/roles/spokesperson", "/roles/{role}"
        )
        operation = spec["paths"][path][route.method.lower()]
        headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert {"if-match", "idempotency-key"} <= headers, route.command
    assert api.client.get("/docs").status_code == 200
