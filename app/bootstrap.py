"""Opens the store and its views from settings: shared by the server and the CLI."""

from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from app.application import Clock, IncidentApp, utc_now
from app.config import Settings
from app.live.follower import LogFollower
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
from projections.storage import ViewTables
from projections.timeline_view import (
    PostgresTimelineView,
    SQLiteTimelineView,
    TimelineProjection,
    TimelineView,
)


@dataclass
class Store:
    incidents: IncidentApp
    users: UserStore
    board: BoardView
    timeline: TimelineView
    figures: FiguresView
    projector: Projector
    follower: LogFollower

    @property
    def views(self) -> dict[str, ViewTables]:
        return {"board": self.board, "timeline": self.timeline, "figures": self.figures}

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


def open_store(settings: Settings, clock: Clock = utc_now) -> Store:
    env = settings.eventsourcing_env()
    keys = PersonalKeys(small_tables(settings, synchronous="NORMAL"), load_master_key(settings))
    incidents = IncidentApp(env, keys=keys, clock=clock)
    postgres = settings.is_postgres
    board = _view(env, BoardProjection, PostgresBoardView if postgres else SQLiteBoardView)
    timeline = _view(
        env, TimelineProjection, PostgresTimelineView if postgres else SQLiteTimelineView
    )
    figures = _view(env, FiguresProjection, PostgresFiguresView if postgres else SQLiteFiguresView)
    projector = Projector(
        incidents,
        [BoardProjection(board), TimelineProjection(timeline), FiguresProjection(figures)],
    )
    follower = LogFollower(incidents, projector, poll_interval=settings.poll_interval)
    users = UserStore(small_tables(settings))
    return Store(incidents, users, board, timeline, figures, projector, follower)


def _view(
    env: dict[str, str], projection: type[BatchProjection[Any]], view_class: type[Any]
) -> Any:
    """The library builds the tracking recorder (on PostgreSQL its table is `<name>_tracking`)."""
    factory = InfrastructureFactory.construct(Environment(projection.name, env))
    view = factory.tracking_recorder(view_class)
    assert isinstance(view, view_class)
    return view
