"""The `icc` command: serve, users, rebuild, verify, export, replay, backup."""

import argparse
import gc
import logging
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

from app.config import Settings
from domain.vocabulary import Role

FIRST_USER = "leader"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="icc", description="Incident command system")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server (the main job)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--demo", action="store_true", help="load a realistic scenario, print tokens"
    )

    commands.add_parser(
        "migrate", help="create the tables (icc serve does it first; for other deployments)"
    )

    users = commands.add_parser("users", help="manage users").add_subparsers(
        dest="users_command", required=True
    )
    add = users.add_parser("add", help="create a user and print their token once")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    users.add_parser("list", help="list users and roles")

    rebuild = commands.add_parser("rebuild", help="rebuild every view from the whole log")
    rebuild.add_argument(
        "--processes",
        type=int,
        default=min(os.cpu_count() or 1, 4),
        help="processes folding shares of the incidents side by side (default: the CPUs, up to 4)",
    )

    commands.add_parser(
        "verify", help="recompute the hash chain over the stored events; non-zero if altered"
    )

    export = commands.add_parser(
        "export", help="the stored events with positions and chain links, to standard output"
    )
    export.add_argument("--incident", help="only this incident's events")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")

    backup = commands.add_parser("backup", help="a consistent copy of the live SQLite store")
    backup.add_argument("path")

    replay = commands.add_parser("replay", help="an incident's state as it stood, as JSON")
    replay.add_argument("incident_id")
    when = replay.add_mutually_exclusive_group()
    when.add_argument("--at", help="an ISO time with zone, e.g. 2026-11-26T08:00:00+08:00")
    when.add_argument("--version", type=int)
    replay.add_argument(
        "--as",
        dest="role",
        default=Role.AUDITOR.value,
        choices=[r.value for r in Role],
        help="whose view, personal data masked as for that role (default auditor)",
    )

    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.command == "serve":
        return _serve(settings, args)
    if args.command == "users":
        return _users(settings, args)
    if args.command == "migrate":
        from app.bootstrap import migrate

        migrate(settings)
        return 0
    if args.command == "verify":
        return _verify(settings)
    if args.command == "replay":
        return _replay(settings, args)
    if args.command == "export":
        return _export(settings, args)
    if args.command == "backup":
        return _backup(settings, Path(args.path))
    return _rebuild(settings, args.processes)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from app.main import create_app

    if args.workers > 1 and not settings.is_postgres:
        print(
            "icc: --workers above 1 needs PostgreSQL (set ICC_DATABASE=postgresql://...); "
            "SQLite serves from one process.",
            file=sys.stderr,
        )
        return 2
    from app.bootstrap import migrate

    migrate(settings)
    _welcome(settings, f"http://{args.host}:{args.port}", demo=args.demo)
    # The tables are made: workers (each builds its app from the environment) only open them.
    os.environ["ICC_CREATE_TABLES"] = "n"
    target = (
        "app.main:create_app_from_env"
        if args.workers > 1
        else create_app(replace(settings, create_tables=False))
    )
    _keep_tokens_out_of_logs()
    uvicorn.run(
        target,
        factory=args.workers > 1,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_level="info",
        # The protocol's ping tells the server that a client is gone; the app's
        # heartbeat messages tell the client that the server is.
        ws_ping_interval=settings.heartbeat,
        ws_ping_timeout=settings.heartbeat,
        # Every socket is sent the same few hundred bytes per event: compressing
        # them once per socket cost the server 40 % of its CPU at 1,000 sockets.
        ws_per_message_deflate=False,
    )
    return 0


class _RedactTokens(logging.Filter):
    """Sockets may carry their token in the URL (`?token=`); the server's log
    lines about requests must not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            isinstance(a, str) and "token=" in a for a in record.args
        ):
            record.args = tuple(
                _TOKEN_IN_URL.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                for a in record.args
            )
        return True


_TOKEN_IN_URL = re.compile(r"((?:\?|&)token=)[^&\s\"]*")


def _keep_tokens_out_of_logs() -> None:
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(_RedactTokens())


def _welcome(settings: Settings, url: str, *, demo: bool) -> None:
    """Load the demo if asked, and make sure somebody can log in to a fresh store."""
    from app.bootstrap import open_store
    from app.demo import demo_tokens, load_demo

    store = open_store(settings, create_tables=False)
    try:
        tokens: list[tuple[str, Role, str]] = []
        if demo:
            existing = store.incidents.recorder.max_notification_id() or 0
            if existing:
                print(f"{settings.database} already holds {existing} events; demo not reloaded.")
            else:
                print(f"Loaded the demo scenario: {load_demo(store.incidents)} events.")
            tokens = demo_tokens(store.users)
        elif not store.users.all():
            # A fresh store has nobody who could log in: make the first leader.
            tokens = [(FIRST_USER, Role.LEADERSHIP, store.users.add(FIRST_USER, Role.LEADERSHIP))]
            print("No users yet: created the first one. Add more with `icc users add`.")
        if tokens:
            print(f"\nOpen {url}/login and log in with a token (shown once):\n")
            for name, role, token in tokens:
                print(f"  {role.value:<13} {name:<8} {token}")
            print(flush=True)
    finally:
        store.close()


def _users(settings: Settings, args: argparse.Namespace) -> int:
    from app.bootstrap import small_tables
    from app.users import UserExists, UserStore

    store = UserStore(small_tables(settings))
    if args.users_command == "list":
        for user in store.all():
            print(f"{user.name}\t{user.role.value}")
        return 0
    try:
        token = store.add(args.name, Role(args.role))
    except UserExists:
        print(f"icc: a user named {args.name!r} already exists", file=sys.stderr)
        return 1
    print(token)
    print(
        f"(the token for {args.name}, {args.role}: shown once, only its hash is kept)",
        file=sys.stderr,
    )
    return 0


def _rebuild(settings: Settings, processes: int) -> int:
    from app.rebuild import rebuild

    # Everything loaded so far lives as long as the process: keep the collector
    # from scanning it again and again while a million events pass (about 20 %).
    gc.freeze()
    started = time.perf_counter()
    count = rebuild(settings, max(processes, 1))
    seconds = time.perf_counter() - started
    print(
        f"Rebuilt the board, the timeline, the figures and the work view from {count} events "
        f"in {seconds:.1f} s ({max(processes, 1)} processes)."
    )
    return 0


def _backup(settings: Settings, target: Path) -> int:
    from app.backup import backup

    if settings.is_postgres:
        print(
            "icc: on PostgreSQL back up with pg_dump (see the README's Audit section).",
            file=sys.stderr,
        )
        return 2
    try:
        backup(settings, target)
    except FileExistsError as error:
        print(f"icc: {error}", file=sys.stderr)
        return 1
    print(f"Backed up {settings.database} to {target} (with its key file, if any).")
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from uuid import UUID

    from app.bootstrap import open_store
    from app.export import as_csv, as_jsonl, records

    try:
        incident = UUID(args.incident) if args.incident else None
    except ValueError:
        print(f"icc: {args.incident!r} is not an incident id", file=sys.stderr)
        return 2
    store = open_store(settings)
    write = as_csv if args.format == "csv" else as_jsonl
    try:
        for text in write(records(store.incidents.recorder, incident)):
            sys.stdout.write(text)
    except ValueError as error:
        print(f"icc: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _replay(settings: Settings, args: argparse.Namespace) -> int:
    """The same JSON as GET /api/incidents/{id}?version=|?at= answers that role."""
    from uuid import UUID

    from app.api.moments import moment
    from app.bootstrap import open_store
    from app.jsonio import dumps
    from app.presenters import incident_json
    from domain.errors import DomainError

    store = open_store(settings)
    try:
        incident_id = UUID(args.incident_id)
        if args.at is not None:
            incident = store.incidents.incident_at(incident_id, moment(args.at))
        else:
            incident = store.incidents.get_incident(incident_id, version=args.version)
    except ValueError:
        print(f"icc: {args.incident_id!r} is not an incident id", file=sys.stderr)
        return 2
    except DomainError as error:
        print(f"icc: {error.detail}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(dumps(incident_json(incident, Role(args.role))).decode())
    return 0


def _verify(settings: Settings) -> int:
    from app.bootstrap import open_store
    from app.chain import verify

    store = open_store(settings)
    try:
        verdict = verify(store.incidents.recorder)
    finally:
        store.close()
    if verdict.intact:
        print(f"Intact: {verdict.checked} events; head {verdict.head.hex()}")
        return 0
    print(
        f"icc: the log was altered at position {verdict.bad_position}: {verdict.problem} "
        f"({verdict.checked} events before it check out)",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
