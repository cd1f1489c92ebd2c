"""The parts of a demo case with ids of their own: orders and logistics requests.

Each id is made before its command runs, so a retried command keeps it; deadlines
and "needed by" are counted from the moment the command runs.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.application import Ack, IncidentApp
from domain import commands
from domain.actor import Actor
from domain.commands import Command
from domain.vocabulary import Priority, Resource


@dataclass(frozen=True)
class CaseHandle:
    app: IncidentApp
    id: UUID

    def run(self, by: Actor, command: Command) -> Ack:
        """The command through the real write path (roles and rules apply)."""
        return self.app.execute(by, self.id, command)

    def hours_ahead(self, hours: float) -> datetime:
        return self.app.clock() + timedelta(hours=hours)


class TaskCommands(CaseHandle):
    # -- orders -------------------------------------------------------------

    def order(
        self, by: Actor, assignee: str, instruction: str, *, hours: float, priority: Priority
    ) -> UUID:
        order_id = self.app.new_id()
        self.run(
            by,
            commands.issue_order(
                order_id=order_id,
                assignee=assignee,
                instruction=instruction,
                deadline=self.hours_ahead(hours),
                priority=priority,
            ),
        )
        return order_id

    def reassign(self, by: Actor, order_id: UUID, assignee: str, reason: str) -> None:
        self.run(by, commands.reassign_order(order_id=order_id, assignee=assignee, reason=reason))

    def cancel(self, by: Actor, order_id: UUID, reason: str) -> None:
        self.run(by, commands.cancel_order(order_id=order_id, reason=reason))

    def acknowledge(self, by: Actor, order_id: UUID) -> None:
        self.run(by, commands.acknowledge_order(order_id=order_id))

    def progress(self, by: Actor, order_id: UUID, note: str, percent: int | None = None) -> None:
        self.run(by, commands.progress_order(order_id=order_id, note=note, percent=percent))

    def complete(self, by: Actor, order_id: UUID, outcome: str) -> None:
        self.run(by, commands.complete_order(order_id=order_id, outcome=outcome))

    # -- logistics ----------------------------------------------------------

    def request(
        self, by: Actor, resource: Resource, item: str, quantity: int, *, hours: float, purpose: str
    ) -> UUID:
        request_id = self.app.new_id()
        self.run(
            by,
            commands.request_logistics(
                request_id=request_id,
                resource=resource,
                item=item,
                quantity=quantity,
                needed_by=self.hours_ahead(hours),
                purpose=purpose,
            ),
        )
        return request_id

    def allocate(self, by: Actor, request_id: UUID, source: str, note: str = "") -> None:
        self.run(
            by,
            commands.allocate_logistics(
                request_id=request_id, quantity=None, source=source, note=note
            ),
        )

    def deliver(self, by: Actor, request_id: UUID, note: str) -> None:
        self.run(by, commands.deliver_logistics(request_id=request_id, quantity=None, note=note))

    def take_back(self, by: Actor, request_id: UUID, note: str) -> None:
        self.run(by, commands.return_logistics(request_id=request_id, quantity=None, note=note))

    def decline(self, by: Actor, request_id: UUID, note: str) -> None:
        self.run(by, commands.decline_logistics(request_id=request_id, note=note))
