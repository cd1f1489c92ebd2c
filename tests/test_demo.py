"""The demo (`icc serve --demo`) as a newcomer meets it: every feature of the
domain shows up somewhere, written through the real use cases into a real store."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from app.application import IncidentApp, utc_now
from app.bootstrap import Store, open_store
from app.config import Settings
from app.demo import DEMO_USERS, demo_tokens, load_demo
from domain.incident import Incident, ResponsePosted
from domain.leadership import Classified
from domain.vocabulary import (
    CommandRole,
    DismissReason,
    Kind,
    LogisticsStatus,
    OrderStatus,
    Resource,
    Role,
    Severity,
    StatementChannel,
    Status,
)


@dataclass
class Loaded:
    store: Store
    events: int
    incidents: list[Incident]
    database: Path

    @property
    def app(self) -> IncidentApp:
        return self.store.incidents

    def history(self, incident_id: UUID) -> list[Any]:
        return list(self.app.events.get(incident_id))

    def titled(self, title: str) -> Incident:
        return next(i for i in self.incidents if i.title == title)


def open_demo(database: Path) -> Loaded:
    store = open_store(Settings(database=str(database)))
    events = load_demo(store.incidents)
    notifications = store.incidents.recorder.select_notifications(start=1, limit=10_000)
    ids = dict.fromkeys(UUID(str(n.originator_id)) for n in notifications)
    return Loaded(store, events, [store.incidents.get_incident(i) for i in ids], database)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    loaded = open_demo(tmp_path_factory.mktemp("demo") / "d.db")
    yield loaded
    loaded.store.close()


def test_the_water_crisis_went_all_the_way_to_its_review(demo: Loaded) -> None:
    crisis = demo.titled("3号加压泵站浊度报警")
    assert (crisis.kind, crisis.severity, crisis.status) == (
        Kind.CRISIS,
        Severity.III,
        Status.REVIEWED,
    )
    assert crisis.plan is not None and crisis.commander == "王主任"
    assert CommandRole.SPOKESPERSON in crisis.roles
    assert [o.status for o in crisis.orders.values()] == [OrderStatus.COMPLETED] * 3
    assert all(o.completed_at and o.completed_at <= o.deadline for o in crisis.orders.values())

    bottled = next(r for r in crisis.logistics.values() if r.resource is Resource.SUPPLIES)
    assert (bottled.quantity, bottled.source, bottled.status) == (
        200,
        "2号仓库",
        LogisticsStatus.DELIVERED,
    )
    [statement] = crisis.statements
    assert set(statement.channels) == {
        StatementChannel.OFFICIAL_ACCOUNT,
        StatementChannel.HOTLINE_IVR,
        StatementChannel.COMMUNITY_NOTICE,
    }
    assert crisis.review is not None and "维护周期过长" in crisis.review.root_cause
    assert sorted(a.is_done for a in crisis.improvements.values()) == [False, True]


def test_a_late_field_update_keeps_when_it_really_happened(demo: Loaded) -> None:
    crisis = demo.titled("3号加压泵站浊度报警")
    late = [
        e
        for e in demo.history(crisis.id)
        if isinstance(e, ResponsePosted) and e.occurred_at is not None
    ]
    assert late and all(e.occurred_at is not None and e.occurred_at < e.at for e in late)


def test_complaints_are_linked_dismissed_called_back_and_one_reopened(demo: Loaded) -> None:
    crisis = demo.titled("3号加压泵站浊度报警")
    linked = [i for i in demo.incidents if i.parent_id == crisis.id]
    assert len(linked) == 3 and all(i.status is Status.CLOSED for i in linked)

    dismissed = {i.dismiss_reason: i for i in demo.incidents if i.status is Status.DISMISSED}
    assert "投毒" in dismissed[DismissReason.RUMOUR].title
    assert dismissed[DismissReason.DUPLICATE].duplicate_of in {i.id for i in linked}

    [reopened] = [i for i in linked if i.reopened]
    scores = [c.satisfaction for c in reopened.callbacks]
    assert scores[0] == 2 and scores[-1] >= 4
    assert reopened.notified_of_result


def test_a_crisis_was_regraded_and_its_history_keeps_every_grade(demo: Loaded) -> None:
    grades = {
        i.title: [e.severity for e in demo.history(i.id) if isinstance(e, Classified)]
        for i in demo.incidents
    }
    regraded = [g for g in grades.values() if len(g) > 1]
    assert [Severity.II, Severity.III, Severity.II] in regraded


def test_the_live_board_has_one_overdue_order_to_chase(demo: Loaded) -> None:
    now = utc_now()
    overdue = [(i.title, o) for i in demo.incidents for o in i.orders.values() if o.is_overdue(now)]
    [(title, order)] = overdue
    assert title == "暴雨后多个路口信号灯故障"
    assert order.progress_note and order.progress_note.startswith("督办")

    signals = demo.titled(title)
    reassigned = [o for o in signals.orders.values() if o.previous_assignees]
    assert reassigned and reassigned[0].is_open
    assert OrderStatus.CANCELLED in {o.status for o in signals.orders.values()}


def test_generators_are_delivered_and_still_out(demo: Loaded) -> None:
    outage = next(i for i in demo.incidents if "停电" in i.title and i.kind is Kind.CRISIS)
    assert outage.status is Status.RESPONDING
    [generators] = outage.outstanding_logistics
    assert (generators.resource, generators.status) == (
        Resource.EQUIPMENT,
        LogisticsStatus.DELIVERED,
    )
    assert LogisticsStatus.DECLINED in {r.status for r in outage.logistics.values()}


def test_every_kind_appears_and_everyday_cases_are_open_and_settled(demo: Loaded) -> None:
    assert {i.kind for i in demo.incidents} == set(Kind)
    still_open = {i.kind for i in demo.incidents if i.status in (Status.REPORTED, Status.VERIFIED)}
    assert {Kind.COMPLAINT, Kind.INQUIRY, Kind.SUGGESTION, Kind.PRAISE} <= still_open

    card = demo.titled("医保卡系统故障，老人无法就医结算")
    assert card.status is Status.CLOSED and [c.satisfaction for c in card.callbacks] == [5]
    privacy = next(i for i in demo.incidents if "手机号" in i.title)
    assert privacy.reporter is not None and privacy.reporter.phone


def test_the_history_lies_in_the_past_and_never_passes_now(demo: Loaded) -> None:
    now = utc_now()
    times = [e.at for i in demo.incidents for e in demo.history(i.id)]
    assert now - timedelta(hours=30) < min(times) and max(times) <= now
    assert demo.events == len(times)


def test_every_demo_user_gets_a_token_to_log_in_with(demo: Loaded) -> None:
    assert {role for _, role in DEMO_USERS} == set(Role) - {Role.ADMIN}
    for name, role, token in demo_tokens(demo.store.users):
        user = demo.store.users.authenticate(token)
        assert user is not None and (user.name, user.role) == (name, role)


def test_loading_is_repeatable_into_a_fresh_store(demo: Loaded, tmp_path: Path) -> None:
    again = open_demo(tmp_path / "again.db")
    try:
        assert again.events == demo.events

        def shape(loaded: Loaded) -> list[tuple[str, Status, int]]:
            return [(i.title, i.status, i.version) for i in loaded.incidents]

        assert shape(again) == shape(demo)
    finally:
        again.store.close()


def test_no_reporters_personal_data_lies_in_the_demo_database_in_plain_text(
    demo: Loaded,
) -> None:
    reporters = [i.reporter for i in demo.incidents if i.reporter is not None]
    secrets = {v for r in reporters for v in (r.name, r.phone, r.email) if v}
    assert len(secrets) > 10
    files = (demo.database, Path(f"{demo.database}-wal"))
    raw = b"".join(p.read_bytes() for p in files if p.exists())
    assert "阳光花园小区".encode() in raw  # the rest of the record is there to read
    assert [s for s in secrets if s.encode() in raw] == []


def test_the_demo_responder_has_an_open_order_of_their_own_to_act_on(demo: Loaded) -> None:
    """The responder's login must find work on /orders, not an empty page."""
    (name,) = [name for name, role in DEMO_USERS if role is Role.RESPONDER]
    mine = [o for i in demo.incidents for o in i.orders.values() if o.assignee == name]
    assert any(o.is_open for o in mine), mine
