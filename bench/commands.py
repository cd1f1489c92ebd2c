"""Commands per second through HTTP, ours next to a naive writer, in the same run.

For each command kind, 64 keep-alive connections send POSTs back to back (the
load tool, `bench/load.py`, runs in its own process) to two servers started
here on fresh stores, each one uvicorn worker:

- naive: `bench/naive_server.py`, an `async def` FastAPI endpoint that INSERTs
  one row and COMMITs per request (SQLite WAL synchronous=FULL on one
  connection, or psycopg's async pool on PostgreSQL);
- icc: the real `icc serve`, a leadership user's bearer token.

Command kinds:
- report: POST /api/incidents, a complaint whose title carries a running number;
- update: POST /api/incidents/{id}/responses, a field update; each connection
  posts to its own crisis, one of 64 reported and verified before the run.

Rounds alternate naive, icc (each after both servers have gone quiet); the
medians of the rounds are printed with the ratio icc / naive and the p50/p99
latency of each side. Every 200/201 answer counts as one command; any other
answer or a failed connection makes the figure invalid (exit status 1).

Run:
  .venv/bin/python bench/commands.py                      # SQLite, 3 rounds of 10 s
  .venv/bin/python bench/commands.py --seconds 3 --rounds 1   # quick
  .venv/bin/python bench/commands.py \\
      --database 'postgresql://127.0.0.1:5432/test?schema=bench_cmds'
On PostgreSQL each server gets a fresh schema named after `?schema=` plus a
random suffix, dropped at the end.
"""

import argparse
import base64
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from app.bootstrap import small_tables
from app.config import Settings
from app.users import UserStore
from domain.vocabulary import Role

HERE = Path(__file__).parent
CONNECTIONS = 64
REPORT = {
    "kind": "complaint",
    "channel": "hotline",
    "category": "供水",
    "title": "停水投诉 #{n}",
    "description": "小区停水三小时",
}
CRISIS = {"kind": "crisis", "channel": "monitoring", "category": "供电", "title": "城东变电站故障"}
UPDATE = {"note": "抢修队在现场 #{n}", "status": "in_progress"}


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Figure:
    rate: float
    p50_ms: float
    p99_ms: float
    valid: bool


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(name: str, argv: list[str], env: dict[str, str], folder: Path) -> Iterator[Server]:
    port = free_port()
    log = folder / f"{name}.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [*argv, "--port", str(port)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,  # uvicorn's access log
            stderr=errors,
        )
    server = Server(name, process, port, log)
    try:
        wait_until_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited:\n{server.log.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(server.url + "/api/session", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{server.name} not ready after {timeout} s")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """The processes a server started (our view process, through its fork server)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def children_cpu_seconds(pid: int) -> float:
    total = 0.0
    for child in descendants(pid):
        with contextlib.suppress(FileNotFoundError):  # ended meanwhile
            total += cpu_seconds(child)
    return total


def settle(servers: list[Server], timeout: float = 60) -> None:
    """Wait until no server burns CPU (our server may still be folding views)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = [cpu_seconds(s.process.pid) for s in servers]
        time.sleep(0.5)
        after = [cpu_seconds(s.process.pid) for s in servers]
        if all(b - a < 0.05 for a, b in zip(before, after, strict=True)):
            return
    print(f"  (servers still busy after {timeout} s; measuring anyway)")


def post(server: Server, path: str, body: dict, token: str) -> dict:
    request = urllib.request.Request(
        server.url + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def verified_crises(icc: Server, token: str) -> list[str]:
    """A field update needs a verified (or responding) incident: report and
    verify one crisis per connection through the API."""
    ids = []
    for _ in range(CONNECTIONS):
        incident = post(icc, "/api/incidents", CRISIS, token)["id"]
        post(icc, f"/api/incidents/{incident}/verify", {}, token)
        ids.append(incident)
    return ids


def targets(kind: str, token: str, crises: list[str]) -> list[dict]:
    headers = {"Authorization": f"Bearer {token}"}
    if kind == "report":
        return [{"path": "/api/incidents", "headers": headers, "body": _json(REPORT)}]
    return [
        {"path": f"/api/incidents/{i}/responses", "headers": headers, "body": _json(UPDATE)}
        for i in crises
    ]


def _json(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


PY_SPY = ["py-spy", "record", "--gil", "--format", "raw", "--rate", "250"]


def measure(server: Server, spec: dict, profile: str | None = None) -> Figure:
    # py-spy attaches for the measured window only: the samples of the load alone.
    recording = (
        subprocess.Popen(
            [*PY_SPY, "--pid", str(server.process.pid), "--duration", str(int(spec["seconds"]))]
            + ["--output", profile],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if profile
        else None
    )
    pid = server.process.pid
    cpu_before, children_before = cpu_seconds(pid), children_cpu_seconds(pid)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(HERE / "load.py")],
        input=json.dumps({**spec, "port": server.port}).encode(),
        capture_output=True,
        check=False,
    )
    if not done.stdout:
        raise SystemExit(f"load tool failed:\n{done.stderr.decode()}")
    result = json.loads(done.stdout)
    # The server's CPU over the whole load (warm-up included): near 100 % of a
    # core means its interpreter is the limit, well under means it waits.
    elapsed = time.monotonic() - started
    server_cpu = (cpu_seconds(pid) - cpu_before) / elapsed
    children_cpu = (children_cpu_seconds(pid) - children_before) / elapsed
    if recording:
        recording.wait()
    valid = done.returncode == 0
    line = (
        f"    {server.name:<5} {result['rate']:>7,.0f}/s  p50 {result['p50_ms']:5.1f} ms"
        f"  p99 {result['p99_ms']:6.1f} ms  (server {server_cpu:.0%}"
        + (f", its children {children_cpu:.0%}" if children_cpu else "")
        + f", load tool {result['cpu']:.0%} of a core)"
    )
    if not valid:
        line += f"  INVALID: statuses {result['statuses']}, {result['error_count']} failed"
        for status, sample in result["samples"].items():
            line += f"\n      {status}: {sample}"
        for error in result["errors"]:
            line += f"\n      {error}"
    print(line, flush=True)
    return Figure(result["rate"], result["p50_ms"], result["p99_ms"], valid)


def median_of(figures: list[Figure]) -> Figure:
    return Figure(
        statistics.median(f.rate for f in figures),
        statistics.median(f.p50_ms for f in figures),
        statistics.median(f.p99_ms for f in figures),
        all(f.valid for f in figures),
    )


@contextmanager
def stores(database: str | None, folder: Path) -> Iterator[tuple[str, str, str]]:
    """The naive server's database, ours, and ours without the chain: all fresh."""
    if database is None:
        yield str(folder / "naive.db"), str(folder / "incidents.db"), str(folder / "unchained.db")
        return
    parts = urlsplit(database)
    base = Settings(database=database).postgres.schema
    base = "bench_cmds" if base == "public" else base
    sides = ("naive", "icc", "unchained")
    schemas = [f"{base}_{side}_{uuid.uuid4().hex[:8]}" for side in sides]
    with psycopg.connect(Settings(database=database).postgres.dsn, autocommit=True) as admin:
        for schema in schemas:
            admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            naive, icc, unchained = (
                urlunsplit(parts._replace(query=f"schema={s}")) for s in schemas
            )
            yield naive, icc, unchained
        finally:
            for schema in schemas:
                admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def bench_user(database: str) -> str:
    users = UserStore(small_tables(Settings(database=database)))
    token = users.add("bench", Role.LEADERSHIP)
    users.tables.close()
    return token


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="postgresql://...?schema=name (default: SQLite)")
    parser.add_argument("--seconds", type=float, default=10, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=1, help="seconds not counted")
    parser.add_argument("--kinds", default="report,update", help="report, update or both")
    parser.add_argument(
        "--profile",
        help="record our server with py-spy (pip install py-spy) into PROFILE.<kind>: "
        "collapsed stacks of the threads holding the GIL, for finding where the CPU goes",
    )
    parser.add_argument(
        "--chain-cost",
        action="store_true",
        help="also run our server without the hash chain, and print what the chain costs",
    )
    args = parser.parse_args()
    if args.database and not Settings(database=args.database).is_postgres:
        parser.error("--database takes a postgresql:// URL; SQLite is the default")
    kinds = args.kinds.split(",")
    backend = "postgresql" if args.database else "sqlite"
    spec = {"connections": CONNECTIONS, "warmup": args.warmup, "seconds": args.seconds}
    print(
        f"{backend}: {CONNECTIONS} connections, {args.rounds} round(s) of {args.seconds:g} s "
        f"(+{args.warmup:g} s warm-up) per side and kind, {os.cpu_count()} CPUs",
        flush=True,
    )

    summary = []
    with tempfile.TemporaryDirectory() as name, ExitStack() as stack:
        folder = Path(name)
        naive_db, icc_db, unchained_db = stack.enter_context(stores(args.database, folder))
        token = bench_user(icc_db)
        naive = stack.enter_context(
            running(
                "naive",
                [sys.executable, str(HERE / "naive_server.py"), "--database", naive_db],
                {},
                folder,
            )
        )
        master_key = base64.b64encode(os.urandom(32)).decode()
        icc = stack.enter_context(
            running(
                "icc",
                [sys.executable, "-m", "app.cli", "serve"],
                {"ICC_DATABASE": icc_db, "ICC_MASTER_KEY": master_key},
                folder,
            )
        )
        servers = [naive, icc]
        if args.chain_cost:
            servers.append(
                stack.enter_context(
                    running(
                        "unchained",
                        [sys.executable, str(HERE / "unchained_server.py")],
                        {"ICC_DATABASE": unchained_db, "ICC_MASTER_KEY": master_key},
                        folder,
                    )
                )
            )
            unchained_token = bench_user(unchained_db)
        for kind in kinds:
            specs = {}
            for server in servers:
                own = unchained_token if server.name == "unchained" else token
                # The naive server takes any id: it is given our server's.
                ours = icc if server is naive else server
                crises = verified_crises(ours, own) if kind == "update" else []
                specs[server.name] = {**spec, "targets": targets(kind, own, crises)}
            figures: dict[str, list[Figure]] = {server.name: [] for server in servers}
            for round_number in range(1, args.rounds + 1):
                print(f"  {kind}, round {round_number}", flush=True)
                for server in servers:
                    settle(servers)
                    kind_spec = specs[server.name]
                    profile = f"{args.profile}.{kind}" if args.profile and server is icc else None
                    figures[server.name].append(measure(server, kind_spec, profile))
            ours, theirs = median_of(figures["icc"]), median_of(figures["naive"])
            line = (
                f"{backend:<7} {kind:<7} naive {theirs.rate:,.0f}/s  icc {ours.rate:,.0f}/s  "
                f"ratio {ours.rate / theirs.rate:.2f}  |  p50/p99 naive "
                f"{theirs.p50_ms:.0f}/{theirs.p99_ms:.0f} ms  icc "
                f"{ours.p50_ms:.0f}/{ours.p99_ms:.0f} ms"
            )
            if not (ours.valid and theirs.valid):
                line += "  INVALID (see above)"
            summary.append((line, ours.valid and theirs.valid))
            if args.chain_cost:
                bare = median_of(figures["unchained"])
                cost = (
                    f"{backend:<7} {kind:<7} without the hash chain {bare.rate:,.0f}/s: "
                    f"the chain costs {1 - ours.rate / bare.rate:.0%} of the rate, "
                    f"p50 {bare.p50_ms:.0f} -> {ours.p50_ms:.0f} ms"
                )
                summary.append((cost, bare.valid))
        stack.close()  # stop the servers before reading their logs
        problems = [
            f"  {log.stem}: {line}"
            for log in sorted(folder.glob("*.log"))
            for line in log.read_text().splitlines()
            if line.strip() and not line.startswith("INFO:")
        ]

    print()
    for line, _ in summary:
        print(line)
    if problems:
        print("server stderr, beyond uvicorn's INFO lines:\n" + "\n".join(problems[:20]))
    return 0 if all(valid for _, valid in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
