"""For random histories, the board folded bit by bit across restarts equals a rebuild."""

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bootstrap import Store, open_store
from app.config import Settings
from domain.actor import Actor
from domain.errors import DomainError
from domain.vocabulary import (
    Channel,
    Kind,
    Priority,
    Resolution,
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
    "issue_order",
    "post_response",
    "issue_order",
    "complete_order",
    "link",
    "complete_order",
    "resolve",
    "close",
]

# Noise: any command on any incident, mostly refused, as real mistakes are.
command = st.one_of(
    st.tuples(st.just("report"), st.sampled_from(Kind)),
    st.tuples(
        st.sampled_from(["verify", "post_response", "resolve", "close", "complete_order"]),
        st.integers(0, 5),
    ),
    st.tuples(st.just("classify"), st.integers(0, 5), st.sampled_from(Severity)),
    st.tuples(st.just("issue_order"), st.integers(0, 5), st.integers(1, 300)),
    st.tuples(st.just("link"), st.integers(0, 5), st.integers(0, 5)),
)


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
                    reporter=None,
                    received_at=None,
                ).id
            )
            continue
        if not ids:
            continue
        target = ids[args[0] % len(ids)]
        try:
            if name == "verify":
                app.verify(BY, target, note="")
            elif name == "post_response":
                app.post_response(
                    BY,
                    target,
                    note="n",
                    status=ResponseStatus.IN_PROGRESS,
                    customer_contacted=False,
                    occurred_at=None,
                )
            elif name == "resolve":
                app.resolve(BY, target, resolution=Resolution.FIXED, summary="s")
            elif name == "close":
                app.close_incident(BY, target, note="")
            elif name == "complete_order":
                orders = list(app.get_incident(target).orders)
                if orders:
                    app.complete_order(BY, target, orders[0], outcome="ok")
            elif name == "classify":
                severity = args[1] if len(args) > 1 else Severity.III
                app.classify(BY, target, severity=severity, scope="", risk="", rationale="r")
            elif name == "issue_order":
                minutes = args[1] if len(args) > 1 else 60
                app.issue_order(
                    BY,
                    target,
                    assignee="a",
                    instruction="i",
                    deadline=app.clock() + timedelta(minutes=minutes),
                    priority=Priority.NORMAL,
                )
            elif name == "link":
                app.link(BY, target, parent_id=ids[(args[1] if len(args) > 1 else 0) % len(ids)])
        except DomainError:
            pass  # refused commands are part of real histories too


def board_at(store: Store, now: datetime) -> dict[str, Any]:
    return store.board.board(store.follower.tracking_name, now)


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Several incidents each living a random part of the lifecycle, interleaved, plus noise."""
    kinds = draw(st.lists(st.sampled_from(Kind), min_size=1, max_size=6))
    lives = [
        [("report", kind)] + [(step, i) for step in LIFECYCLE[: draw(st.integers(0, 10))]]
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
