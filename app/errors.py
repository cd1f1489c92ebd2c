"""THE map from errors to HTTP statuses, and the errors only the app raises."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

from app.jsonio import JSONResponse
from domain.errors import DomainError, Invalid, NotFound, RuleBroken


class Unauthenticated(DomainError):
    def __init__(self, detail: str = "a valid bearer token is required") -> None:
        super().__init__("unauthenticated", detail)


class Forbidden(DomainError):
    def __init__(self, detail: str) -> None:
        super().__init__("forbidden", detail)


class StaleVersion(DomainError):
    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            "stale_version", f"If-Match expected version {expected}, the incident is at {actual}"
        )


class IdempotencyKeyReused(DomainError):
    def __init__(self, key: str) -> None:
        super().__init__(
            "idempotency_key_reused",
            f"the Idempotency-Key {key!r} was first sent with a different request",
        )


class BadInput(DomainError):
    """Input the request schema cannot express (a malformed header, say)."""


STATUS_BY_ERROR: dict[type[DomainError], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    RuleBroken: 409,
    StaleVersion: 409,
    IdempotencyKeyReused: 422,
    Invalid: 422,
    BadInput: 400,
}


def status_of(error: DomainError) -> int:
    for error_class in type(error).__mro__:
        if error_class in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[error_class]
    return 400


def error_body(code: str, detail: str, **extra: object) -> dict[str, object]:
    return {"error": code, "detail": detail, **extra}


def domain_error_response(error: DomainError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthenticated) else None
    return JSONResponse(
        error_body(error.code, error.detail), status_code=status_of(error), headers=headers
    )


def install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        return domain_error_response(error)

    @api.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        fields = [
            {
                "field": ".".join(str(part) for part in e["loc"] if part != "body"),
                "message": e["msg"],
            }
            for e in error.errors()
        ]
        detail = "; ".join(f"{f['field'] or 'body'}: {f['message']}" for f in fields)
        return JSONResponse(error_body("invalid_input", detail, fields=fields), status_code=422)
