"""The water crisis of SCENARIOS.md §1 over HTTP against the real store.

Intake, leadership, responders, logistics and the spokesperson drive it as they
would: each test walks the crisis to one stage and checks one behaviour there
through GET /api/incidents/{id}; every refused command stores nothing.
"""

from typing import Any

from domain.vocabulary import Role
from tests.helpers import COMPLAINT, CRISIS, Api, auth, in_hours

L, IN, R, G, S, A = (
    Role.LEADERSHIP,
    Role.INTAKE,
    Role.RESPONDER,
    Role.LOGISTICS,
    Role.SPOKESPERSON,
    Role.AUDITOR,
)
RESOLUTION = {"resolution": "fixed", "summary": "更换滤芯，五点复检合格"}
REVIEW = {
    "root_cause": "滤芯更换周期过长",
    "lessons": "监测报警与热线激增应联动研判",
    "accountability": "水厂运维班组",
    "actions": [
        {"description": "滤芯更换周期改为3个月", "owner": "水厂", "due": in_hours(720)},
        {"description": "浊度报警接入指挥大屏", "owner": "信息中心", "due": in_hours(1440)},
    ],
}


def refused(api: Api, response: Any, status: int, code: str, stored_before: int) -> None:
    """A refused command answers the status and code, and stores nothing."""
    assert response.status_code == status, response.text
    assert response.json()["error"] == code
    assert response.json()["detail"]
    assert api.events_stored() == stored_before


class Case:
    """One incident as its users drive it; `url` and `state` speak in its terms."""

    def __init__(self, api: Api, body: dict[str, Any]) -> None:
        self.api = api
        self.id = api.report(body)

    def url(self, tail: str = "") -> str:
        return f"/api/incidents/{self.id}{tail}"

    def post(self, role: Role, tail: str, body: Any = None) -> Any:
        return self.api.post(role, self.url(tail), body)

    def ok(self, role: Role, tail: str, body: Any = None) -> dict[str, Any]:
        return self.api.ok(role, self.url(tail), body)

    def state(self, role: Role = L, query: str = "") -> dict[str, Any]:
        response = self.api.get(role, self.url(query))
        assert response.status_code == 200, response.text
        state: dict[str, Any] = response.json()
        return state

    def refused(self, role: Role, tail: str, body: Any, status: int, code: str) -> None:
        before = self.api.events_stored()
        refused(self.api, self.post(role, tail, body), status, code, before)


class WaterCrisis(Case):
    """The turbidity alarm of 3号加压泵站, stage by stage."""

    def __init__(self, api: Api) -> None:
        super().__init__(api, CRISIS)
        self.orders: dict[str, str] = {}
        self.requests: dict[str, str] = {}

    def graded(self) -> "WaterCrisis":
        self.ok(IN, "/verify", {"note": "与热线来电相互印证"})
        grade = {"severity": "III", "scope": "约2000户", "risk": "健康风险", "rationale": "较大"}
        self.ok(L, "/classify", grade)
        return self

    def activated(self) -> "WaterCrisis":
        self.ok(L, "/activate", {"plan": "供水水质污染应急预案", "commander": "王主任"})
        self.ok(L, "/roles", {"role": "spokesperson", "person": "孙发布"})
        self.ok(L, "/roles", {"role": "logistics", "person": "李后勤"})
        return self

    def ordered(self) -> "WaterCrisis":
        for name, assignee, instruction, hours in [
            ("sample", "市水质检测中心", "五点取样检测", 2),
            ("water", "后勤保障组", "向阳光花园配送桶装水", 1),
            ("filter", "水厂工程师", "检查滤池滤芯", 4),
            ("twice", "市水质检测中心", "五点取样检测", 2),
        ]:
            body = {"assignee": assignee, "instruction": instruction, "deadline": in_hours(hours)}
            self.orders[name] = self.ok(L, "/orders", {**body, "priority": "urgent"})["order_id"]
        return self

    def order(self, name: str, action: str, role: Role = R, body: Any = None) -> dict[str, Any]:
        return self.ok(role, f"/orders/{self.orders[name]}/{action}", body)

    def orders_done(self, but: str = "") -> "WaterCrisis":
        """Acknowledged by responders, one reassigned, one cancelled, the rest completed."""
        for name in ("sample", "water", "filter"):
            self.order(name, "acknowledge")
        self.order("sample", "progress", body={"note": "已取3点", "percent": 60})
        self.order("filter", "reassign", L, {"assignee": "二号检修队", "reason": "工程师在外"})
        self.order("twice", "cancel", L, {"reason": "与取样指令重复"})
        for name in ("sample", "water", "filter"):
            if name != but:
                self.order(name, "complete", body={"outcome": f"{name} 完成"})
        return self

    def request(self, name: str, resource: str, item: str, quantity: int) -> str:
        body = {"resource": resource, "item": item, "quantity": quantity}
        body |= {"needed_by": in_hours(1), "purpose": "阳光花园小区临时供水"}
        self.requests[name] = self.ok(R, "/logistics", body)["request_id"]
        return self.requests[name]

    def logistics(self, name: str, action: str, body: Any = None) -> dict[str, Any]:
        return self.ok(G, f"/logistics/{self.requests[name]}/{action}", body or {})

    def supplied(self) -> "WaterCrisis":
        """Bottled water delivered, a generator delivered (still out), a tanker declined."""
        for name, resource, item, quantity in [
            ("water", "supplies", "桶装水", 200),
            ("generator", "equipment", "发电机", 1),
        ]:
            self.request(name, resource, item, quantity)
            self.logistics(name, "allocate", {"source": "2号仓库"})
            self.logistics(name, "deliver")
        self.request("tanker", "vehicles", "水罐车", 2)
        self.logistics("tanker", "decline", {"note": "车辆已全部派出"})
        return self

    def responded(self) -> "WaterCrisis":
        return self.graded().activated().ordered().orders_done().supplied()

    def resolved(self) -> "WaterCrisis":
        self.ok(L, "/resolve", RESOLUTION)
        return self

    def closed(self) -> "WaterCrisis":
        self.logistics("generator", "return", {"note": "已收回"})
        self.ok(L, "/close", {"note": "结案"})
        return self


def complaint(api: Api, title: str = COMPLAINT["title"]) -> Case:
    case = Case(api, {**COMPLAINT, "title": title})
    case.ok(IN, "/verify", {"note": "回拨确认"})
    return case


def orders_of(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {order["order_id"]: order for order in state["orders"]}


def test_a_monitoring_alarm_is_verified_and_graded_III_and_the_crisis_responds(api: Api) -> None:
    crisis = WaterCrisis(api)
    assert (crisis.state()["status"], crisis.state()["severity"]) == ("reported", None)
    shown = crisis.graded().state()
    assert (shown["kind"], shown["status"], shown["severity"]) == ("crisis", "responding", "III")


def test_activating_the_plan_names_the_commander_and_the_posts_are_filled(api: Api) -> None:
    shown = WaterCrisis(api).graded().activated().state()
    assert (shown["plan"], shown["commander"]) == ("供水水质污染应急预案", "王主任")
    assert shown["roles"] == {
        "commander": "王主任",
        "spokesperson": "孙发布",
        "logistics": "李后勤",
    }


def test_a_relieved_post_is_empty_and_cannot_be_relieved_twice(api: Api) -> None:
    crisis = WaterCrisis(api).graded().activated()
    response = api.client.delete(crisis.url("/roles/logistics"), headers=auth(api.tokens[L]))
    assert response.status_code == 200, response.text
    assert "logistics" not in crisis.state()["roles"]
    before = api.events_stored()
    again = api.client.delete(crisis.url("/roles/logistics"), headers=auth(api.tokens[L]))
    refused(api, again, 409, "role_not_assigned", before)


def test_a_responder_acknowledges_an_order_and_reports_its_progress(api: Api) -> None:
    crisis = WaterCrisis(api).graded().activated().ordered()
    crisis.order("sample", "acknowledge")
    crisis.order("sample", "progress", body={"note": "已取3点", "percent": 60})
    order = orders_of(crisis.state())[crisis.orders["sample"]]
    assert (order["status"], order["percent"], order["progress_note"]) == (
        "acknowledged",
        60,
        "已取3点",
    )
    assert order["acknowledged_at"] is not None
    crisis.refused(
        R, f"/orders/{crisis.orders['sample']}/acknowledge", None, 409, "order_already_acknowledged"
    )
    back = {"note": "重新取样", "percent": 30}
    crisis.refused(R, f"/orders/{crisis.orders['sample']}/progress", back, 422, "percent_went_back")


def test_reassigning_an_order_resets_its_acknowledgement(api: Api) -> None:
    crisis = WaterCrisis(api).graded().activated().ordered()
    crisis.order("filter", "acknowledge")
    crisis.order("filter", "reassign", L, {"assignee": "二号检修队", "reason": "工程师在外"})
    order = orders_of(crisis.state())[crisis.orders["filter"]]
    assert (order["assignee"], order["previous_assignees"]) == ("二号检修队", ["水厂工程师"])
    assert (order["status"], order["acknowledged_at"]) == ("issued", None)


def test_every_order_ends_completed_or_cancelled_and_then_stays_closed(api: Api) -> None:
    crisis = WaterCrisis(api).graded().activated().ordered().orders_done()
    orders = orders_of(crisis.state())
    statuses = {name: orders[order_id]["status"] for name, order_id in crisis.orders.items()}
    assert statuses == {
        "sample": "completed",
        "water": "completed",
        "filter": "completed",
        "twice": "cancelled",
    }
    assert orders[crisis.orders["twice"]]["cancel_reason"] == "与取样指令重复"
    done = {"outcome": "又完成了"}
    crisis.refused(R, f"/orders/{crisis.orders['twice']}/complete", done, 409, "order_not_open")


def test_resolve_is_refused_while_an_order_is_open(api: Api) -> None:
    crisis = WaterCrisis(api).graded().activated().ordered().orders_done(but="filter")
    crisis.refused(L, "/resolve", RESOLUTION, 409, "orders_open")
    assert crisis.state()["status"] == "responding"
    crisis.order("filter", "complete", body={"outcome": "滤芯已更换"})
    crisis.ok(L, "/resolve", RESOLUTION)
    assert (crisis.state()["status"], crisis.state()["resolution"]) == ("resolved", "fixed")


def test_logistics_are_allocated_delivered_returned_or_declined(api: Api) -> None:
    crisis = WaterCrisis(api).graded().activated().supplied()
    requests = {r["request_id"]: r for r in crisis.state()["logistics"]}
    water, generator, tanker = (
        requests[crisis.requests[n]] for n in ("water", "generator", "tanker")
    )
    assert (water["status"], water["source"], water["delivered_quantity"], water["settled"]) == (
        "delivered",
        "2号仓库",
        200,
        True,
    )
    assert (generator["status"], generator["settled"]) == ("delivered", False)
    assert (tanker["status"], tanker["settled"], tanker["note"]) == (
        "declined",
        True,
        "车辆已全部派出",
    )
    crisis.logistics("generator", "return", {"note": "已收回"})
    generator = {r["request_id"]: r for r in crisis.state()["logistics"]}[
        crisis.requests["generator"]
    ]
    assert (generator["status"], generator["returned_quantity"], generator["settled"]) == (
        "returned",
        1,
        True,
    )


def test_the_spokespersons_statement_holds_on_each_channel_until_a_later_one_supersedes_it(
    api: Api,
) -> None:
    crisis = WaterCrisis(api).graded().activated()
    first = ["official_account", "hotline_ivr", "community_notice"]
    crisis.ok(S, "/statements", {"channels": first, "text": "正在抢修", "approved_by": "王主任"})
    later = {"channels": ["hotline_ivr"], "text": "已恢复供水", "approved_by": "王主任"}
    crisis.ok(S, "/statements", later)
    shown = crisis.state()
    assert [s["text"] for s in shown["statements"]] == ["正在抢修", "已恢复供水"]
    assert {channel: s["text"] for channel, s in shown["statement_by_channel"].items()} == {
        "official_account": "正在抢修",
        "hotline_ivr": "已恢复供水",
        "community_notice": "正在抢修",
    }
    assert shown["statements"][0]["published_by"] == "spokesperson-user"


def test_close_is_refused_while_the_generator_is_still_out(api: Api) -> None:
    crisis = WaterCrisis(api).responded().resolved()
    crisis.refused(L, "/close", {"note": "结案"}, 409, "logistics_outstanding")
    crisis.logistics("generator", "return", {"note": "已收回"})
    crisis.ok(L, "/close", {"note": "结案"})
    assert crisis.state()["status"] == "closed"


def test_complaints_are_verified_and_linked_to_the_crisis(api: Api) -> None:
    crisis = WaterCrisis(api).graded()
    calls = [complaint(api), complaint(api, "水压低，水有异味")]
    for call in calls:
        call.ok(IN, "/link", {"parent_id": crisis.id})
        shown = call.state(IN)
        assert (shown["status"], shown["parent_id"]) == ("verified", crisis.id)
        assert shown["reporter"]["phone"] == "13812345678"
    calls[0].refused(IN, "/link", {"parent_id": crisis.id}, 409, "already_linked")


def test_a_rumour_and_a_duplicate_are_dismissed(api: Api) -> None:
    original = complaint(api)
    rumour = Case(api, {**COMPLAINT, "title": "听说水厂被投毒"})
    rumour.ok(IN, "/dismiss", {"reason": "rumour", "note": "已向来电人澄清"})
    twin = Case(api, COMPLAINT)
    twin.refused(IN, "/dismiss", {"reason": "duplicate"}, 422, "duplicate_of_needed")
    twin.ok(IN, "/dismiss", {"reason": "duplicate", "duplicate_of": original.id})
    assert (rumour.state()["status"], rumour.state()["dismiss_reason"]) == ("dismissed", "rumour")
    shown = twin.state()
    assert (shown["dismiss_reason"], shown["duplicate_of"]) == ("duplicate", original.id)
    rumour.refused(IN, "/verify", {"note": "再核实"}, 409, "incident_dismissed")


def told_and_closed(call: Case) -> None:
    call.ok(IN, "/resolve", {"resolution": "fixed", "summary": "已恢复正常供水"})
    call.refused(IN, "/close", {}, 409, "customer_not_notified")
    call.ok(IN, "/notify", {"channel": "sms", "message": "您反映的水质问题已处理"})
    assert call.state(IN)["notified_of_result"] is True
    call.ok(IN, "/close", {"note": "已告知结果"})


def test_a_complaint_closes_only_once_the_customer_was_told_the_result(api: Api) -> None:
    call = complaint(api)
    call.ok(IN, "/notify", {"channel": "sms", "message": "正在抢修，请暂勿饮用"})
    shown = call.state(IN)
    assert (len(shown["notices"]), shown["notified_of_result"]) == (1, False)
    told_and_closed(call)
    assert call.state(IN)["status"] == "closed"


def test_an_unhappy_callback_reopens_the_complaint_until_it_is_told_again(api: Api) -> None:
    call = complaint(api)
    told_and_closed(call)
    call.ok(IN, "/callbacks", {"satisfaction": 2, "comment": "仍有异味", "via": "phone"})
    call.ok(IN, "/reopen", {"reason": "回访不满意"})
    shown = call.state(IN)
    assert (shown["status"], shown["reopened"], shown["notified_of_result"]) == (
        "responding",
        1,
        False,
    )
    assert [c["satisfaction"] for c in shown["callbacks"]] == [2]
    told_and_closed(call)
    call.ok(IN, "/callbacks", {"satisfaction": 5, "via": "phone"})
    shown = call.state(IN)
    assert (shown["status"], [c["satisfaction"] for c in shown["callbacks"]]) == ("closed", [2, 5])


def test_the_closed_crisis_is_reviewed_with_two_improvement_actions(api: Api) -> None:
    crisis = WaterCrisis(api).responded().resolved().closed()
    answer = crisis.ok(L, "/review", REVIEW)
    shown = crisis.state(A)
    assert shown["status"] == "reviewed"
    assert shown["review"]["root_cause"] == "滤芯更换周期过长"
    assert [a["action_id"] for a in shown["improvements"]] == answer["action_ids"]
    assert [a["owner"] for a in shown["improvements"]] == ["水厂", "信息中心"]
    assert all(a["completed_at"] is None for a in shown["improvements"])


def test_an_improvement_action_is_completed_only_once(api: Api) -> None:
    crisis = WaterCrisis(api).responded().resolved().closed()
    first, second = crisis.ok(L, "/review", REVIEW)["action_ids"]
    crisis.ok(L, f"/improvements/{first}/complete", {"note": "已修订规程"})
    done = {a["action_id"]: a["completed_at"] for a in crisis.state()["improvements"]}
    assert done[first] is not None and done[second] is None
    crisis.refused(L, f"/improvements/{first}/complete", {}, 409, "improvement_already_completed")


def test_a_review_is_refused_until_the_incident_is_closed(api: Api) -> None:
    crisis = WaterCrisis(api).graded()
    crisis.refused(L, "/review", REVIEW, 409, "not_closed")
    crisis.activated().ordered().orders_done().supplied().resolved()
    crisis.refused(L, "/review", REVIEW, 409, "not_closed")


def test_regrading_II_then_III_then_II_keeps_each_grade_as_its_own_event(api: Api) -> None:
    crisis = WaterCrisis(api)
    crisis.ok(IN, "/verify", {"note": "回拨确认"})
    for severity in ("II", "III", "II"):
        before = api.events_stored()
        crisis.ok(L, "/classify", {"severity": severity, "rationale": "研判调整"})
        assert api.events_stored() == before + 1
    grades = [crisis.state(A, f"?version={v}")["severity"] for v in (2, 3, 4, 5)]
    assert grades == [None, "II", "III", "II"]
    assert (crisis.state()["version"], crisis.state()["severity"]) == (5, "II")


def test_responders_and_auditors_see_the_reporter_masked_intake_and_leadership_in_full(
    api: Api,
) -> None:
    call = complaint(api)
    call.ok(IN, "/link", {"parent_id": WaterCrisis(api).graded().id})
    for role in (R, A):
        for query in ("", "?version=1"):
            reporter = call.state(role, query)["reporter"]
            assert (reporter["name"], reporter["phone"]) == ("张**", "138****5678")
            assert reporter["email"] == "z***@example.cn"
    for role in (IN, L):
        assert call.state(role)["reporter"] == COMPLAINT["reporter"]
