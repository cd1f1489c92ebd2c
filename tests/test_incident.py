"""The aggregate's lifecycle rules, as the leadership group would state them."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.errors import Invalid, NotFound, RuleBroken
from domain.incident import Incident
from domain.vocabulary import (
    Channel,
    Kind,
    Priority,
    Resolution,
    ResponseStatus,
    Role,
    Severity,
    Status,
)

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LEADER = Actor("王主任", Role.LEADERSHIP)
INTAKE = Actor("李客服", Role.INTAKE)


def reported(kind: Kind = Kind.COMPLAINT, at: datetime = NOW) -> Incident:
    return Incident.report(
        incident_id=uuid4(),
        at=at,
        by=INTAKE,
        kind=kind,
        channel=Channel.HOTLINE,
        category="供水水质",
        title="自来水发黄",
        description="",
        location="阳光花园",
        reporter={"name": "张三", "phone": "13812345678", "email": ""},
        received_at=None,
    )


def verified(kind: Kind = Kind.COMPLAINT) -> Incident:
    incident = reported(kind)
    incident.verify(at=NOW, by=INTAKE, note="")
    return incident


def with_order(incident: Incident) -> Incident:
    incident.issue_order(
        at=NOW,
        by=LEADER,
        order_id=uuid4(),
        assignee="检测中心",
        instruction="取样",
        deadline=NOW + timedelta(hours=2),
        priority=Priority.URGENT,
    )
    return incident


def refused(code: str, command: object, *args: object, **kwargs: object) -> None:
    with pytest.raises(RuleBroken) as caught:
        command(*args, **kwargs)  # type: ignore[operator]
    assert caught.value.code == code


def test_a_report_opens_an_incident_that_awaits_verification() -> None:
    incident = reported()
    assert incident.status is Status.REPORTED
    assert incident.version == 1
    assert incident.received_at == NOW


def test_a_report_cannot_have_been_received_in_the_future() -> None:
    with pytest.raises(Invalid) as caught:
        Incident.report(
            incident_id=uuid4(),
            at=NOW,
            by=INTAKE,
            kind=Kind.COMPLAINT,
            channel=Channel.WEB,
            category="c",
            title="t",
            description="",
            location="",
            reporter=None,
            received_at=NOW + timedelta(hours=1),
        )
    assert caught.value.code == "received_in_future"


def test_a_report_can_be_verified_only_once() -> None:
    incident = verified()
    refused("already_verified", incident.verify, at=NOW, by=INTAKE, note="")


def test_orders_need_a_verified_incident() -> None:
    refused("not_verified", with_order, reported())


def test_a_crisis_must_be_graded_before_an_order_is_issued() -> None:
    crisis = verified(Kind.CRISIS)
    refused("crisis_not_graded", with_order, crisis)
    crisis.classify(at=NOW, by=LEADER, severity=Severity.III, scope="", risk="", rationale="r")
    with_order(crisis)
    assert len(crisis.open_orders) == 1


def test_a_complaint_needs_no_grade_for_an_order() -> None:
    assert len(with_order(verified()).open_orders) == 1


def test_grading_a_complaint_escalates_it_to_a_crisis() -> None:
    complaint = verified()
    complaint.classify(at=NOW, by=LEADER, severity=Severity.II, scope="", risk="", rationale="r")
    assert complaint.kind is Kind.CRISIS
    assert complaint.status is Status.RESPONDING


def test_regrading_is_its_own_event_and_keeps_the_history() -> None:
    crisis = verified(Kind.CRISIS)
    for severity in (Severity.II, Severity.III, Severity.II):
        crisis.classify(at=NOW, by=LEADER, severity=severity, scope="", risk="", rationale="r")
    grades = [e.severity for e in crisis.collect_events() if isinstance(e, Incident.Classified)]
    assert grades == [Severity.II, Severity.III, Severity.II]
    assert crisis.severity is Severity.II


def test_an_order_deadline_must_lie_in_the_future() -> None:
    with pytest.raises(Invalid) as caught:
        verified().issue_order(
            at=NOW,
            by=LEADER,
            order_id=uuid4(),
            assignee="a",
            instruction="i",
            deadline=NOW - timedelta(minutes=1),
            priority=Priority.NORMAL,
        )
    assert caught.value.code == "deadline_in_past"


def test_a_completed_order_cannot_be_completed_again() -> None:
    incident = with_order(verified())
    order_id = next(iter(incident.orders))
    incident.complete_order(at=NOW, by=LEADER, order_id=order_id, outcome="done")
    refused(
        "order_not_open",
        incident.complete_order,
        at=NOW,
        by=LEADER,
        order_id=order_id,
        outcome="again",
    )


def test_completing_an_unknown_order_is_not_found() -> None:
    with pytest.raises(NotFound):
        verified().complete_order(at=NOW, by=LEADER, order_id=uuid4(), outcome="x")


def test_an_incident_cannot_be_resolved_while_orders_are_open() -> None:
    incident = with_order(verified())
    refused(
        "orders_open", incident.resolve, at=NOW, by=LEADER, resolution=Resolution.FIXED, summary="s"
    )
    incident.complete_order(at=NOW, by=LEADER, order_id=next(iter(incident.orders)), outcome="ok")
    incident.resolve(at=NOW, by=LEADER, resolution=Resolution.FIXED, summary="s")
    assert incident.status is Status.RESOLVED


def test_an_incident_cannot_be_closed_before_it_is_resolved() -> None:
    incident = verified()
    refused("not_resolved", incident.close, at=NOW, by=LEADER, note="")
    incident.resolve(at=NOW, by=LEADER, resolution=Resolution.EXPLAINED, summary="s")
    incident.close(at=NOW, by=LEADER, note="")
    assert incident.status is Status.CLOSED
    refused("incident_closed", incident.close, at=NOW, by=LEADER, note="")


def test_a_resolved_incident_takes_no_new_orders() -> None:
    incident = verified()
    incident.resolve(at=NOW, by=LEADER, resolution=Resolution.EXPLAINED, summary="s")
    refused("incident_resolved", with_order, incident)


def test_responses_need_a_verified_incident_and_keep_when_they_really_happened() -> None:
    refused(
        "not_verified",
        reported().post_response,
        at=NOW,
        by=LEADER,
        note="n",
        status=ResponseStatus.ON_SCENE,
        customer_contacted=False,
        occurred_at=None,
    )
    incident = verified()
    earlier = NOW - timedelta(minutes=40)
    incident.post_response(
        at=NOW,
        by=LEADER,
        note="到达现场",
        status=ResponseStatus.ON_SCENE,
        customer_contacted=False,
        occurred_at=earlier,
    )
    posted = incident.collect_events()[-1]
    assert isinstance(posted, Incident.ResponsePosted)
    assert (posted.occurred_at, posted.at) == (earlier, NOW)
    assert incident.last_update == "到达现场"


def test_reports_link_only_to_a_crisis_and_never_to_themselves() -> None:
    complaint = verified()
    other = verified()
    refused("parent_not_crisis", complaint.link, at=NOW, by=INTAKE, parent=other)
    refused("cannot_link_to_itself", complaint.link, at=NOW, by=INTAKE, parent=complaint)
    crisis = verified(Kind.CRISIS)
    complaint.link(at=NOW, by=INTAKE, parent=crisis)
    assert complaint.parent_id == crisis.id
    refused("already_linked", complaint.link, at=NOW, by=INTAKE, parent=crisis)


def test_every_event_records_actor_role_and_time() -> None:
    incident = with_order(verified())
    for event in incident.collect_events():
        assert event.actor in (INTAKE.name, LEADER.name)
        assert event.role in (Role.INTAKE, Role.LEADERSHIP)
        assert event.at == NOW
