"""An incident as it stood at any version or moment, fast on long histories."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from app.application import SNAPSHOT_EVERY
from domain.vocabulary import Role
from tests.helpers import Api, MovableClock

START = datetime.now(UTC) - timedelta(hours=10)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


def state(api: Api, incident: str, query: str = "", role: Role = Role.AUDITOR) -> dict[str, object]:
    response = api.get(role, f"/api/incidents/{incident}{query}")
    assert response.status_code == 200, response.text
    shown: dict[str, object] = response.json()
    return shown


def test_a_version_shows_the_incident_exactly_as_it_stood(api: Api) -> None:
    incident = api.verified()
    api.ok(
        Role.LEADERSHIP, f"/api/incidents/{incident}/classify", {"severity": "II", "rationale": "r"}
    )
    api.ok(
        Role.LEADERSHIP,
        f"/api/incidents/{incident}/classify",
        {"severity": "III", "rationale": "r"},
    )
    assert state(api, incident, "?version=1")["status"] == "reported"
    assert state(api, incident, "?version=2")["status"] == "verified"
    assert state(api, incident, "?version=3")["severity"] == "II"
    assert state(api, incident, "?version=4")["severity"] == "III"
    assert state(api, incident, "?version=4") == state(api, incident)


def test_a_moment_shows_the_last_version_recorded_by_then(api: Api, clock: MovableClock) -> None:
    incident = api.report()
    clock.advance(minutes=10)
    api.ok(Role.INTAKE, f"/api/incidents/{incident}/verify", {})
    clock.advance(minutes=10)
    api.ok(
        Role.LEADERSHIP, f"/api/incidents/{incident}/classify", {"severity": "IV", "rationale": "r"}
    )
    between = (START + timedelta(minutes=15)).isoformat().replace("+00:00", "Z")
    assert state(api, incident, f"?at={between}")["status"] == "verified"
    assert state(api, incident, f"?at={between}")["version"] == 2
    at_report = START.isoformat().replace("+00:00", "Z")
    assert state(api, incident, f"?at={at_report}")["version"] == 1
    later = (START + timedelta(hours=1)).isoformat()
    assert state(api, incident, f"?at={later}")["severity"] == "IV"


def test_a_moment_in_another_time_zone_means_the_same_instant(
    api: Api, clock: MovableClock
) -> None:
    incident = api.report()
    clock.advance(minutes=10)
    api.ok(Role.INTAKE, f"/api/incidents/{incident}/verify", {})
    beijing = (START + timedelta(minutes=5)).astimezone(datetime.now().astimezone().tzinfo)
    query = "?at=" + (START + timedelta(minutes=5, hours=8)).replace(tzinfo=None).isoformat()
    assert state(api, incident, query + "%2B08:00")["version"] == 1
    assert beijing  # the same instant, written with an offset


def test_a_moment_before_the_report_is_not_found(api: Api) -> None:
    incident = api.report()
    before = (START - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    response = api.get(Role.AUDITOR, f"/api/incidents/{incident}?at={before}")
    assert response.status_code == 404
    assert response.json()["error"] == "not_reported_yet"


def test_past_versions_mask_personal_data_as_the_present_does(api: Api) -> None:
    incident = api.verified()
    assert state(api, incident, "?version=1", Role.AUDITOR)["reporter"] == {
        "name": "张**",
        "phone": "138****5678",
        "email": "z***@example.cn",
    }
    assert state(api, incident, "?version=1", Role.INTAKE)["reporter"] == {
        "name": "张桂英",
        "phone": "13812345678",
        "email": "zhang@example.cn",
    }


def test_long_incidents_are_snapshotted_and_replay_the_same_with_or_without(api: Api) -> None:
    incident = api.verified()
    for n in range(SNAPSHOT_EVERY + 5):
        api.ok(
            Role.LEADERSHIP,
            f"/api/incidents/{incident}/responses",
            {"note": f"第{n}次现场更新", "status": "in_progress"},
        )
    app = api.client.app.state.services.incidents  # type: ignore[attr-defined]
    snapshots = list(app.snapshots.get(UUID(incident)))
    assert [s.originator_version for s in snapshots] == [SNAPSHOT_EVERY]
    for version in (SNAPSHOT_EVERY - 1, SNAPSHOT_EVERY, SNAPSHOT_EVERY + 3):
        from_snapshot = state(api, incident, f"?version={version}")
        replayed = app.get_incident(UUID(incident), version=version)
        assert from_snapshot["version"] == replayed.version == version
        assert from_snapshot["last_update"] == replayed.last_update
