"""Follows the notification log: folds each batch into every view, then publishes it.

SQLite has no subscriptions, so one thread reads the log after the views'
tracked positions, woken by this process's saves and by a short poll for
writes from other processes (the `icc` commands).
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from app.application import IncidentApp
from domain.event import IncidentEvent
from projections.board import BoardRow
from projections.runner import Batch, Projector

log = logging.getLogger(__name__)

BATCH = 500
# Catching up and rebuilding read bigger batches: fewer transactions, same guarantees.
REBUILD_BATCH = 5000
RETRY_AFTER_ERROR = 1.0


@dataclass(frozen=True)
class Delivery:
    position: int
    event: IncidentEvent
    row: BoardRow | None


class LogFollower:
    def __init__(
        self,
        app: IncidentApp,
        projector: Projector,
        publish: Callable[[Delivery], None] | None = None,
        poll_interval: float = 0.25,
    ) -> None:
        self.app = app
        self.projector = projector
        self.publish = publish
        self.poll_interval = poll_interval
        self.rebuild_batch = REBUILD_BATCH
        self.failing = False
        self.behind = True  # until a read of the log comes back short of a full batch
        self._advanced = threading.Condition()
        self._woken = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        app.on_save(self._woken.set)

    @property
    def stale(self) -> bool:
        """The views do not follow the log right now: they failed, or are still catching up."""
        return self.failing or self.behind

    def tracking_name(self, projection_name: str) -> str:
        return self.projector.tracking_name(self.projector.projection(projection_name))

    def start(self) -> None:
        self.projector.resume()
        self._thread = threading.Thread(target=self._run, name="log-follower", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._woken.set()
        if self._thread:
            self._thread.join(timeout=10)

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until every view reflects `position` (read-your-writes); False on timeout."""
        with self._advanced:
            return self._advanced.wait_for(lambda: self.projector.position >= position, timeout)

    def catch_up(self) -> int:
        """Fold everything not yet folded; returns how many events that was."""
        self.projector.resume()
        total = 0
        while count := self._step(self.rebuild_batch):
            total += count
        return total

    def rebuild(self) -> int:
        """Every view from scratch, from the whole log."""
        self.projector.clear()
        return self.catch_up()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._woken.clear()
            try:
                count = self._step(BATCH)
                self.failing = False
            except Exception:
                # Not swallowed: logged, flagged for the board, and retried from
                # the last committed positions, which the tracking rows hold.
                log.exception("projection failed; retrying")
                self.failing = True
                self._stopping.wait(RETRY_AFTER_ERROR)
                self.projector.resume()
                continue
            if count < BATCH:
                self._woken.wait(self.poll_interval)

    def _step(self, limit: int) -> int:
        batch = self.projector.step(limit)
        self.behind = batch.read == limit
        if batch.read:
            self.failing = False  # before waiters on this position see the views
            with self._advanced:
                self._advanced.notify_all()
            if self.publish:
                for delivery in self._deliveries(batch):
                    self.publish(delivery)
        return batch.read

    def _deliveries(self, batch: Batch) -> list[Delivery]:
        rows = batch.results.get("board")
        if rows is None or len(rows) != len(batch.items):
            # The board had some of these already: its rows as they stand now.
            view = self.projector.projection("board").view
            rows = [view.row(event.originator_id) for _, event in batch.items]
        return [Delivery(p, e, row) for (p, e), row in zip(batch.items, rows, strict=True)]
