"""An order (指令): an instruction from leadership to an assignee, with a deadline."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.vocabulary import OrderStatus, Priority


@dataclass
class Order:
    order_id: UUID
    assignee: str
    instruction: str
    deadline: datetime
    priority: Priority
    issued_at: datetime
    issued_by: str
    status: OrderStatus = OrderStatus.OPEN
    outcome: str | None = None
    completed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is OrderStatus.OPEN

    def is_overdue(self, now: datetime) -> bool:
        """督办: past its deadline and not yet done."""
        return self.is_open and self.deadline < now
