"""The timeline, figures and work views folded in a process of their own (SQLite).

Folded in the server's own interpreter, these views took about a tenth of its
CPU under load, and with it a tenth of the commands it could take: the server
is bound by its one interpreter lock, while the machine's other cores idle.
The board stays in the server, since the sockets are sent from its fold.

The child process runs the same `Lane` the server would run in a thread,
woken by the server's saves through a pipe (and by the usual poll for other
processes' writes). Pipes, not shared events: a process killed while waiting
on a `multiprocessing.Event` leaves the next `set()` waiting for it forever.
After each batch the child reports the views' positions, so read-your-writes
and `stale` work as for a lane in a thread. It ends when the server closes its
lifeline or dies; if the child dies, the server marks the views stale and
starts another, which resumes from the tracked positions.
"""

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection, wait

from app.config import Settings
from app.live.follower import Lane, LaneMaker
from projections.runner import Folded, Projector

log = logging.getLogger(__name__)

RESTART_AFTER = 1.0  # seconds before a dead view process is replaced
STOP_TIMEOUT = 10.0

# A fork server: each child is forked from a small process that has imported the
# app already (a few milliseconds), never from the threaded server itself.
_processes = multiprocessing.get_context("forkserver")
_processes.set_forkserver_preload([__name__])


class ChildLane(Lane):
    """In the server: starts the child, wakes it on saves, mirrors what it reports."""

    def __init__(
        self,
        settings: Settings,
        projector: Projector,
        advanced: threading.Condition,
        settle: float,
    ) -> None:
        super().__init__(projector, advanced, settle)
        self.settings = settings
        self._wakes, self._waking = _processes.Pipe(duplex=False)
        os.set_blocking(self._waking.fileno(), False)
        self._lifeline: Connection | None = None
        self._stopped = False
        self._guard = threading.Lock()

    @classmethod
    def maker(cls, settings: Settings) -> LaneMaker:
        def make(projector: Projector, advanced: threading.Condition, settle: float) -> Lane:
            return cls(settings, projector, advanced, settle)

        return make

    def wake(self) -> None:
        # A byte the child drains; a full pipe already wakes it.
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._waking.fileno(), b"!")

    def run(
        self,
        stopping: threading.Event,
        poll_interval: float,
        folded: Folded,
        may_fold: Callable[[], bool] = lambda: True,
    ) -> None:
        """Keep one child folding until the server stops (`folded` and `may_fold`
        serve the board's lane and the PostgreSQL owner, not this one)."""
        while not stopping.is_set():
            exit_code = self._run_child()
            if stopping.is_set() or self._stopped:
                break
            log.error("the view process ended (exit code %s); starting another", exit_code)
            self.failing = True
            self.announce()
            stopping.wait(RESTART_AFTER)
        self._wakes.close()
        self._waking.close()

    def _run_child(self) -> int | None:
        reports, to_parent = _processes.Pipe(duplex=False)
        from_parent, lifeline = _processes.Pipe(duplex=False)
        names = tuple(self.projector.positions)
        child = _processes.Process(
            target=fold_views,
            args=(self.settings, names, self.settle, self._wakes, to_parent, from_parent),
            name="icc views",
            daemon=True,  # ended with the server, whatever happens to it
        )
        with self._guard:
            if self._stopped:
                return None
            child.start()
            self._lifeline = lifeline
        to_parent.close()
        from_parent.close()
        try:
            self._follow(reports, child.sentinel)
        finally:
            self._cut_lifeline()
            child.join(STOP_TIMEOUT)
            if child.is_alive():
                child.terminate()
                child.join()
            reports.close()
        return child.exitcode

    def _follow(self, reports: Connection, ended: int) -> None:
        """Mirror the child's reports until it ends."""
        while True:
            ready = wait([reports, ended])
            if reports not in ready:
                return
            try:
                positions, failing, behind = reports.recv()
            except EOFError:
                return
            self.projector.positions.update(positions)
            self.failing, self.behind = failing, behind
            self.announce()

    def stop(self) -> None:
        with self._guard:
            self._stopped = True
        self._cut_lifeline()

    def _cut_lifeline(self) -> None:
        with self._guard:
            lifeline, self._lifeline = self._lifeline, None
        if lifeline is not None:
            lifeline.close()


class _Wakes:
    """In the child: what the lane waits on. The server's wake-ups come as bytes
    on one pipe; the other pipe closes when the server lets go, or dies."""

    def __init__(self, wakes: Connection, lifeline: Connection, stopping: threading.Event):
        self.wakes = wakes
        self.lifeline = lifeline
        self.stopping = stopping
        os.set_blocking(wakes.fileno(), False)

    def wait(self, timeout: float | None = None) -> bool:
        ready = wait([self.wakes, self.lifeline], timeout)
        if self.lifeline in ready:
            self.stopping.set()
        return bool(ready)

    def clear(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(self.wakes.fileno(), 4096):
                pass

    def set(self) -> None:
        """Only the server wakes the child."""


class _ReportingLane(Lane):
    """In the child: the lane, telling the server of each batch."""

    def __init__(self, projector: Projector, settle: float, to_parent: Connection) -> None:
        super().__init__(projector, threading.Condition(), settle)
        self.to_parent = to_parent

    def announce(self) -> None:
        # If the server is gone, the lifeline stops this process.
        with contextlib.suppress(OSError):
            self.to_parent.send((dict(self.projector.positions), self.failing, self.behind))


def fold_views(
    settings: Settings,
    names: tuple[str, ...],
    settle: float,
    wakes: Connection,
    to_parent: Connection,
    from_parent: Connection,
) -> None:
    """The child process: fold `names` until the server closes the lifeline."""
    from app.bootstrap import open_store  # the fork server preloads it

    # Ctrl+C in a terminal reaches the whole process group: the server decides
    # when this process ends, by letting go of the lifeline.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = open_store(replace(settings, views_process=False), create_tables=False)
    stopping = threading.Event()
    lane = _ReportingLane(
        Projector(store.incidents, [store.projector.projection(n) for n in names]),
        settle,
        to_parent,
    )
    lane.woken = _Wakes(wakes, from_parent, stopping)
    try:
        lane.run(stopping, settings.poll_interval, lambda *_: None)
    finally:
        store.close()
