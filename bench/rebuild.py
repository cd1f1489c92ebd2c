"""Rebuilding every view from the log, next to merely reading and decoding it.

Builds (once, cached under /tmp/icc-bench) a SQLite log of realistic incident
histories, then in the same run alternates: read + decode the whole log the
way the views' runner does; rebuild every view in one process; and rebuild
them as `icc rebuild` does, in one process per CPU folding a share each.

Run: .venv/bin/python bench/rebuild.py [EVENTS]   (default 1,000,000)
"""

import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import Store, open_store  # noqa: E402
from app.config import Settings  # noqa: E402
from app.rebuild import rebuild  # noqa: E402
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


def rebuild_in_one_process(store: Store, batch: int) -> int:
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
    settings = Settings(database=str(log))
    processes = min(os.cpu_count() or 1, 4)
    store = open_store(settings)
    gc.freeze()  # as `icc rebuild` and `icc serve` do
    batch = store.follower.rebuild_batch
    rates: dict[str, list[float]] = {"raw": [], "one": [], "shared": []}
    for _ in range(ROUNDS):
        count, seconds = timed(read_and_decode, store, batch)
        rates["raw"].append(count / seconds)
        count, seconds = timed(rebuild_in_one_process, store, batch)
        rates["one"].append(count / seconds)
        count, seconds = timed(rebuild, settings, processes)
        rates["shared"].append(count / seconds)
    store.close()
    raw, one, shared = (max(rates[k]) for k in ("raw", "one", "shared"))
    print(f"log: {count:,} events in {log}  (best of {ROUNDS} rounds, events/s)")
    print(f"read + decode                        {raw:>10,.0f}")
    print(f"rebuild all views, 1 process         {one:>10,.0f}   ({one / raw:.2f} of raw)")
    label = f"rebuild all views, {processes} processes"
    print(f"{label:<37}{shared:>10,.0f}   ({shared / raw:.2f} of raw)")


if __name__ == "__main__":
    main()
