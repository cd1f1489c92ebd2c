"""Domain errors, each with a stable code; the HTTP status lives in app/errors.py."""


class DomainError(Exception):
    """A command the domain refuses. `code` is stable and machine-readable."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class RuleBroken(DomainError):
    """The command breaks a rule of the lifecycle."""


class NotFound(DomainError):
    """The command names an entity (an order, say) the incident does not have."""


class Invalid(DomainError):
    """The command's values make no sense in context (a deadline already past, say)."""
