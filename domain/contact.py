"""Talking to the public: the reporter, the unified statement (统一口径), telling
the customer the result, and the callback (回访). Values, events, commands."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.actor import Actor
from domain.errors import Invalid, RuleBroken
from domain.event import IncidentEvent
from domain.state import ACTIVE, IncidentState
from domain.vocabulary import ContactChannel, StatementChannel, Status


@dataclass(frozen=True)
class Reporter:
    """Personal data. `key_id` names the key it is sealed with at rest, one per
    reporter, so that erasing one person's data is destroying one key."""

    key_id: UUID
    name: str = ""
    phone: str = ""
    email: str = ""
    erased: bool = False
    # The report's description, when intake marked it personal: sealed with the rest.
    account: str = ""

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.email)


@dataclass
class Statement:
    channels: list[StatementChannel]
    text: str
    approved_by: str
    published_at: datetime
    published_by: str


@dataclass(frozen=True)
class PersonalText:
    """Free text marked personal (a customer's words, say): sealed at rest with
    the reporter's key, so it is erased with the rest of their data."""

    key_id: UUID
    text: str = ""
    erased: bool = False

    def __str__(self) -> str:  # never the text by accident
        return "[erased]" if self.erased else "[personal]"


@dataclass
class Notice:
    channel: ContactChannel
    message: "str | PersonalText"
    at: datetime
    by: str
    # Told after the incident was resolved, so it carries the result.
    of_result: bool


@dataclass
class Callback:
    satisfaction: int
    comment: "str | PersonalText"
    via: ContactChannel
    at: datetime
    by: str


class StatementPublished(IncidentEvent):
    channels: list[StatementChannel]
    text: str
    approved_by: str

    def apply(self, incident: IncidentState) -> None:
        statement = Statement(list(self.channels), self.text, self.approved_by, self.at, self.actor)
        incident.statements.append(statement)


class CustomerNotified(IncidentEvent):
    channel: ContactChannel
    message: "str | PersonalText"

    def apply(self, incident: IncidentState) -> None:
        of_result = incident.status is Status.RESOLVED
        incident.notices.append(Notice(self.channel, self.message, self.at, self.actor, of_result))


class CallbackRecorded(IncidentEvent):
    satisfaction: int
    comment: "str | PersonalText"
    via: ContactChannel

    def apply(self, incident: IncidentState) -> None:
        callback = Callback(self.satisfaction, self.comment, self.via, self.at, self.actor)
        incident.callbacks.append(callback)


class PersonalDataErased(IncidentEvent):
    """The reporter's personal data is erased on request: the key it is sealed
    with is destroyed, so every event and snapshot holding it reads as erased."""

    reason: str
    key_id: UUID  # the key to destroy; a key's id says nothing about the person

    def apply(self, incident: IncidentState) -> None:
        incident.reporter = Reporter(key_id=self.key_id, erased=True)
        gone = PersonalText(self.key_id, erased=True)
        for notice in incident.notices:
            if isinstance(notice.message, PersonalText):
                notice.message = gone
        for callback in incident.callbacks:
            if isinstance(callback.comment, PersonalText):
                callback.comment = gone


class ContactCommands(IncidentState):
    def publish_statement(
        self,
        *,
        at: datetime,
        by: Actor,
        channels: list[StatementChannel],
        text: str,
        approved_by: str,
    ) -> None:
        self._require(*ACTIVE, Status.RESOLVED)
        if not channels:
            raise Invalid("no_channels", "name at least one channel to publish on")
        unique = list(dict.fromkeys(channels))
        self._record(
            StatementPublished, at, by, channels=unique, text=text, approved_by=approved_by
        )

    def notify_customer(
        self,
        *,
        at: datetime,
        by: Actor,
        channel: ContactChannel,
        message: str,
        personal: bool = False,
    ) -> None:
        self._require(*ACTIVE, Status.RESOLVED)
        sealed = self._personal(message) if personal else message
        self._record(CustomerNotified, at, by, channel=channel, message=sealed)

    def record_callback(
        self,
        *,
        at: datetime,
        by: Actor,
        satisfaction: int,
        comment: str,
        via: ContactChannel,
        personal: bool = False,
    ) -> None:
        self._require(Status.RESOLVED, Status.CLOSED, Status.REVIEWED)
        if not 1 <= satisfaction <= 5:
            raise Invalid("satisfaction_out_of_range", "satisfaction is a score from 1 to 5")
        sealed = self._personal(comment) if personal and comment else comment
        self._record(CallbackRecorded, at, by, satisfaction=satisfaction, comment=sealed, via=via)

    def _personal(self, text: str) -> PersonalText:
        """Text to be sealed with the reporter's key, and erased with their data."""
        if self.reporter is None:
            raise Invalid("no_reporter", "only a report with a reporter can hold personal text")
        if self.reporter.erased:
            raise RuleBroken("already_erased", "the reporter's personal data was erased")
        return PersonalText(self.reporter.key_id, text)

    def erase_personal_data(self, *, at: datetime, by: Actor, reason: str) -> None:
        """At any stage of the incident's life: the right to erasure has no deadline."""
        if self.reporter is None:
            raise RuleBroken("no_personal_data", "the report holds no personal data to erase")
        if self.reporter.erased:
            raise RuleBroken("already_erased", "the reporter's personal data is already erased")
        if not reason.strip():
            raise Invalid("reason_required", "say why the personal data is erased")
        key_id = self.reporter.key_id
        self._record(PersonalDataErased, at, by, reason=reason, key_id=key_id)

    @property
    def statement_by_channel(self) -> dict[StatementChannel, Statement]:
        """The one text in force on each channel: the latest published there."""
        return {channel: s for s in self.statements for channel in s.channels}

    @property
    def notified_of_result(self) -> bool:
        return any(n.of_result for n in self.notices)
