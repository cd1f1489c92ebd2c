"""`icc rebuild` in several processes, each folding a share of the incidents:
the same views as one process makes, and a share that dies leaves nothing half done."""

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.bootstrap import Store, open_store
from app.config import Settings
from app.demo import load_demo
from app.rebuild import rebuild
from tests.helpers import timeline_entries
from tests.postgres import postgres_settings


def write_demo(settings: Settings, times: int) -> int:
    store = open_store(settings)
    for _ in range(times):
        load_demo(store.incidents)
    events = store.incidents.recorder.max_notification_id() or 0
    store.close()
    return events


def views(settings: Settings) -> dict[str, Any]:
    store = open_store(settings)
    try:
        return {name: view.dump() for name, view in store.views.items()}
    finally:
        store.close()


def tracking_names(store: Store) -> list[str]:
    with store.board.reading() as cursor:
        cursor.execute("SELECT application_name FROM tracking ORDER BY application_name")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def pg() -> Iterator[Settings]:
    with postgres_settings() as settings:
        yield settings


def test_a_rebuild_in_shares_makes_the_views_one_process_makes(settings: Settings) -> None:
    events = write_demo(settings, times=3)
    assert rebuild(settings, processes=1) == events
    in_one = views(settings)

    assert rebuild(settings, processes=3) == events
    assert views(settings) == in_one
    store = open_store(settings)
    assert timeline_entries(store) == events
    store.follower.catch_up()
    assert store.projector.position == events
    assert not [name for name in tracking_names(store) if "/share-" in name]
    store.close()


def test_a_rebuild_in_shares_makes_the_same_views_on_postgres(pg: Settings) -> None:
    events = write_demo(pg, times=2)
    assert rebuild(pg, processes=1) == events
    in_one = views(pg)
    assert rebuild(pg, processes=2) == events
    assert views(pg) == in_one


def test_a_share_killed_mid_batch_leaves_no_position_and_the_next_start_folds_it_all(
    settings: Settings, tmp_path: Path
) -> None:
    events = write_demo(settings, times=3)
    assert rebuild(settings, processes=1) == events
    in_one = views(settings)

    died = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.scripts.die_mid_batch",
            settings.database,
            "board",
            "40",
            "2/2",
        ],
        capture_output=True,
        timeout=60,
    )
    assert died.returncode == -signal.SIGKILL, died.stderr

    store = open_store(settings)
    board = store.projector.projection("board")
    assert board.view.max_tracking_id(store.projector.tracking_name(board)) is None
    assert store.follower.catch_up() == events  # from scratch: the shares' rows are dropped
    assert timeline_entries(store) == events
    store.close()
    assert views(settings) == in_one
