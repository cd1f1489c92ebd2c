"""Commands arriving together are committed together, each with its own answer,
its own rules and its own version check (`app/writer.py`)."""

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import project_aggregate

from app.application import Ack
from app.bootstrap import Store, open_store
from app.config import Settings
from app.errors import StaleVersion
from app.presenters import incident_json
from app.writer import Writer
from domain import commands
from domain.actor import Request
from domain.errors import NotFound, RuleBroken
from domain.vocabulary import Priority, Resolution, Role
from tests.helpers import LEADER, graded_crisis_in, wait_until
from tests.postgres import postgres_settings


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield settings
        return
    with postgres_settings() as pg:
        yield pg


@pytest.fixture
def store(backend: Settings) -> Iterator[Store]:
    opened = open_store(backend)
    yield opened
    opened.close()


@pytest.fixture
def other_process(backend: Settings, store: Store) -> Iterator[Store]:
    """A second store on the same database, as a second server process would have."""
    opened = open_store(backend)
    yield opened
    opened.close()


class HeldSave:
    """The library's save, counting transactions; the first is held until released,
    so the commands sent meanwhile queue up behind it."""

    def __init__(self, store: Store, before_second: Callable[[], None] = lambda: None) -> None:
        self.save = store.incidents.save
        self.before_second = before_second  # runs in the second transaction, before it stores
        self.batches: list[int] = []
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, *objs: Any) -> Any:
        self.batches.append(len(objs))
        if len(self.batches) == 1:
            self.entered.set()
            self.release.wait(5)
        elif len(self.batches) == 2:
            self.before_second()
        return self.save(*objs)


def held_writer(store: Store, held: HeldSave) -> None:
    app = store.incidents
    app.writer.close()
    app.writer = Writer(replace(app.writer.store, save=held))


def order(store: Store, n: int) -> commands.Command:
    app = store.incidents
    return commands.issue_order(
        app.new_id(), f"抢修{n}队", "抢修", app.clock() + timedelta(hours=2), Priority.URGENT
    )


def send_while_held(
    store: Store, held: HeldSave, sends: list[Callable[[], Future[Ack]]]
) -> list[Future[Ack]]:
    """The first send is held in its transaction; the rest queue and go as one batch."""
    first = sends[0]()
    assert held.entered.wait(5)
    rest = [send() for send in sends[1:]]
    held.release.set()
    return [first, *rest]


def outcome(future: Future[Ack]) -> Ack | str:
    try:
        return future.result(timeout=10)
    except Exception as error:  # noqa: BLE001 - the test names what it expects
        return type(error).__name__


def test_commands_sent_together_share_one_transaction_each_with_its_own_answer(
    store: Store,
) -> None:
    app = store.incidents
    incidents = [graded_crisis_in(store) for _ in range(4)]
    held = HeldSave(store)
    held_writer(store, held)
    sends = [lambda n=n: app.submit(LEADER, incidents[n % 4], order(store, n)) for n in range(17)]
    acks = [future.result(10) for future in send_while_held(store, held, sends)]

    assert held.batches == [1, 16]  # the 16 sent meanwhile: one commit
    for ack in acks:
        notification = app.recorder.select_notifications(start=ack.position, limit=1)[0]
        assert (notification.originator_id, notification.originator_version) == (
            ack.id,
            ack.version,
        )
    # Commands on one incident ran one after another, in the order sent.
    for incident in incidents:
        versions = sorted(a.version for a in acks if a.id == incident)
        assert versions == list(range(4, 4 + len(versions)))
        assert len(app.get_incident(incident).orders) == len(versions)


def test_a_command_that_breaks_a_rule_fails_alone_and_the_rest_of_its_batch_lands(
    store: Store,
) -> None:
    app = store.incidents
    incident = graded_crisis_in(store)
    held = HeldSave(store)
    held_writer(store, held)
    missing_order = commands.complete_order(app.new_id(), outcome="完成")
    futures = send_while_held(
        store,
        held,
        [
            lambda: app.submit(LEADER, incident, order(store, 0)),
            lambda: app.submit(LEADER, incident, order(store, 1)),
            lambda: app.submit(LEADER, incident, missing_order),
            lambda: app.submit(LEADER, incident, order(store, 2)),
        ],
    )
    results = [outcome(f) for f in futures]

    assert results[2] == NotFound.__name__
    assert [r.version for r in results if isinstance(r, Ack)] == [4, 5, 6]
    assert len(app.get_incident(incident).orders) == 3


def test_a_batch_that_loses_a_race_reruns_its_commands_alone_on_fresh_state(
    store: Store, other_process: Store
) -> None:
    app = store.incidents
    raced, pinned, quiet = (graded_crisis_in(store) for _ in range(3))
    for incident in (raced, pinned):
        app.execute(LEADER, incident, order(store, 0))  # version 4

    def another_process_writes() -> None:
        for incident in (raced, pinned):
            other_process.incidents.execute(LEADER, incident, order(store, 9))

    # The other process writes after our writer staged its batch and before it
    # stores it: the batch's transaction fails on the versions.
    held = HeldSave(store, before_second=another_process_writes)
    held_writer(store, held)
    futures = send_while_held(
        store,
        held,
        [
            lambda: app.submit(LEADER, quiet, order(store, 1)),  # held, alone
            lambda: app.submit(LEADER, raced, order(store, 2)),  # the batch: these three
            lambda: app.submit(LEADER, quiet, order(store, 3)),
            lambda: app.submit(LEADER, pinned, order(store, 4), if_match=4),
        ],
    )
    results = [outcome(f) for f in futures]

    assert held.batches[:2] == [1, 3]
    # Without If-Match a command is simply run again; with it, the caller hears.
    assert all(isinstance(r, Ack) for r in results[:3])
    assert results[3] == StaleVersion.__name__
    assert len(app.get_incident(quiet).orders) == 2
    assert len(app.get_incident(raced).orders) == 3  # ours, the other's, ours again
    assert len(app.get_incident(pinned).orders) == 2  # ours, the other's


def test_writes_by_another_process_are_seen_before_the_next_command(
    store: Store, other_process: Store
) -> None:
    app = store.incidents
    incident = graded_crisis_in(store)
    app.execute(LEADER, incident, order(store, 0))  # now kept loaded by our writer
    other_process.incidents.execute(LEADER, incident, order(store, 1))
    ack = app.execute(LEADER, incident, order(store, 2), if_match=5)
    assert ack.version == 6
    assert len(app.get_incident(incident).orders) == 3


def test_a_rule_checked_in_a_batch_sees_the_commands_before_it(store: Store) -> None:
    """Two resolutions of one incident sent together: the second finds it resolved."""
    app = store.incidents
    blocker, incident = graded_crisis_in(store), graded_crisis_in(store)
    held = HeldSave(store)
    held_writer(store, held)
    resolve = commands.resolve(Resolution.FIXED, "已恢复供电")
    futures = send_while_held(
        store,
        held,
        [
            lambda: app.submit(LEADER, blocker, order(store, 0)),
            lambda: app.submit(LEADER, incident, resolve),
            lambda: app.submit(LEADER, incident, resolve),
        ],
    )
    results = [outcome(f) for f in futures]
    assert isinstance(results[1], Ack)
    assert results[2] == RuleBroken.__name__


def test_snapshots_taken_from_the_held_incident_replay_to_the_same_state(store: Store) -> None:
    app = store.incidents
    incident = graded_crisis_in(store)
    acks = [app.execute(LEADER, incident, order(store, n)) for n in range(60)]
    assert acks[-1].version == 63
    assert app.snapshots is not None
    snapshots = list(app.snapshots.get(incident))
    assert [s.originator_version for s in snapshots] == [50]
    replayed = project_aggregate(None, app.events.get(incident))
    from_snapshot = app.get_incident(incident)
    assert incident_json(from_snapshot, Role.AUDITOR) == incident_json(replayed, Role.AUDITOR)
    assert incident_json(app.get_incident(incident, version=55), Role.AUDITOR) == incident_json(
        project_aggregate(None, app.events.get(incident, lte=55)), Role.AUDITOR
    )


def test_twins_with_one_idempotency_key_in_one_batch_store_once_and_answer_alike(
    store: Store,
) -> None:
    """The second finds the first's key on the incident before the first is
    stored: it waits for the batch so far to be stored, then answers from it."""
    app = store.incidents
    blocker, incident = graded_crisis_in(store), graded_crisis_in(store)
    twin = LEADER.sending(Request("twin-key", "digest-of-the-same-request"))
    same_order = order(store, 1)
    held = HeldSave(store)
    held_writer(store, held)
    futures = send_while_held(
        store,
        held,
        [
            lambda: app.submit(LEADER, blocker, order(store, 0)),
            *[lambda: app.submit(twin, incident, same_order) for _ in range(3)],
        ],
    )
    answers = [f.result(timeout=10) for f in futures[1:]]
    assert answers[0] == answers[1] == answers[2]
    assert len(app.get_incident(incident).orders) == 1


def test_coroutines_sent_together_get_their_own_answers_and_one_that_left_is_skipped(
    store: Store,
) -> None:
    """The server's routes await the writer on their event loop: a batch's answers
    arrive together, each its own, and a caller that left (its request cancelled)
    neither gets nor blocks one. Its command still lands, as sent."""
    app = store.incidents
    incident = graded_crisis_in(store)
    held = HeldSave(store)
    held_writer(store, held)

    async def send_together() -> tuple[list[Ack], BaseException | None, bool]:
        def send(n: int, incident_id: UUID = incident) -> asyncio.Task[Ack]:
            return asyncio.ensure_future(app.execute_async(LEADER, incident_id, order(store, n)))

        first = send(0)
        assert await asyncio.to_thread(held.entered.wait, 5)
        left, second, third, missing = send(1), send(2), send(3), send(4, uuid4())
        # Each task queues its command as it starts, behind the held transaction.
        assert await asyncio.to_thread(wait_until, lambda: app.writer.queued == 4)
        left.cancel()
        held.release.set()
        acks = [await first, await second, await third]
        error = (await asyncio.gather(missing, return_exceptions=True))[0]
        return acks, error if isinstance(error, BaseException) else None, left.cancelled()

    acks, error, cancelled = asyncio.run(asyncio.wait_for(send_together(), 10))

    assert held.batches == [1, 3]  # the three that could land: one commit
    assert [ack.version for ack in acks] == [4, 6, 7]  # the caller that left had 5
    assert isinstance(error, NotFound)
    assert cancelled
    assert len(app.get_incident(incident).orders) == 4
