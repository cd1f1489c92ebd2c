"""`icc backup`: a consistent copy of a live store, taken while commands are written;
the copy verifies and serves."""

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.bootstrap import open_store
from app.chain import verify
from app.cli import main
from app.config import Settings
from app.main import create_app
from domain.actor import Actor
from domain.vocabulary import Channel, Kind, Role
from tests.helpers import auth

INTAKE = Actor("李客服", Role.INTAKE)


def test_a_backup_taken_while_a_writer_runs_verifies_and_serves(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(settings)
    token = store.users.add("王主任", Role.LEADERSHIP)
    writing = threading.Event()
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            store.incidents.report(
                INTAKE,
                kind=Kind.COMPLAINT,
                channel=Channel.HOTLINE,
                category="供水水质",
                title="自来水发黄",
                description="",
                location="阳光花园",
                reporter={"name": "张桂英", "phone": "13812345678", "email": ""},
                received_at=None,
            )
            writing.set()

    thread = threading.Thread(target=writer)
    thread.start()
    monkeypatch.setenv("ICC_DATABASE", settings.database)
    try:
        assert writing.wait(10)
        before = store.incidents.recorder.max_notification_id() or 0
        assert main(["backup", str(tmp_path / "copy.db")]) == 0
        after = store.incidents.recorder.max_notification_id() or 0
    finally:
        stop.set()
        thread.join()
        store.close()
    assert after > before  # the writer really was writing while the copy was taken

    copy = Settings(database=str(tmp_path / "copy.db"))
    copied = open_store(copy)
    found = verify(copied.incidents.recorder)
    events = copied.incidents.recorder.max_notification_id() or 0
    copied.close()
    assert found.intact and found.checked == events
    assert before <= events <= after

    with TestClient(create_app(copy)) as client:
        board = client.get(f"/api/board?min_position={events}", headers=auth(token)).json()
        assert len(board["rows"]) == events  # one report, one event, one row each
        row = board["rows"][0]["id"]
        shown = client.get(f"/api/incidents/{row}", headers=auth(token)).json()
        assert shown["reporter"]["name"] == "张桂英"  # the key file came along


def test_a_backup_never_overwrites(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(settings).close()
    target = tmp_path / "copy.db"
    target.write_text("precious")
    monkeypatch.setenv("ICC_DATABASE", settings.database)
    assert main(["backup", str(target)]) == 1
    assert target.read_text() == "precious"
