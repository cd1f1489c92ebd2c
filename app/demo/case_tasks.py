"""The parts of a demo case with ids of their own: orders and logistics requests.

Each id is made before its command runs, so a retried command keeps it; deadlines
and "needed by" are counted from the moment the command runs.
"""

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from app.application import Ack, Decide, IncidentApp
from domain.actor import Actor
from domain.vocabulary import Priority, Resource


@dataclass(frozen=True)
class CaseHandle:
    app: IncidentApp
    id: UUID

    def run(self, by: Actor, command: str, decide: Decide) -> Ack:
        """The command of that name through the real use case (roles and rules apply)."""
        return self.app.execute(by, command, self.id, decide)


class TaskCommands(CaseHandle):
    # -- orders -------------------------------------------------------------

    def order(
        self, by: Actor, assignee: str, instruction: str, *, hours: float, priority: Priority
    ) -> UUID:
        order_id = self.app.new_id()
        self.run(
            by,
            "issue_order",
            lambda i, at, by: i.issue_order(
                at=at,
                by=by,
                order_id=order_id,
                assignee=assignee,
                instruction=instruction,
                deadline=at + timedelta(hours=hours),
                priority=priority,
            ),
        )
        return order_id

    def reassign(self, by: Actor, order_id: UUID, assignee: str, reason: str) -> None:
        self.run(
            by,
            "reassign_order",
            lambda i, at, by: i.reassign_order(
                at=at, by=by, order_id=order_id, assignee=assignee, reason=reason
            ),
        )

    def cancel(self, by: Actor, order_id: UUID, reason: str) -> None:
        self.run(
            by,
            "cancel_order",
            lambda i, at, by: i.cancel_order(at=at, by=by, order_id=order_id, reason=reason),
        )

    def acknowledge(self, by: Actor, order_id: UUID) -> None:
        self.run(
            by,
            "acknowledge_order",
            lambda i, at, by: i.acknowledge_order(at=at, by=by, order_id=order_id),
        )

    def progress(self, by: Actor, order_id: UUID, note: str, percent: int | None = None) -> None:
        self.run(
            by,
            "progress_order",
            lambda i, at, by: i.progress_order(
                at=at, by=by, order_id=order_id, note=note, percent=percent
            ),
        )

    def complete(self, by: Actor, order_id: UUID, outcome: str) -> None:
        self.run(
            by,
            "complete_order",
            lambda i, at, by: i.complete_order(at=at, by=by, order_id=order_id, outcome=outcome),
        )

    # -- logistics ----------------------------------------------------------

    def request(
        self, by: Actor, resource: Resource, item: str, quantity: int, *, hours: float, purpose: str
    ) -> UUID:
        request_id = self.app.new_id()
        self.run(
            by,
            "request_logistics",
            lambda i, at, by: i.request_logistics(
                at=at,
                by=by,
                request_id=request_id,
                resource=resource,
                item=item,
                quantity=quantity,
                needed_by=at + timedelta(hours=hours),
                purpose=purpose,
            ),
        )
        return request_id

    def allocate(self, by: Actor, request_id: UUID, source: str, note: str = "") -> None:
        self.run(
            by,
            "allocate_logistics",
            lambda i, at, by: i.allocate_logistics(
                at=at, by=by, request_id=request_id, quantity=None, source=source, note=note
            ),
        )

    def deliver(self, by: Actor, request_id: UUID, note: str) -> None:
        self.run(
            by,
            "deliver_logistics",
            lambda i, at, by: i.deliver_logistics(
                at=at, by=by, request_id=request_id, quantity=None, note=note
            ),
        )

    def take_back(self, by: Actor, request_id: UUID, note: str) -> None:
        self.run(
            by,
            "return_logistics",
            lambda i, at, by: i.return_logistics(
                at=at, by=by, request_id=request_id, quantity=None, note=note
            ),
        )

    def decline(self, by: Actor, request_id: UUID, note: str) -> None:
        self.run(
            by,
            "decline_logistics",
            lambda i, at, by: i.decline_logistics(at=at, by=by, request_id=request_id, note=note),
        )
