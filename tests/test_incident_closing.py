"""The end of a case: resolve, close and reopen, and the record every event keeps."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.application import project_aggregate

from domain.actor import Request
from domain.contact import Reporter
from domain.event import IncidentEvent
from domain.incident import Incident
from domain.review import Improvement
from domain.vocabulary import (
    CommandRole,
    ContactChannel,
    DismissReason,
    Kind,
    Resolution,
    Resource,
    Role,
    Severity,
    StatementChannel,
    Status,
)
from tests.domain_builders import (
    INTAKE,
    LATER,
    LEADER,
    NOW,
    RESPONDER,
    a_reporter,
    closed,
    issue_order,
    notify,
    post_response,
    refused,
    reported,
    resolve,
    resolved,
    reviewed,
    state_of,
    verified,
)

# -- resolve --------------------------------------------------------------------


def test_resolving_records_the_resolution_and_its_summary() -> None:
    incident = resolved()
    assert (incident.status, incident.resolution) == (Status.RESOLVED, Resolution.FIXED)
    assert incident.summary == incident.last_update == "管网冲洗完毕"


def test_an_incident_cannot_be_resolved_while_orders_are_open() -> None:
    incident = verified()
    issue_order(incident)
    with refused(incident, "orders_open"):
        resolve(incident)


def test_an_incident_can_be_resolved_once_its_orders_are_completed_or_cancelled() -> None:
    incident = verified()
    issue_order(incident)
    issue_order(incident)
    first, second = incident.orders
    incident.complete_order(at=NOW, by=RESPONDER, order_id=first, outcome="已完成")
    incident.cancel_order(at=NOW, by=LEADER, order_id=second, reason="不再需要")
    resolve(incident)
    assert incident.status is Status.RESOLVED


def test_an_unverified_report_cannot_be_resolved() -> None:
    incident = reported()
    with refused(incident, "not_verified"):
        resolve(incident)


def test_a_resolved_incident_cannot_be_resolved_again() -> None:
    incident = resolved()
    with refused(incident, "incident_resolved"):
        resolve(incident)


# -- close ----------------------------------------------------------------------


def test_a_resolved_incident_whose_reporter_was_told_the_result_can_be_closed() -> None:
    assert closed(a_reporter()).status is Status.CLOSED


def test_an_incident_cannot_be_closed_before_it_is_resolved() -> None:
    incident = verified()
    with refused(incident, "not_resolved"):
        incident.close(at=NOW, by=INTAKE, note="")


def test_an_unverified_report_cannot_be_closed() -> None:
    incident = reported()
    with refused(incident, "not_resolved"):
        incident.close(at=NOW, by=INTAKE, note="")


def test_a_reporter_who_left_a_contact_must_be_told_the_result_before_closing() -> None:
    incident = resolved(a_reporter())
    with refused(incident, "customer_not_notified"):
        incident.close(at=NOW, by=INTAKE, note="")


def test_telling_the_customer_before_resolution_does_not_tell_them_the_result() -> None:
    incident = verified(reporter=a_reporter())
    notify(incident)
    resolve(incident)
    with refused(incident, "customer_not_notified"):
        incident.close(at=NOW, by=INTAKE, note="")


@pytest.mark.parametrize(
    "reporter",
    [None, Reporter(key_id=uuid4(), name="匿名")],
    ids=["no reporter", "a name only"],
)
def test_an_incident_whose_reporter_left_no_contact_closes_without_a_notice(
    reporter: Reporter | None,
) -> None:
    incident = resolved(reporter)
    incident.close(at=NOW, by=INTAKE, note="")
    assert incident.status is Status.CLOSED


def test_an_incident_cannot_be_closed_while_logistics_are_outstanding() -> None:
    incident = verified()
    incident.request_logistics(
        at=NOW,
        by=RESPONDER,
        request_id=uuid4(),
        resource=Resource.VEHICLES,
        item="送水车",
        quantity=1,
        needed_by=LATER,
        purpose="临时供水",
    )
    resolve(incident)
    with refused(incident, "logistics_outstanding"):
        incident.close(at=NOW, by=INTAKE, note="")


def test_a_closed_incident_cannot_be_closed_again() -> None:
    incident = closed()
    with refused(incident, "incident_closed"):
        incident.close(at=NOW, by=INTAKE, note="")


# -- reopen ---------------------------------------------------------------------


@pytest.mark.parametrize("build", [resolved, closed], ids=["resolved", "closed"])
def test_a_resolved_or_closed_incident_can_be_reopened(build: Any) -> None:
    incident: Incident = build()
    incident.reopen(at=NOW, by=INTAKE, reason="用户反映仍有异味")
    assert (incident.status, incident.reopened) == (Status.RESPONDING, 1)
    assert (incident.resolution, incident.summary) == (None, None)
    assert incident.last_update == "用户反映仍有异味"


def test_an_incident_in_response_cannot_be_reopened() -> None:
    incident = verified()
    post_response(incident)
    with refused(incident, "not_resolved"):
        incident.reopen(at=NOW, by=INTAKE, reason="")


def test_a_reviewed_incident_cannot_be_reopened() -> None:
    incident = reviewed()
    with refused(incident, "incident_reviewed"):
        incident.reopen(at=NOW, by=INTAKE, reason="")


def test_a_reopened_incident_must_be_resolved_again_before_it_closes() -> None:
    incident = closed()
    incident.reopen(at=NOW, by=INTAKE, reason="")
    with refused(incident, "not_resolved"):
        incident.close(at=NOW, by=INTAKE, note="")


def test_a_reopened_incident_closes_again_only_after_the_customer_hears_the_new_result() -> None:
    incident = closed(a_reporter())
    incident.reopen(at=NOW, by=INTAKE, reason="用户反映仍有异味")
    resolve(incident)
    with refused(incident, "customer_not_notified"):
        incident.close(at=NOW, by=INTAKE, note="")
    notify(incident)
    incident.close(at=NOW, by=INTAKE, note="")
    assert (incident.status, incident.reopened) == (Status.CLOSED, 1)


# -- the record -----------------------------------------------------------------


def whole_life() -> Incident:
    """An incident that goes through every kind of event but dismissal."""
    crisis = reported(Kind.CRISIS)
    incident = reported(reporter=a_reporter(email="zhang@example.cn"))
    incident.link(at=NOW, by=INTAKE, parent=crisis)
    incident.verify(at=NOW, by=INTAKE, note="")
    incident.classify(at=NOW, by=LEADER, severity=Severity.II, scope="5栋", risk="", rationale="")
    incident.classify(at=NOW, by=LEADER, severity=Severity.III, scope="5栋", risk="", rationale="")
    incident.activate(at=NOW, by=LEADER, plan="供水水质预案", commander="王主任")
    incident.assign_role(at=NOW, by=LEADER, command_role=CommandRole.SPOKESPERSON, person="赵")
    incident.assign_role(at=NOW, by=LEADER, command_role=CommandRole.LEGAL, person="钱")
    incident.relieve_role(at=NOW, by=LEADER, command_role=CommandRole.LEGAL)
    issue_order(incident)
    issue_order(incident)
    first, second = incident.orders
    incident.acknowledge_order(at=NOW, by=RESPONDER, order_id=first)
    incident.progress_order(at=NOW, by=RESPONDER, order_id=first, note="已取样", percent=50)
    incident.reassign_order(at=NOW, by=LEADER, order_id=first, assignee="二队", reason="换班")
    incident.complete_order(at=NOW, by=RESPONDER, order_id=first, outcome="合格")
    incident.cancel_order(at=NOW, by=LEADER, order_id=second, reason="重复")
    post_response(incident, occurred_at=NOW - timedelta(minutes=5))
    water, pump, spare = uuid4(), uuid4(), uuid4()
    for request_id, resource in (
        (water, Resource.SUPPLIES),
        (pump, Resource.EQUIPMENT),
        (spare, Resource.EQUIPMENT),
    ):
        incident.request_logistics(
            at=NOW,
            by=RESPONDER,
            request_id=request_id,
            resource=resource,
            item="item",
            quantity=4,
            needed_by=LATER,
            purpose="",
        )
    for request_id in (water, pump):
        incident.allocate_logistics(
            at=NOW, by=LEADER, request_id=request_id, quantity=3, source="仓库", note=""
        )
        incident.deliver_logistics(at=NOW, by=LEADER, request_id=request_id, quantity=2, note="")
    incident.return_logistics(at=NOW, by=LEADER, request_id=pump, quantity=None, note="")
    incident.decline_logistics(at=NOW, by=LEADER, request_id=spare, note="无库存")
    incident.publish_statement(
        at=NOW, by=LEADER, channels=[StatementChannel.SMS], text="正在处理", approved_by="王主任"
    )
    notify(incident)
    resolve(incident)
    notify(incident)
    incident.close(at=NOW, by=LEADER, note="")
    incident.reopen(at=NOW, by=LEADER, reason="复发")
    resolve(incident)
    notify(incident)
    incident.close(at=NOW, by=LEADER, note="")
    incident.record_callback(
        at=NOW, by=INTAKE, satisfaction=4, comment="", via=ContactChannel.PHONE
    )
    action = Improvement(action_id=uuid4(), description="换管", owner="管网科", due=LATER)
    incident.record_review(
        at=NOW, by=LEADER, root_cause="管网老化", lessons="", accountability="", actions=[action]
    )
    incident.complete_improvement(at=NOW, by=LEADER, action_id=action.action_id, note="")
    return incident


def test_replaying_the_events_of_a_whole_life_gives_the_same_state() -> None:
    incident = whole_life()
    replayed = project_aggregate(None, incident.collect_events())
    assert isinstance(replayed, Incident)
    assert state_of(replayed) == state_of(incident)
    assert replayed.status is Status.REVIEWED


def test_replaying_the_events_of_a_dismissed_duplicate_gives_the_same_state() -> None:
    incident = reported(reporter=a_reporter())
    incident.dismiss(
        at=NOW, by=INTAKE, reason=DismissReason.DUPLICATE, duplicate_of=reported(), note=""
    )
    replayed = project_aggregate(None, incident.collect_events())
    assert isinstance(replayed, Incident)
    assert state_of(replayed) == state_of(incident)


def test_every_event_records_the_actor_the_role_and_the_time() -> None:
    incident = whole_life()
    events = [e for e in incident.collect_events() if isinstance(e, IncidentEvent)]
    assert len(events) == incident.version
    assert {(e.actor, e.role) for e in events} == {
        (INTAKE.name, Role.INTAKE),
        (LEADER.name, Role.LEADERSHIP),
        (RESPONDER.name, Role.RESPONDER),
    }
    assert {e.at for e in events} == {NOW}


def test_an_incident_remembers_which_request_produced_which_version() -> None:
    incident = reported()
    sender = INTAKE.sending(Request(key="k-1", digest="d-1"))
    incident.verify(at=NOW, by=sender, note="")
    assert incident.handled_request(INTAKE.name, "k-1") == (2, "d-1")
    assert incident.handled_request(LEADER.name, "k-1") is None


def test_links_stay_one_level_deep_so_they_never_loop() -> None:
    first, second = reported(Kind.CRISIS), reported(Kind.CRISIS)
    first.link(at=NOW, by=INTAKE, parent=second)
    with refused(second, "parent_is_linked"):
        second.link(at=NOW, by=INTAKE, parent=first)
