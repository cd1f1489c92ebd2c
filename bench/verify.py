"""How fast `icc verify` recomputes the hash chain over a realistic log.

Uses the cached log of bench/histories.py (built once under /tmp/icc-bench; a
log from before the chain existed is chained when the store opens, outside
the timing), then verifies it, best of 3.

Run: .venv/bin/python bench/verify.py [EVENTS]   (default 1,000,000)
"""

import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import open_store  # noqa: E402
from app.chain import verify  # noqa: E402
from app.config import Settings  # noqa: E402
from bench.histories import cached_log  # noqa: E402

ROUNDS = 3


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    store = open_store(Settings(database=str(cached_log(events))))
    gc.freeze()
    best = 0.0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        verdict = verify(store.incidents.recorder)
        seconds = time.perf_counter() - started
        assert verdict.intact, verdict
        best = max(best, verdict.checked / seconds)
    store.close()
    print(f"verified {verdict.checked:,} events: {best:,.0f} events/s (best of {ROUNDS})")
    print(f"head {verdict.head.hex()}")


if __name__ == "__main__":
    main()
