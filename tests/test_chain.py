"""The hash chain over the stored events: `icc verify` passes an intact log and
names the first position where any stored byte was changed, or an event
deleted, inserted or reordered directly in the database."""

import sqlite3
from collections.abc import Iterator

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


def test_the_chain_on_postgres_verifies_and_catches_a_changed_byte(pg: Settings) -> None:
    store = open_store(pg)
    events = load_demo(store.incidents)
    found = verify(store.incidents.recorder)
    assert (found.bad_position, found.checked) == (None, events)
    store.close()

    address = pg.postgres
    with psycopg.connect(address.dsn, autocommit=True) as db:
        db.execute(f'SET search_path TO "{address.schema}"')
        db.execute(
            "UPDATE incidents_events SET state = overlay(state placing '\\x00'::bytea from 5) "
            f"WHERE notification_id = ({FORTY_SECOND})"
        )
        (position,) = db.execute(FORTY_SECOND).fetchone()
    store = open_store(pg)
    found = verify(store.incidents.recorder)
    assert found.bad_position == position
    store.close()
