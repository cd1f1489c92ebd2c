"""How fast an incident comes back as it stood, on a long incident: replaying
every event, `?version=` (snapshot + the events after it) and `?at=`.

Run: .venv/bin/python bench/history.py [EVENTS]
"""

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from eventsourcing.application import project_aggregate

from app.bootstrap import open_store
from app.config import Settings
from domain import commands
from domain.actor import Actor
from domain.vocabulary import Channel, Kind, ResponseStatus, Role

LEADER = Actor("王主任", Role.LEADERSHIP)
START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def best_ms(work: Callable[[], object], runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Settings(database=str(Path(folder) / "history.db")))
        app = store.incidents
        moments = iter(START + timedelta(minutes=m) for m in range(10 * n))
        app.clock = lambda: next(moments)
        try:
            incident_id: UUID = app.report(
                LEADER,
                kind=Kind.CRISIS,
                channel=Channel.MONITORING,
                category="供电",
                title="变电站故障",
                description="",
                location="城东",
                reporter=None,
                received_at=None,
            ).id
            app.execute(LEADER, incident_id, commands.verify())
            for k in range(n - 2):
                update = commands.post_response(f"第{k}次现场更新", ResponseStatus.IN_PROGRESS)
                app.execute(LEADER, incident_id, update)
            late = n - 10
            moment = START + timedelta(minutes=late - 1, seconds=30)

            def replay_all() -> object:
                return project_aggregate(None, app.events.get(incident_id, lte=late))

            print(f"one incident of {n} events; state at version {late}, best of 20, ms")
            by_version = best_ms(lambda: app.get_incident(incident_id, late))
            by_moment = best_ms(lambda: app.incident_at(incident_id, moment))
            print(f"replay every event          {best_ms(replay_all):8.2f}")
            print(f"?version= (snapshot + tail) {by_version:8.2f}")
            print(f"?at=                        {by_moment:8.2f}")
            assert app.incident_at(incident_id, moment).version == late
        finally:
            store.close()


if __name__ == "__main__":
    main()
