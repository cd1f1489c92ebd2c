"""The enums of the design brief: one name per concept, everywhere."""

from enum import Enum


class Kind(Enum):
    COMPLAINT = "complaint"
    INQUIRY = "inquiry"
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    CRISIS = "crisis"


class Channel(Enum):
    HOTLINE = "hotline"
    WEB = "web"
    EMAIL = "email"
    SOCIAL = "social"
    SMS = "sms"
    WALK_IN = "walk_in"
    MONITORING = "monitoring"


class Severity(Enum):
    """PRC four-level grading; I is the most severe."""

    I = "I"  # noqa: E741 - the grade's own name
    II = "II"
    III = "III"
    IV = "IV"

    @property
    def rank(self) -> int:
        return ("I", "II", "III", "IV").index(self.value)


class Status(Enum):
    REPORTED = "reported"
    VERIFIED = "verified"
    RESPONDING = "responding"
    RESOLVED = "resolved"
    CLOSED = "closed"
    DISMISSED = "dismissed"


class Priority(Enum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class ResponseStatus(Enum):
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"


class Resolution(Enum):
    FIXED = "fixed"
    COMPENSATED = "compensated"
    EXPLAINED = "explained"
    REFERRED = "referred"


class OrderStatus(Enum):
    OPEN = "open"
    COMPLETED = "completed"


class Role(Enum):
    """The role a user acts in; every event records it."""

    LEADERSHIP = "leadership"
    INTAKE = "intake"
    RESPONDER = "responder"
    LOGISTICS = "logistics"
    SPOKESPERSON = "spokesperson"
    AUDITOR = "auditor"
    ADMIN = "admin"


ALL_ENUMS: tuple[type[Enum], ...] = (
    Kind,
    Channel,
    Severity,
    Status,
    Priority,
    ResponseStatus,
    Resolution,
    OrderStatus,
    Role,
)
