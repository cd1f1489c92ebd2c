"""Opens the store and its views from settings: shared by the server and the CLI."""

from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from app.application import Clock, IncidentApp, utc_now
from app.config import Settings
from app.live.follower import LogFollower
from app.live.shared import SharedLogFollower
from app.live.view_process import ChildLane
from app.personal_data import PersonalKeys, load_master_key
from app.small_tables import PostgresTables, SmallTables, SQLiteTables
from app.users import UserStore
from projections.board_view import (
    BoardProjection,
    BoardView,
    PostgresBoardView,
    SQLiteBoardView,
)
from projections.figures_view import (
    FiguresProjection,
    FiguresView,
    PostgresFiguresView,
    SQLiteFiguresView,
)
from projections.runner import BatchProjection, Projector
from projections.storage import SQLiteViewStore, ViewTables
from projections.timeline_view import (
    PostgresTimelineView,
    SQLiteTimelineView,
    TimelineProjection,
    TimelineView,
)
from projections.work_view import PostgresWorkView, SQLiteWorkView, WorkProjection, WorkView

LOCK_TIMEOUT = 10  # seconds a writer waits for SQLite's lock, as the event store does


@dataclass
class Store:
    incidents: IncidentApp
    users: UserStore
    board: BoardView
    timeline: TimelineView
    figures: FiguresView
    work: WorkView
    projector: Projector
    follower: LogFollower

    @property
    def views(self) -> dict[str, ViewTables]:
        return {
            "board": self.board,
            "timeline": self.timeline,
            "figures": self.figures,
            "work": self.work,
        }

    def close(self) -> None:
        self.follower.stop()
        self.incidents.close()
        self.incidents.keys.close()
        self.users.tables.close()
        for view in self.views.values():
            view.close()


def small_tables(settings: Settings, *, synchronous: str = "FULL") -> SmallTables:
    if settings.is_postgres:
        address = settings.postgres
        return PostgresTables(address.dsn, address.schema)
    return SQLiteTables(settings.sqlite_path, synchronous=synchronous)


def open_store(settings: Settings, clock: Clock = utc_now, *, create_tables: bool = True) -> Store:
    """`create_tables=False` where another process made them: on PostgreSQL the
    library's table creation fails when several processes run it at once."""
    env = settings.eventsourcing_env()
    if not create_tables:
        env["CREATE_TABLE"] = "n"
    keys = PersonalKeys(small_tables(settings, synchronous="NORMAL"), load_master_key(settings))
    incidents = IncidentApp(env, keys=keys, clock=clock)
    if settings.is_postgres:
        board = _postgres_view(env, BoardProjection, PostgresBoardView)
        timeline = _postgres_view(env, TimelineProjection, PostgresTimelineView)
        figures = _postgres_view(env, FiguresProjection, PostgresFiguresView)
        work = _postgres_view(env, WorkProjection, PostgresWorkView)
    else:
        views = SQLiteViewStore(str(settings.views_path), lock_timeout=LOCK_TIMEOUT)
        board = _sqlite_view(views, SQLiteBoardView, create_tables)
        timeline = _sqlite_view(views, SQLiteTimelineView, create_tables)
        figures = _sqlite_view(views, SQLiteFiguresView, create_tables)
        work = _sqlite_view(views, SQLiteWorkView, create_tables)
    projector = Projector(
        incidents,
        [
            BoardProjection(board),
            TimelineProjection(timeline),
            FiguresProjection(figures),
            WorkProjection(work),
        ],
    )
    follower = (
        SharedLogFollower(
            incidents,
            projector,
            board,
            dsn=settings.postgres.dsn,
            schema=settings.postgres.schema,
            poll_interval=settings.poll_interval,
        )
        if settings.is_postgres
        else LogFollower(
            incidents,
            projector,
            poll_interval=settings.poll_interval,
            elsewhere=ChildLane.maker(settings) if settings.views_process else None,
        )
    )
    users = UserStore(small_tables(settings))
    return Store(incidents, users, board, timeline, figures, work, projector, follower)


def migrate(settings: Settings) -> None:
    """Create the tables, once, before any server process starts. Hosts that
    start together take turns: the library's table creation fails when run
    concurrently on PostgreSQL."""
    if not settings.is_postgres:
        open_store(settings).close()
        return
    with psycopg.connect(settings.postgres.dsn, autocommit=True) as connection:
        lock = "SELECT pg_advisory_lock(hashtextextended(%s, 0))"
        connection.execute(lock, (f"icc migrate {settings.postgres.schema}",))
        open_store(settings).close()  # the lock ends with the session


def _postgres_view(
    env: dict[str, str], projection: type[BatchProjection[Any]], view_class: type[Any]
) -> Any:
    """The library builds the tracking recorder: its table is `<projection name>_tracking`."""
    factory = InfrastructureFactory.construct(Environment(projection.name, env))
    view = factory.tracking_recorder(view_class)
    assert isinstance(view, view_class)
    return view


def _sqlite_view(views: SQLiteViewStore, view_class: type[Any], create_table: bool) -> Any:
    """On SQLite every view shares one datastore whose commits skip the fsync
    (see `SQLiteViewStore`); tracking rows go to the library's `tracking` table."""
    view = view_class(datastore=views)
    if create_table:
        view.create_table()
    return view
