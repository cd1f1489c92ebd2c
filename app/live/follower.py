"""Follows the notification log: folds each event into the board, then publishes it.

SQLite has no subscriptions, so one thread reads the log after the last
tracked position, woken by this process's saves and by a short poll for
writes from other processes (the `icc` commands).
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from eventsourcing.persistence import Tracking

from app.application import IncidentApp
from domain.event import IncidentEvent
from projections.board import BoardRow
from projections.board_view import BoardProjection

log = logging.getLogger(__name__)

BATCH = 500
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
        projection: BoardProjection,
        publish: Callable[[Delivery], None] | None = None,
        poll_interval: float = 0.25,
    ) -> None:
        self.app = app
        self.projection = projection
        self.publish = publish
        self.poll_interval = poll_interval
        self.tracking_name = f"{app.name}.{projection.name}"
        self.failing = False
        self.behind = True  # until a read of the log comes back short of a full batch
        self._position = 0
        self._advanced = threading.Condition()
        self._woken = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        app.on_save(self._woken.set)

    @property
    def stale(self) -> bool:
        """The board does not follow the log right now: it failed, or is still catching up."""
        return self.failing or self.behind

    def start(self) -> None:
        self._position = self.projection.view.max_tracking_id(self.tracking_name) or 0
        self._thread = threading.Thread(target=self._run, name="log-follower", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._woken.set()
        if self._thread:
            self._thread.join(timeout=10)

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the board reflects `position` (read-your-writes); False on timeout."""
        with self._advanced:
            return self._advanced.wait_for(lambda: self._position >= position, timeout)

    def catch_up(self) -> int:
        """Fold everything not yet folded; returns how many events that was."""
        self._position = self.projection.view.max_tracking_id(self.tracking_name) or 0
        total = 0
        while count := self._step():
            total += count
        return total

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._woken.clear()
            try:
                count = self._step()
                self.failing = False
            except Exception:
                # Not swallowed: logged, flagged for the board, and retried from
                # the last committed position, which the tracking row holds.
                log.exception("board projection failed; retrying")
                self.failing = True
                self._stopping.wait(RETRY_AFTER_ERROR)
                self._position = self.projection.view.max_tracking_id(self.tracking_name) or 0
                continue
            if count < BATCH:
                self._woken.wait(self.poll_interval)

    def _step(self) -> int:
        notifications = self.app.recorder.select_notifications(
            start=self._position, limit=BATCH, inclusive_of_start=False
        )
        self.behind = len(notifications) == BATCH
        for notification in notifications:
            event = self.app.mapper.to_domain_event(notification)
            self.projection.process_event(event, Tracking(self.tracking_name, notification.id))
            self.failing = False  # before waiters on this position see the board
            with self._advanced:
                self._position = notification.id
                self._advanced.notify_all()
            if self.publish and isinstance(event, IncidentEvent):
                row = self.projection.view.row(event.originator_id)
                self.publish(Delivery(notification.id, event, row))
        return len(notifications)
