"""Reporters' personal data: sealed at rest per person, masked per role in answers."""

import stat
from pathlib import Path
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import StoredEvent

from app.bootstrap import open_store
from app.config import Settings
from app.personal_data import WrongMasterKey
from domain.vocabulary import Channel, Kind, Role
from tests.helpers import COMPLAINT, LEADER, Api

SECRETS = ("张桂英", "13812345678", "zhang@example.cn")


def database_bytes(settings: Settings) -> bytes:
    """Everything SQLite keeps on disk for the store: the file and its write-ahead log."""
    path = settings.sqlite_path
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_personal_data_never_lies_in_the_database_files_in_plain_text(
    api: Api, settings: Settings
) -> None:
    incident = api.verified()
    for _ in range(60):  # long enough for a snapshot of the state to be stored too
        api.ok(
            Role.LEADERSHIP,
            f"/api/incidents/{incident}/responses",
            {"note": "现场更新", "status": "in_progress"},
        )
    raw = database_bytes(settings)
    assert "自来水发黄有异味".encode() in raw  # the rest of the event is there, readable
    for secret in SECRETS:
        assert secret.encode() not in raw
    assert api.get(Role.INTAKE, f"/api/incidents/{incident}").json()["reporter"]["name"] == "张桂英"


def test_the_master_key_file_is_made_once_and_readable_by_its_owner_only(
    api: Api, settings: Settings
) -> None:
    api.report()
    key_file = settings.master_key_path
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.parent == settings.sqlite_path.parent


def test_a_restart_reads_personal_data_back_with_the_same_key(settings: Settings) -> None:
    store = open_store(settings)
    ack = store.incidents.report(
        LEADER, reporter={"name": "刘建国", "phone": "13987654321", "email": ""}, **_fields()
    )
    store.close()
    store = open_store(settings)
    try:
        reporter = store.incidents.get_incident(ack.id).reporter
        assert reporter is not None
        assert (reporter.name, reporter.phone) == ("刘建国", "13987654321")
    finally:
        store.close()


def test_a_wrong_master_key_is_refused_at_start_with_a_clear_message(
    settings: Settings,
) -> None:
    open_store(settings).close()
    wrong = Settings(database=settings.database, master_key=AESCipher.create_key(32))
    with pytest.raises(WrongMasterKey, match="master key"):
        open_store(wrong)


def test_with_a_cipher_key_every_stored_event_is_encrypted_whole(tmp_path: Path) -> None:
    settings = Settings(database=str(tmp_path / "c.db"), cipher_key=AESCipher.create_key(32))
    store = open_store(settings)
    try:
        ack = store.incidents.report(LEADER, reporter=None, **_fields())
        assert store.incidents.get_incident(ack.id).title == "停水"
    finally:
        store.close()
    assert "停水".encode() not in database_bytes(settings)


def test_events_stored_before_reporters_were_sealed_still_replay(settings: Settings) -> None:
    """The first release kept Reported nested in Incident, with a plain reporter."""
    store = open_store(settings)
    try:
        incident_id = uuid4()
        state = {
            "originator_topic": "domain.incident:Incident",
            "timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-01T08:00:00+00:00"},
            "actor": "李客服",
            "role": {"_type_": "Role", "_data_": "intake"},
            "kind": {"_type_": "Kind", "_data_": "complaint"},
            "channel": {"_type_": "Channel", "_data_": "hotline"},
            "category": "供水",
            "title": "水发黄",
            "description": "",
            "location": "",
            "reporter": {"name": "张三", "phone": "13800000000", "email": ""},
            "received_at": {"_type_": "datetime_iso", "_data_": "2026-11-01T08:00:00+00:00"},
        }
        store.incidents.recorder.insert_events(
            [
                StoredEvent(
                    originator_id=incident_id,
                    originator_version=1,
                    topic="domain.incident:Incident.Reported",
                    state=orjson.dumps(state),
                )
            ]
        )
        incident = store.incidents.get_incident(UUID(str(incident_id)))
        assert incident.title == "水发黄"
        assert incident.reporter is not None and incident.reporter.name == "张三"
    finally:
        store.close()


def _fields() -> dict[str, object]:
    return {
        "kind": Kind.COMPLAINT,
        "channel": Channel.HOTLINE,
        "category": "供水",
        "title": "停水",
        "description": "",
        "location": "",
        "received_at": None,
    }


def test_roles_that_do_not_contact_the_reporter_see_a_mask(api: Api) -> None:
    incident = api.report(COMPLAINT)
    for role in (Role.RESPONDER, Role.LOGISTICS, Role.SPOKESPERSON, Role.AUDITOR):
        shown = api.get(role, f"/api/incidents/{incident}").json()["reporter"]
        assert shown == {"name": "张**", "phone": "138****5678", "email": "z***@example.cn"}
    for role in (Role.LEADERSHIP, Role.INTAKE, Role.ADMIN):
        shown = api.get(role, f"/api/incidents/{incident}").json()["reporter"]
        assert shown["phone"] == "13812345678"


ACCOUNT = "来电人称邻居王建国（幸福里9栋302）长期在楼道堆放杂物"


def test_a_description_marked_personal_is_sealed_shown_per_role_and_erased_with_the_reporter(
    api: Api, settings: Settings
) -> None:
    body = {**COMPLAINT, "description": ACCOUNT, "description_is_personal": True}
    incident = api.report(body)
    assert ACCOUNT.encode() not in database_bytes(settings)
    assert "王建国".encode() not in database_bytes(settings)

    def description(role: Role) -> str:
        shown: str = api.get(role, f"/api/incidents/{incident}").json()["description"]
        return shown

    assert description(Role.INTAKE) == ACCOUNT
    assert description(Role.LEADERSHIP) == ACCOUNT
    assert description(Role.RESPONDER) == "[personal]"
    assert description(Role.AUDITOR) == "[personal]"

    erased = api.post(Role.ADMIN, f"/api/incidents/{incident}/erase", {"reason": "本人申请"})
    assert erased.status_code == 200, erased.text
    assert description(Role.INTAKE) == "[erased]"


def test_a_description_not_marked_personal_stays_as_written(api: Api) -> None:
    incident = api.report({**COMPLAINT, "description": "小区停水", "reporter": None})
    shown = api.get(Role.AUDITOR, f"/api/incidents/{incident}").json()
    assert shown["description"] == "小区停水"
