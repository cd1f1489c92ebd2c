"""What leadership decides: the grade, the response plan and the posts of the
command structure."""

from uuid import uuid4

import pytest

from domain.incident import Incident
from domain.leadership import Classified, RoleRelieved
from domain.vocabulary import (
    Channel,
    CommandRole,
    DismissReason,
    Kind,
    Resolution,
    Severity,
    Status,
)
from tests.domain_builders import INTAKE, LEADER, NOW, refused


def reported(kind: Kind = Kind.CRISIS) -> Incident:
    return Incident.report(
        incident_id=uuid4(),
        at=NOW,
        by=INTAKE,
        kind=kind,
        channel=Channel.MONITORING,
        category="供电",
        title="变电站故障",
        description="",
        location="城东",
        reporter=None,
        received_at=None,
    )


def verified(kind: Kind = Kind.CRISIS) -> Incident:
    incident = reported(kind)
    incident.verify(at=NOW, by=INTAKE, note="")
    return incident


def grade(incident: Incident, severity: Severity = Severity.II) -> None:
    incident.classify(
        at=NOW, by=LEADER, severity=severity, scope="城东三个街道", risk="医院停电", rationale="r"
    )


def graded(kind: Kind = Kind.CRISIS) -> Incident:
    incident = verified(kind)
    grade(incident)
    return incident


def activate(incident: Incident) -> None:
    incident.activate(at=NOW, by=LEADER, plan="大面积停电预案", commander="王主任")


def activated() -> Incident:
    incident = graded()
    activate(incident)
    return incident


def assign(incident: Incident, command_role: CommandRole, person: str) -> None:
    incident.assign_role(at=NOW, by=LEADER, command_role=command_role, person=person)


def resolve(incident: Incident) -> None:
    incident.resolve(at=NOW, by=LEADER, resolution=Resolution.FIXED, summary="恢复供电")


# -- grading --------------------------------------------------------------------


def test_grading_records_the_severity_the_scope_and_the_risk() -> None:
    incident = graded()
    assert (incident.severity, incident.scope, incident.risk) == (
        Severity.II,
        "城东三个街道",
        "医院停电",
    )


def test_grading_a_verified_incident_puts_it_in_response() -> None:
    assert graded().status is Status.RESPONDING


def test_grading_a_complaint_escalates_it_to_a_crisis() -> None:
    assert graded(Kind.COMPLAINT).kind is Kind.CRISIS


@pytest.mark.parametrize("kind", [Kind.INQUIRY, Kind.PRAISE, Kind.SUGGESTION])
def test_an_inquiry_a_praise_or_a_suggestion_is_not_graded(kind: Kind) -> None:
    incident = verified(kind)
    with refused(incident, "not_gradable"):
        grade(incident)


def test_an_unverified_report_cannot_be_graded() -> None:
    incident = reported()
    with refused(incident, "not_verified"):
        grade(incident)


def test_regrading_is_recorded_as_its_own_event_so_escalation_stays_in_the_history() -> None:
    incident = verified()
    for severity in (Severity.III, Severity.I, Severity.II):
        grade(incident, severity)
    grades = [e.severity for e in incident.collect_events() if isinstance(e, Classified)]
    assert grades == [Severity.III, Severity.I, Severity.II]
    assert incident.severity is Severity.II


def test_a_resolved_incident_can_still_be_regraded_and_stays_resolved() -> None:
    incident = graded()
    resolve(incident)
    grade(incident, Severity.IV)
    assert (incident.severity, incident.status) == (Severity.IV, Status.RESOLVED)


def test_a_closed_incident_cannot_be_regraded() -> None:
    incident = graded()
    resolve(incident)
    incident.close(at=NOW, by=LEADER, note="")
    with refused(incident, "incident_closed"):
        grade(incident, Severity.IV)


def test_a_dismissed_report_cannot_be_graded() -> None:
    incident = reported()
    incident.dismiss(at=NOW, by=INTAKE, reason=DismissReason.INVALID, duplicate_of=None, note="")
    with refused(incident, "incident_dismissed"):
        grade(incident)


# -- the plan -------------------------------------------------------------------


def test_activating_the_plan_names_the_plan_and_its_commander() -> None:
    incident = activated()
    assert (incident.plan, incident.commander) == ("大面积停电预案", "王主任")
    assert incident.roles == {CommandRole.COMMANDER: "王主任"}


def test_the_plan_can_only_be_activated_on_a_graded_incident() -> None:
    incident = verified(Kind.COMPLAINT)
    with refused(incident, "not_graded"):
        activate(incident)


def test_the_plan_cannot_be_activated_on_an_unverified_report() -> None:
    incident = reported()
    with refused(incident, "not_verified"):
        activate(incident)


def test_the_plan_is_activated_only_once() -> None:
    incident = activated()
    with refused(incident, "plan_already_active"):
        activate(incident)


def test_the_plan_cannot_be_activated_once_the_incident_is_resolved() -> None:
    incident = graded()
    resolve(incident)
    with refused(incident, "incident_resolved"):
        activate(incident)


# -- posts in the command structure ------------------------------------------------


def test_roles_need_an_active_plan() -> None:
    incident = graded()
    with refused(incident, "plan_not_active"):
        assign(incident, CommandRole.SPOKESPERSON, "赵")


def test_a_role_cannot_be_relieved_before_the_plan_is_active() -> None:
    incident = graded()
    with refused(incident, "plan_not_active"):
        incident.relieve_role(at=NOW, by=LEADER, command_role=CommandRole.COMMANDER)


def test_a_role_is_assigned_to_a_person() -> None:
    incident = activated()
    assign(incident, CommandRole.SPOKESPERSON, "赵")
    assert incident.roles[CommandRole.SPOKESPERSON] == "赵"


def test_a_role_can_be_handed_to_someone_else() -> None:
    incident = activated()
    assign(incident, CommandRole.LOGISTICS, "孙")
    assign(incident, CommandRole.LOGISTICS, "周")
    assert incident.roles[CommandRole.LOGISTICS] == "周"


def test_naming_a_new_commander_changes_the_commander() -> None:
    incident = activated()
    assign(incident, CommandRole.COMMANDER, "刘副主任")
    assert incident.commander == incident.roles[CommandRole.COMMANDER] == "刘副主任"


def test_a_person_cannot_be_given_a_role_they_already_hold() -> None:
    incident = activated()
    assign(incident, CommandRole.DEPUTY, "刘")
    with refused(incident, "role_already_held"):
        assign(incident, CommandRole.DEPUTY, "刘")


def test_relieving_a_role_frees_it_and_records_who_held_it() -> None:
    incident = activated()
    assign(incident, CommandRole.TECHNICAL, "吴工")
    incident.relieve_role(at=NOW, by=LEADER, command_role=CommandRole.TECHNICAL)
    assert CommandRole.TECHNICAL not in incident.roles
    relieved = incident.collect_events()[-1]
    assert isinstance(relieved, RoleRelieved)
    assert relieved.person == "吴工"


def test_relieving_the_commander_leaves_the_incident_without_a_commander() -> None:
    incident = activated()
    incident.relieve_role(at=NOW, by=LEADER, command_role=CommandRole.COMMANDER)
    assert incident.commander is None
    assert incident.plan == "大面积停电预案"


def test_a_role_nobody_holds_cannot_be_relieved() -> None:
    incident = activated()
    with refused(incident, "role_not_assigned"):
        incident.relieve_role(at=NOW, by=LEADER, command_role=CommandRole.LEGAL)


def test_roles_can_still_change_while_the_incident_is_resolved() -> None:
    incident = activated()
    resolve(incident)
    assign(incident, CommandRole.EVALUATION, "评估组")
    assert incident.roles[CommandRole.EVALUATION] == "评估组"


def test_roles_cannot_change_once_the_incident_is_closed() -> None:
    incident = activated()
    resolve(incident)
    incident.close(at=NOW, by=LEADER, note="")
    with refused(incident, "incident_closed"):
        assign(incident, CommandRole.EVALUATION, "评估组")
