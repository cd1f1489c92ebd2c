"""Run the views over the log and die (SIGKILL, no clean-up) in the middle of a
batch, inside one view's open write transaction: at the Nth call of a function
that view calls while writing.

Usage: python -m tests.scripts.die_mid_batch DATABASE VIEW N [SHARE]
  VIEW: board|timeline|figures|work; SHARE: "1/2" folds only that share of the
  incidents, as one process of a parallel rebuild does.
"""

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

import projections.board_view
import projections.figures_view
import projections.timeline_view
import projections.work_view
from app.bootstrap import open_store
from app.config import Settings
from projections.runner import Share

# A function each view calls per row while its write transaction is open.
FOLDS = {
    "board": (projections.board_view, "_watched"),
    "timeline": (projections.timeline_view, "_extended"),
    "figures": (projections.figures_view, "_stored"),
    "work": (projections.work_view, "_stored"),
}


def dying_at(n: int, original: Callable[..., Any]) -> Callable[..., Any]:
    calls = 0

    def fold(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args)

    return fold


def main(database: str, view: str, n: int, share: str | None) -> None:
    module, name = FOLDS[view]
    setattr(module, name, dying_at(n, getattr(module, name)))
    store = open_store(Settings(database=database))
    if share is None:
        store.follower.rebuild()
    else:
        index, count = map(int, share.split("/"))
        store.projector.clear()
        projector = store.projector.sharing(Share(index - 1, count))
        projector.catch_up(store.follower.rebuild_batch)
    sys.exit("the view was folded to the end without dying")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
