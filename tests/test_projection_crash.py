"""A projection process killed in the middle of a batch loses nothing and doubles nothing."""

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import Store, open_store
from app.config import Settings
from app.demo import load_demo
from tests.helpers import timeline_entries


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few days of the demo, about 1,000 events: several batches of 500."""
    database = tmp_path_factory.mktemp("log") / "incidents.db"
    store = open_store(Settings(database=str(database)))
    for _ in range(6):
        load_demo(store.incidents)
    store.close()
    return database


def views(store: Store) -> dict[str, Any]:
    return {name: view.dump() for name, view in store.views.items()}


def copy_store(source: Path, folder: Path) -> Settings:
    """The log, its views and its key, copied (the source store is closed)."""
    views = Settings(database=str(source)).views_path
    for file in (source, views, Path(f"{source}.key")):
        (folder / file.name).write_bytes(file.read_bytes())
    return Settings(database=str(folder / source.name))


@pytest.mark.parametrize(
    ("view", "nth"), [("board", 100), ("timeline", 60), ("figures", 90), ("work", 80)]
)
def test_a_rebuild_killed_mid_batch_resumes_to_exactly_the_rebuilt_views(
    log: Path, tmp_path: Path, view: str, nth: int
) -> None:
    settings = copy_store(log, tmp_path)
    died = subprocess.run(
        [sys.executable, "-m", "tests.scripts.die_mid_batch", settings.database, view, str(nth)],
        capture_output=True,
        timeout=60,
    )
    assert died.returncode == -signal.SIGKILL, died.stderr

    store = open_store(settings)
    total = store.incidents.recorder.max_notification_id() or 0
    killed = store.projector.projection(view)
    stopped_at = killed.view.max_tracking_id(store.projector.tracking_name(killed)) or 0
    assert stopped_at < total  # it died before the batch it was folding committed

    store.follower.catch_up()
    assert store.projector.position == total
    resumed = views(store)
    assert timeline_entries(store) == total  # none lost, none twice
    store.follower.rebuild()
    assert views(store) == resumed
    store.close()
