"""Bad input on every command of the catalogue: a clear 4xx, a JSON error, nothing stored.

Each route meets a table of bad requests built from its schema (every field's
type, length, enum and zone) and from its path (ids, headers). A case that
came back otherwise is listed in the failure, so one run shows them all.
"""

import types
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin
from uuid import UUID, uuid4

import pytest
from pydantic import BaseModel

from app.api import schemas as s
from app.permissions import may_run
from domain.vocabulary import Role
from tests.catalogue import ROUTES, Route, World, body_for
from tests.helpers import Api, auth, in_hours

INVALID = "invalid_input"
SCHEMAS: dict[str, type[BaseModel]] = {
    "report": s.Report,
    "verify": s.Verify,
    "dismiss": s.Dismiss,
    "link": s.Link,
    "classify": s.Classify,
    "activate": s.Activate,
    "assign_role": s.AssignRole,
    "issue_order": s.IssueOrder,
    "progress_order": s.ProgressOrder,
    "reassign_order": s.ReassignOrder,
    "complete_order": s.CompleteOrder,
    "cancel_order": s.CancelOrder,
    "post_response": s.PostResponse,
    "request_logistics": s.RequestLogistics,
    "allocate_logistics": s.AllocateLogistics,
    "deliver_logistics": s.SettleLogistics,
    "return_logistics": s.SettleLogistics,
    "decline_logistics": s.DeclineLogistics,
    "publish_statement": s.PublishStatement,
    "notify_customer": s.NotifyCustomer,
    "record_callback": s.RecordCallback,
    "resolve": s.Resolve,
    "close": s.Close,
    "reopen": s.Reopen,
    "erase_personal_data": s.ErasePersonalData,
    "record_review": s.RecordReview,
    "complete_improvement": s.CompleteImprovement,
}
# A value of the wrong JSON type for each kind of field.
WRONG_TYPE: dict[type, Any] = {
    str: 12345,
    int: "many",
    bool: "maybe",
    list: "official_account",
    UUID: 12345,
    datetime: "soon",
}
OUT_OF_RANGE = [{"quantity": 0}, {"quantity": -1}]
NAIVE = "2026-11-26T08:00:00"
ACTION = {"description": "周期改为3个月", "owner": "水厂", "due": in_hours(720)}
# Values each field's type alone does not reach: ranges, list items, nested fields.
EXTRA_CASES: dict[str, list[dict[str, Any]]] = {
    "report": [{"reporter": {"name": "张三", "nickname": "小张"}}, {"reporter": {"phone": "x"}}],
    "classify": [{"severity": "iii"}],
    "progress_order": [{"percent": 101}, {"percent": -1}],
    "request_logistics": OUT_OF_RANGE,
    "allocate_logistics": OUT_OF_RANGE,
    "deliver_logistics": OUT_OF_RANGE,
    "return_logistics": OUT_OF_RANGE,
    "publish_statement": [{"channels": ["billboard"]}, {"channels": []}],
    "record_callback": [{"satisfaction": 0}, {"satisfaction": 6}],
    "record_review": [{"actions": [{**ACTION, "due": NAIVE}]}, {"actions": [{"owner": "水厂"}]}],
}
# JSON of another type that lax parsing would coerce: the schemas promise strict types.
COERCED: dict[str, list[dict[str, Any]]] = {
    "progress_order": [{"percent": "60"}, {"percent": True}],
    "request_logistics": [{"quantity": "200"}, {"quantity": True}],
    "record_callback": [{"satisfaction": "5"}, {"satisfaction": True}],
    "post_response": [{"customer_contacted": "yes"}, {"customer_contacted": 1}],
    "issue_order": [{"deadline": 4102444800}],
}
UNKNOWN = str(uuid4())
UNKNOWN_REFERENCE = {
    "link": {"parent_id": UNKNOWN},
    "dismiss": {"reason": "duplicate", "duplicate_of": UNKNOWN},
}
COMMANDS = {route.command: route for route in ROUTES}
# Each id a path may hold, and the error when it names nothing.
NOT_FOUND = {
    "complaint": "incident_not_found",
    "crisis": "incident_not_found",
    "order": "order_not_found",
    "request": "request_not_found",
    "action": "action_not_found",
}


@dataclass(frozen=True)
class Case:
    what: str
    status: int = 422
    code: str = INVALID
    body: Any = None
    content: bytes | None = None
    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def plain(annotation: Any) -> Any:
    """`Annotated[int, ...] | None` → int; `list[X]` → list."""
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return get_origin(annotation) or annotation


def body_cases(route: Route, valid: dict[str, Any]) -> list[Case]:
    cases = [
        Case("a body that is not JSON", content=b"{not json"),
        Case("a JSON list", body=[valid]),
        Case("an unknown field", body={**valid, "surprise": 1}),
    ]
    for name, info in SCHEMAS[route.command].model_fields.items():
        kind, changes = plain(info.annotation), []
        if info.is_required():
            cases.append(
                Case(f"{name} missing", body={k: v for k, v in valid.items() if k != name})
            )
            changes.append("   ")
        is_enum = isinstance(kind, type) and issubclass(kind, Enum)
        changes.append(12345 if is_enum else WRONG_TYPE.get(kind, "not an object"))
        changes += ["x" * 10_000] if kind is str else []
        changes += ["no_such_value"] if is_enum else []
        changes += [NAIVE] if kind is datetime else []
        cases += [Case(f"{name}={v!r:.30}", body={**valid, name: v}) for v in changes]
    extra = EXTRA_CASES.get(route.command, [])
    return cases + [Case(f"{c!r:.60}", body={**valid, **c}) for c in extra]


def path_cases(route: Route, world: World) -> list[Case]:
    """Ids in the path, the headers every command reads, incidents named in the body."""
    cases = [
        Case("If-Match: abc", 400, "bad_if_match", headers={"If-Match": "abc"}),
        Case("a 300-char key", 400, "bad_idempotency_key", headers={"Idempotency-Key": "k" * 300}),
    ]
    for name, code in NOT_FOUND.items():
        if f"{{{name}}}" in route.path:
            malformed, unknown = replace(world, **{name: "42"}), replace(world, **{name: UNKNOWN})
            cases.append(Case(f"a malformed {name} id", url=route.url(malformed)))
            cases.append(Case(f"an unknown {name}", 404, code, url=route.url(unknown)))
    if route.command == "relieve_role":
        janitor = route.url(world).replace("spokesperson", "janitor")
        cases.append(Case("an unknown post in the path", url=janitor))
    if route.command in UNKNOWN_REFERENCE:
        body = UNKNOWN_REFERENCE[route.command]
        cases.append(Case("an unknown incident in the body", 422, "unknown_incident", body=body))
    return cases


@pytest.fixture
def world(api: Api) -> World:
    crisis = api.graded_crisis()
    request = api.ok(
        Role.LEADERSHIP, f"/api/incidents/{crisis}/logistics", COMMANDS["request_logistics"].body
    )
    return World(api.report(), crisis, api.order(crisis), request["request_id"], str(uuid4()))


def run(api: Api, route: Route, world: World, cases: list[Case]) -> None:
    """Send every case as a role allowed to run the command (leadership, or the
    administrator for erasure); list each that came back wrong."""
    wrong = []
    role = Role.LEADERSHIP if may_run(Role.LEADERSHIP, route.command) else Role.ADMIN
    for case in cases:
        before = api.events_stored()
        headers = {**auth(api.tokens[role]), **case.headers}
        body = body_for(route, world) if case.body is None and case.content is None else case.body
        if case.content is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = api.client.request(
                route.method,
                case.url or route.url(world),
                json=body,
                content=case.content,
                headers=headers,
            )
        except Exception as error:  # the server failed: a 500 in production
            wrong.append(f"{case.what}: raised {error!r}")
            continue
        answer = (
            response.json() if response.headers.get("content-type") == "application/json" else {}
        )
        if (response.status_code, answer.get("error")) != (case.status, case.code):
            wrong.append(f"{case.what}: {response.status_code} {response.text[:200]}")
        elif not (isinstance(answer.get("detail"), str) and answer["detail"]):
            wrong.append(f"{case.what}: no detail in {answer}")
        if api.events_stored() != before:
            wrong.append(f"{case.what}: stored {api.events_stored() - before} event(s)")
    assert not wrong, "\n".join(wrong)


def test_the_schema_table_covers_every_command_with_a_body() -> None:
    assert set(SCHEMAS) == {route.command for route in ROUTES if route.body is not None}


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.body is not None], ids=lambda r: r.command
)
def test_a_malformed_body_is_422_invalid_input_and_stores_nothing(
    api: Api, world: World, route: Route
) -> None:
    run(api, route, world, body_cases(route, body_for(route, world) or {}))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.command)
def test_a_bad_id_header_or_reference_is_a_4xx_naming_it_and_stores_nothing(
    api: Api, world: World, route: Route
) -> None:
    run(api, route, world, path_cases(route, world))


@pytest.mark.parametrize("command", COERCED)
def test_text_or_true_where_a_number_flag_or_moment_is_expected_is_not_coerced(
    api: Api, world: World, command: str
) -> None:
    route, valid = COMMANDS[command], body_for(COMMANDS[command], world) or {}
    run(api, route, world, [Case(f"{c}", body={**valid, **c}) for c in COERCED[command]])


def test_an_if_match_too_long_to_be_a_version_is_400_not_a_server_error(
    api: Api, world: World
) -> None:
    too_long = Case("If-Match: 5000 digits", 400, "bad_if_match", headers={"If-Match": "9" * 5000})
    run(api, COMMANDS["verify"], world, [too_long])


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"version": "0"}, 422, INVALID),
        ({"version": "two"}, 422, INVALID),
        ({"version": "999"}, 404, "version_not_found"),
        ({"version": "9" * 30}, 422, "invalid_input"),
        ({"at": "not-a-date"}, 422, "bad_at"),
        ({"at": in_hours(0), "version": "1"}, 400, "version_or_at"),
        ({"at": "2000-01-01T00:00:00+08:00"}, 404, "not_reported_yet"),
        ({"at": NAIVE}, 422, "at_without_zone"),
    ],
    ids=lambda v: "&".join(f"{k}={x:.12}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_asking_for_an_incident_as_it_stood_needs_one_sensible_version_or_moment(
    api: Api, query: dict[str, str], status: int, code: str
) -> None:
    incident = api.report()
    before = api.events_stored()
    response = api.client.get(
        f"/api/incidents/{incident}", params=query, headers=auth(api.tokens[Role.AUDITOR])
    )
    assert (response.status_code, response.json()["error"]) == (status, code), response.text
    assert response.json()["detail"]
    assert api.events_stored() == before
