"""Who is asking: a bearer token in the header, or the session cookie of the pages."""

from fastapi import Request
from starlette.requests import HTTPConnection

from app.errors import Forbidden, Unauthenticated
from app.permissions import may_run
from app.users import User, UserStore
from domain.actor import Actor

SESSION_COOKIE = "icc_session"


def token_of(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    # Browsers cannot set headers on a websocket, so sockets may also pass ?token=.
    if connection.scope["type"] == "websocket" and connection.query_params.get("token"):
        return connection.query_params["token"]
    return connection.cookies.get(SESSION_COOKIE)


def identify(connection: HTTPConnection) -> User | None:
    token = token_of(connection)
    if not token:
        return None
    users: UserStore = connection.app.state.services.users
    return users.authenticate(token)


def current_user(request: Request) -> User:
    user = identify(request)
    if user is None:
        raise Unauthenticated()
    return user


def current_actor(request: Request) -> Actor:
    user = current_user(request)
    return Actor(user.name, user.role)


class Allowed:
    """Dependency: the caller may run `command` at all (checked before the body is read)."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __call__(self, request: Request) -> Actor:
        actor = current_actor(request)
        if not may_run(actor.role, self.command):
            raise Forbidden(f"the {actor.role.value} role may not {self.command.replace('_', ' ')}")
        return actor
