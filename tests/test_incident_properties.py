"""Random command sequences never break a rule, and replaying the events gives the same state."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.actor import Actor
from domain.errors import DomainError
from domain.incident import Incident
from domain.vocabulary import (
    Channel,
    Kind,
    Priority,
    Resolution,
    ResponseStatus,
    Role,
    Severity,
    Status,
)

START = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
BY = Actor("王主任", Role.LEADERSHIP)


def replay(events: list[Incident.Event]) -> Incident:
    incident: Any = None
    for event in events:
        incident = event.mutate(incident)
    assert isinstance(incident, Incident)
    return incident


def state_of(incident: Incident) -> dict[str, Any]:
    return {k: v for k, v in vars(incident).items() if k != "_pending_events"}


class IncidentCommands(RuleBasedStateMachine):
    """Drives a handful of incidents with random commands, refused ones included."""

    @initialize()
    def start(self) -> None:
        self.now = START
        self.incidents: list[Incident] = []
        self.history: dict[UUID, list[Incident.Event]] = {}

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    def attempt(self, incident: Incident, command: str, **kwargs: Any) -> None:
        before = state_of(incident)
        try:
            getattr(incident, command)(at=self.tick(), by=BY, **kwargs)
        except DomainError:
            assert state_of(incident) == before, "a refused command changed the state"
            assert incident.collect_events() == []
            return
        self.history[incident.id].extend(incident.collect_events())

    @rule(kind=st.sampled_from(Kind))
    def report(self, kind: Kind) -> None:
        incident = Incident.report(
            incident_id=uuid4(),
            at=self.tick(),
            by=BY,
            kind=kind,
            channel=Channel.HOTLINE,
            category="c",
            title="t",
            description="",
            location="",
            reporter=None,
            received_at=None,
        )
        self.incidents.append(incident)
        self.history[incident.id] = list(incident.collect_events())

    @rule(pick=st.integers(0, 4))
    def verify(self, pick: int) -> None:
        if self.incidents:
            self.attempt(self.incidents[pick % len(self.incidents)], "verify", note="")

    @rule(pick=st.integers(0, 4), severity=st.sampled_from(Severity))
    def classify(self, pick: int, severity: Severity) -> None:
        if self.incidents:
            self.attempt(
                self.incidents[pick % len(self.incidents)],
                "classify",
                severity=severity,
                scope="",
                risk="",
                rationale="r",
            )

    @rule(pick=st.integers(0, 4), minutes=st.integers(-30, 240))
    def issue_order(self, pick: int, minutes: int) -> None:
        if self.incidents:
            self.attempt(
                self.incidents[pick % len(self.incidents)],
                "issue_order",
                order_id=uuid4(),
                assignee="a",
                instruction="i",
                deadline=self.now + timedelta(minutes=minutes),
                priority=Priority.HIGH,
            )

    @rule(pick=st.integers(0, 4), which=st.integers(0, 5))
    def complete_order(self, pick: int, which: int) -> None:
        if self.incidents:
            incident = self.incidents[pick % len(self.incidents)]
            orders = list(incident.orders) + [uuid4()]  # sometimes an unknown order
            self.attempt(
                incident, "complete_order", order_id=orders[which % len(orders)], outcome="done"
            )

    @rule(pick=st.integers(0, 4))
    def post_response(self, pick: int) -> None:
        if self.incidents:
            self.attempt(
                self.incidents[pick % len(self.incidents)],
                "post_response",
                note="n",
                status=ResponseStatus.ON_SCENE,
                customer_contacted=False,
                occurred_at=None,
            )

    @rule(pick=st.integers(0, 4))
    def resolve(self, pick: int) -> None:
        if self.incidents:
            self.attempt(
                self.incidents[pick % len(self.incidents)],
                "resolve",
                resolution=Resolution.FIXED,
                summary="s",
            )

    @rule(pick=st.integers(0, 4))
    def close(self, pick: int) -> None:
        if self.incidents:
            self.attempt(self.incidents[pick % len(self.incidents)], "close", note="")

    @rule(child=st.integers(0, 4), parent=st.integers(0, 4))
    def link(self, child: int, parent: int) -> None:
        if self.incidents:
            self.attempt(
                self.incidents[child % len(self.incidents)],
                "link",
                parent=self.incidents[parent % len(self.incidents)],
            )

    @invariant()
    def no_rule_is_broken(self) -> None:
        for incident in getattr(self, "incidents", []):
            events = self.history[incident.id]
            if incident.status in (Status.RESOLVED, Status.CLOSED):
                assert not incident.open_orders
            if incident.status is Status.CLOSED:
                assert any(isinstance(e, Incident.Resolved) for e in events)
            for event in events:
                if isinstance(event, Incident.OrderIssued):
                    assert event.deadline > event.at
            graded = False
            crisis = events[0].kind is Kind.CRISIS  # type: ignore[attr-defined]
            for event in events:
                graded = graded or isinstance(event, Incident.Classified)
                if isinstance(event, Incident.OrderIssued) and crisis:
                    assert graded, "an order was issued on an ungraded crisis"

    @invariant()
    def replaying_the_events_gives_the_same_state(self) -> None:
        for incident in getattr(self, "incidents", []):
            assert state_of(replay(self.history[incident.id])) == state_of(incident)


IncidentCommands.TestCase.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None
)
test_incident_commands = IncidentCommands.TestCase
