"""Random commands by users of random roles, through the application onto a real
SQLite store: a refused command stores nothing, roles are enforced, the
lifecycle's rules hold on every incident, and the stored events replay to the
repository's state, now and at any earlier version, across snapshots."""

import shutil
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import project_aggregate
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from app.application import SNAPSHOT_EVERY, Ack, IncidentApp
from app.bootstrap import open_store
from app.config import Settings
from app.errors import Forbidden
from app.permissions import COMMAND_ROLES, may_run_on
from domain import commands
from domain.actor import Actor
from domain.commands import Command
from domain.contact import CustomerNotified
from domain.errors import DomainError
from domain.incident import Incident, Resolved, Verified
from domain.leadership import Classified
from domain.logistics import LogisticsRequest
from domain.orders import OrderIssued
from domain.review import Improvement
from domain.vocabulary import (
    Channel,
    CommandRole,
    ContactChannel,
    DismissReason,
    Kind,
    LogisticsStatus,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Role,
    Severity,
    StatementChannel,
    Status,
)
from tests.happy_path import (
    DUE,
    FINISHED,
    NAMES,
    OPEN_ORDER,
    TEXT,
    Draw,
    finish_step,
    work_steps,
)

START = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
TICK = timedelta(seconds=7)
MOST_INCIDENTS = 4
# Stands for an incident, order, request or action that does not exist.
UNKNOWN = UUID(int=0)
OPEN = (Status.REPORTED, Status.VERIFIED, Status.RESPONDING, Status.RESOLVED)
STOPPED = (Status.RESOLVED, Status.CLOSED, Status.REVIEWED)


# Leadership may run every command, so about half the commands get past the role check.
ROLES = st.one_of(st.just(Role.LEADERSHIP), st.sampled_from(Role))
REPORTERS = st.sampled_from(
    [
        None,
        {"name": "张桂英", "phone": "13812345678", "email": ""},
        {"name": "", "phone": "", "email": "li@example.cn"},
        {"name": "匿名", "phone": "", "email": ""},
    ]
)
QUANTITY = st.none() | st.integers(0, 6)


def state_of(incident: object) -> dict[str, Any]:
    return {k: v for k, v in vars(incident).items() if k != "_pending_events"}


class IncidentCommands(RuleBasedStateMachine):
    """A few incidents on one store. Random commands by random roles probe the
    refusals; leadership's work and its steps toward the end give the incidents
    long and full lives."""

    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.mkdtemp(prefix="icc-properties-")
        self.store = open_store(Settings(database=str(Path(self.directory) / "incidents.db")))
        self.app: IncidentApp = self.store.incidents
        self.now = START
        self.app.clock = self.tick
        self.incidents: list[UUID] = []
        self.orders: dict[UUID, list[UUID]] = {}
        self.requests: dict[UUID, list[UUID]] = {}
        self.actions: dict[UUID, list[UUID]] = {}
        self.versions: dict[UUID, int] = {}
        self.read: dict[UUID, tuple[Incident, list[Any]]] = {}
        self.had_a_long_day = False

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.directory)

    def tick(self) -> datetime:
        self.now += TICK
        return self.now

    def minutes_from_now(self, minutes: int) -> datetime:
        return self.now + timedelta(minutes=minutes)

    def stored(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def fetch(self, incident_id: UUID) -> Incident:
        incident: object = self.app.repository.get(incident_id)
        assert isinstance(incident, Incident)
        return incident

    # -- choosing what to act on ------------------------------------------------------

    def an_incident(self) -> st.SearchStrategy[UUID]:
        # The first incident gets about half the commands, so that it lives long.
        return st.just(self.incidents[0]) | st.sampled_from(self.incidents)

    def a_reference(self) -> st.SearchStrategy[UUID]:
        return st.sampled_from([*self.incidents, UNKNOWN])

    def known(self, ids: dict[UUID, list[UUID]], incident_id: UUID) -> st.SearchStrategy[UUID]:
        return st.sampled_from([*ids[incident_id], UNKNOWN])

    def referring(self, name: str, build: Callable[[Incident], Command], to: UUID) -> Command:
        """A command naming another incident, looked up as the command runs, after
        the role check (as the API does), so an unknown one is refused like any rule."""
        return Command(name, lambda i, at, by: build(self.app.referenced(to)).apply(i, at, by))

    # -- running a command and checking what it stored ---------------------------------

    def report_as(self, role: Role, draw: Draw, minutes_late: st.SearchStrategy[int]) -> None:
        kind = draw(st.sampled_from(Kind))
        received_at = draw(st.none() | minutes_late.map(self.minutes_from_now))
        before = self.stored()
        try:
            ack = self.app.report(
                Actor(f"{role.value}-user", role),
                kind=kind,
                channel=draw(st.sampled_from(Channel)),
                category="供水",
                title=draw(TEXT),
                description=draw(TEXT),
                location=draw(TEXT),
                reporter=draw(REPORTERS),
                received_at=received_at,
            )
        except DomainError as refusal:
            self.check_refusal(refusal, may_run_on(role, "report", kind), before)
            return
        assert may_run_on(role, "report", kind)
        assert (ack.version, ack.position, self.stored()) == (1, before + 1, before + 1)
        self.incidents.append(ack.id)
        self.versions[ack.id] = ack.version
        for ids in (self.orders, self.requests, self.actions):
            ids[ack.id] = []

    def attempt(self, role: Role, incident: Incident, command: Command) -> Ack | None:
        """Run one command on the incident as it stands; check what it stored."""
        allowed = may_run_on(role, command.name, incident.kind)
        before = self.stored()
        try:
            ack = self.app.execute(Actor(f"{role.value}-user", role), incident.id, command)
        except DomainError as refusal:
            self.check_refusal(refusal, allowed, before)
            return None
        assert allowed, f"a {role.value} user was let {command.name}"
        assert (ack.id, ack.version) == (incident.id, incident.version + 1)
        assert ack.position == self.stored() == before + 1
        self.versions[incident.id] = ack.version
        self.remember(command.name, incident.id, ack)
        return ack

    def check_refusal(self, refusal: DomainError, allowed: bool, before: int) -> None:
        assert isinstance(refusal, Forbidden) is (not allowed), refusal
        assert self.stored() == before, f"the refused {refusal.code} stored events"

    def remember(self, name: str, incident_id: UUID, ack: Ack) -> None:
        if name == "issue_order":
            self.orders[incident_id].append(ack.extra["order_id"])
        elif name == "request_logistics":
            self.requests[incident_id].append(ack.extra["request_id"])
        elif name == "record_review":
            self.actions[incident_id].extend(ack.extra["action_ids"])

    def try_a_command(self, draw: Draw, incident: Incident) -> None:
        role, name = draw(ROLES), draw(st.sampled_from(sorted(RANDOM)))
        self.attempt(role, incident, RANDOM[name](self, draw, incident.id))

    def work(self, draw: Draw, incident: Incident) -> None:
        steps = work_steps(incident, self.now)
        if steps:
            command = steps[draw(st.integers(0, len(steps) - 1))](draw)
            assert self.attempt(Role.LEADERSHIP, incident, command), f"{command.name} refused"

    def stored_incidents(self) -> list[tuple[Incident, list[Any]]]:
        """Each incident from the repository with its stored events. Only those
        written to since the last look are read again: every write is checked to
        have added exactly one event, to the incident it named."""
        for incident_id in self.incidents:
            seen = self.read.get(incident_id)
            if seen is None or seen[0].version != self.versions[incident_id]:
                history = list(self.app.events.get(incident_id))
                self.read[incident_id] = (self.fetch(incident_id), history)
        return [self.read[incident_id] for incident_id in self.incidents]

    # -- rules ------------------------------------------------------------------------

    @initialize(data=st.data())
    def first_report(self, data: st.DataObject) -> None:
        self.report_as(Role.LEADERSHIP, data.draw, st.integers(-120, 0))
        assert self.incidents

    @rule(role=ROLES, data=st.data())
    def report(self, role: Role, data: st.DataObject) -> None:
        # A few incidents live fuller lives than many. (A precondition instead
        # makes Hypothesis give up on some runs.)
        if len(self.incidents) < MOST_INCIDENTS:
            # Now and then received in the future, beyond the clock skew allowed.
            self.report_as(role, data.draw, st.integers(-120, 5))

    @rule(data=st.data())
    def someone_tries_a_command(self, data: st.DataObject) -> None:
        self.try_a_command(data.draw, self.fetch(data.draw(self.an_incident())))

    @rule(data=st.data())
    def leadership_works(self, data: st.DataObject) -> None:
        self.work(data.draw, self.fetch(data.draw(self.an_incident())))

    @rule(data=st.data(), count=st.integers(3, 12))
    def a_busy_spell(self, data: st.DataObject, count: int) -> None:
        """Leadership works on one incident while others try their commands on it."""
        incident_id = data.draw(self.an_incident())
        for _ in range(count):
            incident = self.fetch(incident_id)
            if incident.status not in OPEN:
                break
            if data.draw(st.booleans()):
                self.work(data.draw, incident)
            else:
                self.try_a_command(data.draw, incident)

    @rule(data=st.data(), today=st.sampled_from(["quiet", "quiet", "long"]))
    def a_day_at_work(self, data: st.DataObject, today: str) -> None:
        """Now and then, once a run at most, leadership works on one incident until
        it has outgrown a snapshot. (Every run would make the test slow.)"""
        if today == "quiet" or self.had_a_long_day:
            return
        self.had_a_long_day = True
        incident_id = data.draw(self.an_incident())
        for _ in range(2 * SNAPSHOT_EVERY):
            incident = self.fetch(incident_id)
            if incident.status not in OPEN or incident.version > SNAPSHOT_EVERY + 2:
                break
            self.work(data.draw, incident)

    @rule(data=st.data())
    def leadership_moves_toward_the_end(self, data: st.DataObject) -> None:
        incident = self.fetch(data.draw(self.an_incident()))
        command = finish_step(incident, data.draw)
        if command is not None:
            assert self.attempt(Role.LEADERSHIP, incident, command), f"{command.name} refused"

    @rule(data=st.data())
    def leadership_hurries(self, data: st.DataObject) -> None:
        """Leadership tries to end the stage the incident is in, ready or not."""
        incident = self.fetch(data.draw(self.an_incident()))
        name = HURRIED.get(incident.status)
        if name is not None:
            self.attempt(Role.LEADERSHIP, incident, RANDOM[name](self, data.draw, incident.id))

    @rule(data=st.data())
    def an_auditor_replays_an_earlier_version(self, data: st.DataObject) -> None:
        incident_id = data.draw(self.an_incident())
        latest = self.fetch(incident_id).version
        near_snapshots = [
            version
            for taken in range(SNAPSHOT_EVERY, latest + 1, SNAPSHOT_EVERY)
            for version in (taken - 1, taken, taken + 1)
            if version <= latest
        ]
        version = data.draw(st.integers(1, latest) | st.sampled_from([1, *near_snapshots]))
        then: Incident = self.app.repository.get(incident_id, version=version)
        replayed = project_aggregate(None, self.app.events.get(incident_id, lte=version))
        assert then.version == version
        assert state_of(then) == state_of(replayed)

    # -- invariants ---------------------------------------------------------------------

    @invariant()
    def the_rules_of_the_lifecycle_hold(self) -> None:
        """Checked from the state's plain fields and the history, not from the
        aggregate's own summaries (open_orders, outstanding_logistics, …)."""
        for incident, history in self.stored_incidents():
            if incident.status in STOPPED:
                assert not [o for o in incident.orders.values() if o.status in OPEN_ORDER]
            if incident.status in FINISHED:
                assert not [r for r in incident.logistics.values() if is_out(r)]
                reporter = incident.reporter
                if reporter is not None and (reporter.phone or reporter.email):
                    assert told_the_result(history)
            if incident.orders:
                assert ordered_only_when_verified_and_graded(history)
                assert incident.kind is not Kind.CRISIS or incident.severity is not None
            assert (incident.review is not None) is (incident.status is Status.REVIEWED)
            assert not incident.improvements or incident.status is Status.REVIEWED

    @invariant()
    def the_stored_events_replay_to_the_repositorys_state(self) -> None:
        for incident, history in self.stored_incidents():
            assert state_of(project_aggregate(None, history)) == state_of(incident)


def is_out(request: LogisticsRequest) -> bool:
    """Allocated, and neither delivered-and-consumed nor returned (DESIGN.md)."""
    consumed = request.resource in (Resource.SUPPLIES, Resource.COMPENSATION_GOODS)
    return request.status is LogisticsStatus.ALLOCATED or (
        request.status is LogisticsStatus.DELIVERED and not consumed
    )


def told_the_result(history: list[Any]) -> bool:
    """The customer was notified after the incident was last resolved."""
    resolved = max(n for n, event in enumerate(history) if isinstance(event, Resolved))
    return any(isinstance(event, CustomerNotified) for event in history[resolved:])


def ordered_only_when_verified_and_graded(history: Iterable[Any]) -> bool:
    """Before each order: a verification and, if it was a crisis then, a grade."""
    verified = graded = crisis = False
    for event in history:
        crisis = crisis or getattr(event, "kind", None) is Kind.CRISIS
        verified = verified or isinstance(event, Verified)
        graded = graded or isinstance(event, Classified)
        if isinstance(event, OrderIssued) and not (verified and (graded or not crisis)):
            return False
    return True


# -- every command with arguments drawn at random, some of them refused ------------------

Builder = Callable[[IncidentCommands, Draw, UUID], Command]
SOME_ACTIONS = st.lists(
    st.builds(
        Improvement,
        action_id=st.uuids(),
        description=TEXT,
        owner=st.sampled_from(NAMES),
        due=st.just(DUE),
    ),
    max_size=2,
    unique_by=lambda action: action.action_id,
)


def dismiss(run: IncidentCommands, draw: Draw, incident_id: UUID) -> Command:
    reason, original = draw(st.sampled_from(DismissReason)), draw(st.none() | run.a_reference())
    if original is None:
        return commands.dismiss(reason)
    return run.referring("dismiss", lambda i: commands.dismiss(reason, duplicate_of=i), original)


RANDOM: dict[str, Builder] = {
    "verify": lambda run, draw, _: commands.verify(draw(TEXT)),
    "dismiss": dismiss,
    "link": lambda run, draw, _: run.referring(
        "link", lambda parent: commands.link(parent), draw(run.a_reference())
    ),
    "classify": lambda run, draw, _: commands.classify(draw(st.sampled_from(Severity)), ""),
    "activate": lambda run, draw, _: commands.activate("预案", draw(st.sampled_from(NAMES))),
    "assign_role": lambda run, draw, _: commands.assign_role(
        draw(st.sampled_from(CommandRole)), draw(st.sampled_from(NAMES))
    ),
    "relieve_role": lambda run, draw, _: commands.relieve_role(draw(st.sampled_from(CommandRole))),
    "issue_order": lambda run, draw, _: commands.issue_order(
        draw(st.uuids()),
        draw(st.sampled_from(NAMES)),
        "抢修",
        run.minutes_from_now(draw(st.integers(-10, 240))),
        draw(st.sampled_from(Priority)),
    ),
    "acknowledge_order": lambda run, draw, i: commands.acknowledge_order(
        draw(run.known(run.orders, i))
    ),
    "progress_order": lambda run, draw, i: commands.progress_order(
        draw(run.known(run.orders, i)), "进行中", draw(st.none() | st.integers(0, 100))
    ),
    "reassign_order": lambda run, draw, i: commands.reassign_order(
        draw(run.known(run.orders, i)), draw(st.sampled_from(NAMES)), "换班"
    ),
    "complete_order": lambda run, draw, i: commands.complete_order(
        draw(run.known(run.orders, i)), "完成"
    ),
    "cancel_order": lambda run, draw, i: commands.cancel_order(draw(run.known(run.orders, i)), ""),
    "post_response": lambda run, draw, _: commands.post_response(
        "进展",
        draw(st.sampled_from(ResponseStatus)),
        draw(st.booleans()),
        draw(st.none() | st.integers(-60, 10).map(run.minutes_from_now)),
    ),
    "request_logistics": lambda run, draw, _: commands.request_logistics(
        draw(st.uuids()),
        draw(st.sampled_from(Resource)),
        "发电机",
        draw(st.integers(0, 5)),
        run.minutes_from_now(draw(st.integers(-10, 240))),
        "",
    ),
    "allocate_logistics": lambda run, draw, i: commands.allocate_logistics(
        draw(run.known(run.requests, i)), "仓库", draw(QUANTITY)
    ),
    "deliver_logistics": lambda run, draw, i: commands.deliver_logistics(
        draw(run.known(run.requests, i)), draw(QUANTITY)
    ),
    "return_logistics": lambda run, draw, i: commands.return_logistics(
        draw(run.known(run.requests, i)), draw(QUANTITY)
    ),
    "decline_logistics": lambda run, draw, i: commands.decline_logistics(
        draw(run.known(run.requests, i)), ""
    ),
    "publish_statement": lambda run, draw, _: commands.publish_statement(
        draw(st.lists(st.sampled_from(StatementChannel), max_size=3)), "统一口径", "王主任"
    ),
    "notify_customer": lambda run, draw, _: commands.notify_customer(
        draw(st.sampled_from(ContactChannel)), draw(TEXT)
    ),
    "record_callback": lambda run, draw, _: commands.record_callback(draw(st.integers(0, 6))),
    "resolve": lambda run, draw, _: commands.resolve(draw(st.sampled_from(Resolution)), "已处置"),
    "close": lambda run, draw, _: commands.close(),
    "reopen": lambda run, draw, _: commands.reopen("复发"),
    "record_review": lambda run, draw, _: commands.record_review("", "", draw(SOME_ACTIONS)),
    "complete_improvement": lambda run, draw, i: commands.complete_improvement(
        draw(run.known(run.actions, i))
    ),
    "erase_personal_data": lambda run, draw, _: commands.erase_personal_data(
        draw(st.sampled_from(["", "本人申请删除"]))
    ),
}
# The command that ends each stage of the lifecycle.
HURRIED = {
    Status.REPORTED: "verify",
    Status.VERIFIED: "resolve",
    Status.RESPONDING: "resolve",
    Status.RESOLVED: "close",
    Status.CLOSED: "record_review",
}


def test_the_machine_drives_every_command_of_the_permission_table() -> None:
    assert {"report", *RANDOM} == set(COMMAND_ROLES)


IncidentCommands.TestCase.settings = settings(
    max_examples=25, stateful_step_count=40, deadline=None
)
test_incident_commands = IncidentCommands.TestCase
