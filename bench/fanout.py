"""From a command's acknowledgement to its arrival on every one of many board sockets.

Starts `icc serve` (one worker) on a fresh store, opens 1,000 sockets on
/ws/board from two client processes (500 each, 50 at a time, each process an
asyncio loop, so that the clients' work is spread over both cores instead of
queueing in one), waits until every socket has its snapshot, then posts
commands one after another at a steady rate from one HTTP client. For every
(command, socket) pair it takes arrival minus acknowledgement, both on
CLOCK_MONOTONIC (one clock for all processes on Linux), and prints p50/p99/max
over all pairs, per command the time until the last socket had it, and the
deliveries lost. A pair can come out negative: the server may publish an
event before the HTTP answer reaches the client. A socket that falls behind
is told to `resync`: those are counted, and the events it skipped count as
lost. The clients' own work is in the figures (500 sockets share one loop),
and the last line says who used the CPU meanwhile: the server, the clients,
and the whole machine, whose surplus is someone else's (or PostgreSQL's).

Run: .venv/bin/python bench/fanout.py [--sockets 1000] [--commands 200] [--rate 20]
       [--database postgresql://127.0.0.1:5432/test?schema=bench_fanout]
       [--url http://127.0.0.1:8000 --token icc_...]
A PostgreSQL schema is dropped and created afresh. `--url` measures a running
server instead: only this run's commands are timed, other traffic only loads it.
"""

import argparse
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import small_tables  # noqa: E402
from app.config import Settings  # noqa: E402
from app.users import UserStore  # noqa: E402
from bench.socket_clients import (  # noqa: E402
    Seen,
    now,
    raise_open_files_limit,
    run_clients,
)
from domain.vocabulary import Role  # noqa: E402

TARGET_P99_MS = 100
WAIT_FOR_DELIVERIES = 10.0  # seconds after the last command
READY_TIMEOUT = 300.0  # seconds for every socket to be open with its snapshot


def main() -> None:
    args = parse_args()
    raise_open_files_limit()
    with tempfile.TemporaryDirectory(prefix="icc-fanout-") as folder:
        if args.url:
            measure(args, args.url.rstrip("/"), args.token, server=None)
            return
        database = args.database or str(Path(folder) / "incidents.db")
        with serve(database, Path(folder)) as (server, url, token):
            measure(args, url, token, server)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20, help="commands per second")
    parser.add_argument("--processes", type=int, default=2, help="socket client processes")
    parser.add_argument("--batch", type=int, default=50, help="sockets opened at once, per process")
    parser.add_argument(
        "--no-compression",
        dest="compression",
        action="store_false",
        help="do not offer permessage-deflate (browsers offer it, so by default the clients do)",
    )
    parser.add_argument("--database", help="SQLite path or postgresql://...?schema=name")
    parser.add_argument("--url", help="measure this running server instead of starting one")
    parser.add_argument("--token", help="a leadership token, with --url")
    args = parser.parse_args()
    if args.url and not args.token:
        parser.error("--url needs --token")
    return args


@contextmanager
def serve(database: str, folder: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, str]]:
    """`icc serve` on a fresh store, with a leadership user; its output kept in a file."""
    settings = Settings(database=database)
    if settings.is_postgres:
        fresh_schema(settings)
    tables = small_tables(settings)
    token = UserStore(tables).add("bench", Role.LEADERSHIP)
    tables.close()  # before forking: no pool threads behind

    port = free_port()
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
            env={**os.environ, "ICC_DATABASE": database, "ICC_KEY_FILE": str(folder / "key")},
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=raise_open_files_limit,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, url, log_path)
        yield server, url, token
    finally:
        server.terminate()
        server.wait()
        report_server_log(log_path)


def fresh_schema(settings: Settings) -> None:
    address = settings.postgres
    if address.schema == "public":
        raise SystemExit("give the PostgreSQL URL a schema of its own: ?schema=bench_fanout")
    with psycopg.connect(address.dsn, autocommit=True) as admin:
        admin.execute(f'DROP SCHEMA IF EXISTS "{address.schema}" CASCADE')
        admin.execute(f'CREATE SCHEMA "{address.schema}"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(server: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited:\n{log_path.read_text()}")
        try:
            httpx.get(url + "/api/session")
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit("the server did not answer within 60 s")


def report_server_log(log_path: Path) -> None:
    """Anything the server said beyond its routine INFO lines: warnings, and each
    distinct error once, with its count and the end of its first traceback."""
    lines = log_path.read_text(errors="replace").splitlines()
    tracebacks: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    trace: list[str] = []
    for line in lines:
        if line.startswith("Traceback"):
            trace = [line]
        elif trace and line.startswith(" "):
            trace.append(line)
        elif trace:  # the exception's own line ends the traceback
            counts[line] += 1
            tracebacks.setdefault(line, trace[-4:] + [line])
            trace = []
        elif line.strip() and not line.startswith("INFO:"):
            counts[line] += 1
    for line, count in counts.most_common(10):
        print(f"server said {count} times: {line}")
        for step in tracebacks.get(line, [])[:-1]:
            print("    " + step)


def measure(
    args: argparse.Namespace, url: str, token: str, server: subprocess.Popen[bytes] | None
) -> None:
    context = multiprocessing.get_context("spawn")
    ws_url = url.replace("http", "ws", 1) + "/ws/board"
    pipes, processes = [], []
    for share in split(args.sockets, args.processes):
        ours, theirs = context.Pipe()
        process = context.Process(
            target=run_clients,
            args=(theirs, ws_url, token, share, args.batch, args.compression),
            daemon=True,
        )
        process.start()
        theirs.close()  # so that a client that dies shows as the end of its pipe
        pipes.append(ours)
        processes.append(process)

    opening = time.monotonic()
    opened, refusals = 0, []
    for pipe in pipes:
        if not pipe.poll(READY_TIMEOUT):
            raise SystemExit(f"the sockets were not all open within {READY_TIMEOUT:.0f} s")
        _, count, refused = pipe.recv()
        opened += count
        refusals += refused
    print(
        f"{opened} sockets open with their snapshot in {time.monotonic() - opening:.1f} s"
        + (f"; {len(refusals)} refused, e.g. {refusals[0][:300]}" if refusals else "")
    )
    if not opened:
        raise SystemExit(1)

    server_cpu = cpu_seconds(server.pid) if server else 0.0
    machine_cpu, own_cpu = busy_seconds(), time.process_time()
    started = now()
    acks = post_commands(url, token, args.commands, args.rate)
    posting = now() - started
    for pipe in pipes:
        pipe.send((set(acks), WAIT_FOR_DELIVERIES))
    seen: list[Seen] = []
    client_cpu = 0.0
    for pipe in pipes:
        if not pipe.poll(WAIT_FOR_DELIVERIES + 60):
            raise SystemExit("a socket client process did not report back")
        theirs_seen, cpu = pipe.recv()
        seen += theirs_seen
        client_cpu += cpu
    wall = now() - started
    if server:
        server_cpu = cpu_seconds(server.pid) - server_cpu
    machine_cpu, own_cpu = busy_seconds() - machine_cpu, time.process_time() - own_cpu
    for process in processes:
        process.join()

    summarise(args, acks, seen)
    print(
        f"{len(acks)} commands posted in {posting:.1f} s; CPU from the first command until "
        f"delivered ({wall:.1f} s wall, {os.cpu_count()} cores): "
        + (f"server {server_cpu:.1f} s, " if server else "")
        + f"socket clients {client_cpu:.1f} s, this process {own_cpu:.1f} s, "
        f"the whole machine {machine_cpu:.1f} s"
    )


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def post_commands(url: str, token: str, count: int, rate: float) -> dict[int, float]:
    """Paced from the start time, so a slow answer is not followed by a pause too."""
    acks: dict[int, float] = {}
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        start = now()
        for n in range(count):
            time.sleep(max(0.0, start + n / rate - now()))
            answer = client.post(
                "/api/incidents",
                json={
                    "kind": "crisis",
                    "channel": "monitoring",
                    "category": "供电",
                    "title": f"城东变电站故障 #{n + 1}",
                },
            )
            at = now()
            answer.raise_for_status()
            acks[answer.json()["position"]] = at
    return acks


def summarise(args: argparse.Namespace, acks: dict[int, float], seen: list[Seen]) -> None:
    delays: list[float] = []  # every (command, socket) pair that arrived
    lasts: list[float] = []  # per command: until the last socket had it
    lost = 0
    for position, ack in acks.items():
        arrived = [s.arrivals[position] - ack for s in seen if position in s.arrivals]
        lost += len(seen) - len(arrived)
        delays += arrived
        if arrived:
            lasts.append(max(arrived))
    resyncs = sum(s.resyncs for s in seen)
    closed = [s.closed for s in seen if s.closed]

    ms = sorted(d * 1000 for d in delays)
    last_ms = sorted(d * 1000 for d in lasts)
    if not ms:
        print(f"nothing arrived: lost {lost}, resyncs {resyncs}")
        return
    p99 = percentile(ms, 0.99)
    print(
        f"{len(seen)} sockets, {len(acks)} commands at {args.rate:g}/s: ack -> every socket "
        f"p50 {percentile(ms, 0.5):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms; "
        f"lost {lost}, resyncs {resyncs} "
        f"(target p99 under {TARGET_P99_MS} ms: {'met' if p99 < TARGET_P99_MS else 'MISSED'})"
    )
    print(
        f"until the last socket had it, per command: p50 {percentile(last_ms, 0.5):.1f} ms, "
        f"p99 {percentile(last_ms, 0.99):.1f} ms, max {last_ms[-1]:.1f} ms"
    )
    if closed:
        print(f"{len(closed)} sockets closed early, e.g. {closed[0]}")


def percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def cpu_seconds(pid: int) -> float:
    """User and system time of a process and all its threads, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """CPU time spent by every process on the machine (Linux): whatever exceeds
    ours was taken by someone else during the measurement."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:7]) - idle) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
