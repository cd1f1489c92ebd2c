"""Several server processes (workers, hosts) on one PostgreSQL database.

Every process follows the log through the library's subscription (LISTEN/
NOTIFY) and feeds its own sockets, so a write through any process reaches a
board watched through any other. The views are folded by one process at a
time: whichever holds a PostgreSQL advisory lock. When that process dies its
session ends, the lock is freed, and another takes over from the tracked
positions; a position folded twice is refused by the tracking row, so nothing
is counted twice and nothing is skipped.

A socket's message carries the event's board row, so a process sends an event
once the board (folded by whichever process owns it) has it: every committed
view batch announces itself on a channel (`views_channel`) that each process
listens to.
"""

import contextlib
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import Notification
from psycopg import sql

from app.application import IncidentApp
from app.live.follower import Delivery, LogFollower, Publish, deliveries
from domain.event import IncidentEvent
from projections.batches import Item
from projections.board_view import BoardView
from projections.runner import Projector
from projections.storage import views_channel

log = logging.getLogger(__name__)

CHECK_EVERY = 1.0  # seconds: how soon a dead owner is replaced, and positions re-read
RETRY_AFTER_ERROR = 1.0
# The board lagging the log longer than this marks it stale (no owner, say).
STALE_AFTER = 2.0


class AdvisoryLock:
    """A session-level advisory lock on a connection of its own: held until
    released or until the session ends, however the process ends."""

    def __init__(self, dsn: str, name: str) -> None:
        self.dsn = dsn
        self.name = name
        self._connection: psycopg.Connection | None = None

    def try_acquire(self) -> bool:
        try:
            if self._connection is None:
                # Named, so an operator (or a test) can see which process folds the views.
                self._connection = psycopg.connect(
                    self.dsn, autocommit=True, application_name=f"icc views {os.getpid()}"
                )
            row = self._connection.execute(
                "SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (self.name,)
            ).fetchone()
            return bool(row and row[0])
        except psycopg.Error:
            log.exception("cannot reach PostgreSQL for the views lock")
            self.release()
            return False

    def held(self) -> bool:
        """Still held: the session that holds it is alive."""
        if self._connection is None:
            return False
        try:
            self._connection.execute("SELECT 1")
            return True
        except psycopg.Error:
            log.warning("lost the views lock's session")
            self.release()
            return False

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(psycopg.Error):
                self._connection.close()  # ends the session, and with it the lock
            self._connection = None


class ViewPositions:
    """The views' positions as the owning process commits them: re-read when a
    batch is announced, and every second in case an announcement was missed."""

    def __init__(self, dsn: str, channel: str, query: sql.Composed) -> None:
        self.dsn = dsn
        self.channel = channel
        self.query = query  # rows of (view, position)
        self.positions: dict[str, int] = {}
        self.failing = False
        self.changed = threading.Condition()

    def run(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as connection:
                    connection.execute(f'LISTEN "{self.channel}"')
                    while not stopping.is_set():
                        rows = connection.execute(self.query).fetchall()
                        self._update({view: position or 0 for view, position in rows})
                        for _ in connection.notifies(timeout=CHECK_EVERY, stop_after=1):
                            pass
            except Exception:
                log.exception("cannot follow the views' positions; retrying")
                self.failing = True
                stopping.wait(RETRY_AFTER_ERROR)

    def _update(self, positions: dict[str, int]) -> None:
        with self.changed:
            self.positions = positions
            self.failing = False
            self.changed.notify_all()

    def of(self, view: str) -> int:
        return self.positions.get(view, 0)

    def wait_for(self, view: str | None, position: int, timeout: float) -> bool:
        def reached() -> bool:
            held = self.positions.values() if view is None else [self.of(view)]
            return bool(self.positions) and min(held) >= position

        with self.changed:
            return self.changed.wait_for(reached, timeout)


class SubscriptionFeed:
    """Tells this process's sockets of each event once the board has it.

    One thread reads the library's subscription; another sends on what it
    read in batches, each once the board's position has reached it."""

    def __init__(
        self,
        app: IncidentApp,
        board: BoardView,
        positions: ViewPositions,
        arrived: Callable[[], None],
    ) -> None:
        self.app = app
        self.board = board
        self.positions = positions
        self.arrived = arrived  # wakes the views' owner, if that is us
        self.publish: Publish | None = None
        # False for what this process's sockets were already sent (by its own fold).
        self.wanted: Callable[[int], bool] = lambda position: True
        self.failing = False
        self.lagging_since: float | None = None
        self._queue: queue.Queue[Notification] = queue.Queue()
        self._subscription: Any = None

    def read(self, stopping: threading.Event, start: int) -> None:
        while not stopping.is_set():
            try:
                with self.app.recorder.subscribe(gt=start) as subscription:
                    self._subscription = subscription
                    if stopping.is_set():
                        break
                    self.failing = False
                    for notification in subscription:
                        self._queue.put(notification)
                        start = notification.id
                        self.arrived()
            except Exception:
                log.exception("the log subscription failed; resubscribing")
                self.failing = True
                stopping.wait(RETRY_AFTER_ERROR)

    def stop(self) -> None:
        if self._subscription is not None:
            self._subscription.stop()

    def send(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                batch = [self._queue.get(timeout=CHECK_EVERY)]
            except queue.Empty:
                continue
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            self._wait_for_board(stopping, batch[-1].id)
            self._send(batch)

    def _wait_for_board(self, stopping: threading.Event, position: int) -> None:
        self.lagging_since = time.monotonic()
        while not stopping.is_set() and not self.positions.wait_for("board", position, CHECK_EVERY):
            pass  # no owner right now: the board is stale (see `stale`) until one takes over
        self.lagging_since = None

    def _send(self, batch: list[Notification]) -> None:
        events = [(n.id, self.app.mapper.to_domain_event(n)) for n in batch if self.wanted(n.id)]
        if not events:
            return
        rows = self.board.rows({event.originator_id for _, event in events})
        deliveries = []
        for position, event in events:
            assert isinstance(event, IncidentEvent)
            deliveries.append(Delivery(position, event, rows.get(event.originator_id.int)))
        if self.publish:
            self.publish(deliveries)

    @property
    def stale(self) -> bool:
        since = self.lagging_since
        return self.failing or (since is not None and time.monotonic() - since > STALE_AFTER)


class SharedLogFollower(LogFollower):
    """The log follower for one of several processes sharing a database."""

    def __init__(
        self,
        app: IncidentApp,
        projector: Projector,
        board: BoardView,
        *,
        dsn: str,
        schema: str,
        poll_interval: float = 0.25,
    ) -> None:
        super().__init__(app, projector, poll_interval=poll_interval)
        self.lock = AdvisoryLock(dsn, f"icc views {schema}")
        self.owning = False
        self.views = ViewPositions(dsn, views_channel(schema), self._positions_query())
        self.feed = SubscriptionFeed(app, board, self.views, self._wake)
        self._board = board
        self._publishing = threading.Lock()
        self._published_to = 0

    def _positions_query(self) -> sql.Composed:
        """Every view's position in one statement: one round trip and one snapshot,
        on the listening connection, rather than a transaction per view."""
        return sql.SQL(" UNION ALL ").join(
            sql.SQL(
                "SELECT {view}, MAX(notification_id) FROM {table} WHERE application_name = {name}"
            ).format(
                view=sql.Literal(p.name),
                table=sql.Identifier(p.view.datastore.schema, p.view.tracking_table_name),
                name=sql.Literal(self.projector.tracking_name(p)),
            )
            for p in self.projector.projections
        )

    # -- who folds ------------------------------------------------------------

    def may_fold(self) -> bool:
        return self.owning

    def catch_up(self) -> int:
        """Only the owner folds; at start, whoever takes the lock first."""
        self.owning = self.owning or self.lock.try_acquire()
        return super().catch_up() if self.owning else 0

    def _keep_or_take_the_lock(self) -> None:
        while not self._stopping.wait(CHECK_EVERY):
            held = self.lock.held() if self.owning else self.lock.try_acquire()
            if held and not self.owning:
                log.info("this process now folds the views")
                self._wake()
            self.owning = held

    # -- what the sockets get -------------------------------------------------

    def _folded(self, view: str, items: Sequence[Item], rows: Any) -> None:
        """The owner tells its sockets as its board folds, as on SQLite; the
        subscription feed sends whatever this did not (see `_publish_once`)."""
        if view == "board":
            self._publish_once(deliveries(items, rows))

    def _publish_once(self, deliveries: Sequence[Delivery]) -> None:
        """Each event once, in log order, by whichever path has it first: the
        board's fold in the owning process, the subscription in any other (and
        in the owner, for what it had not folded when it lost the lock)."""
        with self._publishing:
            fresh = [d for d in deliveries if d.position > self._published_to]
            if not fresh or self.publish is None:
                return
            self._published_to = fresh[-1].position
            self.publish(fresh)

    def start(self) -> None:
        start = self._board.current_position(self.tracking_name("board"))
        self._published_to = start
        self.feed.publish = self._publish_once
        self.feed.wanted = lambda position: position > self._published_to
        self._spawn(self.views.run, (self._stopping,), "views-positions")
        self._spawn(self.feed.read, (self._stopping, start), "log-subscription")
        self._spawn(self.feed.send, (self._stopping,), "socket-feed")
        self._spawn(self._keep_or_take_the_lock, (), "views-lock")
        super().start()

    def _spawn(self, target: Callable[..., None], args: tuple[object, ...], name: str) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        self.feed.stop()
        super().stop()
        self.lock.release()

    # -- what the views reflect -----------------------------------------------

    @property
    def stale(self) -> bool:
        return self.views.failing or self.feed.stale

    @property
    def position(self) -> int:
        return min(self.views.positions.values(), default=0)

    def position_of(self, view: str) -> int:
        return self.views.of(view)

    def wait_for(self, position: int, timeout: float) -> bool:
        return self.views.wait_for(None, position, timeout)
