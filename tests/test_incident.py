"""The incident's own lifecycle: report, verify or dismiss, link, respond,
resolve, close and reopen, as the leadership group would state the rules."""

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.application import project_aggregate

from domain.actor import Request
from domain.contact import Reporter
from domain.errors import Invalid
from domain.event import IncidentEvent
from domain.incident import Incident, ResponsePosted
from domain.review import Improvement
from domain.vocabulary import (
    CommandRole,
    ContactChannel,
    DismissReason,
    Kind,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Role,
    Severity,
    StatementChannel,
    Status,
)
from tests.domain_builders import (
    INTAKE,
    LEADER,
    NOW,
    RESPONDER,
    a_reporter,
    refused,
    reported,
    state_of,
    verified,
)

LATER = NOW + timedelta(hours=1)


def dismissed() -> Incident:
    incident = reported()
    incident.dismiss(at=NOW, by=INTAKE, reason=DismissReason.RUMOUR, duplicate_of=None, note="谣言")
    return incident


def issue_order(incident: Incident) -> None:
    incident.issue_order(
        at=NOW,
        by=LEADER,
        order_id=uuid4(),
        assignee="检测中心",
        instruction="五点取样",
        deadline=LATER,
        priority=Priority.URGENT,
    )


def resolve(incident: Incident) -> None:
    incident.resolve(at=NOW, by=INTAKE, resolution=Resolution.FIXED, summary="管网冲洗完毕")


def notify(incident: Incident) -> None:
    incident.notify_customer(at=NOW, by=INTAKE, channel=ContactChannel.PHONE, message="已处理")


def resolved(reporter: Reporter | None = None) -> Incident:
    incident = verified(reporter=reporter)
    resolve(incident)
    return incident


def closed(reporter: Reporter | None = None) -> Incident:
    incident = resolved(reporter)
    if reporter is not None:
        notify(incident)
    incident.close(at=NOW, by=INTAKE, note="")
    return incident


def reviewed() -> Incident:
    incident = closed()
    incident.record_review(
        at=NOW, by=LEADER, root_cause="管网老化", lessons="", accountability="", actions=[]
    )
    return incident


# -- report -------------------------------------------------------------------


def test_a_report_opens_an_ungraded_incident_that_awaits_verification() -> None:
    incident = reported()
    assert (incident.status, incident.severity, incident.version) == (Status.REPORTED, None, 1)


def test_a_report_without_a_received_time_was_received_when_it_was_recorded() -> None:
    assert reported().received_at == NOW


def test_a_report_keeps_when_it_was_really_received() -> None:
    earlier = NOW - timedelta(hours=3)
    assert reported(received_at=earlier).received_at == earlier


def test_a_report_cannot_have_been_received_in_the_future() -> None:
    with pytest.raises(Invalid) as caught:
        reported(received_at=NOW + timedelta(hours=1))
    assert caught.value.code == "received_in_future"


def test_a_report_cannot_have_been_received_more_than_a_year_ago() -> None:
    with pytest.raises(Invalid) as caught:
        reported(received_at=NOW - timedelta(days=366))
    assert caught.value.code == "received_too_long_ago"


def test_a_report_received_a_minute_ahead_of_the_server_clock_is_accepted() -> None:
    assert reported(received_at=NOW + timedelta(minutes=1)).status is Status.REPORTED


def test_a_report_keeps_the_reporters_personal_data() -> None:
    reporter = a_reporter()
    assert reported(reporter=reporter).reporter == reporter


# -- verify and dismiss ---------------------------------------------------------


def test_a_reported_incident_can_be_verified() -> None:
    assert verified().status is Status.VERIFIED


def test_an_incident_can_be_verified_only_once() -> None:
    incident = verified()
    with refused(incident, "already_verified"):
        incident.verify(at=NOW, by=INTAKE, note="")


def test_a_dismissed_report_cannot_be_verified() -> None:
    incident = dismissed()
    with refused(incident, "incident_dismissed"):
        incident.verify(at=NOW, by=INTAKE, note="")


@pytest.mark.parametrize("reason", [DismissReason.RUMOUR, DismissReason.INVALID])
def test_a_report_can_be_dismissed_as_a_rumour_or_as_invalid(reason: DismissReason) -> None:
    incident = reported()
    incident.dismiss(at=NOW, by=INTAKE, reason=reason, duplicate_of=None, note="")
    assert (incident.status, incident.dismiss_reason) == (Status.DISMISSED, reason)
    assert incident.duplicate_of is None


def test_a_duplicate_is_dismissed_naming_the_report_it_duplicates() -> None:
    original, twin = reported(), reported()
    twin.dismiss(at=NOW, by=INTAKE, reason=DismissReason.DUPLICATE, duplicate_of=original, note="")
    assert (twin.status, twin.duplicate_of) == (Status.DISMISSED, original.id)


def test_a_duplicate_must_name_the_report_it_duplicates() -> None:
    incident = reported()
    with refused(incident, "duplicate_of_needed", Invalid):
        incident.dismiss(
            at=NOW, by=INTAKE, reason=DismissReason.DUPLICATE, duplicate_of=None, note=""
        )


def test_only_a_duplicate_names_another_report() -> None:
    incident = reported()
    with refused(incident, "duplicate_of_needed", Invalid):
        incident.dismiss(
            at=NOW, by=INTAKE, reason=DismissReason.RUMOUR, duplicate_of=reported(), note=""
        )


def test_a_report_cannot_duplicate_itself() -> None:
    incident = reported()
    with refused(incident, "cannot_link_to_itself"):
        incident.dismiss(
            at=NOW, by=INTAKE, reason=DismissReason.DUPLICATE, duplicate_of=incident, note=""
        )


def test_a_verified_incident_cannot_be_dismissed() -> None:
    incident = verified()
    with refused(incident, "already_verified"):
        incident.dismiss(at=NOW, by=INTAKE, reason=DismissReason.RUMOUR, duplicate_of=None, note="")


def test_a_dismissed_report_cannot_be_dismissed_again() -> None:
    incident = dismissed()
    with refused(incident, "incident_dismissed"):
        incident.dismiss(
            at=NOW, by=INTAKE, reason=DismissReason.INVALID, duplicate_of=None, note=""
        )


# -- link -----------------------------------------------------------------------


def test_a_report_can_be_linked_to_an_open_crisis() -> None:
    complaint, crisis = reported(), reported(Kind.CRISIS)
    complaint.link(at=NOW, by=INTAKE, parent=crisis)
    assert complaint.parent_id == crisis.id


def test_a_graded_complaint_is_a_crisis_other_reports_can_be_linked_to() -> None:
    escalated = verified()
    escalated.classify(at=NOW, by=LEADER, severity=Severity.III, scope="", risk="", rationale="")
    complaint = reported()
    complaint.link(at=NOW, by=INTAKE, parent=escalated)
    assert complaint.parent_id == escalated.id


def test_a_report_can_be_linked_only_to_a_crisis() -> None:
    complaint = reported()
    with refused(complaint, "parent_not_crisis"):
        complaint.link(at=NOW, by=INTAKE, parent=reported(Kind.COMPLAINT))


def test_a_report_cannot_be_linked_to_itself() -> None:
    crisis = reported(Kind.CRISIS)
    with refused(crisis, "cannot_link_to_itself"):
        crisis.link(at=NOW, by=INTAKE, parent=crisis)


@pytest.mark.parametrize("ending", ["dismiss", "close", "review"])
def test_a_report_cannot_be_linked_to_a_crisis_that_is_over(ending: str) -> None:
    crisis = reported(Kind.CRISIS)
    if ending == "dismiss":
        crisis.dismiss(at=NOW, by=INTAKE, reason=DismissReason.INVALID, duplicate_of=None, note="")
    else:
        crisis.verify(at=NOW, by=INTAKE, note="")
        crisis.classify(at=NOW, by=LEADER, severity=Severity.IV, scope="", risk="", rationale="")
        resolve(crisis)
        crisis.close(at=NOW, by=LEADER, note="")
        if ending == "review":
            crisis.record_review(
                at=NOW, by=LEADER, root_cause="", lessons="", accountability="", actions=[]
            )
    complaint = reported()
    with refused(complaint, "parent_closed"):
        complaint.link(at=NOW, by=INTAKE, parent=crisis)


def test_a_report_is_linked_to_the_same_crisis_only_once() -> None:
    complaint, crisis = reported(), reported(Kind.CRISIS)
    complaint.link(at=NOW, by=INTAKE, parent=crisis)
    with refused(complaint, "already_linked"):
        complaint.link(at=NOW, by=INTAKE, parent=crisis)


def test_a_linked_report_can_be_moved_to_another_crisis() -> None:
    complaint, first, second = reported(), reported(Kind.CRISIS), reported(Kind.CRISIS)
    complaint.link(at=NOW, by=INTAKE, parent=first)
    complaint.link(at=NOW, by=INTAKE, parent=second)
    assert complaint.parent_id == second.id


def test_a_dismissed_report_cannot_be_linked() -> None:
    incident = dismissed()
    with refused(incident, "incident_dismissed"):
        incident.link(at=NOW, by=INTAKE, parent=reported(Kind.CRISIS))


# -- responses ------------------------------------------------------------------


def post_response(incident: Incident, occurred_at: datetime | None = None) -> None:
    incident.post_response(
        at=NOW,
        by=RESPONDER,
        note="到达现场",
        status=ResponseStatus.ON_SCENE,
        customer_contacted=True,
        occurred_at=occurred_at,
    )


def test_responses_need_a_verified_incident() -> None:
    incident = reported()
    with refused(incident, "not_verified"):
        post_response(incident)


def test_the_first_response_puts_a_verified_incident_in_response() -> None:
    incident = verified()
    post_response(incident)
    assert (incident.status, incident.last_update) == (Status.RESPONDING, "到达现场")


def test_a_late_response_keeps_when_it_really_happened_beside_when_it_was_recorded() -> None:
    incident = verified()
    earlier = NOW - timedelta(minutes=40)
    post_response(incident, occurred_at=earlier)
    posted = incident.collect_events()[-1]
    assert isinstance(posted, ResponsePosted)
    assert (posted.occurred_at, posted.at) == (earlier, NOW)


def test_a_response_cannot_have_happened_in_the_future() -> None:
    incident = verified()
    with refused(incident, "occurred_in_future", Invalid):
        post_response(incident, occurred_at=NOW + timedelta(minutes=10))


def test_a_resolved_incident_still_takes_responses_and_stays_resolved() -> None:
    incident = resolved()
    post_response(incident)
    assert incident.status is Status.RESOLVED


def test_a_closed_incident_takes_no_responses() -> None:
    incident = closed()
    with refused(incident, "incident_closed"):
        post_response(incident)


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
