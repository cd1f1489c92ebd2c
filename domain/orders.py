"""Orders (指令): instructions from leadership to an assignee, with a deadline.

The entity, its events and the commands of its life: issue, acknowledge,
progress, reassign, complete, cancel.
"""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.actor import Actor
from domain.errors import Invalid, NotFound, RuleBroken
from domain.event import IncidentEvent
from domain.state import ACTIVE, IncidentState
from domain.vocabulary import Kind, OrderStatus, Priority, Status

OPEN = (OrderStatus.ISSUED, OrderStatus.ACKNOWLEDGED)


@dataclass
class Order:
    order_id: UUID
    assignee: str
    instruction: str
    deadline: datetime
    priority: Priority
    issued_at: datetime
    issued_by: str
    status: OrderStatus = OrderStatus.ISSUED
    acknowledged_at: datetime | None = None
    progress_note: str | None = None
    percent: int | None = None
    previous_assignees: list[str] = field(default_factory=list)
    outcome: str | None = None
    completed_at: datetime | None = None
    cancel_reason: str | None = None
    cancelled_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def is_overdue(self, now: datetime) -> bool:
        """督办: past its deadline and neither completed nor cancelled."""
        return self.is_open and self.deadline < now


class OrderIssued(IncidentEvent):
    order_id: UUID
    assignee: str
    instruction: str
    deadline: datetime
    priority: Priority

    def apply(self, incident: IncidentState) -> None:
        incident.orders[self.order_id] = Order(
            order_id=self.order_id,
            assignee=self.assignee,
            instruction=self.instruction,
            deadline=self.deadline,
            priority=self.priority,
            issued_at=self.at,
            issued_by=self.actor,
        )
        incident.status = Status.RESPONDING


class OrderAcknowledged(IncidentEvent):
    order_id: UUID

    def apply(self, incident: IncidentState) -> None:
        order = incident.orders[self.order_id]
        order.status = OrderStatus.ACKNOWLEDGED
        order.acknowledged_at = self.at


class OrderProgressed(IncidentEvent):
    order_id: UUID
    note: str
    percent: int | None

    def apply(self, incident: IncidentState) -> None:
        order = incident.orders[self.order_id]
        order.progress_note = self.note
        if self.percent is not None:
            order.percent = self.percent
        incident.last_update = self.note


class OrderReassigned(IncidentEvent):
    order_id: UUID
    assignee: str
    reason: str

    def apply(self, incident: IncidentState) -> None:
        order = incident.orders[self.order_id]
        order.previous_assignees.append(order.assignee)
        order.assignee = self.assignee
        # The new assignee has not acknowledged anything yet.
        order.status = OrderStatus.ISSUED
        order.acknowledged_at = None


class OrderCompleted(IncidentEvent):
    order_id: UUID
    outcome: str

    def apply(self, incident: IncidentState) -> None:
        order = incident.orders[self.order_id]
        order.status = OrderStatus.COMPLETED
        order.outcome = self.outcome
        order.completed_at = self.at


class OrderCancelled(IncidentEvent):
    order_id: UUID
    reason: str

    def apply(self, incident: IncidentState) -> None:
        order = incident.orders[self.order_id]
        order.status = OrderStatus.CANCELLED
        order.cancel_reason = self.reason
        order.cancelled_at = self.at


class OrderCommands(IncidentState):
    def issue_order(
        self,
        *,
        at: datetime,
        by: Actor,
        order_id: UUID,
        assignee: str,
        instruction: str,
        deadline: datetime,
        priority: Priority,
    ) -> None:
        self._require(*ACTIVE)
        if self.kind is Kind.CRISIS and self.severity is None:
            raise RuleBroken(
                "crisis_not_graded", "a crisis must be graded before orders are issued"
            )
        if deadline <= at:
            raise Invalid("deadline_in_past", "the deadline must lie in the future")
        if order_id in self.orders:
            raise RuleBroken("order_exists", f"an order {order_id} was already issued")
        self._record(
            OrderIssued,
            at,
            by,
            order_id=order_id,
            assignee=assignee,
            instruction=instruction,
            deadline=deadline,
            priority=priority,
        )

    def acknowledge_order(self, *, at: datetime, by: Actor, order_id: UUID) -> None:
        if self._open_order(order_id).acknowledged_at is not None:
            raise RuleBroken("order_already_acknowledged", "the order is already acknowledged")
        self._record(OrderAcknowledged, at, by, order_id=order_id)

    def progress_order(
        self, *, at: datetime, by: Actor, order_id: UUID, note: str, percent: int | None
    ) -> None:
        order = self._open_order(order_id)
        if percent is not None and not 0 <= percent <= 100:
            raise Invalid("percent_out_of_range", "progress is a percentage from 0 to 100")
        if percent is not None and order.percent is not None and percent < order.percent:
            raise Invalid("percent_went_back", f"progress was already {order.percent}%")
        self._record(OrderProgressed, at, by, order_id=order_id, note=note, percent=percent)

    def reassign_order(
        self, *, at: datetime, by: Actor, order_id: UUID, assignee: str, reason: str
    ) -> None:
        if self._open_order(order_id).assignee == assignee:
            raise RuleBroken("same_assignee", f"the order is already assigned to {assignee}")
        self._record(OrderReassigned, at, by, order_id=order_id, assignee=assignee, reason=reason)

    def complete_order(self, *, at: datetime, by: Actor, order_id: UUID, outcome: str) -> None:
        self._open_order(order_id)
        self._record(OrderCompleted, at, by, order_id=order_id, outcome=outcome)

    def cancel_order(self, *, at: datetime, by: Actor, order_id: UUID, reason: str) -> None:
        self._open_order(order_id)
        self._record(OrderCancelled, at, by, order_id=order_id, reason=reason)

    def order(self, order_id: UUID) -> Order:
        try:
            return self.orders[order_id]
        except KeyError:
            raise NotFound("order_not_found", f"no order {order_id} in this incident") from None

    @property
    def open_orders(self) -> list[Order]:
        return [o for o in self.orders.values() if o.is_open]

    def _open_order(self, order_id: UUID) -> Order:
        order = self.order(order_id)
        if not order.is_open:
            raise RuleBroken("order_not_open", f"the order is already {order.status.value}")
        return order
