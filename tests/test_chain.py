"""The hash chain over the stored events: `icc verify` passes an intact log and
names the first position where any stored byte was changed, or an event
deleted, inserted or reordered directly in the database."""

import base64
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.bootstrap import open_store
from app.chain import GENESIS, link, verify
from app.cli import main
from app.config import Settings
from app.demo import load_demo
from tests.postgres import postgres_settings

# An event put straight into the table (a rowid of None takes the next one).
PUT = (
    "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
    "VALUES (?, ?, ?, ?, ?)"
)
FORTY_SECOND = (
    "SELECT notification_id FROM incidents_events ORDER BY notification_id OFFSET 41 LIMIT 1"
)


@pytest.fixture
def log(settings: Settings) -> int:
    """A day of the demo in a real SQLite store; returns how many events it holds."""
    store = open_store(settings)
    load_demo(store.incidents)
    events = store.incidents.recorder.max_notification_id() or 0
    store.close()
    return events


def verdict(settings: Settings) -> tuple[int | None, int]:
    store = open_store(settings)
    try:
        found = verify(store.incidents.recorder)
        return found.bad_position, found.checked
    finally:
        store.close()


def tamper(settings: Settings, *statements: tuple[str, tuple[object, ...]]) -> None:
    """What someone with the database file could do, bypassing the product."""
    with sqlite3.connect(settings.sqlite_path) as db:
        for statement, params in statements:
            db.execute(statement, params)


def test_an_intact_log_verifies_and_the_head_is_the_last_link(
    settings: Settings,
    log: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert verdict(settings) == (None, log)
    # Recomputed by hand, with the standard library only.
    with sqlite3.connect(settings.sqlite_path) as db:
        rows = db.execute(
            "SELECT rowid, originator_id, originator_version, topic, state "
            "FROM stored_events ORDER BY rowid"
        ).fetchall()
    head = GENESIS
    for position, originator, version, topic, state in rows:
        head = link(head, position, originator, version, topic, state)
    monkeypatch.setenv("ICC_DATABASE", settings.database)
    assert main(["verify"]) == 0
    assert capsys.readouterr().out.strip() == f"Intact: {log} events; head {head.hex()}"


def test_one_flipped_byte_is_caught_at_its_position(
    settings: Settings,
    log: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with sqlite3.connect(settings.sqlite_path) as db:
        (state,) = db.execute("SELECT state FROM stored_events WHERE rowid = 37").fetchone()
    flipped = bytes([state[0] ^ 1]) + state[1:]
    tamper(settings, ("UPDATE stored_events SET state = ? WHERE rowid = 37", (flipped,)))
    assert verdict(settings) == (37, 36)
    monkeypatch.setenv("ICC_DATABASE", settings.database)
    assert main(["verify"]) == 1
    assert "altered at position 37" in capsys.readouterr().err


def test_a_deleted_event_is_caught_at_its_position(settings: Settings, log: int) -> None:
    tamper(settings, ("DELETE FROM stored_events WHERE rowid = 50", ()))
    assert verdict(settings) == (50, 49)


def test_two_swapped_events_are_caught_at_the_first(settings: Settings, log: int) -> None:
    with sqlite3.connect(settings.sqlite_path) as db:
        rows = db.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
            "WHERE rowid IN (20, 21) ORDER BY rowid"
        ).fetchall()
    (_, *first), (_, *second) = rows
    tamper(
        settings,
        ("DELETE FROM stored_events WHERE rowid IN (20, 21)", ()),
        (PUT, (20, *second)),
        (PUT, (21, *first)),
    )
    assert verdict(settings) == (20, 19)


def test_a_forged_event_is_caught_where_it_was_inserted(settings: Settings, log: int) -> None:
    with sqlite3.connect(settings.sqlite_path) as db:
        _, originator, version, topic, state = db.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
            "WHERE rowid = 12"
        ).fetchone()
    # A new event for an existing incident, at the end of the log.
    tamper(settings, (PUT, (None, originator, version + 1000, topic, state)))
    assert verdict(settings) == (log + 1, log)


def test_a_store_from_before_the_chain_is_chained_once_at_start(
    settings: Settings, log: int
) -> None:
    tamper(settings, ("DELETE FROM event_chain", ()))
    assert verdict(settings) == (None, log)


@pytest.fixture
def pg() -> Iterator[Settings]:
    with postgres_settings() as settings:
        yield settings


# What someone with access to the PostgreSQL schema could do, bypassing the product,
# to the 42nd event (position a) and the one after it (b): caught at a.
POSTGRES_TAMPERING = {
    "a changed byte": (
        "UPDATE incidents_events SET state = overlay(state placing '\\x00'::bytea from 5) "
        "WHERE notification_id = %(a)s"
    ),
    "a deleted event": "DELETE FROM incidents_events WHERE notification_id = %(a)s",
    "two swapped events": (
        "UPDATE incidents_events AS e SET state = o.state FROM incidents_events AS o "
        "WHERE (e.notification_id, o.notification_id) IN ((%(a)s, %(b)s), (%(b)s, %(a)s))"
    ),
}


@pytest.mark.parametrize("tampering", sorted(POSTGRES_TAMPERING))
def test_the_chain_on_postgres_catches_tampering_at_its_position(
    pg: Settings, tampering: str
) -> None:
    store = open_store(pg)
    events = load_demo(store.incidents)
    found = verify(store.incidents.recorder)
    assert (found.bad_position, found.checked) == (None, events)
    store.close()

    address = pg.postgres
    with psycopg.connect(address.dsn, autocommit=True) as db:
        db.execute(f'SET search_path TO "{address.schema}"')
        (position,) = db.execute(FORTY_SECOND).fetchone()
        (after,) = db.execute(FORTY_SECOND.replace("OFFSET 41", "OFFSET 42")).fetchone()
        db.execute(POSTGRES_TAMPERING[tampering], {"a": position, "b": after})
    store = open_store(pg)
    found = verify(store.incidents.recorder)
    assert found.bad_position == position
    store.close()


def test_a_forged_event_on_postgres_is_caught_where_it_was_inserted(pg: Settings) -> None:
    store = open_store(pg)
    events = load_demo(store.incidents)
    store.close()
    address = pg.postgres
    with psycopg.connect(address.dsn, autocommit=True) as db:
        db.execute(f'SET search_path TO "{address.schema}"')
        (forged,) = db.execute(
            "INSERT INTO incidents_events (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version + 1000, topic, state FROM incidents_events "
            "ORDER BY notification_id LIMIT 1 RETURNING notification_id"
        ).fetchone()
    store = open_store(pg)
    found = verify(store.incidents.recorder)
    assert (found.bad_position, found.checked) == (forged, events)
    store.close()


CHECKER = Path(__file__).parent / "scripts" / "check_export.py"


def export(settings: Settings, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "export", *args],
        env={**os.environ, "ICC_DATABASE": settings.database},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def check(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The README's standalone checker, run on its own: standard library only."""
    return subprocess.run(
        [sys.executable, "-I", str(CHECKER), str(path), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_export_checks_out_without_the_product_and_its_head_is_verifys(
    settings: Settings,
    log: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exported = tmp_path / "log.jsonl"
    exported.write_text(export(settings))
    assert len(exported.read_text().splitlines()) == log
    monkeypatch.setenv("ICC_DATABASE", settings.database)
    assert main(["verify"]) == 0
    head = capsys.readouterr().out.split("head ")[1].strip()
    checked = check(exported)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == f"intact; head {head}"

    lines = exported.read_text().splitlines()
    event = json.loads(lines[9])
    state = bytearray(base64.b64decode(event["state"]))
    state[5] ^= 1  # one flipped bit in the exported bytes
    event["state"] = base64.b64encode(bytes(state)).decode()
    lines[9] = json.dumps(event)
    exported.write_text("\n".join(lines) + "\n")
    refused = check(exported)
    assert refused.returncode != 0
    assert f"position {event['position']}" in refused.stderr


def test_an_incidents_export_holds_its_events_each_checkable(
    settings: Settings, log: int, tmp_path: Path
) -> None:
    first = json.loads(export(settings).splitlines()[0])
    incident = first["originator_id"]
    exported = tmp_path / "incident.jsonl"
    exported.write_text(export(settings, "--incident", incident))
    rows = [json.loads(line) for line in exported.read_text().splitlines()]
    assert {row["originator_id"] for row in rows} == {incident}
    assert [row["version"] for row in rows] == list(range(1, len(rows) + 1))
    assert check(exported, "--partial").returncode == 0


def test_a_csv_export_has_a_header_and_one_row_per_event(settings: Settings, log: int) -> None:
    rows = list(csv.DictReader(io.StringIO(export(settings, "--format", "csv"))))
    assert len(rows) == log
    assert list(rows[0]) == [
        "position",
        "originator_id",
        "version",
        "topic",
        "state",
        "previous",
        "link",
    ]


def test_the_readme_shows_the_very_checker_the_tests_run() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert CHECKER.read_text() in readme
