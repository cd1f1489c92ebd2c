"""The socket side of bench/fanout.py: one process holding many /ws/board sockets.

Every socket notes when each event position reaches it, on CLOCK_MONOTONIC:
on Linux one clock for every process, so the parent compares these times with
its own HTTP acknowledgements.

The parent talks to `run_clients` through a pipe:
  child  -> ("ready", opened, refusals)  once every socket has its snapshot
  parent -> (positions, seconds)         after the last command
  child  -> ([Seen, ...], cpu seconds)   once every socket has every position,
                                         or after `seconds`
"""

import asyncio
import resource
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed


def now() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def raise_open_files_limit() -> None:
    """A socket is a file: lift the soft limit to the hard one."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


@dataclass
class Seen:
    """What one socket received."""

    arrivals: dict[int, float] = field(default_factory=dict)  # position -> monotonic time
    resyncs: int = 0
    closed: str | None = None  # why the socket ended before we closed it


def run_clients(
    pipe: Connection, url: str, token: str, count: int, batch: int, compression: bool
) -> None:
    raise_open_files_limit()
    asyncio.run(_clients(pipe, url, token, count, batch, compression))


async def _clients(
    pipe: Connection, url: str, token: str, count: int, batch: int, compression: bool
) -> None:
    sockets: list[ClientConnection] = []
    refusals: list[str] = []
    for start in range(0, count, batch):
        opening = [_open(url, token, compression) for _ in range(min(batch, count - start))]
        for result in await asyncio.gather(*opening, return_exceptions=True):
            if isinstance(result, BaseException):
                refusals.append(repr(result))
            else:
                sockets.append(result)
    seen = [Seen() for _ in sockets]
    readers = [asyncio.create_task(_read(s, w)) for s, w in zip(sockets, seen, strict=True)]
    cpu_ready = time.process_time()
    pipe.send(("ready", len(sockets), refusals))

    # The parent's next word comes after its last command: wait for it in a thread.
    positions, seconds = await asyncio.to_thread(pipe.recv)
    deadline = now() + seconds
    while now() < deadline and not all(w.closed or w.arrivals.keys() >= positions for w in seen):
        await asyncio.sleep(0.05)
    cpu = time.process_time() - cpu_ready

    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
    pipe.send((seen, cpu))


async def _open(url: str, token: str, compression: bool) -> ClientConnection:
    socket = await connect(
        url,
        additional_headers={"Authorization": f"Bearer {token}"},
        compression="deflate" if compression else None,
        max_size=None,  # a snapshot of a full board can pass the default 1 MiB
        open_timeout=60,
    )
    first = orjson.loads(await socket.recv())
    if first.get("type") != "snapshot":
        await socket.close()
        raise RuntimeError(f"expected a snapshot first, got {first.get('type')!r}")
    return socket


async def _read(socket: ClientConnection, seen: Seen) -> None:
    try:
        async for raw in socket:
            at = now()
            message = orjson.loads(raw)
            kind = message.get("type")
            if kind == "event":
                seen.arrivals.setdefault(message["position"], at)
            elif kind == "resync":
                seen.resyncs += 1
            # `row` (the clock's), `heartbeat` and the snapshot after a resync: not deliveries.
    except ConnectionClosed:
        pass
    seen.closed = f"closed: code {socket.close_code} {socket.close_reason!r}"
