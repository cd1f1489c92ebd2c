"""For random histories, the board folded bit by bit across restarts equals a rebuild."""

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.application import Decide
from app.bootstrap import Store, open_store
from app.config import Settings
from domain.actor import Actor
from domain.errors import DomainError
from domain.incident import Incident
from domain.vocabulary import (
    Channel,
    ContactChannel,
    DismissReason,
    Kind,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Role,
    Severity,
)

BY = Actor("王主任", Role.LEADERSHIP)
NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)

# A plausible life for one incident: a random prefix of it is played.
LIFECYCLE = [
    "verify",
    "classify",
    "activate",
    "issue_order",
    "request_logistics",
    "post_response",
    "issue_order",
    "acknowledge_order",
    "allocate_logistics",
    "complete_order",
    "link",
    "cancel_order",
    "deliver_logistics",
    "return_logistics",
    "resolve",
    "notify_customer",
    "close",
    "reopen",
    "resolve",
    "notify_customer",
    "close",
    "record_review",
]

# Noise: any command on any incident, mostly refused, as real mistakes are.
command = st.one_of(
    st.tuples(st.just("report"), st.sampled_from(Kind)),
    st.tuples(st.sampled_from(sorted(set(LIFECYCLE) | {"dismiss"})), st.integers(0, 5)),
    st.tuples(st.just("classify"), st.integers(0, 5), st.sampled_from(Severity)),
)


def decide(name: str, incident: Incident, args: list[Any]) -> Decide:
    """The aggregate call for one command, aimed at the incident's first open entity."""
    first_order = next((o.order_id for o in incident.orders.values() if o.is_open), uuid4())
    first_request = next((r.request_id for r in incident.logistics.values()), uuid4())
    calls: dict[str, Decide] = {
        "verify": lambda i, at, by: i.verify(at=at, by=by, note=""),
        "dismiss": lambda i, at, by: i.dismiss(
            at=at, by=by, reason=DismissReason.RUMOUR, duplicate_of=None, note=""
        ),
        "classify": lambda i, at, by: i.classify(
            at=at,
            by=by,
            severity=args[1] if len(args) > 1 else Severity.III,
            scope="",
            risk="",
            rationale="r",
        ),
        "activate": lambda i, at, by: i.activate(at=at, by=by, plan="预案", commander="王主任"),
        "issue_order": lambda i, at, by: i.issue_order(
            at=at,
            by=by,
            order_id=uuid4(),
            assignee="a",
            instruction="i",
            deadline=at + timedelta(minutes=60),
            priority=Priority.NORMAL,
        ),
        "acknowledge_order": lambda i, at, by: i.acknowledge_order(
            at=at, by=by, order_id=first_order
        ),
        "complete_order": lambda i, at, by: i.complete_order(
            at=at, by=by, order_id=first_order, outcome="ok"
        ),
        "cancel_order": lambda i, at, by: i.cancel_order(
            at=at, by=by, order_id=first_order, reason="r"
        ),
        "request_logistics": lambda i, at, by: i.request_logistics(
            at=at,
            by=by,
            request_id=uuid4(),
            resource=Resource.EQUIPMENT,
            item="发电车",
            quantity=2,
            needed_by=at + timedelta(hours=1),
            purpose="p",
        ),
        "allocate_logistics": lambda i, at, by: i.allocate_logistics(
            at=at, by=by, request_id=first_request, quantity=None, source="s", note=""
        ),
        "deliver_logistics": lambda i, at, by: i.deliver_logistics(
            at=at, by=by, request_id=first_request, quantity=None, note=""
        ),
        "return_logistics": lambda i, at, by: i.return_logistics(
            at=at, by=by, request_id=first_request, quantity=None, note=""
        ),
        "post_response": lambda i, at, by: i.post_response(
            at=at,
            by=by,
            note="n",
            status=ResponseStatus.IN_PROGRESS,
            customer_contacted=False,
            occurred_at=None,
        ),
        "notify_customer": lambda i, at, by: i.notify_customer(
            at=at, by=by, channel=ContactChannel.SMS, message="m"
        ),
        "resolve": lambda i, at, by: i.resolve(
            at=at, by=by, resolution=Resolution.FIXED, summary="s"
        ),
        "close": lambda i, at, by: i.close(at=at, by=by, note=""),
        "reopen": lambda i, at, by: i.reopen(at=at, by=by, reason="不满意"),
        "record_review": lambda i, at, by: i.record_review(
            at=at, by=by, root_cause="c", lessons="l", accountability="", actions=[]
        ),
    }
    return calls[name]


def linking(parent: Incident) -> Decide:
    return lambda i, at, by: i.link(at=at, by=by, parent=parent)


def run(store: Store, commands: list[tuple[Any, ...]]) -> None:
    app = store.incidents
    ids: list[UUID] = []
    for name, *args in commands:
        if name == "report":
            ids.append(
                app.report(
                    BY,
                    kind=args[0],
                    channel=Channel.WEB,
                    category="c",
                    title=f"事件{len(ids)}",
                    description="",
                    location="",
                    reporter={"name": "张三", "phone": "13800000000", "email": ""},
                    received_at=None,
                ).id
            )
            continue
        if not ids:
            continue
        target = ids[args[0] % len(ids)]
        try:
            if name == "link":
                parent = app.get_incident(ids[(args[1] if len(args) > 1 else 0) % len(ids)])
                call = linking(parent)
            else:
                call = decide(name, app.get_incident(target), args)
            app.execute(BY, name, target, call)
        except DomainError:
            pass  # refused commands are part of real histories too


def board_at(store: Store, now: datetime) -> dict[str, Any]:
    return store.board.board(store.follower.tracking_name, now)


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Several incidents each living a random part of the lifecycle, interleaved, plus noise."""
    kinds = draw(st.lists(st.sampled_from(Kind), min_size=1, max_size=6))
    lives = [
        [("report", kind)]
        + [(step, i) for step in LIFECYCLE[: draw(st.integers(0, len(LIFECYCLE)))]]
        for i, kind in enumerate(kinds)
    ]
    turns = draw(st.permutations([i for i, life in enumerate(lives) for _ in life]))
    played = [lives[i].pop(0) for i in turns]
    noise = draw(st.lists(command, max_size=10))
    spots = draw(st.lists(st.integers(0, len(played)), min_size=len(noise), max_size=len(noise)))
    for spot, extra in sorted(zip(spots, noise, strict=True), key=lambda p: -p[0]):
        played.insert(spot, extra)
    return played


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands=histories(), cuts=st.lists(st.integers(1, 60), max_size=4))
def test_incremental_board_equals_rebuilt_board(
    commands: list[tuple[Any, ...]], cuts: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Settings(database=str(Path(folder) / "incidents.db"))
        writer = open_store(config)
        run(writer, commands)
        total = writer.incidents.recorder.max_notification_id() or 0
        writer.close()

        # Fold in pieces, reopening the store at each cut as a restarted server would.
        for stop in [*sorted(set(cuts)), total]:
            store = open_store(config)
            start = store.board.max_tracking_id(store.follower.tracking_name) or 0
            for n in store.incidents.recorder.select_notifications(
                start=start, limit=max(stop - start, 0), inclusive_of_start=False
            ):
                event = store.incidents.mapper.to_domain_event(n)
                store.follower.projection.process_event(
                    event, Tracking(store.follower.tracking_name, n.id)
                )
            store.close()

        store = open_store(config)
        later = NOW + timedelta(days=365)
        incremental = board_at(store, later)
        store.board.clear(store.follower.tracking_name)
        assert store.follower.catch_up() == total
        assert board_at(store, later) == incremental
        assert incremental["position"] == total
        store.close()
