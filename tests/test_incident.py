"""The incident's first steps: report, verify or dismiss, link and respond,
as the leadership group would state the rules."""

from datetime import timedelta

import pytest

from domain.errors import Invalid
from domain.incident import ResponsePosted
from domain.vocabulary import (
    DismissReason,
    Kind,
    Severity,
    Status,
)
from tests.domain_builders import (
    INTAKE,
    LEADER,
    NOW,
    a_reporter,
    closed,
    dismissed,
    post_response,
    refused,
    reported,
    resolve,
    resolved,
    verified,
)

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
