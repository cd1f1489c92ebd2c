"""Request bodies: strict types, known enum values, sensible lengths, no unknown fields.

Numbers and flags must arrive as JSON numbers and booleans ("5" and true are
not a satisfaction score); times as ISO text with a zone.
"""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
)

from domain.vocabulary import (
    Channel,
    CommandRole,
    ContactChannel,
    DismissReason,
    Kind,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Severity,
    StatementChannel,
)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a time zone, e.g. 2026-11-26T08:00:00+08:00")
    return value


def _text(value: object) -> object:
    # A number is not a moment (it would skip the time-zone check, too).
    if not isinstance(value, str | datetime):
        raise ValueError("must be an ISO time with a zone, e.g. 2026-11-26T08:00:00+08:00")
    return value


Moment = Annotated[datetime, BeforeValidator(_text), AfterValidator(_aware)]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Line = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
OptionalText = Annotated[str, Field(max_length=4000)]
Quantity = Annotated[StrictInt, Field(ge=1, le=1_000_000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Reporter(Body):
    name: Annotated[str, Field(max_length=100)] = ""
    phone: Annotated[str, Field(max_length=30, pattern=r"^[0-9+\-() ]*$")] = ""
    email: Annotated[str, Field(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")] = ""


class Report(Body):
    kind: Kind
    channel: Channel
    category: Line
    title: Line
    description: OptionalText = ""
    # The description names people or places to keep private: sealed like the
    # reporter's contact details, shown per role, erased with them.
    description_is_personal: StrictBool = False
    location: Annotated[str, Field(max_length=200)] = ""
    reporter: Reporter | None = None
    received_at: Moment | None = None


class Verify(Body):
    note: OptionalText = ""


class Dismiss(Body):
    reason: DismissReason
    duplicate_of: UUID | None = None
    note: OptionalText = ""


class Link(Body):
    parent_id: UUID


class Classify(Body):
    severity: Severity
    scope: OptionalText = ""
    risk: OptionalText = ""
    rationale: Text


class Activate(Body):
    plan: Line
    commander: Name


class AssignRole(Body):
    role: CommandRole
    person: Name


class IssueOrder(Body):
    assignee: Line
    instruction: Text
    deadline: Moment
    priority: Priority = Priority.NORMAL


class Empty(Body):
    """For commands whose path says it all (acknowledge, relieve)."""


class ProgressOrder(Body):
    note: Text
    percent: Annotated[StrictInt, Field(ge=0, le=100)] | None = None


class ReassignOrder(Body):
    assignee: Line
    reason: Text


class CompleteOrder(Body):
    outcome: Text


class CancelOrder(Body):
    reason: Text


class PostResponse(Body):
    note: Text
    status: ResponseStatus
    customer_contacted: StrictBool = False
    occurred_at: Moment | None = None


class RequestLogistics(Body):
    resource: Resource
    item: Line
    quantity: Quantity
    needed_by: Moment
    purpose: Text


class AllocateLogistics(Body):
    quantity: Quantity | None = None
    source: Line
    note: OptionalText = ""


class SettleLogistics(Body):
    """Deliver or return: how many (all by default) and a note."""

    quantity: Quantity | None = None
    note: OptionalText = ""


class DeclineLogistics(Body):
    note: Text


class PublishStatement(Body):
    channels: Annotated[list[StatementChannel], Field(min_length=1, max_length=10)]
    text: Text
    approved_by: Name


class NotifyCustomer(Body):
    channel: ContactChannel
    message: Text
    # The message carries the customer's own details: sealed, erased with them.
    message_is_personal: StrictBool = False


class RecordCallback(Body):
    satisfaction: Annotated[StrictInt, Field(ge=1, le=5)]
    comment: OptionalText = ""
    via: ContactChannel = ContactChannel.PHONE
    # The customer's own words: sealed, erased with the rest of their data.
    comment_is_personal: StrictBool = False


class ErasePersonalData(Body):
    reason: Text


class Resolve(Body):
    resolution: Resolution
    summary: Text


class Close(Body):
    note: OptionalText = ""


class Reopen(Body):
    reason: Text


class PlannedAction(Body):
    description: Text
    owner: Line
    due: Moment


class RecordReview(Body):
    root_cause: Text
    lessons: Text
    accountability: OptionalText = ""
    actions: Annotated[list[PlannedAction], Field(max_length=50)] = []


class CompleteImprovement(Body):
    note: OptionalText = ""


class Login(Body):
    token: Annotated[str, Field(min_length=1, max_length=200)]
