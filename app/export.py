"""`icc export`: the stored events with their positions and chain links, in a
form others can check without the product (JSON lines or CSV).

Each record carries the event's stored bytes (base64, exactly as stored, so
the link can be recomputed), the link before it and its own link. A full
export is one unbroken chain from the first event; an incident's export is
that incident's events, each checkable against the link before it.
"""

import base64
import csv
import io
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import ApplicationRecorder

from app.chain import GENESIS, chained, notifications

COLUMNS = ("position", "originator_id", "version", "topic", "state", "previous", "link")


def records(
    recorder: ApplicationRecorder, incident: UUID | None = None
) -> Iterator[dict[str, Any]]:
    """Every stored event (or one incident's) in log order, with its links."""
    previous = GENESIS
    links = chained(recorder)
    for event in notifications(recorder):
        position, link = next(links, (None, b""))
        if position != event.id:
            raise ValueError(f"position {event.id} has no link: run icc verify")
        if incident is None or event.originator_id == incident:
            yield {
                "position": event.id,
                "originator_id": UUID(str(event.originator_id)).hex,
                "version": event.originator_version,
                "topic": event.topic,
                "state": base64.b64encode(event.state).decode(),
                "previous": previous.hex(),
                "link": link.hex(),
            }
        previous = link


def as_jsonl(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield orjson.dumps(row).decode() + "\n"


def as_csv(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
