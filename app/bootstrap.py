"""Opens the store and its views from settings: shared by the server and the CLI."""

from dataclasses import dataclass

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from app.application import Clock, IncidentApp, utc_now
from app.config import Settings
from app.live.follower import LogFollower
from app.personal_data import PersonalKeys, load_master_key
from app.users import UserStore
from projections.board_view import BoardProjection, SQLiteBoardView


@dataclass
class Store:
    incidents: IncidentApp
    users: UserStore
    board: SQLiteBoardView
    follower: LogFollower

    def close(self) -> None:
        self.follower.stop()
        self.incidents.close()
        self.incidents.keys.close()
        self.board.datastore.close()


def open_store(settings: Settings, clock: Clock = utc_now) -> Store:
    env = settings.eventsourcing_env()
    keys = PersonalKeys(settings.sqlite_path, load_master_key(settings))
    incidents = IncidentApp(env, keys=keys, clock=clock)
    factory = InfrastructureFactory.construct(Environment(BoardProjection.name, env))
    board = factory.tracking_recorder(SQLiteBoardView)
    assert isinstance(board, SQLiteBoardView)
    follower = LogFollower(incidents, BoardProjection(board), poll_interval=settings.poll_interval)
    return Store(incidents, UserStore(settings.sqlite_path), board, follower)
