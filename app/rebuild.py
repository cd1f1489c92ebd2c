"""`icc rebuild`: every view from scratch, folded by several processes at once.

Each process reads the whole log but decodes and folds only its share of the
incidents (all of an incident's events fall in one share), writing the views
with tracking rows of its own share. Once every share has folded the log up
to the same position, one transaction per view makes that position the view's
own and forgets the shares'; whatever was written meanwhile is then folded as
usual. A rebuild that dies leaves the views no position of their own, so the
next start (or rebuild) folds them from scratch: nothing counts twice.
"""

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from app.bootstrap import open_store
from app.config import Settings
from projections.runner import Share


def rebuild(settings: Settings, processes: int) -> int:
    """Every view from the whole log; returns how many events that was."""
    store = open_store(settings)
    try:
        store.projector.clear()
        stop = store.incidents.recorder.max_notification_id() or 0
        if processes > 1 and stop:
            # Spawned, not forked: a fresh process shares no connection with this one.
            # A share that dies raises here (BrokenProcessPool) rather than hanging.
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(processes, mp_context=spawn) as pool:
                shares = [
                    pool.submit(fold_share, settings, i, processes, stop) for i in range(processes)
                ]
                for share in shares:
                    share.result()
            store.projector.adopt(processes, stop)
            return stop + store.follower.catch_up()  # and what came meanwhile
        return store.follower.catch_up()
    finally:
        store.close()


def fold_share(settings: Settings, index: int, count: int, stop: int) -> None:
    """One process's part: its share of the incidents, up to `stop`."""
    store = open_store(settings, create_tables=False)  # the first process made them
    gc.freeze()  # what is loaded by now lives as long as the process
    try:
        projector = store.projector.sharing(Share(index, count))
        projector.catch_up(store.follower.rebuild_batch, stop)
    finally:
        store.close()
