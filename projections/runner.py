"""Feeds the notification log to the views, in batches, exactly once.

The library's `ProjectionRunner` needs a subscription, which SQLite lacks, and
hands its projection one event per transaction. This runner reads a batch of
the log once, decodes each event once, and gives every projection the events
past its own tracked position; the projection writes its view and its new
position in one transaction. A crash anywhere loses the open transaction only,
and the next run resumes from each view's tracked position.
"""

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from domain.event import IncidentEvent
from projections.batches import Item
from projections.storage import ViewTables

TView = TypeVar("TView", bound=ViewTables)


class BatchProjection(Projection[TView], abc.ABC):  # type: ignore[type-var]
    """A library `Projection` that can also fold many events in one transaction."""

    # Bumped when the view's tables or fold change: a new version starts from scratch.
    version: int = 1

    @abc.abstractmethod
    def process_batch(
        self, items: Sequence[Item], tracking: Tracking, since: int | None = None
    ) -> Any:
        """Fold `items` (in log order) and record `tracking` in the same transaction;
        with `since`, only if the view is still at that position."""

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.process_batch([(tracking.notification_id, domain_event)], tracking)


# Told of each view's committed batch: the view's name, its events, what it answered.
Folded = Callable[[str, Sequence[Item], Any], None]


@dataclass(frozen=True)
class Share:
    """One of `count` disjoint shares of the incidents: all of an incident's events
    fall in the same share, so shares can be folded side by side (a parallel
    rebuild), each with tracking rows of its own."""

    index: int
    count: int

    def holds(self, incident_id: UUID | str) -> bool:
        number = incident_id.int if isinstance(incident_id, UUID) else UUID(incident_id).int
        return number % self.count == self.index

    @property
    def suffix(self) -> str:
        return f"/share-{self.index + 1}-of-{self.count}"


@dataclass
class Batch:
    read: int  # notifications read from the log
    items: list[Item]
    # What each projection's `process_batch` answered, by projection name.
    results: dict[str, Any] = field(default_factory=dict)


class Projector:
    def __init__(
        self,
        app: Application[Any],
        projections: Sequence[BatchProjection[Any]],
        share: Share | None = None,
    ):
        self.app = app
        self.projections = list(projections)
        self.share = share
        self.positions = {p.name: 0 for p in self.projections}

    def tracking_name(self, projection: BatchProjection[Any]) -> str:
        own = f"{self.app.name}.{projection.name}@{projection.version}"
        return own + self.share.suffix if self.share else own

    def sharing(self, share: Share) -> "Projector":
        """The same views, folding only `share` of the incidents, from the start."""
        return Projector(self.app, self.projections, share)

    def projection(self, name: str) -> BatchProjection[Any]:
        return next(p for p in self.projections if p.name == name)

    @property
    def position(self) -> int:
        """Every view reflects the log up to here."""
        return min(self.positions.values(), default=0)

    def resume(self) -> None:
        """Read each view's position; a view with none (new, or a new version) starts clean."""
        for projection in self.projections:
            name = self.tracking_name(projection)
            position = projection.view.max_tracking_id(name) or 0
            if position == 0:
                projection.view.clear(name)
            self.positions[projection.name] = position

    def clear(self) -> None:
        """Forget every view, so the next steps rebuild them all from the log."""
        for projection in self.projections:
            projection.view.clear(self.tracking_name(projection))
            self.positions[projection.name] = 0

    def step(self, limit: int, stop: int | None = None, folded: Folded | None = None) -> Batch:
        """Fold up to `limit` more events of the log (up to position `stop`, if given)
        into every view that lacks them; `folded` hears of each view's batch once it
        is committed, with the events that view folded and what it answered."""
        start = self.position
        notifications = self.app.recorder.select_notifications(
            start=start, limit=limit, stop=stop, inclusive_of_start=False
        )
        if not notifications:
            return Batch(0, [])
        items: list[Item] = []
        for notification in notifications:
            if self.share and not self.share.holds(notification.originator_id):
                continue  # another share's: not even decoded
            event = self.app.mapper.to_domain_event(notification)
            if isinstance(event, IncidentEvent):
                items.append((notification.id, event))
        last = notifications[-1].id
        batch = Batch(len(notifications), items)
        for projection in self.projections:
            own = self.positions[projection.name]
            if own >= last:
                continue
            mine = items if own == start else [item for item in items if item[0] > own]
            tracking = Tracking(self.tracking_name(projection), last)
            result = projection.process_batch(mine, tracking, since=own)
            batch.results[projection.name] = result
            self.positions[projection.name] = last
            if folded:
                folded(projection.name, mine, result)
        return batch

    def catch_up(self, limit: int, stop: int | None = None) -> int:
        """Fold everything not yet folded (up to `stop`); returns how many events were read."""
        total = 0
        while read := self.step(limit, stop).read:
            total += read
        return total

    def adopt(self, shares: int, position: int) -> None:
        """After every one of `shares` shares has folded the log up to `position`: make
        that the views' own position and forget the shares', one transaction per view."""
        for projection in self.projections:
            projection.view.adopt(self.tracking_name(projection), position)
            self.positions[projection.name] = position
