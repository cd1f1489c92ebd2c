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
"""

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
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Recording

log = logging.getLogger(__name__)

MAX_BATCH = 256  # commands per transaction: a bound on one transaction's size
CACHED_INCIDENTS = 10_000
CONFLICT_RETRIES = 10  # a command that lost a race is run again on fresh state this often
RETRY_JITTER = 0.005  # seconds, times the attempt number

A = TypeVar("A")  # what a command answers
Load = Callable[[UUID], Any]


class Retry(Exception):
    """Raised by a conflict handler: run the command again on fresh state."""


@dataclass
class Job(Generic[A]):
    """One command: `stage` applies it to the incidents it loads (or answers at
    once, returning an answer instead); `answer` turns its stored events into
    the answer; `conflict` says what a lost race means for it."""

    stage: Callable[[Load], Any]
    answer: Callable[[list[Recording[Any]]], A]
    conflict: Callable[[], A]
    done: Future[A] = field(default_factory=Future)


@dataclass
class _Staged:
    job: Job[Any]
    aggregate: Any
    events: Sequence[Any]


class Writer:
    def __init__(
        self,
        save: Callable[..., list[Recording[Any]]],
        load: Load,
        fast_forward: Callable[[Any], Any],
        after_save: Callable[[list[Recording[Any]]], None],
    ) -> None:
        self._save = save
        self._load = load  # the incident from the store
        self._fast_forward = fast_forward  # a loaded incident brought up to date
        self._after_save = after_save
        self._loaded: OrderedDict[UUID, Any] = OrderedDict()
        self._queue: queue.SimpleQueue[Job[Any] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="command-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Job[A]) -> Future[A]:
        self._queue.put(job)
        return job.done

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
                        job.done.set_exception(error)
            if stopping:
                break

    def _run_batch(self, batch: list[Job[Any]]) -> None:
        staged: list[_Staged] = []
        for job in batch:
            using = _Using(self._use)
            try:
                outcome = job.stage(using)
            except Exception as error:
                job.done.set_exception(error)
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
        incident = self._load(incident_id) if kept is None else self._fast_forward(kept)
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
        events = [event for s in staged for event in s.events]
        # The aggregates too, so the library can snapshot those due (never a tainted one).
        aggregates = {s.aggregate.id: s.aggregate for s in staged if s.aggregate.id not in tainted}
        try:
            recordings = self._save(*events, *aggregates.values())
        except IntegrityError:
            # Another process wrote one of these incidents first: whose, one by one.
            for s in staged:
                self._loaded.pop(s.aggregate.id, None)
            for s in staged:
                self._alone(s.job)
            return
        except Exception as error:
            for s in staged:
                self._loaded.pop(s.aggregate.id, None)
                s.job.done.set_exception(error)
            return
        self._after_save(recordings)
        start = 0
        for s in staged:
            end = start + len(s.events)
            s.job.done.set_result(s.job.answer(recordings[start:end]))
            start = end

    def _alone(self, job: Job[Any]) -> None:
        """A command in a transaction of its own, run again after each lost race."""
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
                    recordings = self._save(*events, outcome)
                except IntegrityError:
                    self._loaded.pop(outcome.id, None)
                    job.done.set_result(job.conflict())
                    return
            except Retry:
                continue
            except Exception as error:
                self._forget(using.used)
                job.done.set_exception(error)
                return
            self._keep(outcome)
            self._after_save(recordings)
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


@dataclass(frozen=True)
class _Answer:
    value: Any


def answered(value: Any) -> _Answer:
    """What `stage` returns when the command is answered without writing (a retry
    with an idempotency key already handled, say)."""
    return _Answer(value)


def _contention() -> Exception:
    from domain.errors import RuleBroken

    return RuleBroken("write_contention", "the incident kept changing; try again")
