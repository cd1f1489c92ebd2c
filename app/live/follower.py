"""Follows the notification log: folds each batch into the views, and tells the
sockets of each event as soon as the board has it.

SQLite has no subscriptions, so each lane of views reads the log after its own
tracked positions, in a thread of its own, woken by this process's saves and
by a short poll for writes from other processes (the `icc` commands). The
board is a lane by itself, so what the sockets see never waits on the
timeline, the figures or the work view.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.application import IncidentApp
from domain.event import IncidentEvent
from projections.batches import Item
from projections.board import BoardRow
from projections.runner import Folded, Projector

log = logging.getLogger(__name__)

BATCH = 500
# Catching up and rebuilding read bigger batches: fewer transactions, same guarantees.
REBUILD_BATCH = 5000
RETRY_AFTER_ERROR = 1.0
# The live lanes, and how long each lets a wake-up settle before folding: the
# board at once; the others a fifth of a second later, in bigger batches, so
# their writes rarely hold SQLite's lock while a command or the board waits
# for it (measured: the board's p99 from command to socket 9-10 ms -> 5-6 ms).
LIVE_LANES = ((("board",), 0.0), (("timeline", "figures", "work"), 0.2))


class Wakeable(Protocol):
    """A thread's event, or a process's: what a lane waits on between batches."""

    def set(self) -> None: ...
    def clear(self) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...


@dataclass(frozen=True)
class Delivery:
    position: int
    event: IncidentEvent
    row: BoardRow | None


def deliveries(items: Sequence[Item], rows: Sequence[BoardRow | None]) -> list[Delivery]:
    """A board batch's events, each with the board row it left."""
    return [Delivery(pos, event, row) for (pos, event), row in zip(items, rows, strict=True)]


class Lane:
    """Some views folded together, live, in a thread of their own."""

    def __init__(
        self, projector: Projector, advanced: threading.Condition, settle: float = 0.0
    ) -> None:
        self.projector = projector
        self.advanced = advanced
        self.settle = settle
        self.failing = False
        self.behind = True  # until a read of the log comes back short of a full batch
        self.woken: Wakeable = threading.Event()

    def run(
        self,
        stopping: threading.Event,
        poll_interval: float,
        folded: Folded,
        may_fold: Callable[[], bool] = lambda: True,
    ) -> None:
        resumed = False
        while not stopping.is_set():
            self.woken.clear()
            if not may_fold():  # another process folds the views now
                resumed = False  # so read the positions it reached when our turn comes
                self.woken.wait(poll_interval)
                continue
            try:
                if not resumed:  # positions from the tracking rows: at start, after a failure
                    self.projector.resume()
                    resumed = True
                count = self.step(BATCH, folded)
            except Exception:
                # Not swallowed: logged, flagged for the board, and retried from
                # the last committed positions, which the tracking rows hold.
                log.exception("projection failed; retrying")
                self.failing = True
                self.announce()
                resumed = False
                stopping.wait(RETRY_AFTER_ERROR)
                continue
            if count < BATCH and self.woken.wait(poll_interval) and self.settle:
                stopping.wait(self.settle)

    def step(self, limit: int, folded: Folded | None = None) -> int:
        batch = self.projector.step(limit, folded=folded)
        self.behind = batch.read == limit
        self.failing = False  # before waiters on this position see the views
        self.announce()
        return batch.read

    def wake(self) -> None:
        """Something was saved: fold it."""
        self.woken.set()

    def announce(self) -> None:
        """Tell whoever waits on the views (read-your-writes) that they moved."""
        with self.advanced:
            self.advanced.notify_all()

    def stop(self) -> None:
        """The thread running this lane ends on the follower's own stop signal."""


LaneMaker = Callable[[Projector, threading.Condition, float], Lane]
# Tells the sockets of a batch's events, in log order: one call per batch, so one
# wake-up of the event loop per batch rather than per event.
Publish = Callable[[Sequence[Delivery]], None]


class LogFollower:
    def __init__(
        self,
        app: IncidentApp,
        projector: Projector,
        publish: Publish | None = None,
        poll_interval: float = 0.25,
        elsewhere: LaneMaker | None = None,
    ) -> None:
        """`elsewhere` makes the lanes other than the board's, if they are folded
        outside this process's threads (see `app.live.view_process`)."""
        self.app = app
        self.projector = projector  # every view: for catching up and rebuilding
        self.publish = publish
        self.poll_interval = poll_interval
        self.rebuild_batch = REBUILD_BATCH
        self._advanced = threading.Condition()
        self.lanes = [
            (Lane if "board" in names or elsewhere is None else elsewhere)(
                Projector(app, [projector.projection(n) for n in names]), self._advanced, settle
            )
            for names, settle in LIVE_LANES
        ]
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        app.on_save(self._wake)

    @property
    def stale(self) -> bool:
        """The views do not follow the log right now: they failed, or are still catching up."""
        return any(lane.failing or lane.behind for lane in self.lanes)

    @property
    def position(self) -> int:
        """Every view reflects the log up to here."""
        return min(lane.projector.position for lane in self.lanes)

    def position_of(self, view: str) -> int:
        """The position the live lane holding `view` has folded it to."""
        lane = next(lane for lane in self.lanes if view in lane.projector.positions)
        return lane.projector.positions[view]

    def tracking_name(self, projection_name: str) -> str:
        return self.projector.tracking_name(self.projector.projection(projection_name))

    def start(self) -> None:
        for n, lane in enumerate(self.lanes):
            args = (self._stopping, self.poll_interval, self._folded, self.may_fold)
            thread = threading.Thread(target=lane.run, args=args, name=f"log-follower-{n}")
            thread.daemon = True
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        self._wake()
        for lane in self.lanes:
            lane.stop()
        for thread in self._threads:
            thread.join(timeout=10)

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until every view reflects `position` (read-your-writes); False on timeout."""
        with self._advanced:
            return self._advanced.wait_for(lambda: self.position >= position, timeout)

    def catch_up(self) -> int:
        """Fold everything not yet folded into every view; returns how many events that was."""
        self.projector.resume()
        total = 0
        while count := self.projector.step(self.rebuild_batch).read:
            total += count
        for lane in self.lanes:
            lane.projector.resume()
            lane.behind = False
        return total

    def rebuild(self) -> int:
        """Every view from scratch, from the whole log."""
        self.projector.clear()
        return self.catch_up()

    def may_fold(self) -> bool:
        """Whether this process folds the views: always, when it is the only one."""
        return True

    def _wake(self) -> None:
        for lane in self.lanes:
            lane.wake()

    def _folded(self, view: str, items: Sequence[Item], rows: Any) -> None:
        """Sockets hear of events as soon as the board has them (its rows after each
        event), each event once, as the board folds it."""
        if view == "board" and self.publish and items:
            self.publish(deliveries(items, rows))
