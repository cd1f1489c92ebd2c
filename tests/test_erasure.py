"""Erasure on request: the reporter's personal data becomes unreadable everywhere,
past versions and exports included, and the log still verifies and replays."""

import json
import sqlite3
from pathlib import Path
from uuid import UUID

import pytest

from app.bootstrap import open_store
from app.chain import verify
from app.cli import main
from app.config import Settings
from domain import commands
from domain.actor import Actor
from domain.vocabulary import Channel, Kind, Role
from tests.helpers import COMPLAINT, Api, auth
from tests.postgres import postgres_settings

PERSON = {"name": "欧阳娜娜", "phone": "13900001111", "email": "ouyang@example.cn"}
REASON = {"reason": "本人来电申请删除个人信息（工单 2026-1126-07）"}


def erase(api: Api, incident: str, role: Role = Role.ADMIN, body: object = REASON) -> object:
    return api.post(role, f"/api/incidents/{incident}/erase", body)


def reported(api: Api) -> str:
    incident = api.report({**COMPLAINT, "reporter": PERSON})
    api.ok(Role.INTAKE, f"/api/incidents/{incident}/verify", {"note": "回访核实"})
    return incident


def wrapped_keys(settings: Settings) -> list[bytes]:
    with sqlite3.connect(settings.sqlite_path) as db:
        rows = db.execute("SELECT key FROM personal_keys WHERE key_id != 'master-key-check'")
        return [bytes(row[0]) for row in rows]


def database_bytes(settings: Settings) -> bytes:
    """Every file the store writes: the log's and the views', each with its WAL."""
    stores = [settings.sqlite_path, settings.views_path]
    files = [file for path in stores for file in (path, Path(f"{path}-wal"))]
    return b"".join(path.read_bytes() for path in files if path.exists())


def test_erasure_leaves_the_reporter_unreadable_everywhere(
    api: Api,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    incident = reported(api)
    leader = auth(api.tokens[Role.LEADERSHIP])
    shown = api.client.get(f"/api/incidents/{incident}", headers=leader).json()
    assert shown["reporter"]["name"] == PERSON["name"]
    (key,) = wrapped_keys(settings)

    answer = erase(api, incident)
    assert answer.status_code == 200, answer.text
    erased = {"erased": True}
    now = api.client.get(f"/api/incidents/{incident}", headers=leader).json()
    assert now["reporter"] == erased
    first = api.client.get(f"/api/incidents/{incident}?version=1", headers=leader).json()
    assert first["reporter"] == erased

    position = answer.json()["position"]
    timeline = api.client.get(
        f"/api/incidents/{incident}/timeline?lang=en&min_position={position}", headers=leader
    ).json()
    assert timeline["entries"][-1]["type"] == "PersonalDataErased"
    assert PERSON["name"] not in json.dumps(timeline, ensure_ascii=False)

    # The key is gone from the database files, old pages and write-ahead log included.
    assert wrapped_keys(settings) == []
    assert key not in database_bytes(settings)
    for value in PERSON.values():
        assert value.encode() not in database_bytes(settings)

    monkeypatch.setenv("ICC_DATABASE", settings.database)
    assert main(["replay", incident, "--version", "1", "--as", "admin"]) == 0
    assert json.loads(capsys.readouterr().out)["reporter"] == erased
    assert main(["export", "--incident", incident.replace("-", "")]) == 0
    assert PERSON["name"] not in capsys.readouterr().out

    store = open_store(settings)
    assert verify(store.incidents.recorder).intact  # the log itself is untouched
    store.follower.rebuild()  # the views fold again from a log whose reporter is unreadable
    reporter = store.incidents.get_incident(UUID(incident)).reporter
    assert reporter is not None and reporter.erased
    store.close()


def test_only_an_administrator_erases_and_says_why(api: Api) -> None:
    incident = reported(api)
    for role in Role:
        if role is not Role.ADMIN:
            assert erase(api, incident, role).status_code == 403
    assert erase(api, incident, body={"reason": ""}).status_code == 422
    assert erase(api, incident).status_code == 200
    again = erase(api, incident)
    assert (again.status_code, again.json()["error"]) == (409, "already_erased")


def test_a_report_without_personal_data_has_nothing_to_erase(api: Api) -> None:
    incident = api.report({**COMPLAINT, "reporter": None})
    refused = erase(api, incident)
    assert (refused.status_code, refused.json()["error"]) == (409, "no_personal_data")


def test_erasure_on_postgres_leaves_every_version_unreadable() -> None:
    with postgres_settings() as pg:
        store = open_store(pg)
        intake, admin = Actor("李客服", Role.INTAKE), Actor("系统管理员", Role.ADMIN)
        ack = store.incidents.report(
            intake,
            kind=Kind.COMPLAINT,
            channel=Channel.HOTLINE,
            category="供水水质",
            title="自来水发黄",
            description=PERSON["name"] + "家中水龙头",
            description_is_personal=True,
            location="",
            reporter=PERSON,
            received_at=None,
        )
        first = store.incidents.get_incident(ack.id, version=1).reporter
        assert first is not None and first.account.startswith(PERSON["name"])
        store.incidents.execute(admin, ack.id, commands.erase_personal_data("本人申请"))
        store.close()

        store = open_store(pg)  # a fresh process: no key cached
        for version in (1, 2):
            reporter = store.incidents.get_incident(ack.id, version=version).reporter
            assert reporter is not None and reporter.erased and not reporter.account
        assert verify(store.incidents.recorder).intact
        store.close()
