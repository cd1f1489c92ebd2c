"""Commands: a named intention with its arguments, applied to an incident at a
time by an actor. One name per concept: `verify` here is the `verify` of the
permission table, the method `Incident.verify` and `POST …/verify`.

The application runs every command the same way (load, authorise, apply, save),
so the API, the demo and the tests all build their commands here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.actor import Actor
from domain.incident import Incident
from domain.review import Improvement
from domain.vocabulary import (
    CommandRole,
    ContactChannel,
    DismissReason,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Severity,
    StatementChannel,
)

Apply = Callable[[Incident, datetime, Actor], None]


@dataclass(frozen=True)
class Command:
    name: str
    apply: Apply


def verify(note: str = "") -> Command:
    return Command("verify", lambda i, at, by: i.verify(at=at, by=by, note=note))


def dismiss(reason: DismissReason, note: str = "", duplicate_of: Incident | None = None) -> Command:
    return Command(
        "dismiss",
        lambda i, at, by: i.dismiss(
            at=at, by=by, reason=reason, duplicate_of=duplicate_of, note=note
        ),
    )


def link(parent: Incident) -> Command:
    return Command("link", lambda i, at, by: i.link(at=at, by=by, parent=parent))


def classify(severity: Severity, rationale: str, scope: str = "", risk: str = "") -> Command:
    return Command(
        "classify",
        lambda i, at, by: i.classify(
            at=at, by=by, severity=severity, scope=scope, risk=risk, rationale=rationale
        ),
    )


def activate(plan: str, commander: str) -> Command:
    return Command(
        "activate", lambda i, at, by: i.activate(at=at, by=by, plan=plan, commander=commander)
    )


def assign_role(command_role: CommandRole, person: str) -> Command:
    return Command(
        "assign_role",
        lambda i, at, by: i.assign_role(at=at, by=by, command_role=command_role, person=person),
    )


def relieve_role(command_role: CommandRole) -> Command:
    return Command(
        "relieve_role", lambda i, at, by: i.relieve_role(at=at, by=by, command_role=command_role)
    )


def issue_order(
    order_id: UUID,
    assignee: str,
    instruction: str,
    deadline: datetime,
    priority: Priority = Priority.NORMAL,
) -> Command:
    return Command(
        "issue_order",
        lambda i, at, by: i.issue_order(
            at=at,
            by=by,
            order_id=order_id,
            assignee=assignee,
            instruction=instruction,
            deadline=deadline,
            priority=priority,
        ),
    )


def acknowledge_order(order_id: UUID) -> Command:
    return Command(
        "acknowledge_order", lambda i, at, by: i.acknowledge_order(at=at, by=by, order_id=order_id)
    )


def progress_order(order_id: UUID, note: str, percent: int | None = None) -> Command:
    return Command(
        "progress_order",
        lambda i, at, by: i.progress_order(
            at=at, by=by, order_id=order_id, note=note, percent=percent
        ),
    )


def reassign_order(order_id: UUID, assignee: str, reason: str) -> Command:
    return Command(
        "reassign_order",
        lambda i, at, by: i.reassign_order(
            at=at, by=by, order_id=order_id, assignee=assignee, reason=reason
        ),
    )


def complete_order(order_id: UUID, outcome: str) -> Command:
    return Command(
        "complete_order",
        lambda i, at, by: i.complete_order(at=at, by=by, order_id=order_id, outcome=outcome),
    )


def cancel_order(order_id: UUID, reason: str) -> Command:
    return Command(
        "cancel_order",
        lambda i, at, by: i.cancel_order(at=at, by=by, order_id=order_id, reason=reason),
    )


def post_response(
    note: str,
    status: ResponseStatus,
    customer_contacted: bool = False,
    occurred_at: datetime | None = None,
) -> Command:
    return Command(
        "post_response",
        lambda i, at, by: i.post_response(
            at=at,
            by=by,
            note=note,
            status=status,
            customer_contacted=customer_contacted,
            occurred_at=occurred_at,
        ),
    )


def request_logistics(
    request_id: UUID,
    resource: Resource,
    item: str,
    quantity: int,
    needed_by: datetime,
    purpose: str,
) -> Command:
    return Command(
        "request_logistics",
        lambda i, at, by: i.request_logistics(
            at=at,
            by=by,
            request_id=request_id,
            resource=resource,
            item=item,
            quantity=quantity,
            needed_by=needed_by,
            purpose=purpose,
        ),
    )


def allocate_logistics(
    request_id: UUID, source: str, quantity: int | None = None, note: str = ""
) -> Command:
    return Command(
        "allocate_logistics",
        lambda i, at, by: i.allocate_logistics(
            at=at, by=by, request_id=request_id, quantity=quantity, source=source, note=note
        ),
    )


def deliver_logistics(request_id: UUID, quantity: int | None = None, note: str = "") -> Command:
    return Command(
        "deliver_logistics",
        lambda i, at, by: i.deliver_logistics(
            at=at, by=by, request_id=request_id, quantity=quantity, note=note
        ),
    )


def return_logistics(request_id: UUID, quantity: int | None = None, note: str = "") -> Command:
    return Command(
        "return_logistics",
        lambda i, at, by: i.return_logistics(
            at=at, by=by, request_id=request_id, quantity=quantity, note=note
        ),
    )


def decline_logistics(request_id: UUID, note: str) -> Command:
    return Command(
        "decline_logistics",
        lambda i, at, by: i.decline_logistics(at=at, by=by, request_id=request_id, note=note),
    )


def publish_statement(channels: list[StatementChannel], text: str, approved_by: str) -> Command:
    return Command(
        "publish_statement",
        lambda i, at, by: i.publish_statement(
            at=at, by=by, channels=channels, text=text, approved_by=approved_by
        ),
    )


def notify_customer(channel: ContactChannel, message: str, personal: bool = False) -> Command:
    return Command(
        "notify_customer",
        lambda i, at, by: i.notify_customer(
            at=at, by=by, channel=channel, message=message, personal=personal
        ),
    )


def record_callback(
    satisfaction: int,
    comment: str = "",
    via: ContactChannel = ContactChannel.PHONE,
    personal: bool = False,
) -> Command:
    return Command(
        "record_callback",
        lambda i, at, by: i.record_callback(
            at=at, by=by, satisfaction=satisfaction, comment=comment, via=via, personal=personal
        ),
    )


def resolve(resolution: Resolution, summary: str) -> Command:
    return Command(
        "resolve",
        lambda i, at, by: i.resolve(at=at, by=by, resolution=resolution, summary=summary),
    )


def close(note: str = "") -> Command:
    return Command("close", lambda i, at, by: i.close(at=at, by=by, note=note))


def reopen(reason: str) -> Command:
    return Command("reopen", lambda i, at, by: i.reopen(at=at, by=by, reason=reason))


def record_review(
    root_cause: str, lessons: str, actions: list[Improvement], accountability: str = ""
) -> Command:
    return Command(
        "record_review",
        lambda i, at, by: i.record_review(
            at=at,
            by=by,
            root_cause=root_cause,
            lessons=lessons,
            accountability=accountability,
            actions=actions,
        ),
    )


def complete_improvement(action_id: UUID, note: str = "") -> Command:
    return Command(
        "complete_improvement",
        lambda i, at, by: i.complete_improvement(at=at, by=by, action_id=action_id, note=note),
    )


def erase_personal_data(reason: str) -> Command:
    return Command(
        "erase_personal_data",
        lambda i, at, by: i.erase_personal_data(at=at, by=by, reason=reason),
    )
