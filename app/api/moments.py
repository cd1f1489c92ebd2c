"""Times given in a query string."""

import re
from datetime import UTC, date, datetime

from domain.errors import Invalid

# A `+08:00` left unescaped in a URL arrives as a space.
UNESCAPED_PLUS = re.compile(r" (\d\d:?\d\d)$")


def moment(text: str, name: str = "at") -> datetime:
    """An ISO time with its zone."""
    try:
        value = datetime.fromisoformat(UNESCAPED_PLUS.sub(r"+\1", text.strip()))
    except ValueError:
        raise Invalid(
            f"bad_{name}", f"{name} must be an ISO time, e.g. 2026-11-26T08:00:00+08:00"
        ) from None
    if value.tzinfo is None:
        raise Invalid(f"{name}_without_zone", f"{name} must carry a time zone, e.g. +08:00 or Z")
    return value


def day_or_moment(text: str, name: str) -> datetime:
    """A day (its midnight, UTC) or an ISO time with its zone."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return moment(text, name)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
