"""Free text marked personal (a message to the customer, their words at a
callback) is sealed with the reporter's key: never plain in the database or
its views, shown only to the roles that see personal data, erased with them."""

import json
from uuid import UUID

from app.config import Settings
from domain.vocabulary import Role
from tests.helpers import COMPLAINT, Api, auth
from tests.test_erasure import PERSON, database_bytes, erase, wrapped_keys

MESSAGE = "王女士，您家楼下的阀门已于今晚修复，维修工李师傅电话 13700002222"
COMMENT = "住在幸福小区5栋的王女士说水已经通了，但水有点黄"


def resolved_with_personal_text(api: Api) -> str:
    incident = api.report({**COMPLAINT, "reporter": PERSON})
    path = f"/api/incidents/{incident}"
    api.ok(Role.INTAKE, f"{path}/verify", {"note": "核实"})
    api.ok(Role.INTAKE, f"{path}/resolve", {"resolution": "fixed", "summary": "阀门已修复"})
    api.ok(
        Role.INTAKE,
        f"{path}/notify",
        {"channel": "phone", "message": MESSAGE, "message_is_personal": True},
    )
    api.ok(
        Role.INTAKE,
        f"{path}/callbacks",
        {"satisfaction": 4, "comment": COMMENT, "comment_is_personal": True},
    )
    return incident


def timeline_shown(api: Api, incident: str, role: Role) -> str:
    headers = auth(api.tokens[role])
    position = api.events_stored()
    timeline = api.client.get(
        f"/api/incidents/{incident}/timeline?min_position={position}", headers=headers
    ).json()
    return json.dumps(timeline, ensure_ascii=False)


def everything_shown(api: Api, incident: str, role: Role) -> str:
    headers = auth(api.tokens[role])
    position = api.events_stored()
    answers = [
        api.client.get(f"/api/incidents/{incident}", headers=headers).json(),
        api.client.get(f"/api/incidents/{incident}?version=4", headers=headers).json(),
        api.client.get(
            f"/api/incidents/{incident}/timeline?min_position={position}", headers=headers
        ).json(),
    ]
    return json.dumps(answers, ensure_ascii=False)


def test_marked_text_is_sealed_and_shown_only_to_those_who_see_personal_data(
    api: Api, settings: Settings
) -> None:
    incident = resolved_with_personal_text(api)
    leader = api.get(Role.LEADERSHIP, f"/api/incidents/{incident}").json()
    assert leader["notices"][-1]["message"] == MESSAGE
    assert leader["callbacks"][-1]["comment"] == COMMENT

    auditor = api.get(Role.AUDITOR, f"/api/incidents/{incident}").json()
    assert auditor["notices"][-1]["message"] == "[personal]"
    assert auditor["callbacks"][-1]["comment"] == "[personal]"
    assert auditor["callbacks"][-1]["satisfaction"] == 4  # the rest stays visible

    # Not in the timeline (a view, stored), not in the database files at all.
    timeline = timeline_shown(api, incident, Role.LEADERSHIP)
    assert MESSAGE not in timeline and COMMENT not in timeline
    assert "[personal]" in timeline
    for role in (Role.AUDITOR, Role.RESPONDER):
        shown = everything_shown(api, incident, role)
        assert MESSAGE not in shown and COMMENT not in shown
    stored = database_bytes(settings)
    assert MESSAGE.encode() not in stored
    assert COMMENT.encode() not in stored


def test_unmarked_text_is_kept_as_it_was(api: Api) -> None:
    incident = api.report({**COMPLAINT, "reporter": PERSON})
    path = f"/api/incidents/{incident}"
    api.ok(Role.INTAKE, f"{path}/verify", {"note": "核实"})
    api.ok(Role.INTAKE, f"{path}/notify", {"channel": "sms", "message": "已派人处理"})
    shown = api.get(Role.AUDITOR, path).json()
    assert shown["notices"][-1]["message"] == "已派人处理"


def test_erasure_takes_the_marked_text_with_it(api: Api) -> None:
    incident = resolved_with_personal_text(api)
    assert erase(api, incident).status_code == 200
    for role in (Role.LEADERSHIP, Role.ADMIN):
        shown = everything_shown(api, incident, role)
        assert MESSAGE not in shown and COMMENT not in shown
    leader = api.get(Role.LEADERSHIP, f"/api/incidents/{incident}").json()
    assert leader["notices"][-1]["message"] == "[erased]"
    assert leader["callbacks"][-1]["comment"] == "[erased]"
    again = api.post(
        Role.INTAKE,
        f"/api/incidents/{incident}/callbacks",
        {"satisfaction": 5, "comment": "再次回访", "comment_is_personal": True},
    )
    assert (again.status_code, again.json()["error"]) == (409, "already_erased")


def test_text_can_be_marked_personal_only_where_there_is_a_reporter(api: Api) -> None:
    anonymous = {k: v for k, v in COMPLAINT.items() if k != "reporter"}
    incident = api.report(anonymous)
    path = f"/api/incidents/{incident}"
    api.ok(Role.INTAKE, f"{path}/verify", {"note": "核实"})
    refused = api.post(
        Role.INTAKE,
        f"{path}/notify",
        {"channel": "sms", "message": "您好", "message_is_personal": True},
    )
    assert (refused.status_code, refused.json()["error"]) == (422, "no_reporter")


def test_a_snapshot_taken_after_erasure_holds_no_marked_text(api: Api, settings: Settings) -> None:
    """The writer snapshots the incident it holds (every 50 events): one taken
    after the erasure must not seal the old text under a new key."""
    incident = resolved_with_personal_text(api)
    assert erase(api, incident).status_code == 200
    app = api.client.app.state.services.incidents  # type: ignore[attr-defined]
    while app.get_incident(UUID(incident)).version % 50:
        api.ok(Role.INTAKE, f"/api/incidents/{incident}/callbacks", {"satisfaction": 3})
    assert app.snapshots is not None
    assert [s.originator_version for s in app.snapshots.get(UUID(incident))] == [50]
    leader = api.get(Role.LEADERSHIP, f"/api/incidents/{incident}").json()
    assert leader["notices"][-1]["message"] == "[erased]"
    stored = database_bytes(settings)
    assert MESSAGE.encode() not in stored and COMMENT.encode() not in stored
    assert wrapped_keys(settings) == []  # no key was made again
