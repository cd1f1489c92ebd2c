"""Request bodies: strict types, known enum values, sensible lengths, no unknown fields."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from domain.vocabulary import Channel, Kind, Priority, Resolution, ResponseStatus, Severity


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a time zone, e.g. 2026-11-26T08:00:00+08:00")
    return value


Moment = Annotated[datetime, AfterValidator(_aware)]
Line = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
OptionalText = Annotated[str, Field(max_length=4000)]


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Reporter(Command):
    name: Annotated[str, Field(max_length=100)] = ""
    phone: Annotated[str, Field(max_length=30, pattern=r"^[0-9+\-() ]*$")] = ""
    email: Annotated[str, Field(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")] = ""


class Report(Command):
    kind: Kind
    channel: Channel
    category: Line
    title: Line
    description: OptionalText = ""
    location: Annotated[str, Field(max_length=200)] = ""
    reporter: Reporter | None = None
    received_at: Moment | None = None


class Verify(Command):
    note: OptionalText = ""


class Link(Command):
    parent_id: UUID


class Classify(Command):
    severity: Severity
    scope: OptionalText = ""
    risk: OptionalText = ""
    rationale: Text


class IssueOrder(Command):
    assignee: Line
    instruction: Text
    deadline: Moment
    priority: Priority = Priority.NORMAL


class CompleteOrder(Command):
    outcome: Text


class PostResponse(Command):
    note: Text
    status: ResponseStatus
    customer_contacted: bool = False
    occurred_at: Moment | None = None


class Resolve(Command):
    resolution: Resolution
    summary: Text


class Close(Command):
    note: OptionalText = ""


class Login(Command):
    token: Annotated[str, Field(min_length=1, max_length=200)]
