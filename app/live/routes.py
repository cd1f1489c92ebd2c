"""The board socket: a snapshot first, then one message per event in log order."""

import contextlib
import logging
from typing import Any

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from app.auth import identify
from app.jsonio import dumps
from app.live.hub import Message, Resync, Subscriber
from app.services import Services

log = logging.getLogger(__name__)
router = APIRouter()

POLICY_VIOLATION = 1008
INTERNAL_ERROR = 1011


@router.websocket("/ws/board")
async def board_socket(socket: WebSocket) -> None:
    if identify(socket) is None:
        await socket.close(code=POLICY_VIOLATION, reason="a valid token is required")
        return
    svc: Services = socket.app.state.services
    await socket.accept()
    # Subscribe before reading the snapshot: every event the snapshot misses is queued.
    subscriber = svc.hub.subscribe()
    try:
        async with anyio.create_task_group() as tasks:

            async def feed() -> None:
                try:
                    await _send(socket, svc, subscriber)
                except WebSocketDisconnect:
                    pass  # the client left mid-send; `listen` sees it too
                except Exception:
                    # The feed broke: close, so the client reconnects for a fresh
                    # snapshot, rather than keep a socket that silently stopped.
                    log.exception("board socket feed failed")
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


async def _send(socket: WebSocket, svc: Services, subscriber: Subscriber) -> None:
    position = await _send_snapshot(socket, svc)
    while True:
        item = await subscriber.queue.get()
        if isinstance(item, Resync):
            await socket.send_text(dumps({"type": "resync"}).decode())
            position = await _send_snapshot(socket, svc)
        elif _is_new(item, position):
            await socket.send_text(item.text)
            position = item.position


def _is_new(message: Message, position: int) -> bool:
    """The snapshot (or an earlier message) already covers positions up to `position`."""
    return not message.in_log or message.position > position


async def _send_snapshot(socket: WebSocket, svc: Services) -> int:
    snapshot: dict[str, Any] = await run_in_threadpool(svc.live_board)
    await socket.send_text(dumps({"type": "snapshot", **snapshot}).decode())
    position: int = snapshot["position"]
    return position


async def _drain_incoming(socket: WebSocket) -> None:
    """Read until the client goes away; clients send nothing we act on yet."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await socket.receive_text()
