"""The event-sourced application: the one write path every command takes.

A command loads the incident, lets the aggregate check its rules, and saves
the new events atomically with the library's optimistic version check. An
idempotency key travels inside the events it produced, so a retry is answered
from the log itself, atomically and across processes.
"""

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    project_aggregate,
)
from eventsourcing.persistence import JSONTranscoder, Recording, Transcoder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic

from app.errors import Forbidden, IdempotencyKeyReused, StaleVersion
from app.legacy_topics import register_moved_events
from app.permissions import may_run_on
from app.personal_data import PersonalKeys, PersonalTextSealing, ReporterSealing
from app.transcoding import OrjsonTranscoder, dataclass_transcoding, enum_transcoding
from app.writer import Job, Load, Retry, StoreAccess, Unsettled, Writer, answered
from domain.actor import Actor
from domain.commands import Command
from domain.contact import Callback, Notice, PersonalDataErased, Reporter, Statement
from domain.errors import Invalid, NotFound
from domain.event import IncidentEvent
from domain.incident import Incident
from domain.logistics import LogisticsRequest
from domain.orders import Order
from domain.review import Improvement, ImprovementAction, Review
from domain.vocabulary import ALL_ENUMS, Kind

Clock = Callable[[], datetime]
IdFactory = Callable[[], UUID]

SNAPSHOT_EVERY = 50
ENTITIES = (Order, LogisticsRequest, Statement, Notice, Callback, Review, ImprovementAction)
# A report sent with an idempotency key gets an id derived from it, so a retry
# collides with the first attempt in the store instead of opening a twin.
_KEYED_REPORTS = uuid5(NAMESPACE_URL, "urn:icc:idempotent-report")

register_moved_events()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Ack:
    """What every command answers: the incident, its new version, the event's
    log position, and the ids the command made (an order's, a request's)."""

    id: UUID
    version: int
    position: int
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, event: IncidentEvent, position: int) -> "Ack":
        extra = {k: getattr(event, k) for k in ("order_id", "request_id") if hasattr(event, k)}
        if isinstance(getattr(event, "actions", None), list):
            extra["action_ids"] = [a.action_id for a in event.actions]  # type: ignore[attr-defined]
        return cls(event.originator_id, event.originator_version, position, extra)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "position": self.position, **self.extra}


class IncidentApp(Application[UUID]):
    name = "incidents"
    snapshotting_intervals = {Incident: SNAPSHOT_EVERY}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        keys: PersonalKeys,
        clock: Clock = utc_now,
        new_id: IdFactory = uuid4,
    ) -> None:
        self.keys = keys  # before super().__init__, which builds the transcoder
        super().__init__(env)
        self.clock = clock
        self.new_id = new_id
        self._save_listeners: list[Callable[[], None]] = []
        # Every command runs through it, and concurrent ones share a commit.
        self.writer = Writer(
            StoreAccess(
                save=self._save_events,
                load=self.get_incident,
                fast_forward=self._fast_forward,
                last_position=lambda: self.recorder.max_notification_id() or 0,
                snapshot=self._snapshot,
                after_save=self._after_save,
                snapshot_every=SNAPSHOT_EVERY,
            )
        )

    # -- storage seams ------------------------------------------------------

    def construct_transcoder(self) -> Transcoder:
        transcoder = OrjsonTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for enum_class in ALL_ENUMS:
            transcoder.register(enum_transcoding(enum_class))
        for entity in (*ENTITIES, Improvement):
            transcoder.register(dataclass_transcoding(entity))
        transcoder.register(ReporterSealing(self.keys))
        transcoder.register(PersonalTextSealing(self.keys))

    def on_save(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every save in this process (wakes the log follower)."""
        self._save_listeners.append(listener)

    def _save_events(self, *events: IncidentEvent) -> list[Recording[UUID]]:
        """The library's `save` for the writer, which hands over events only: the
        same record, then notify, without `save`'s check of each object against a
        runtime protocol (4 % of the server's CPU under load, on Python 3.11).
        Snapshots are the writer's own (`_snapshot`)."""
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        processing.events.extend(events)
        recordings = self._record(processing)
        self._notify(recordings)
        return recordings

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
        if version is not None and incident.version < version:
            msg = f"the incident has only {incident.version} versions"
            raise NotFound("version_not_found", msg)
        return incident

    def exists(self, incident_id: UUID) -> bool:
        return bool(self.recorder.select_events(incident_id, limit=1))

    def destroy_erased_keys(self) -> int:
        """At start: destroy the key of every erasure on record (again), in case a
        process stopped between storing an erasure and destroying its key."""
        topic = get_topic(PersonalDataErased)
        erased = self.recorder.select_notifications(start=None, limit=1_000_000, topics=[topic])
        for notification in erased:
            event = self.mapper.to_domain_event(notification)
            assert isinstance(event, PersonalDataErased)
            self.keys.destroy(event.key_id)
        return len(erased)

    def incident_at(self, incident_id: UUID, moment: datetime) -> Incident:
        """The incident as it stood at `moment`: its last version recorded by then.

        Times rise with versions (a command re-reads the clock after every lost
        race), so a binary search reads a dozen events, not the whole history.
        """
        last = next(iter(self.events.get(incident_id, desc=True, limit=1)), None)
        if last is None:
            raise NotFound("incident_not_found", f"no incident {incident_id}")
        stood, after = 0, last.originator_version + 1
        while after - stood > 1:
            middle = (stood + after) // 2
            if self._event(incident_id, middle).timestamp <= moment:
                stood = middle
            else:
                after = middle
        if stood == 0:
            raise NotFound("not_reported_yet", f"the incident was not reported by {moment}")
        return self.get_incident(incident_id, version=stood)

    def _event(self, incident_id: UUID, version: int) -> IncidentEvent:
        event = next(iter(self.events.get(incident_id, gt=version - 1, lte=version)), None)
        if event is None:  # staged by an earlier command of the writer's batch
            raise Unsettled(f"{incident_id} v{version} is not stored yet")
        assert isinstance(event, IncidentEvent)
        return event

    def referenced(self, incident_id: UUID) -> Incident:
        """An incident a command's body names (a crisis to link to, say)."""
        try:
            return self.get_incident(incident_id)
        except NotFound:
            raise Invalid("unknown_incident", f"no incident {incident_id}") from None

    # -- commands -----------------------------------------------------------

    def report(
        self,
        by: Actor,
        *,
        reporter: dict[str, str] | None,
        description_is_personal: bool = False,
        **fields: Any,
    ) -> Ack:
        return self.submit_report(
            by, reporter=reporter, description_is_personal=description_is_personal, **fields
        ).result()

    def submit_report(
        self,
        by: Actor,
        *,
        reporter: dict[str, str] | None,
        description_is_personal: bool = False,
        **fields: Any,
    ) -> Future[Ack]:
        """`report`, answered through the future once stored."""
        job = self._report_job(by, reporter, description_is_personal, fields)
        return self.writer.submit(job)

    async def report_async(
        self,
        by: Actor,
        *,
        reporter: dict[str, str] | None,
        description_is_personal: bool = False,
        **fields: Any,
    ) -> Ack:
        """`report`, for a coroutine: it waits without a thread."""
        job = self._report_job(by, reporter, description_is_personal, fields)
        return await self.writer.run(job)

    def _report_job(
        self,
        by: Actor,
        reporter: dict[str, str] | None,
        description_is_personal: bool,
        fields: dict[str, Any],
    ) -> Job[Ack]:
        self._authorize(by, "report", fields["kind"])
        keyed = by.request is not None
        incident_id = (
            uuid5(_KEYED_REPORTS, f"{by.name}\n{by.request.key}") if by.request else self.new_id()
        )
        if description_is_personal and fields["description"]:
            # The account is the reporter's to have sealed and erased with the rest.
            reporter = {"name": "", "phone": "", "email": "", **(reporter or {})}
            reporter["account"], fields["description"] = fields["description"], ""
        sealed = None
        if reporter:
            sealed = Reporter(
                self.new_id(),
                name=reporter["name"],
                phone=reporter["phone"],
                email=reporter["email"],
                account=reporter.get("account", ""),
            )

        def stage(_: Load) -> Any:
            if keyed and (acked := self._already_reported(incident_id, by)) is not None:
                return answered(acked)
            return Incident.report(
                incident_id=incident_id, at=self.clock(), by=by, reporter=sealed, **fields
            )

        def twin() -> Ack:
            # A twin request won the race; answer as it was answered.
            acked = self._already_reported(incident_id, by)
            assert acked is not None
            return acked

        return Job(stage, self._answer, twin)

    def execute(
        self, by: Actor, incident_id: UUID, command: Command, *, if_match: int | None = None
    ) -> Ack:
        """Load, authorise, apply, save; re-run on a lost race unless the caller
        pinned a version (see `app/writer.py`)."""
        return self.submit(by, incident_id, command, if_match=if_match).result()

    def submit(
        self, by: Actor, incident_id: UUID, command: Command, *, if_match: int | None = None
    ) -> Future[Ack]:
        """`execute`, answered through the future once stored."""
        return self.writer.submit(self._command_job(by, incident_id, command, if_match))

    async def execute_async(
        self, by: Actor, incident_id: UUID, command: Command, *, if_match: int | None = None
    ) -> Ack:
        """`execute`, for a coroutine: it waits without a thread."""
        return await self.writer.run(self._command_job(by, incident_id, command, if_match))

    def _command_job(
        self, by: Actor, incident_id: UUID, command: Command, if_match: int | None
    ) -> Job[Ack]:
        def stage(load: Load) -> Any:
            incident = load(incident_id)
            self._authorize(by, command.name, incident.kind)
            if (acked := self._handled_before(incident, by)) is not None:
                return answered(acked)
            if if_match is not None and incident.version != if_match:
                raise StaleVersion(if_match, incident.version)
            command.apply(incident, self.clock(), by)
            return incident

        def conflict() -> Ack:
            if if_match is None:
                raise Retry
            raise StaleVersion(if_match, self.get_incident(incident_id).version)

        return Job(stage, self._answer, conflict)

    # -- helpers ------------------------------------------------------------

    def close(self) -> None:
        self.writer.close()
        super().close()

    def _fast_forward(self, incident: Incident) -> Incident:
        """A loaded incident with the events stored since (by another process, say)."""
        newer = self.events.get(incident.id, gt=incident.version)
        current = project_aggregate(incident, newer)
        assert isinstance(current, Incident)
        return current

    def _snapshot(self, incident: Incident) -> None:
        """A snapshot of the incident as it stands (the writer holds it up to date)."""
        assert self.snapshots is not None
        snapshot_class: Any = getattr(type(incident), "Snapshot", type(self).snapshot_class)
        self.snapshots.put([snapshot_class.take(incident)])

    def _after_save(self, recordings: list[Recording[UUID]]) -> None:
        for recording in recordings:
            if isinstance(recording.domain_event, PersonalDataErased):
                # Once the erasure is on record: its key goes, and with it every
                # copy of the data in events and snapshots.
                self.keys.destroy(recording.domain_event.key_id)

    @staticmethod
    def _answer(recordings: list[Recording[UUID]]) -> Ack:
        last = recordings[-1]
        assert isinstance(last.domain_event, IncidentEvent)
        return Ack.of(last.domain_event, last.notification.id)

    def _already_reported(self, incident_id: UUID, by: Actor) -> Ack | None:
        try:
            incident = self.get_incident(incident_id)
        except NotFound:
            return None
        return self._handled_before(incident, by)

    def _handled_before(self, incident: Incident, by: Actor) -> Ack | None:
        """The first answer to a request this idempotency key already made."""
        if by.request is None:
            return None
        handled = incident.handled_request(by.name, by.request.key)
        if handled is None:
            return None
        version, digest = handled
        if digest != by.request.digest:
            raise IdempotencyKeyReused(by.request.key)
        return Ack.of(self._event(incident.id, version), self.position_of(incident.id, version))

    def position_of(self, incident_id: UUID, version: int) -> int:
        """The log position of one stored event (SQLite keeps it as the rowid)."""
        recorder: Any = self.recorder
        if isinstance(recorder, PostgresApplicationRecorder):
            sql = (
                f'SELECT notification_id FROM "{recorder.datastore.schema}".'
                f'"{recorder.events_table_name}" '
                "WHERE originator_id = %s AND originator_version = %s"
            )
            key: Any = incident_id
            column: str | int = "notification_id"
        else:
            sql = (
                "SELECT rowid FROM stored_events WHERE originator_id = ? AND originator_version = ?"
            )
            key, column = incident_id.hex, 0
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, (key, version))
            position: int = cursor.fetchone()[column]
        return position

    @staticmethod
    def _authorize(by: Actor, command: str, kind: Kind | None) -> None:
        if not may_run_on(by.role, command, kind):
            raise Forbidden(f"the {by.role.value} role may not {command.replace('_', ' ')} here")
