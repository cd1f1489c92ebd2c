"""Orders (指令): issued by leadership with a deadline, then acknowledged,
progressed, reassigned, completed or cancelled — only while open."""

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.errors import Invalid, NotFound
from domain.incident import Incident
from domain.orders import Order
from domain.vocabulary import (
    DismissReason,
    Kind,
    OrderStatus,
    Priority,
    Resolution,
    Severity,
    Status,
)
from tests.domain_builders import INTAKE, LEADER, NOW, RESPONDER, refused, reported, verified

DEADLINE = NOW + timedelta(hours=2)


def issue(incident: Incident, deadline: datetime = DEADLINE) -> UUID:
    order_id = uuid4()
    incident.issue_order(
        at=NOW,
        by=LEADER,
        order_id=order_id,
        assignee="抢修一队",
        instruction="关阀抢修",
        deadline=deadline,
        priority=Priority.URGENT,
    )
    return order_id


def with_order() -> tuple[Incident, UUID]:
    incident = verified()
    return incident, issue(incident)


# The life of an order after it is issued, each command with plausible arguments.
OrderCommand = Callable[[Incident, UUID], None]
ORDER_COMMANDS: dict[str, OrderCommand] = {
    "acknowledge": lambda i, o: i.acknowledge_order(at=NOW, by=RESPONDER, order_id=o),
    "progress": lambda i, o: i.progress_order(
        at=NOW, by=RESPONDER, order_id=o, note="进行中", percent=None
    ),
    "reassign": lambda i, o: i.reassign_order(
        at=NOW, by=LEADER, order_id=o, assignee="抢修二队", reason="一队撤出"
    ),
    "complete": lambda i, o: i.complete_order(at=NOW, by=RESPONDER, order_id=o, outcome="完成"),
    "cancel": lambda i, o: i.cancel_order(at=NOW, by=LEADER, order_id=o, reason="不再需要"),
}


# -- issue ----------------------------------------------------------------------


def test_an_order_is_issued_to_an_assignee_with_a_deadline_and_a_priority() -> None:
    incident, order_id = with_order()
    assert incident.order(order_id) == Order(
        order_id=order_id,
        assignee="抢修一队",
        instruction="关阀抢修",
        deadline=DEADLINE,
        priority=Priority.URGENT,
        issued_at=NOW,
        issued_by=LEADER.name,
    )
    assert incident.order(order_id).status is OrderStatus.ISSUED


def test_issuing_an_order_puts_a_verified_incident_in_response() -> None:
    incident, _ = with_order()
    assert incident.status is Status.RESPONDING


def test_orders_need_a_verified_incident() -> None:
    incident = reported()
    with refused(incident, "not_verified"):
        issue(incident)


def test_a_dismissed_report_takes_no_orders() -> None:
    incident = reported()
    incident.dismiss(at=NOW, by=INTAKE, reason=DismissReason.RUMOUR, duplicate_of=None, note="")
    with refused(incident, "incident_dismissed"):
        issue(incident)


def test_a_crisis_must_be_graded_before_an_order_is_issued() -> None:
    crisis = verified(Kind.CRISIS)
    with refused(crisis, "crisis_not_graded"):
        issue(crisis)


def test_a_graded_crisis_takes_orders() -> None:
    crisis = verified(Kind.CRISIS)
    crisis.classify(at=NOW, by=LEADER, severity=Severity.I, scope="", risk="", rationale="")
    issue(crisis)
    assert len(crisis.open_orders) == 1


def test_a_complaint_takes_orders_without_being_graded() -> None:
    incident, _ = with_order()
    assert (incident.kind, incident.severity, len(incident.open_orders)) == (
        Kind.COMPLAINT,
        None,
        1,
    )


@pytest.mark.parametrize("deadline", [NOW, NOW - timedelta(minutes=1)], ids=["now", "past"])
def test_an_order_deadline_must_lie_in_the_future(deadline: datetime) -> None:
    incident = verified()
    with refused(incident, "deadline_in_past", Invalid):
        issue(incident, deadline)


def test_a_resolved_incident_takes_no_new_orders() -> None:
    incident = verified()
    incident.resolve(at=NOW, by=INTAKE, resolution=Resolution.EXPLAINED, summary="")
    with refused(incident, "incident_resolved"):
        issue(incident)


# -- acknowledge and progress ----------------------------------------------------


def test_acknowledging_an_order_records_when() -> None:
    incident, order_id = with_order()
    incident.acknowledge_order(at=NOW, by=RESPONDER, order_id=order_id)
    order = incident.order(order_id)
    assert (order.status, order.acknowledged_at) == (OrderStatus.ACKNOWLEDGED, NOW)


def test_an_order_is_acknowledged_only_once() -> None:
    incident, order_id = with_order()
    incident.acknowledge_order(at=NOW, by=RESPONDER, order_id=order_id)
    with refused(incident, "order_already_acknowledged"):
        incident.acknowledge_order(at=NOW, by=RESPONDER, order_id=order_id)


def test_progress_keeps_the_note_and_the_percent_and_is_the_incidents_last_update() -> None:
    incident, order_id = with_order()
    incident.progress_order(at=NOW, by=RESPONDER, order_id=order_id, note="已关阀", percent=40)
    order = incident.order(order_id)
    assert (order.progress_note, order.percent) == ("已关阀", 40)
    assert incident.last_update == "已关阀"


def test_progress_without_a_percent_keeps_the_last_percent() -> None:
    incident, order_id = with_order()
    incident.progress_order(at=NOW, by=RESPONDER, order_id=order_id, note="a", percent=40)
    incident.progress_order(at=NOW, by=RESPONDER, order_id=order_id, note="b", percent=None)
    assert incident.order(order_id).percent == 40


def test_progress_cannot_go_back() -> None:
    incident, order_id = with_order()
    incident.progress_order(at=NOW, by=RESPONDER, order_id=order_id, note="a", percent=60)
    with refused(incident, "percent_went_back", Invalid):
        incident.progress_order(at=NOW, by=RESPONDER, order_id=order_id, note="b", percent=50)


# -- reassign -------------------------------------------------------------------


def test_reassigning_an_order_keeps_who_had_it_before() -> None:
    incident, order_id = with_order()
    ORDER_COMMANDS["reassign"](incident, order_id)
    order = incident.order(order_id)
    assert (order.assignee, order.previous_assignees) == ("抢修二队", ["抢修一队"])


def test_reassigning_an_order_resets_its_acknowledgement() -> None:
    incident, order_id = with_order()
    incident.acknowledge_order(at=NOW, by=RESPONDER, order_id=order_id)
    ORDER_COMMANDS["reassign"](incident, order_id)
    order = incident.order(order_id)
    assert (order.status, order.acknowledged_at) == (OrderStatus.ISSUED, None)
    incident.acknowledge_order(at=NOW, by=RESPONDER, order_id=order_id)
    assert order.status is OrderStatus.ACKNOWLEDGED


def test_an_order_cannot_be_reassigned_to_its_own_assignee() -> None:
    incident, order_id = with_order()
    with refused(incident, "same_assignee"):
        incident.reassign_order(
            at=NOW, by=LEADER, order_id=order_id, assignee="抢修一队", reason=""
        )


# -- complete and cancel ---------------------------------------------------------


def test_completing_an_order_records_its_outcome_and_closes_it() -> None:
    incident, order_id = with_order()
    ORDER_COMMANDS["complete"](incident, order_id)
    order = incident.order(order_id)
    assert (order.status, order.outcome, order.completed_at) == (
        OrderStatus.COMPLETED,
        "完成",
        NOW,
    )
    assert incident.open_orders == []


def test_cancelling_an_order_records_why_and_closes_it() -> None:
    incident, order_id = with_order()
    ORDER_COMMANDS["cancel"](incident, order_id)
    order = incident.order(order_id)
    assert (order.status, order.cancel_reason, order.cancelled_at) == (
        OrderStatus.CANCELLED,
        "不再需要",
        NOW,
    )
    assert incident.open_orders == []


def test_a_completed_order_cannot_be_completed_again() -> None:
    incident, order_id = with_order()
    ORDER_COMMANDS["complete"](incident, order_id)
    with refused(incident, "order_not_open"):
        ORDER_COMMANDS["complete"](incident, order_id)


@pytest.mark.parametrize("ending", ["complete", "cancel"])
@pytest.mark.parametrize("command", list(ORDER_COMMANDS))
def test_only_open_orders_can_be_acknowledged_progressed_reassigned_completed_or_cancelled(
    ending: str, command: str
) -> None:
    incident, order_id = with_order()
    ORDER_COMMANDS[ending](incident, order_id)
    with refused(incident, "order_not_open"):
        ORDER_COMMANDS[command](incident, order_id)


@pytest.mark.parametrize("command", list(ORDER_COMMANDS))
def test_an_order_the_incident_does_not_have_is_not_found(command: str) -> None:
    incident, _ = with_order()
    with refused(incident, "order_not_found", NotFound):
        ORDER_COMMANDS[command](incident, uuid4())


# -- open and overdue (督办) -------------------------------------------------------


def test_open_orders_are_those_issued_or_acknowledged() -> None:
    incident = verified()
    issued, acknowledged, completed, cancelled = (issue(incident) for _ in range(4))
    incident.acknowledge_order(at=NOW, by=RESPONDER, order_id=acknowledged)
    ORDER_COMMANDS["complete"](incident, completed)
    ORDER_COMMANDS["cancel"](incident, cancelled)
    assert [o.order_id for o in incident.open_orders] == [issued, acknowledged]


def test_an_open_order_past_its_deadline_is_overdue() -> None:
    incident, order_id = with_order()
    order = incident.order(order_id)
    assert not order.is_overdue(DEADLINE)
    assert order.is_overdue(DEADLINE + timedelta(seconds=1))


@pytest.mark.parametrize("ending", ["complete", "cancel"])
def test_a_completed_or_cancelled_order_is_never_overdue(ending: str) -> None:
    incident, order_id = with_order()
    ORDER_COMMANDS[ending](incident, order_id)
    assert not incident.order(order_id).is_overdue(DEADLINE + timedelta(days=1))


def test_an_order_id_already_used_cannot_be_issued_again() -> None:
    incident, order_id = with_order()
    ORDER_COMMANDS["complete"](incident, order_id)
    with refused(incident, "order_exists"):
        incident.issue_order(
            at=NOW,
            by=LEADER,
            order_id=order_id,
            assignee="抢修二队",
            instruction="再次",
            deadline=DEADLINE,
            priority=Priority.HIGH,
        )


@pytest.mark.parametrize("percent", [-1, 101, 250])
def test_progress_is_a_percentage(percent: int) -> None:
    incident, order_id = with_order()
    with refused(incident, "percent_out_of_range", Invalid):
        incident.progress_order(at=NOW, by=RESPONDER, order_id=order_id, note="", percent=percent)
