"""The evaluation figures over HTTP, for a date range, from cases with known times."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.vocabulary import Role
from tests.helpers import COMPLAINT, Api, MovableClock, auth

L, IN, R = Role.LEADERSHIP, Role.INTAKE, Role.RESPONDER
START = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
MINUTE = 60.0  # seconds
NOVEMBER = ("2026-11-01", "2026-12-01")
RUMOUR = {**COMPLAINT, "channel": "social", "category": "网络谣言", "title": "听说水厂被投毒"}
LOW_PRESSURE = {**COMPLAINT, "category": "供水水压", "title": "水压低"}


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


def figures(api: Api, since: str = "", until: str = "", role: Role = Role.AUDITOR) -> Any:
    """The figures once the views hold every event stored so far (the board waits for all)."""
    api.board()
    query = {name: value for name, value in (("from", since), ("to", until)) if value}
    return api.client.get("/api/figures", params=query, headers=auth(api.tokens[role]))


def november(api: Api) -> dict[str, Any]:
    response = figures(api, *NOVEMBER)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


class Clocked:
    """Commands on incidents at minutes counted from START."""

    def __init__(self, api: Api, clock: MovableClock) -> None:
        self.api, self.clock = api, clock

    def at(self, minutes: float) -> "Clocked":
        self.clock.now = START + timedelta(minutes=minutes)
        return self

    def ok(self, role: Role, incident: str, tail: str, body: Any = None) -> dict[str, Any]:
        return self.api.ok(role, f"/api/incidents/{incident}{tail}", body)

    def deadline(self, minutes: float) -> str:
        return (START + timedelta(minutes=minutes)).isoformat()

    def order(self, incident: str, assignee: str, due_minutes: float) -> str:
        body = {"assignee": assignee, "instruction": "处置", "deadline": self.deadline(due_minutes)}
        order_id: str = self.ok(L, incident, "/orders", body)["order_id"]
        return order_id

    def respond(self, incident: str) -> None:
        self.ok(R, incident, "/responses", {"note": "已到达现场", "status": "on_scene"})

    def resolve(self, incident: str, resolution: str, role: Role = IN) -> None:
        self.ok(role, incident, "/resolve", {"resolution": resolution, "summary": "已处理"})

    def callback(self, incident: str, satisfaction: int) -> None:
        body = {"satisfaction": satisfaction, "via": "phone"}
        self.ok(IN, incident, "/callbacks", body)

    def complete(self, incident: str, order_id: str) -> None:
        self.ok(R, incident, f"/orders/{order_id}/complete", {"outcome": "完成"})


def a_month_of_cases(api: Api, clock: MovableClock) -> None:
    """Three complaints, a rumour and a crisis with two orders, all received at START."""
    c = Clocked(api, clock).at(0)
    first, second, third = api.verified(), api.verified(), api.verified(LOW_PRESSURE)
    rumour = api.report(RUMOUR)
    c.ok(IN, rumour, "/dismiss", {"reason": "rumour", "note": "已澄清"})
    crisis = api.graded_crisis("II")
    sampling = c.order(crisis, "检测中心", due_minutes=60)
    repair = c.order(crisis, "抢修队", due_minutes=30)
    c.at(10).respond(first)
    c.at(20).respond(second)
    c.complete(crisis, sampling)  # 40 minutes early
    c.at(30).respond(third)
    c.at(40).respond(crisis)
    c.complete(crisis, repair)  # 10 minutes late
    c.at(50).resolve(first, "explained")
    c.at(90).resolve(second, "fixed")
    c.at(100).resolve(crisis, "fixed", role=L)
    c.at(120).callback(first, 5)
    c.callback(second, 2)
    c.ok(IN, second, "/reopen", {"reason": "回访不满意"})
    c.at(150).resolve(second, "compensated")  # the second resolution keeps the first time


def test_the_figures_of_a_known_month(api: Api, clock: MovableClock) -> None:
    a_month_of_cases(api, clock)
    shown = november(api)
    assert (shown["from"], shown["to"]) == (
        "2026-11-01T00:00:00+00:00",
        "2026-12-01T00:00:00+00:00",
    )
    assert shown["reports"] == 5
    assert shown["by_kind"] == {"complaint": 4, "crisis": 1}
    assert shown["by_channel"] == {"hotline": 3, "social": 1, "monitoring": 1}
    assert shown["by_category"] == {"供水水质": 3, "供水水压": 1, "网络谣言": 1}
    assert shown["by_severity"] == {"II": 1, "ungraded": 4}
    assert shown["by_resolution"] == {"explained": 1, "compensated": 1, "fixed": 1}
    assert shown["time_to_first_response"] == {
        "count": 4,
        "median": 25 * MINUTE,
        "p90": 40 * MINUTE,
    }
    assert shown["time_to_resolve"] == {"count": 3, "median": 90 * MINUTE, "p90": 100 * MINUTE}
    assert shown["orders_on_time"] == {
        "count": 1,
        "of": 2,
        "share": 0.5,
        "by_assignee": {
            "抢修队": {"count": 0, "of": 1, "share": 0.0},
            "检测中心": {"count": 1, "of": 1, "share": 1.0},
        },
    }
    assert shown["satisfaction"] == {
        "count": 2,
        "average": 3.5,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1},
    }
    assert shown["reopen_rate"] == {"count": 1, "of": 3, "share": 0.3333}
    assert shown["rumour_share"] == {"count": 1, "of": 5, "share": 0.2}


def test_a_range_with_no_reports_has_empty_figures(api: Api, clock: MovableClock) -> None:
    a_month_of_cases(api, clock)
    response = figures(api, "2026-10-01", "2026-11-01")
    shown = response.json()
    assert (shown["reports"], shown["by_kind"], shown["by_severity"]) == (0, {}, {})
    assert shown["time_to_resolve"] == {"count": 0, "median": None, "p90": None}
    assert shown["satisfaction"]["average"] is None
    assert shown["rumour_share"] == {"count": 0, "of": 0, "share": None}


def received(api: Api, moment: str, title: str) -> None:
    api.report({**COMPLAINT, "title": title, "received_at": moment})


def titles_counted(api: Api, since: str, until: str) -> int:
    response = figures(api, since, until)
    assert response.status_code == 200, response.text
    count: int = response.json()["reports"]
    return count


def test_only_reports_received_in_from_up_to_to_are_counted(api: Api) -> None:
    received(api, "2026-10-31T23:59:59+00:00", "十月最后一秒")
    received(api, "2026-11-01T07:30:00+08:00", "北京时间十一月一日早上")  # 10-31 23:30 UTC
    received(api, "2026-11-01T00:00:00+00:00", "十一月第一刻")
    received(api, "2026-11-05T00:00:00Z", "十一月五日零点")
    assert titles_counted(api, "2026-11-01", "2026-11-05") == 1
    assert titles_counted(api, "2026-11-01", "2026-11-06") == 2
    assert titles_counted(api, "2026-11-01T00:00:00+08:00", "2026-11-05") == 3
    assert titles_counted(api, "2026-10-31T23:59:59Z", "2026-11-01T00:00:00Z") == 1
    assert titles_counted(api, "2026-10-01", "2026-12-01") == 4


def test_a_zone_offset_typed_unescaped_in_the_address_is_read_as_an_offset(api: Api) -> None:
    received(api, "2026-11-01T07:30:00+08:00", "北京时间十一月一日早上")
    api.board()
    url = "/api/figures?from=2026-11-01T00:00:00+08:00&to=2026-11-02T00:00:00+08:00"
    response = api.client.get(url, headers=auth(api.tokens[Role.AUDITOR]))
    assert response.status_code == 200, response.text
    assert response.json()["reports"] == 1
    assert response.json()["from"] == "2026-11-01T00:00:00+08:00"


def test_without_a_range_the_figures_cover_the_last_30_days(api: Api, clock: MovableClock) -> None:
    received(api, (START - timedelta(days=31)).isoformat(), "三十一天前")
    received(api, (START - timedelta(days=29)).isoformat(), "二十九天前")
    clock.advance(minutes=1)
    shown = figures(api).json()
    assert shown["reports"] == 1
    assert shown["to"] == (START + timedelta(minutes=1)).isoformat()
    assert shown["from"] == (START + timedelta(minutes=1) - timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("since", "until", "code"),
    [
        ("2026-11-05", "2026-11-05", "empty_range"),
        ("2026-11-06", "2026-11-05", "empty_range"),
        ("2026-11-01T08:00:00+08:00", "2026-11-01T00:00:00Z", "empty_range"),
        ("2026-13-01", "2026-12-01", "bad_from"),
        ("2026-11-01", "next tuesday", "bad_to"),
        ("2026-11-01T08:00:00", "2026-12-01", "from_without_zone"),
        ("2026-11-01", "2026-12-01T08:00", "to_without_zone"),
    ],
)
def test_a_range_that_cannot_be_read_is_422(api: Api, since: str, until: str, code: str) -> None:
    response = figures(api, since, until)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == code
    assert response.json()["detail"]


def test_leadership_auditors_and_admins_read_the_figures_and_no_one_else(api: Api) -> None:
    api.report()
    for role in Role:
        response = figures(api, *NOVEMBER, role=role)
        allowed = role in (Role.LEADERSHIP, Role.AUDITOR, Role.ADMIN)
        assert response.status_code == (200 if allowed else 403), (role, response.text)
        if not allowed:
            assert response.json()["error"] == "forbidden"
    anonymous = api.client.get("/api/figures")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"] == "unauthenticated"


def test_only_due_orders_count_towards_orders_on_time(api: Api, clock: MovableClock) -> None:
    c = Clocked(api, clock).at(0)
    crisis = api.graded_crisis("III")
    c.order(crisis, "一队", due_minutes=30)  # open, will be past its deadline
    c.order(crisis, "二队", due_minutes=120)  # open, not yet due
    cancelled = c.order(crisis, "三队", due_minutes=10)
    c.ok(L, crisis, f"/orders/{cancelled}/cancel", {"reason": "重复指令"})
    c.at(20)
    assert november(api)["orders_on_time"] == {
        "count": 0,
        "of": 0,
        "share": None,
        "by_assignee": {},
    }
    c.at(60)
    assert november(api)["orders_on_time"] == {
        "count": 0,
        "of": 1,
        "share": 0.0,
        "by_assignee": {"一队": {"count": 0, "of": 1, "share": 0.0}},
    }


def test_an_order_reassigned_counts_for_its_last_assignee(api: Api, clock: MovableClock) -> None:
    c = Clocked(api, clock).at(0)
    crisis = api.graded_crisis("III")
    order_id = c.order(crisis, "一队", due_minutes=30)
    body = {"assignee": "二队", "reason": "一队在外"}
    c.ok(L, crisis, f"/orders/{order_id}/reassign", body)
    c.at(25).complete(crisis, order_id)
    assert november(api)["orders_on_time"]["by_assignee"] == {
        "二队": {"count": 1, "of": 1, "share": 1.0}
    }


def test_the_90th_percentile_is_the_nearest_rank(api: Api, clock: MovableClock) -> None:
    c = Clocked(api, clock)
    for n in range(1, 13):
        c.at(0)
        complaint = api.verified({**COMPLAINT, "title": f"投诉{n}"})
        c.at(n).resolve(complaint, "explained")
    spread = november(api)["time_to_resolve"]
    assert spread == {"count": 12, "median": 6.5 * MINUTE, "p90": 11 * MINUTE}


def test_the_incidents_behind_the_figures_are_listed_newest_first_to_be_opened(api: Api) -> None:
    received(api, "2026-11-02T08:00:00+00:00", "二日早上")
    received(api, "2026-11-03T08:00:00+00:00", "三日早上")
    received(api, "2026-10-30T08:00:00+00:00", "十月")
    listed = figures(api, "2026-11-01", "2026-12-01").json()["incidents"]
    assert [i["title"] for i in listed] == ["三日早上", "二日早上"]
    first = listed[0]
    assert first["kind"] == "complaint" and first["received_at"].startswith("2026-11-03T08:00")
    opened = api.get(Role.AUDITOR, f"/api/incidents/{first['id']}")
    assert opened.json()["title"] == "三日早上"
