"""For random histories, every view folded bit by bit across restarts equals a rebuild."""

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bootstrap import Store, open_store
from app.config import Settings
from domain import commands
from domain.actor import Actor
from domain.commands import Command
from domain.errors import DomainError
from domain.incident import Incident
from domain.vocabulary import (
    Channel,
    ContactChannel,
    DismissReason,
    Kind,
    Resolution,
    Resource,
    ResponseStatus,
    Role,
    Severity,
)
from projections.board import FINISHED
from tests.postgres import postgres_settings

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
    "progress_order",
    "reassign_order",
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
    "record_callback",
    "record_review",
]

# Noise: any command on any incident, mostly refused, as real mistakes are.
command = st.one_of(
    st.tuples(st.just("report"), st.sampled_from(Kind)),
    st.tuples(
        st.sampled_from(sorted(set(LIFECYCLE) | {"dismiss", "decline_logistics"})),
        st.integers(0, 5),
    ),
    st.tuples(st.just("classify"), st.integers(0, 5), st.sampled_from(Severity)),
)


def command_for(name: str, incident: Incident, args: list[Any], now: datetime) -> Command:
    """The command, aimed at the incident's first open order and first request."""
    order = next((o.order_id for o in incident.orders.values() if o.is_open), uuid4())
    request = next(iter(incident.logistics), uuid4())
    severity = args[1] if len(args) > 1 else Severity.III
    made: dict[str, Callable[[], Command]] = {
        "verify": lambda: commands.verify(),
        "dismiss": lambda: commands.dismiss(DismissReason.RUMOUR),
        "classify": lambda: commands.classify(severity, rationale="r"),
        "activate": lambda: commands.activate("预案", "王主任"),
        "issue_order": lambda: commands.issue_order(uuid4(), "a", "i", now + timedelta(hours=1)),
        "acknowledge_order": lambda: commands.acknowledge_order(order),
        "progress_order": lambda: commands.progress_order(order, "过半", 50),
        "reassign_order": lambda: commands.reassign_order(order, "b", "换人"),
        "complete_order": lambda: commands.complete_order(order, "ok"),
        "cancel_order": lambda: commands.cancel_order(order, "r"),
        "request_logistics": lambda: commands.request_logistics(
            uuid4(), Resource.EQUIPMENT, "发电车", 2, now + timedelta(hours=1), "p"
        ),
        "allocate_logistics": lambda: commands.allocate_logistics(request, "2号仓库"),
        "deliver_logistics": lambda: commands.deliver_logistics(request),
        "return_logistics": lambda: commands.return_logistics(request),
        "decline_logistics": lambda: commands.decline_logistics(request, "不需要"),
        "post_response": lambda: commands.post_response("n", ResponseStatus.IN_PROGRESS),
        "notify_customer": lambda: commands.notify_customer(ContactChannel.SMS, "m"),
        "resolve": lambda: commands.resolve(Resolution.FIXED, "s"),
        "close": lambda: commands.close(),
        "reopen": lambda: commands.reopen("不满意"),
        "record_callback": lambda: commands.record_callback(4, "满意", ContactChannel.PHONE),
        "record_review": lambda: commands.record_review("c", "l", actions=[]),
    }
    return made[name]()


def run(store: Store, played: list[tuple[Any, ...]]) -> list[UUID]:
    """Play the commands; returns the incidents reported."""
    app = store.incidents
    ids: list[UUID] = []
    for name, *args in played:
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
                command = commands.link(parent)
            else:
                command = command_for(name, app.get_incident(target), args, app.clock())
            app.execute(BY, target, command)
        except DomainError:
            pass  # refused commands are part of real histories too
    return ids


def board_at(store: Store, now: datetime) -> dict[str, Any]:
    return store.board.board(store.follower.tracking_name("board"), now)


def work_at(store: Store) -> dict[str, Any]:
    """Everyone's open orders and the whole logistics queue, as the API reads them."""
    name = store.follower.tracking_name("work")
    return {"orders": store.work.orders(name, None), "requests": store.work.requests(name, None)}


def work_in_the_domain(store: Store, ids: list[UUID]) -> dict[str, Any]:
    """What the incidents themselves say is still to do, in the work view's terms."""
    orders, requests = {}, {}
    for incident in map(store.incidents.get_incident, ids):
        if incident.status in FINISHED:
            continue
        for order in incident.open_orders:
            shown = (order.assignee, order.percent, order.progress_note)
            orders[str(order.order_id)] = shown
        for request in incident.outstanding_logistics:
            shown = (request.status.value, request.allocated_quantity, request.source)
            requests[str(request.request_id)] = shown
    return {"orders": orders, "requests": requests}


def work_in_the_view(work: dict[str, Any]) -> dict[str, Any]:
    return {
        "orders": {
            o["order_id"]: (o["assignee"], o["percent"], o["last_note"])
            for o in work["orders"]["orders"]
        },
        "requests": {
            r["request_id"]: (r["state"], r["allocated_quantity"], r["source"])
            for r in work["requests"]["requests"]
        },
    }


def views(store: Store) -> dict[str, Any]:
    return {name: view.dump() for name, view in store.views.items()}


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


@contextmanager
def sqlite_settings() -> Iterator[Settings]:
    with tempfile.TemporaryDirectory() as folder:
        yield Settings(database=str(Path(folder) / "incidents.db"))


def check_incremental_equals_rebuilt(
    config: Settings, played: list[tuple[Any, ...]], cuts: list[int]
) -> None:
    writer = open_store(config)
    ids = run(writer, played)
    total = writer.incidents.recorder.max_notification_id() or 0
    writer.close()

    # Fold in pieces: across a restart at every other cut, as a restarted server
    # would, and in one running process (rows kept between batches) otherwise.
    store = open_store(config)
    store.projector.resume()
    for n, stop in enumerate([*sorted(set(cuts)), total]):
        if n % 2:
            store.close()
            store = open_store(config)
            store.projector.resume()
        if stop > store.projector.position:
            store.projector.step(stop - store.projector.position)
    store.close()

    store = open_store(config)
    later = NOW + timedelta(days=365)
    incremental, board, work = views(store), board_at(store, later), work_at(store)
    assert store.follower.rebuild() == total
    assert views(store) == incremental
    assert board_at(store, later) == board
    assert work_at(store) == work
    assert board["position"] == total
    assert work["orders"]["position"] == work["requests"]["position"] == total
    assert work_in_the_view(work) == work_in_the_domain(store, ids)
    store.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(played=histories(), cuts=st.lists(st.integers(1, 60), max_size=4))
def test_incrementally_folded_views_equal_rebuilt_views(
    played: list[tuple[Any, ...]], cuts: list[int]
) -> None:
    with sqlite_settings() as config:
        check_incremental_equals_rebuilt(config, played, cuts)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(played=histories(), cuts=st.lists(st.integers(1, 60), max_size=3))
def test_incrementally_folded_views_equal_rebuilt_views_on_postgres(
    played: list[tuple[Any, ...]], cuts: list[int]
) -> None:
    with postgres_settings() as config:
        check_incremental_equals_rebuilt(config, played, cuts)
