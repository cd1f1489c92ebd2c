"""The one write path: a single thread runs every command, and stores the
commands that arrived together in one transaction (group commit).

One fsync (and, on PostgreSQL, one turn of the library's table lock) is paid
per batch, not per command, yet each command keeps what it had alone:
- its own answer, given only once its events are durable;
- its own rules, checked on the incident as the commands before it left it
  (commands on one incident run in arrival order, in one thread);
- its own optimistic version check: if the batch loses a race with another
  process, its commands are run again one by one on fresh state, so only a
  command that really conflicts hears of it.

Incidents stay loaded between commands (fast-forwarded from the store before
each use, so writes by other processes are seen); one that a command failed
on is dropped and read again.

A coroutine's command (`run`) is answered on its event loop together with the
rest of its batch, in one call into the loop per batch: a `Future` per command,
wrapped for the loop, cost about 6 % of the server's CPU under load.
"""

import asyncio
import contextlib
import logging
import queue
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Recording

log = logging.getLogger(__name__)

MAX_BATCH = 256  # commands per transaction: a bound on one transaction's size
CACHED_INCIDENTS = 10_000
CONFLICT_RETRIES = 10  # a command that lost a race is run again on fresh state this often
RETRY_JITTER = 0.005  # seconds, times the attempt number

A = TypeVar("A")  # what a command answers
A_in = TypeVar("A_in", contravariant=True)
Load = Callable[[UUID], Any]


class Retry(Exception):
    """Raised by a conflict handler: run the command again on fresh state."""


class Unsettled(Exception):
    """Raised by a command that needs the commands staged before it in its
    batch stored first (a retry answered from its twin's stored event, say)."""


class Answer(Protocol[A_in]):
    """Where the writer puts a command's answer (or error)."""

    def set_result(self, result: A_in) -> None: ...
    def set_exception(self, exception: BaseException | None) -> None: ...
    def done(self) -> bool: ...


@dataclass
class Job(Generic[A]):
    """One command: `stage` applies it to the incidents it loads (or answers at
    once, returning an answer instead); `answer` turns its stored events into
    the answer; `conflict` says what a lost race means for it. The writer sets
    `done` when the job is submitted."""

    stage: Callable[[Load], Any]
    answer: Callable[[list[Recording[Any]]], A]
    conflict: Callable[[], A]
    done: Answer[A] = field(init=False)


@dataclass
class _Staged:
    job: Job[Any]
    aggregate: Any
    events: Sequence[Any]


@dataclass(frozen=True)
class StoreAccess:
    """What the writer needs of the event store."""

    save: Callable[..., list[Recording[Any]]]  # events, in one transaction
    load: Load  # an incident, read from the store
    fast_forward: Callable[[Any], Any]  # a loaded incident, with the events stored since
    last_position: Callable[[], int]  # the log's last position
    snapshot: Callable[[Any], None]  # a snapshot of an incident as it stands
    after_save: Callable[[list[Recording[Any]]], None]
    snapshot_every: int = 50


class Writer:
    def __init__(self, store: StoreAccess) -> None:
        self.store = store
        self._loaded: OrderedDict[UUID, Any] = OrderedDict()
        # The log's position up to which every incident kept here is up to date:
        # while nobody else writes, kept incidents need no fast-forward.
        self._known_to = -1
        self._batch_start = -1  # the log's last position as the running batch began
        self._fresh: set[UUID] = set()  # brought up to date in the running batch
        self._kept_are_fresh = False  # every kept incident is: nobody else wrote since
        self._queue: queue.SimpleQueue[Job[Any] | None] = queue.SimpleQueue()
        self._for_loops: list[_LoopAnswer[Any]] = []  # the running batch's, for coroutines
        self._thread = threading.Thread(target=self._run, name="command-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Job[A]) -> Future[A]:
        """For a thread, which waits on the future."""
        done: Future[A] = Future()
        job.done = done
        self._queue.put(job)
        return done

    async def run(self, job: Job[A]) -> A:
        """For a coroutine, which waits without a thread."""
        answered: asyncio.Future[A] = asyncio.get_running_loop().create_future()
        job.done = _LoopAnswer(answered, self._for_loops)
        self._queue.put(job)
        return await answered

    @property
    def queued(self) -> int:
        """Commands waiting for the writer thread (the one it runs is not counted)."""
        return self._queue.qsize()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    # -- the writer thread ----------------------------------------------------

    def _run(self) -> None:
        while (first := self._queue.get()) is not None:
            batch, stopping = [first], False
            while len(batch) < MAX_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                    break
                batch.append(more)
            try:
                self._run_batch(batch)
            except Exception as error:  # never leave a caller waiting
                log.exception("the command writer failed")
                for job in batch:
                    if not job.done.done():
                        job.done.set_exception(_raisable(error))
            self._answer_coroutines()
            if stopping:
                break

    def _answer_coroutines(self) -> None:
        """The batch's answers for coroutines, in one call into each one's loop."""
        if not self._for_loops:
            return
        by_loop: dict[asyncio.AbstractEventLoop, list[_LoopAnswer[Any]]] = {}
        for answer in self._for_loops:
            by_loop.setdefault(answer.future.get_loop(), []).append(answer)
        self._for_loops.clear()
        for loop, answers in by_loop.items():
            # A loop that has closed (RuntimeError) has nobody waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_deliver, answers)

    def _run_batch(self, batch: list[Job[Any]]) -> None:
        self._fresh.clear()
        self._batch_start = self.store.last_position()
        # A flag, not a copy of the kept ids: copying 10,000 ids per batch cost more
        # than the batch's own work once the cache had filled.
        self._kept_are_fresh = self._batch_start == self._known_to
        staged: list[_Staged] = []
        for job in batch:
            using = _Using(self._use)
            try:
                try:
                    outcome = job.stage(using)
                except Unsettled:
                    self._store_all(staged)
                    staged = []
                    outcome = job.stage(using)
            except Exception as error:
                job.done.set_exception(_raisable(error))
                # It may have changed an incident before failing: store what the
                # commands before it staged, without that copy, and read it afresh.
                self._store_all(staged, tainted=using.used)
                staged = []
                self._forget(using.used)
                continue
            if isinstance(outcome, _Answer):
                job.done.set_result(outcome.value)
            else:
                staged.append(_Staged(job, outcome, outcome.collect_events()))
                self._keep(outcome)
        self._store_all(staged)

    def _use(self, incident_id: UUID) -> Any:
        """The incident, up to date: kept from before and fast-forwarded, or read."""
        kept = self._loaded.get(incident_id)
        if kept is None:
            incident = self.store.load(incident_id)
        elif self._kept_are_fresh or incident_id in self._fresh:
            incident = kept
        else:
            incident = self.store.fast_forward(kept)
        self._fresh.add(incident_id)
        self._keep(incident)
        return incident

    def _forget(self, incident_ids: Iterable[UUID]) -> None:
        for incident_id in incident_ids:
            self._loaded.pop(incident_id, None)

    def _keep(self, incident: Any) -> None:
        self._loaded[incident.id] = incident
        self._loaded.move_to_end(incident.id)
        if len(self._loaded) > CACHED_INCIDENTS:
            self._loaded.popitem(last=False)

    def _store_all(self, staged: list[_Staged], tainted: AbstractSet[UUID] = frozenset()) -> None:
        if not staged:
            return
        try:
            recordings = self.store.save(*(event for s in staged for event in s.events))
        except IntegrityError:
            # Another process wrote one of these incidents first: whose, one by one.
            self._forget(s.aggregate.id for s in staged)
            for s in staged:
                self._alone(s.job)
            return
        except Exception as error:
            self._forget(s.aggregate.id for s in staged)
            for s in staged:
                s.job.done.set_exception(_raisable(error))
            return
        if recordings[0].notification.id == self._batch_start + 1:
            self._known_to = recordings[-1].notification.id  # no other write came between
        self.store.after_save(recordings)
        self._snapshot([s for s in staged if s.aggregate.id not in tainted])
        start = 0
        for s in staged:
            end = start + len(s.events)
            s.job.done.set_result(s.job.answer(recordings[start:end]))
            start = end

    def _snapshot(self, stored: list[_Staged]) -> None:
        """A snapshot of each incident whose versions just passed a multiple of
        `snapshot_every`, taken from the incident held here (the library's own
        would read it all again). A failure only costs speed: the events are stored."""
        every = self.store.snapshot_every
        first: dict[UUID, int] = {}
        for s in stored:
            if s.events:
                version = s.events[0].originator_version
                first[s.aggregate.id] = min(first.get(s.aggregate.id, version), version)
        for s in {s.aggregate.id: s for s in stored}.values():
            since = first.get(s.aggregate.id)
            if since is None or (since - 1) // every == s.aggregate.version // every:
                continue
            try:
                self.store.snapshot(s.aggregate)
            except Exception:
                log.exception("could not snapshot incident %s", s.aggregate.id)

    def _alone(self, job: Job[Any]) -> None:
        """A command in a transaction of its own, run again after each lost race."""
        self._known_to = -1  # somebody else writes: fast-forward from now on
        for attempt in range(CONFLICT_RETRIES):
            if attempt:
                # A little random wait breaks lock-step losing streaks between processes.
                time.sleep(random.uniform(0, RETRY_JITTER * attempt))
            using = _Using(self._use)
            try:
                outcome = job.stage(using)
                if isinstance(outcome, _Answer):
                    job.done.set_result(outcome.value)
                    return
                events = outcome.collect_events()
                try:
                    recordings = self.store.save(*events)
                except IntegrityError:
                    self._loaded.pop(outcome.id, None)
                    job.done.set_result(job.conflict())
                    return
            except Retry:
                continue
            except Exception as error:
                self._forget(using.used)
                job.done.set_exception(_raisable(error))
                return
            self._keep(outcome)
            self.store.after_save(recordings)
            self._snapshot([_Staged(job, outcome, events)])
            job.done.set_result(job.answer(recordings))
            return
        job.done.set_exception(_contention())


class _Using:
    """The loader a command is given, noting which incidents it used."""

    def __init__(self, use: Load) -> None:
        self._use = use
        self.used: set[UUID] = set()

    def __call__(self, incident_id: UUID) -> Any:
        self.used.add(incident_id)
        return self._use(incident_id)


class _LoopAnswer(Generic[A]):
    """A coroutine's answer, set in the writer thread and delivered on the
    coroutine's loop with the rest of the batch (see `_answer_coroutines`)."""

    __slots__ = ("future", "outbox", "result", "error", "_done")

    def __init__(self, future: "asyncio.Future[A]", outbox: list["_LoopAnswer[Any]"]) -> None:
        self.future = future
        self.outbox = outbox
        self.result: A | None = None
        self.error: BaseException | None = None
        self._done = False

    def set_result(self, result: A) -> None:
        self.result, self._done = result, True
        self.outbox.append(self)

    def set_exception(self, exception: BaseException | None) -> None:
        self.error, self._done = exception, True
        self.outbox.append(self)

    def done(self) -> bool:
        return self._done


def _deliver(answers: list[_LoopAnswer[Any]]) -> None:
    """On the loop: answer every coroutine still waiting (a client that left has
    cancelled its own)."""
    for answer in answers:
        if answer.future.done():
            continue
        if answer.error is not None:
            answer.future.set_exception(answer.error)
        else:
            answer.future.set_result(answer.result)


@dataclass(frozen=True)
class _Answer:
    value: Any


def answered(value: Any) -> _Answer:
    """What `stage` returns when the command is answered without writing (a retry
    with an idempotency key already handled, say)."""
    return _Answer(value)


def _raisable(error: Exception) -> Exception:
    """StopIteration cannot travel through a future into a coroutine."""
    return RuntimeError(repr(error)) if isinstance(error, StopIteration) else error


def _contention() -> Exception:
    from domain.errors import RuleBroken

    return RuleBroken("write_contention", "the incident kept changing; try again")
