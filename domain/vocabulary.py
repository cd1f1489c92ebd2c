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
    REVIEWED = "reviewed"
    DISMISSED = "dismissed"


class DismissReason(Enum):
    RUMOUR = "rumour"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


class CommandRole(Enum):
    """A post in the incident's command structure (not a user's login role)."""

    COMMANDER = "commander"
    DEPUTY = "deputy"
    CUSTOMER_SERVICE = "customer_service"
    SPOKESPERSON = "spokesperson"
    LOGISTICS = "logistics"
    EVALUATION = "evaluation"
    TECHNICAL = "technical"
    LEGAL = "legal"


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
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Resource(Enum):
    PERSONNEL = "personnel"
    EQUIPMENT = "equipment"
    SUPPLIES = "supplies"
    VEHICLES = "vehicles"
    TECHNICAL_SUPPORT = "technical_support"
    COMPENSATION_GOODS = "compensation_goods"

    @property
    def is_consumed(self) -> bool:
        """Supplies and compensation goods are used up on delivery; the rest come back."""
        return self in (Resource.SUPPLIES, Resource.COMPENSATION_GOODS)


class LogisticsStatus(Enum):
    REQUESTED = "requested"
    ALLOCATED = "allocated"
    DELIVERED = "delivered"
    RETURNED = "returned"
    DECLINED = "declined"


class StatementChannel(Enum):
    OFFICIAL_ACCOUNT = "official_account"
    HOTLINE_IVR = "hotline_ivr"
    SMS = "sms"
    WEBSITE = "website"
    COMMUNITY_NOTICE = "community_notice"


class ContactChannel(Enum):
    """How the customer is told the result or called back."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    WECHAT = "wechat"
    LETTER = "letter"
    IN_PERSON = "in_person"


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
    DismissReason,
    CommandRole,
    Priority,
    ResponseStatus,
    Resolution,
    OrderStatus,
    Resource,
    LogisticsStatus,
    StatementChannel,
    ContactChannel,
    Role,
)
