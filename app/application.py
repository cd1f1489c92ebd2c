"""The event-sourced application: one method per use case.

Each command loads the incident, lets the aggregate check its rule, and saves
the new events atomically with the library's optimistic version check.
"""

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording, Transcoder

from app.errors import Forbidden, StaleVersion
from app.permissions import may_run_on
from app.transcoding import OrjsonTranscoder, enum_transcoding
from domain.actor import Actor
from domain.errors import NotFound, RuleBroken
from domain.incident import Incident
from domain.vocabulary import (
    ALL_ENUMS,
    Channel,
    Kind,
    Priority,
    Resolution,
    ResponseStatus,
    Severity,
)

Clock = Callable[[], datetime]
IdFactory = Callable[[], UUID]

# A command that lost a race with another writer is re-run on fresh state this often.
CONFLICT_RETRIES = 10
RETRY_JITTER = 0.005  # seconds, times the attempt number
WRITE_LOCK_STRIPES = 64


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Ack:
    """What every command answers: the incident, its new version, the event's log position."""

    id: UUID
    version: int
    position: int
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "position": self.position, **self.extra}


class IncidentApp(Application[UUID]):
    name = "incidents"

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        clock: Clock = utc_now,
        new_id: IdFactory = uuid4,
    ) -> None:
        super().__init__(env)
        self.clock = clock
        self.new_id = new_id
        self._save_listeners: list[Callable[[], None]] = []
        self._write_locks = [threading.Lock() for _ in range(WRITE_LOCK_STRIPES)]

    # -- storage seams ------------------------------------------------------

    def construct_transcoder(self) -> Transcoder:
        transcoder = OrjsonTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for enum_class in ALL_ENUMS:
            transcoder.register(enum_transcoding(enum_class))

    def on_save(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every save in this process (wakes the log follower)."""
        self._save_listeners.append(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        for listener in self._save_listeners:
            listener()

    # -- queries ------------------------------------------------------------

    def get_incident(self, incident_id: UUID, version: int | None = None) -> Incident:
        try:
            incident: object = self.repository.get(incident_id, version=version)
        except AggregateNotFoundError:
            raise NotFound("incident_not_found", f"no incident {incident_id}") from None
        if not isinstance(incident, Incident):
            raise NotFound("incident_not_found", f"no incident {incident_id}")
        return incident

    # -- commands -----------------------------------------------------------

    def report(
        self,
        by: Actor,
        *,
        kind: Kind,
        channel: Channel,
        category: str,
        title: str,
        description: str,
        location: str,
        reporter: dict[str, str] | None,
        received_at: datetime | None,
    ) -> Ack:
        self._authorize(by, "report", kind)
        incident = Incident.report(
            incident_id=self.new_id(),
            at=self.clock(),
            by=by,
            kind=kind,
            channel=channel,
            category=category,
            title=title,
            description=description,
            location=location,
            reporter=reporter,
            received_at=received_at,
        )
        return self._save(incident)

    def verify(
        self, by: Actor, incident_id: UUID, *, note: str, if_match: int | None = None
    ) -> Ack:
        return self._execute(
            by,
            "verify",
            incident_id,
            if_match,
            lambda i: i.verify(at=self.clock(), by=by, note=note),
        )

    def link(
        self, by: Actor, incident_id: UUID, *, parent_id: UUID, if_match: int | None = None
    ) -> Ack:
        if parent_id == incident_id:
            raise RuleBroken("cannot_link_to_itself", "a report cannot be linked to itself")
        try:
            parent = self.get_incident(parent_id)
        except NotFound:
            raise RuleBroken("parent_not_found", f"no crisis {parent_id} to link to") from None
        return self._execute(
            by,
            "link",
            incident_id,
            if_match,
            lambda i: i.link(at=self.clock(), by=by, parent=parent),
        )

    def classify(
        self,
        by: Actor,
        incident_id: UUID,
        *,
        severity: Severity,
        scope: str,
        risk: str,
        rationale: str,
        if_match: int | None = None,
    ) -> Ack:
        return self._execute(
            by,
            "classify",
            incident_id,
            if_match,
            lambda i: i.classify(
                at=self.clock(),
                by=by,
                severity=severity,
                scope=scope,
                risk=risk,
                rationale=rationale,
            ),
        )

    def issue_order(
        self,
        by: Actor,
        incident_id: UUID,
        *,
        assignee: str,
        instruction: str,
        deadline: datetime,
        priority: Priority,
        if_match: int | None = None,
    ) -> Ack:
        order_id = self.new_id()
        ack = self._execute(
            by,
            "issue_order",
            incident_id,
            if_match,
            lambda i: i.issue_order(
                at=self.clock(),
                by=by,
                order_id=order_id,
                assignee=assignee,
                instruction=instruction,
                deadline=deadline,
                priority=priority,
            ),
        )
        return Ack(ack.id, ack.version, ack.position, {"order_id": order_id})

    def complete_order(
        self,
        by: Actor,
        incident_id: UUID,
        order_id: UUID,
        *,
        outcome: str,
        if_match: int | None = None,
    ) -> Ack:
        return self._execute(
            by,
            "complete_order",
            incident_id,
            if_match,
            lambda i: i.complete_order(at=self.clock(), by=by, order_id=order_id, outcome=outcome),
        )

    def post_response(
        self,
        by: Actor,
        incident_id: UUID,
        *,
        note: str,
        status: ResponseStatus,
        customer_contacted: bool,
        occurred_at: datetime | None,
        if_match: int | None = None,
    ) -> Ack:
        return self._execute(
            by,
            "post_response",
            incident_id,
            if_match,
            lambda i: i.post_response(
                at=self.clock(),
                by=by,
                note=note,
                status=status,
                customer_contacted=customer_contacted,
                occurred_at=occurred_at,
            ),
        )

    def resolve(
        self,
        by: Actor,
        incident_id: UUID,
        *,
        resolution: Resolution,
        summary: str,
        if_match: int | None = None,
    ) -> Ack:
        return self._execute(
            by,
            "resolve",
            incident_id,
            if_match,
            lambda i: i.resolve(at=self.clock(), by=by, resolution=resolution, summary=summary),
        )

    def close_incident(
        self, by: Actor, incident_id: UUID, *, note: str, if_match: int | None = None
    ) -> Ack:
        # Not `close`: that name is the library's, for closing the store.
        return self._execute(
            by, "close", incident_id, if_match, lambda i: i.close(at=self.clock(), by=by, note=note)
        )

    # -- the one write path -------------------------------------------------

    def _execute(
        self,
        by: Actor,
        command: str,
        incident_id: UUID,
        if_match: int | None,
        decide: Callable[[Incident], None],
    ) -> Ack:
        """Load, check, decide, save; re-run on a lost race unless the caller pinned a version.

        Writers to one incident in this process take turns (a striped lock), so
        races are left only between processes, and the retry covers those.
        """
        with self._write_locks[hash(incident_id) % len(self._write_locks)]:
            for attempt in range(CONFLICT_RETRIES):
                if attempt:
                    # A little random wait breaks lock-step losing streaks between processes.
                    time.sleep(random.uniform(0, RETRY_JITTER * attempt))
                incident = self.get_incident(incident_id)
                self._authorize(by, command, incident.kind)
                if if_match is not None and incident.version != if_match:
                    raise StaleVersion(if_match, incident.version)
                decide(incident)
                try:
                    return self._save(incident)
                except IntegrityError:
                    if if_match is not None:
                        latest = self.get_incident(incident_id).version
                        raise StaleVersion(if_match, latest) from None
        raise RuleBroken("write_contention", "the incident kept changing; try again")

    def _save(self, incident: Incident) -> Ack:
        recordings = self.save(incident)
        last = recordings[-1]
        return Ack(
            id=incident.id,
            version=last.domain_event.originator_version,
            position=last.notification.id,
        )

    @staticmethod
    def _authorize(by: Actor, command: str, kind: Kind | None) -> None:
        if not may_run_on(by.role, command, kind):
            raise Forbidden(f"the {by.role.value} role may not {command.replace('_', ' ')} here")
