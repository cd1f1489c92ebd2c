"""The pen the demo writes with: a clock that replays the past, and cases opened
through the real report use case."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.application import IncidentApp, utc_now
from app.demo.case import Case
from domain.actor import Actor
from domain.vocabulary import Channel, Kind


@dataclass
class ScriptedClock:
    """Starts in the past; each call advances it a little, never past the real time."""

    now: datetime
    step: timedelta = timedelta(seconds=20)

    def __call__(self) -> datetime:
        self.now = min(self.now + self.step, utc_now())
        return self.now

    def skip(self, minutes: float) -> None:
        self.now = min(self.now + timedelta(minutes=minutes), utc_now())

    def resume(self, ago: timedelta) -> None:
        """Move on to `ago` before the real time; the story never goes back."""
        self.now = max(self.now, utc_now() - ago)


def person(name: str, phone: str = "", email: str = "") -> dict[str, str]:
    """A reporter's contact details (personal data, sealed at rest)."""
    return {"name": name, "phone": phone, "email": email}


@dataclass
class Script:
    app: IncidentApp
    clock: ScriptedClock

    def resume(self, *, hours_ago: float = 0, minutes_ago: float = 0) -> None:
        """Jump to a fixed point before now, so phases land at the same hour
        however many commands came before them."""
        self.clock.resume(timedelta(hours=hours_ago, minutes=minutes_ago))

    def later(self, minutes: float) -> None:
        self.clock.skip(minutes)

    def report(
        self,
        by: Actor,
        *,
        kind: Kind,
        channel: Channel,
        category: str,
        title: str,
        description: str = "",
        location: str = "",
        reporter: dict[str, str] | None = None,
        waited_minutes: float = 0,
    ) -> Case:
        """`waited_minutes`: how long the call queued before intake registered it."""
        received_at = self.clock.now - timedelta(minutes=waited_minutes) if waited_minutes else None
        ack = self.app.report(
            by,
            kind=kind,
            channel=channel,
            category=category,
            title=title,
            description=description,
            location=location,
            reporter=reporter,
            received_at=received_at,
        )
        return Case(self.app, ack.id)
