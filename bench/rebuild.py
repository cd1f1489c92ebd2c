"""Rebuilding every view from the log, next to merely reading and decoding it.

Builds (once, cached under /tmp/icc-bench) a SQLite log of realistic incident
histories, then in the same run alternates: read + decode the whole log the
way the views' runner does, and `icc rebuild` (every view from scratch).

Run: .venv/bin/python bench/rebuild.py [EVENTS]   (default 1,000,000)
"""

import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import Store, open_store  # noqa: E402
from app.config import Settings  # noqa: E402
from bench.histories import cached_log  # noqa: E402
from projections.runner import Projector  # noqa: E402

ROUNDS = 3


def read_and_decode(store: Store, batch: int) -> int:
    """What every rebuild must do at least: each event read and decoded once."""
    app, position, count = store.incidents, 0, 0
    while notifications := app.recorder.select_notifications(
        start=position, limit=batch, inclusive_of_start=False
    ):
        for notification in notifications:
            app.mapper.to_domain_event(notification)
        count += len(notifications)
        position = notifications[-1].id
    return count


def rebuild(store: Store, batch: int) -> int:
    projector: Projector = store.projector
    projector.clear()
    return projector.catch_up(batch)


def timed(run: object, *args: object) -> tuple[int, float]:
    started = time.perf_counter()
    count = run(*args)  # type: ignore[operator]
    return count, time.perf_counter() - started


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    log = cached_log(events)
    store = open_store(Settings(database=str(log)))
    gc.freeze()  # as `icc rebuild` and `icc serve` do
    batch = store.follower.rebuild_batch
    raw, built = [], []
    for _ in range(ROUNDS):
        count, seconds = timed(read_and_decode, store, batch)
        raw.append(count / seconds)
        count, seconds = timed(rebuild, store, batch)
        built.append(count / seconds)
    store.close()
    best_raw, best_built = max(raw), max(built)
    print(f"log: {count:,} events in {log}")
    print(f"read + decode      {best_raw:>10,.0f} events/s   (best of {ROUNDS})")
    print(f"rebuild all views  {best_built:>10,.0f} events/s   (best of {ROUNDS})")
    print(f"rebuild / raw      {best_built / best_raw:>10.2f}")


if __name__ == "__main__":
    main()
