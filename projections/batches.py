"""What every view's batch needs: the items it folds and loading the rows they touch."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from domain.event import IncidentEvent
from domain.incident import Reported

# One event of the log with its position.
Item = tuple[int, IncidentEvent]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)

# Ids per query: well under every backend's limit on bound parameters.
CHUNK = 500

State = TypeVar("State")


def micros(moment: datetime) -> int:
    """A moment as whole microseconds since the epoch: compares and indexes as an integer."""
    return (moment - EPOCH) // MICROSECOND


def rows_by_incident(
    cursor: Any, sql: Callable[[str], str], select: str, ids: Iterable[UUID]
) -> Iterator[Any]:
    """The rows whose incident_id is in `ids`; `select` has an `{ids}` slot for them."""
    return rows_with_keys(cursor, sql, select, [i.hex for i in ids])


def rows_with_keys(
    cursor: Any, sql: Callable[[str], str], select: str, keys: list[str]
) -> Iterator[Any]:
    """The rows whose key is in `keys`; `select` has an `{ids}` slot for them."""
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        cursor.execute(sql(select.replace("{ids}", ", ".join("?" * len(chunk)))), chunk)
        yield from cursor.fetchall()


def fold_each_incident(
    states: dict[int, State],
    items: Sequence[Item],
    first: Callable[[Reported], State],
    fold: Callable[[State | None, IncidentEvent], bool],
) -> dict[int, State]:
    """Fold each event into its incident's state, in place (a report starts one);
    returns the states the batch changed, by the integer of the incident's id."""
    changed: dict[int, State] = {}
    for _, event in items:
        key = event.originator_id.int
        if isinstance(event, Reported):
            states[key] = first(event)
        elif not fold(states.get(key), event):
            continue
        changed[key] = states[key]
    return changed
