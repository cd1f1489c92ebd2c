"""The sockets: `/ws/board` and `/ws/incidents/{id}`.

Each sends a snapshot first (or, with `?after=p`, the events after `p`), then
one message per event in log order, each event once. A quiet socket gets a
heartbeat so the client can tell a dead server from a calm night; the server
tells a dead client by the protocol's ping (`icc serve` sets the interval).
"""

import asyncio
import contextlib
import logging
from uuid import UUID

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from app.auth import identify
from app.jsonio import dumps
from app.live.hub import Resync, Subscriber
from app.live.streams import IncidentStream, Opening, Stream
from app.services import Services
from domain.errors import NotFound

log = logging.getLogger(__name__)
router = APIRouter()

POLICY_VIOLATION = 1008
INTERNAL_ERROR = 1011
NOT_FOUND = 4404
BAD_REQUEST = 4400


@router.websocket("/ws/board")
async def board_socket(socket: WebSocket, after: str | None = None) -> None:
    if identify(socket) is None:
        await socket.close(code=POLICY_VIOLATION, reason="a valid token is required")
        return
    svc: Services = socket.app.state.services
    await _serve(socket, Stream(svc, svc.heartbeat), after)


@router.websocket("/ws/incidents/{incident_id}")
async def incident_socket(socket: WebSocket, incident_id: str, after: str | None = None) -> None:
    user = identify(socket)
    if user is None:
        await socket.close(code=POLICY_VIOLATION, reason="a valid token is required")
        return
    svc: Services = socket.app.state.services
    try:
        wanted = UUID(incident_id)
    except ValueError:
        await _refuse(socket, BAD_REQUEST, "not an incident id")
        return
    if not await anyio.to_thread.run_sync(svc.incidents.exists, wanted):
        await _refuse(socket, NOT_FOUND, f"no incident {wanted}")
        return
    await _serve(socket, IncidentStream(svc, svc.heartbeat, wanted, user.role), after)


async def _refuse(socket: WebSocket, code: int, reason: str) -> None:
    """Accept, then close with our code: a browser is told a code only on an open
    socket (refused during the handshake, it sees 1006 and cannot tell why)."""
    await socket.accept()
    await socket.close(code=code, reason=reason)


async def _serve(socket: WebSocket, stream: Stream, after: str | None) -> None:
    resume_from = _position(after)
    if after is not None and resume_from is None:
        await _refuse(socket, BAD_REQUEST, "after must be a log position (an integer)")
        return
    svc = stream.svc
    await socket.accept()
    # Subscribe before the opening is read: every event it misses is queued.
    subscriber = svc.hub.subscribe(stream.incident_id)
    try:
        async with anyio.create_task_group() as tasks:

            async def feed() -> None:
                try:
                    await _feed(socket, stream, subscriber, resume_from)
                except WebSocketDisconnect:
                    pass  # the client left mid-send; `listen` sees it too
                except NotFound:
                    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                        await socket.close(code=NOT_FOUND, reason="the incident is gone")
                except Exception:
                    # The feed broke: close, so the client reconnects for a fresh
                    # snapshot, rather than keep a socket that silently stopped.
                    log.exception("socket feed failed")
                    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                        await socket.close(code=INTERNAL_ERROR, reason="feed failed; reconnect")
                tasks.cancel_scope.cancel()

            async def listen() -> None:
                await _drain_incoming(socket)
                tasks.cancel_scope.cancel()

            tasks.start_soon(feed)
            tasks.start_soon(listen)
    finally:
        svc.hub.unsubscribe(subscriber)


async def _feed(
    socket: WebSocket, stream: Stream, subscriber: Subscriber, after: int | None
) -> None:
    opening = None
    if after is not None:
        opening = await anyio.to_thread.run_sync(stream.resume, after)
        if opening is None:  # too far back, or not a position this log has passed
            await socket.send_text(dumps({"type": "resync", "reason": "cannot_resume"}).decode())
    if opening is None:
        opening = await anyio.to_thread.run_sync(stream.snapshot)
    await _send_all(socket, opening)
    while True:
        try:
            async with asyncio.timeout(stream.heartbeat):
                item = await subscriber.queue.get()
        except TimeoutError:
            await socket.send_text(_heartbeat(stream, opening))
            continue
        if isinstance(item, Resync):
            await socket.send_text(dumps({"type": "resync", "reason": "too_slow"}).decode())
            opening = await anyio.to_thread.run_sync(stream.snapshot)
            await _send_all(socket, opening)
        elif not opening.covers(item):
            await socket.send_text(item.text)
            opening.advance(item)


async def _send_all(socket: WebSocket, opening: Opening) -> None:
    for text in opening.texts:
        await socket.send_text(text)


def _heartbeat(stream: Stream, opening: Opening) -> str:
    body = {"type": "heartbeat", "position": opening.position, "stale": stream.svc.follower.stale}
    return dumps(body).decode()


def _position(after: str | None) -> int | None:
    if after is None or not (after.isascii() and after.isdigit()):
        return None
    return int(after)


async def _drain_incoming(socket: WebSocket) -> None:
    """Read until the client goes away; clients send nothing we act on."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await socket.receive_text()
