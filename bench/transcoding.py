"""Stored-event encoding: the library's JSON transcoder against ours (orjson, types kept).

Prints events/s for encoding and decoding realistic incident events both ways,
in the same run. Run: .venv/bin/python bench/transcoding.py [N]
"""

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from eventsourcing.persistence import JSONTranscoder, Mapper

from app.application import IncidentApp
from app.personal_data import PersonalKeys
from app.small_tables import SQLiteTables
from app.transcoding import OrjsonTranscoder
from domain.actor import Actor
from domain.contact import Reporter
from domain.event import IncidentEvent
from domain.incident import Incident
from domain.vocabulary import Channel, Kind, Priority, ResponseStatus, Role, Severity


def history(n: int) -> list[IncidentEvent]:
    """n events from water-crisis-like histories."""
    events: list[IncidentEvent] = []
    at = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    by = Actor("王主任", Role.LEADERSHIP)
    while len(events) < n:
        incident = Incident.report(
            incident_id=uuid4(),
            at=at,
            by=by,
            kind=Kind.COMPLAINT,
            channel=Channel.HOTLINE,
            category="供水水质",
            title="阳光花园小区：自来水发黄，有明显异味",
            description="来电人反映：自来水发黄，有明显异味，水压低。",
            location="阳光花园小区 5栋",
            reporter=Reporter(uuid4(), "张桂英", "13812345678", ""),
            received_at=None,
        )
        incident.verify(at=at, by=by, note="回拨来电人，确认水质异常")
        incident.classify(
            at=at,
            by=by,
            severity=Severity.III,
            scope="约2000户",
            risk="健康",
            rationale="影响约2000户，存在健康风险",
        )
        for _ in range(3):
            incident.issue_order(
                at=at,
                by=by,
                order_id=uuid4(),
                assignee="市水质检测中心",
                instruction="在五个点位取样检测",
                priority=Priority.URGENT,
                deadline=at + timedelta(hours=2),
            )
            incident.post_response(
                at=at,
                by=by,
                note="检测人员已到达现场",
                status=ResponseStatus.ON_SCENE,
                customer_contacted=False,
                occurred_at=at,
            )
        events.extend(incident.collect_events())  # type: ignore[arg-type]
    return events[:n]


def mapper_with(transcoder: JSONTranscoder) -> Mapper:
    """A mapper with the same transcodings the application registers."""
    keys = PersonalKeys(SQLiteTables(Path(tempfile.mkdtemp()) / "keys.db"), os.urandom(32))
    app = IncidentApp({"PERSISTENCE_MODULE": "eventsourcing.popo"}, keys=keys)
    app.register_transcodings(transcoder)
    return Mapper(transcoder=transcoder)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    rounds = 5
    events = history(n)
    mappers = {
        "library JSONTranscoder": mapper_with(JSONTranscoder()),
        "orjson, types kept (ours)": mapper_with(OrjsonTranscoder()),
    }
    # A first pass makes each reporter's key, as the report that stores it would.
    stored = {label: [m.to_stored_event(e) for e in events] for label, m in mappers.items()}
    best: dict[tuple[str, str], float] = {}
    for _ in range(rounds):  # alternate, so that a noisy moment hurts both sides alike
        for label, mapper in mappers.items():
            for op, work in (
                ("encode", lambda m=mapper: [m.to_stored_event(e) for e in events]),
                ("decode", lambda m=mapper, s=stored[label]: [m.to_domain_event(x) for x in s]),
            ):
                started = time.perf_counter()
                work()
                elapsed = time.perf_counter() - started
                best[label, op] = min(best.get((label, op), elapsed), elapsed)
    print(f"{n} events, best of {rounds} alternating rounds, events/s")
    print(f"{'transcoder':<28}{'encode':>12}{'decode':>12}")
    for label in mappers:
        encode, decode = best[label, "encode"], best[label, "decode"]
        print(f"{label:<28}{n / encode:>12,.0f}{n / decode:>12,.0f}")


if __name__ == "__main__":
    main()
