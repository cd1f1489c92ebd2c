"""The after-action review (事后总结): recorded on a closed incident, with
improvement actions (整改措施) each completed once."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import Invalid, NotFound
from domain.incident import Incident
from domain.review import Improvement, ImprovementAction, Review
from domain.vocabulary import (
    DismissReason,
    Resolution,
    ResponseStatus,
    Status,
)
from tests.domain_builders import INTAKE, LEADER, NOW, refused, reported, verified

DUE = NOW + timedelta(days=30)

PIPES = Improvement(action_id=uuid4(), description="更换老旧管网", owner="管网科", due=DUE)
DRILL = Improvement(action_id=uuid4(), description="每季度演练", owner="应急办", due=DUE)


def responding() -> Incident:
    incident = verified()
    incident.post_response(
        at=NOW,
        by=LEADER,
        note="",
        status=ResponseStatus.ON_SCENE,
        customer_contacted=False,
        occurred_at=None,
    )
    return incident


def resolved() -> Incident:
    incident = responding()
    incident.resolve(at=NOW, by=INTAKE, resolution=Resolution.FIXED, summary="")
    return incident


def closed() -> Incident:
    incident = resolved()
    incident.close(at=NOW, by=INTAKE, note="")
    return incident


def dismissed() -> Incident:
    incident = reported()
    incident.dismiss(at=NOW, by=INTAKE, reason=DismissReason.INVALID, duplicate_of=None, note="")
    return incident


def review(incident: Incident, *actions: Improvement) -> None:
    incident.record_review(
        at=NOW,
        by=LEADER,
        root_cause="管网老化",
        lessons="巡检不足",
        accountability="管网科通报批评",
        actions=list(actions),
    )


def reviewed() -> Incident:
    incident = closed()
    review(incident, PIPES, DRILL)
    return incident


def complete(incident: Incident, action: Improvement) -> None:
    incident.complete_improvement(at=NOW, by=LEADER, action_id=action.action_id, note="已完成")


def test_a_review_records_root_cause_lessons_and_accountability() -> None:
    incident = reviewed()
    assert incident.status is Status.REVIEWED
    assert incident.review == Review("管网老化", "巡检不足", "管网科通报批评", NOW, LEADER.name)


def test_a_review_sets_its_improvement_actions_each_with_an_owner_and_a_due_date() -> None:
    incident = reviewed()
    assert incident.improvements == {
        PIPES.action_id: ImprovementAction(PIPES.action_id, "更换老旧管网", "管网科", DUE),
        DRILL.action_id: ImprovementAction(DRILL.action_id, "每季度演练", "应急办", DUE),
    }


def test_a_review_may_need_no_improvement_action() -> None:
    incident = closed()
    review(incident)
    assert (incident.status, incident.improvements) == (Status.REVIEWED, {})


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (verified, "not_closed"),
        (responding, "not_closed"),
        (resolved, "not_closed"),
        (reported, "not_closed"),
        (dismissed, "incident_dismissed"),
        (reviewed, "incident_reviewed"),
    ],
    ids=["verified", "responding", "resolved", "reported", "dismissed", "reviewed"],
)
def test_a_review_can_only_be_recorded_on_a_closed_incident(build: Any, code: str) -> None:
    incident: Incident = build()
    with refused(incident, code):
        review(incident, PIPES)


def test_completing_an_improvement_action_records_who_when_and_how() -> None:
    incident = reviewed()
    complete(incident, PIPES)
    done = incident.improvements[PIPES.action_id]
    assert (done.completed_at, done.completed_by, done.note) == (NOW, LEADER.name, "已完成")
    assert done.is_done
    assert not incident.improvements[DRILL.action_id].is_done


def test_an_improvement_action_can_only_be_completed_once() -> None:
    incident = reviewed()
    complete(incident, PIPES)
    with refused(incident, "improvement_already_completed"):
        complete(incident, PIPES)


def test_an_improvement_action_the_review_did_not_set_is_not_found() -> None:
    incident = reviewed()
    stray = Improvement(action_id=uuid4(), description="", owner="", due=DUE)
    with refused(incident, "action_not_found", NotFound):
        complete(incident, stray)


def test_a_reviewed_incident_cannot_be_reopened() -> None:
    incident = reviewed()
    with refused(incident, "incident_reviewed"):
        incident.reopen(at=NOW, by=LEADER, reason="")


def test_each_improvement_action_needs_an_id_of_its_own() -> None:
    incident = closed()
    with refused(incident, "duplicate_action_ids", Invalid):
        review(incident, PIPES, PIPES)
