"""`Idempotency-Key` and `If-Match` as DESIGN.md says, also under concurrent requests."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from domain.vocabulary import Role
from tests.helpers import COMPLAINT, Api, in_hours

ORDER = {"assignee": "检测中心", "instruction": "五点取样", "deadline": in_hours(2)}


def test_a_retried_report_returns_the_first_answer_and_stores_nothing_new(api: Api) -> None:
    first = api.post(Role.INTAKE, "/api/incidents", COMPLAINT, **{"Idempotency-Key": "call-1"})
    stored = api.events_stored()
    again = api.post(Role.INTAKE, "/api/incidents", COMPLAINT, **{"Idempotency-Key": "call-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert api.events_stored() == stored
    assert len(api.board()["rows"]) == 1


def test_a_retried_order_returns_the_same_order_id(api: Api) -> None:
    crisis = api.graded_crisis()
    path = f"/api/incidents/{crisis}/orders"
    first = api.post(Role.LEADERSHIP, path, ORDER, **{"Idempotency-Key": "order-1"})
    stored = api.events_stored()
    again = api.post(Role.LEADERSHIP, path, ORDER, **{"Idempotency-Key": "order-1"})
    assert again.status_code == 201
    assert again.json() == first.json()
    assert "order_id" in again.json()
    assert api.events_stored() == stored
    assert len(api.get(Role.LEADERSHIP, f"/api/incidents/{crisis}").json()["orders"]) == 1


def test_a_retry_after_later_changes_still_gets_its_own_first_answer(api: Api) -> None:
    incident = api.report()
    path = f"/api/incidents/{incident}/verify"
    first = api.post(Role.INTAKE, path, {"note": "回拨确认"}, **{"Idempotency-Key": "v-1"})
    api.ok(
        Role.LEADERSHIP, f"/api/incidents/{incident}/classify", {"severity": "IV", "rationale": "r"}
    )
    again = api.post(Role.INTAKE, path, {"note": "回拨确认"}, **{"Idempotency-Key": "v-1"})
    # Verifying twice would be refused; the retry is answered, not re-run.
    assert again.status_code == 200
    assert again.json() == first.json()


def test_a_key_reused_for_a_different_request_is_refused(api: Api) -> None:
    api.post(Role.INTAKE, "/api/incidents", COMPLAINT, **{"Idempotency-Key": "k"})
    stored = api.events_stored()
    other = {**COMPLAINT, "title": "水压低"}
    response = api.post(Role.INTAKE, "/api/incidents", other, **{"Idempotency-Key": "k"})
    assert response.status_code == 422
    assert response.json()["error"] == "idempotency_key_reused"
    assert api.events_stored() == stored


def test_keys_belong_to_the_user_who_sent_them(api: Api) -> None:
    mine = api.post(Role.INTAKE, "/api/incidents", COMPLAINT, **{"Idempotency-Key": "same"})
    theirs = api.post(Role.LEADERSHIP, "/api/incidents", COMPLAINT, **{"Idempotency-Key": "same"})
    assert mine.json()["id"] != theirs.json()["id"]
    assert len(api.board()["rows"]) == 2


def test_concurrent_twins_with_one_key_store_one_event_and_get_one_answer(api: Api) -> None:
    crisis = api.graded_crisis()
    stored = api.events_stored()

    def send(_: int) -> Any:
        return api.post(
            Role.LEADERSHIP, f"/api/incidents/{crisis}/orders", ORDER, **{"Idempotency-Key": "t"}
        ).json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(8)))
    assert all(answer == answers[0] for answer in answers)
    assert api.events_stored() == stored + 1


def test_concurrent_twin_reports_with_one_key_open_one_incident(api: Api) -> None:
    def send(_: int) -> Any:
        return api.post(
            Role.INTAKE, "/api/incidents", COMPLAINT, **{"Idempotency-Key": "twin"}
        ).json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(8)))
    assert all(answer == answers[0] for answer in answers)
    assert api.events_stored() == 1


def test_two_writers_racing_with_if_match_one_wins_the_other_gets_409(api: Api) -> None:
    crisis = api.graded_crisis()
    version = api.get(Role.LEADERSHIP, f"/api/incidents/{crisis}").json()["version"]

    def send(n: int) -> int:
        body = {**ORDER, "assignee": f"抢修{n}队"}
        response = api.post(
            Role.LEADERSHIP, f"/api/incidents/{crisis}/orders", body, **{"If-Match": str(version)}
        )
        return int(response.status_code)

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(send, range(2)))
    assert statuses == [201, 409]
    shown = api.get(Role.LEADERSHIP, f"/api/incidents/{crisis}").json()
    assert shown["version"] == version + 1
    assert len(shown["orders"]) == 1


def test_a_stale_if_match_names_both_versions(api: Api) -> None:
    incident = api.report()
    response = api.post(Role.INTAKE, f"/api/incidents/{incident}/verify", {}, **{"If-Match": '"7"'})
    assert response.status_code == 409
    assert response.json()["error"] == "stale_version"
    assert "7" in response.json()["detail"] and "1" in response.json()["detail"]
