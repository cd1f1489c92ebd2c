"""Fans each published event out to every socket, one bounded queue per socket.

A slow socket never holds up the others: when its queue is full it is told to
resynchronise and gets a fresh snapshot, instead of silently missing events.
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

QUEUE_LIMIT = 1000


@dataclass(frozen=True)
class Message:
    position: int
    incident_id: UUID
    text: str  # already JSON: encoded once, sent to every socket
    version: int = 0  # the event's version of its incident (0: not an event)
    # False for what the clock says (an order went overdue): it has no log position.
    in_log: bool = True


class Resync:
    """Queued in place of everything a socket was too slow to take."""


RESYNC = Resync()


class Subscriber:
    """One socket's queue; `incident_id` narrows it to one incident's messages."""

    def __init__(self, limit: int, incident_id: UUID | None = None) -> None:
        self.queue: asyncio.Queue[Message | Resync] = asyncio.Queue(limit)
        self.incident_id = incident_id

    def offer(self, message: Message) -> None:
        if self.incident_id is not None and message.incident_id != self.incident_id:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(RESYNC)


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop, queue_limit: int = QUEUE_LIMIT) -> None:
        self.loop = loop
        self.queue_limit = queue_limit
        self.subscribers: set[Subscriber] = set()

    def publish_threadsafe(self, messages: Sequence[Message]) -> None:
        """Called from the log follower's thread, once per folded batch: one wake-up
        of the loop per batch, not per event."""
        self.loop.call_soon_threadsafe(self.publish_all, messages)

    def publish_all(self, messages: Sequence[Message]) -> None:
        for message in messages:
            self.publish(message)

    def publish(self, message: Message) -> None:
        for subscriber in self.subscribers:
            subscriber.offer(message)

    def subscribe(self, incident_id: UUID | None = None) -> Subscriber:
        subscriber = Subscriber(self.queue_limit, incident_id)
        self.subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)
