"""Command requests that are plainly well-formed skip FastAPI's per-request
machinery: the same route functions, called directly.

Under load FastAPI's generic work per request (matching every route, solving
dependencies, parsing JSON then validating it field by field, the middleware
layers) cost more CPU than the command itself. For a POST that matches a
command route, carries a known token with the right role and a body its model
accepts, this calls the route's own function with the parsed path ids, the
validated body and the caller's `Commanding`, and formats a refusal with the
app's own error handlers. Anything else (no token, a wrong role, a bad body or
header) goes on to FastAPI with its body intact, which answers as it always
has: one set of routes, rules and error messages.
"""

import re
import typing
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.params import Depends
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.commanding import CommandAccess, Commanding
from app.errors import domain_error_response
from domain.errors import DomainError


@dataclass(frozen=True)
class _CommandRoute:
    path: re.Pattern[str]
    endpoint: Callable[..., Awaitable[Any]]
    ids: tuple[str, ...]  # path parameters, each a UUID
    body: tuple[str, type[BaseModel]] | None  # its name and model, if it takes one
    cmd_name: str
    access: CommandAccess


class CommandFastPath:
    def __init__(self, app: ASGIApp, routers: Sequence[APIRouter]) -> None:
        self.app = app
        self.routes = [r for router in routers for r in _command_routes(router.routes)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        found = self._match(scope["path"])
        if found is None:
            await self.app(scope, receive, send)
            return
        route, ids = found
        body = await _read_body(receive)
        request = Request(scope, _replay(body, receive))
        arguments = await self._arguments(route, ids, body, request)
        if arguments is None:  # not plainly well-formed: FastAPI answers, as ever
            await self.app(scope, _replay(body, receive), send)
            return
        try:
            response = await route.endpoint(**arguments)
        except DomainError as error:
            response = domain_error_response(error)
        await response(scope, receive, send)

    def _match(self, path: str) -> tuple[_CommandRoute, dict[str, str]] | None:
        for route in self.routes:
            matched = route.path.match(path)
            if matched:
                return route, matched.groupdict()
        return None

    async def _arguments(
        self, route: _CommandRoute, ids: dict[str, str], body: bytes, request: Request
    ) -> dict[str, Any] | None:
        if not _is_json(request.headers.get("content-type")):
            return None
        try:
            arguments: dict[str, Any] = {name: _uuid(ids[name]) for name in route.ids}
            if route.body is not None:
                name, model = route.body
                arguments[name] = model.model_validate_json(body)
            headers = request.headers
            cmd: Commanding = await route.access(
                request,
                request.app.state.services,
                if_match=headers.get("if-match"),
                idempotency_key=headers.get("idempotency-key"),
            )
        except (ValueError, ValidationError, DomainError):
            return None
        return {**arguments, route.cmd_name: cmd}


def _uuid(text: str) -> UUID:
    """Only the forms the route's own validation accepts (not `{...}` or `urn:`)."""
    if len(text) not in (32, 36):
        raise ValueError(text)
    return UUID(text)


def _is_json(content_type: str | None) -> bool:
    """As FastAPI reads a body as JSON: no type given, or an application/...json one."""
    if content_type is None:
        return True
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def _command_routes(routes: Sequence[BaseRoute]) -> Iterator[_CommandRoute]:
    """Every POST route whose function takes a `Commanding`, its ids and a body."""
    for route in routes:
        if not isinstance(route, APIRoute) or "POST" not in (route.methods or ()):
            continue
        hints = typing.get_type_hints(route.endpoint, include_extras=True)
        hints.pop("return", None)
        ids, body, access = [], None, None
        for name, hint in hints.items():
            if hint is UUID:
                ids.append(name)
            elif isinstance(hint, type) and issubclass(hint, BaseModel):
                body = (name, hint)
            elif typing.get_origin(hint) is typing.Annotated:
                marker = next((m for m in hint.__metadata__ if isinstance(m, Depends)), None)
                if marker is not None and isinstance(marker.dependency, CommandAccess):
                    access = (name, marker.dependency)
        if access is None or len(ids) + (body is not None) + 1 != len(hints):
            continue
        yield _CommandRoute(route.path_regex, route.endpoint, tuple(ids), body, *access)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body already read, then the client's own messages."""
    sent = False

    async def replaying() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replaying
