"""What sealing a reporter costs a report: reports/s on a real SQLite store,
with and without personal data, one after another (each one committed).

Run: .venv/bin/python bench/reports.py [N]
"""

import sys
import tempfile
import time
from pathlib import Path

from app.bootstrap import open_store
from app.config import Settings
from domain.actor import Actor
from domain.vocabulary import Channel, Kind, Role

INTAKE = Actor("李客服", Role.INTAKE)
CALLER = {"name": "张桂英", "phone": "13812345678", "email": "zhang@example.cn"}


def reports_per_second(n: int, reporter: dict[str, str] | None) -> float:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Settings(database=str(Path(folder) / "bench.db")))
        try:
            started = time.perf_counter()
            for _ in range(n):
                store.incidents.report(
                    INTAKE,
                    kind=Kind.COMPLAINT,
                    channel=Channel.HOTLINE,
                    category="供水水质",
                    title="自来水发黄，有明显异味",
                    description="来电人反映水发黄、有异味、水压低",
                    location="阳光花园小区 5栋",
                    reporter=reporter,
                    received_at=None,
                )
            return n / (time.perf_counter() - started)
        finally:
            store.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    plain = max(reports_per_second(n, None) for _ in range(3))
    sealed = max(reports_per_second(n, CALLER) for _ in range(3))
    print(f"{n} reports one after another, best of 3, reports/s")
    print(f"without personal data   {plain:>8,.0f}")
    print(f"with a sealed reporter   {sealed:>8,.0f}   ({sealed / plain:.0%} of the rate without)")


if __name__ == "__main__":
    main()
