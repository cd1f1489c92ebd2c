"""Every command of the public contract: its route and a body that is valid.

Ids in paths are filled from a `World`: an incident of each kind the commands
need. The permission and bad-input tests walk this one list.
"""

from dataclasses import dataclass
from typing import Any

from tests.helpers import COMPLAINT, in_hours


@dataclass(frozen=True)
class World:
    complaint: str
    crisis: str
    order: str
    request: str
    action: str


@dataclass(frozen=True)
class Route:
    command: str
    method: str
    path: str  # with {complaint}, {crisis}, {order}, {request}, {action}
    body: dict[str, Any] | None

    def url(self, world: World) -> str:
        return self.path.format(**vars(world))


def _on(path: str) -> str:
    return "/api/incidents/{crisis}" + path


ROUTES: tuple[Route, ...] = (
    Route("report", "POST", "/api/incidents", COMPLAINT),
    Route("verify", "POST", "/api/incidents/{complaint}/verify", {"note": "回拨确认"}),
    Route("dismiss", "POST", "/api/incidents/{complaint}/dismiss", {"reason": "rumour"}),
    Route("link", "POST", "/api/incidents/{complaint}/link", {"parent_id": "{crisis}"}),
    Route("classify", "POST", _on("/classify"), {"severity": "II", "rationale": "医院受影响"}),
    Route("activate", "POST", _on("/activate"), {"plan": "供水预案", "commander": "王主任"}),
    Route("assign_role", "POST", _on("/roles"), {"role": "spokesperson", "person": "孙发布"}),
    Route("relieve_role", "DELETE", _on("/roles/spokesperson"), None),
    Route(
        "issue_order",
        "POST",
        _on("/orders"),
        {"assignee": "检测中心", "instruction": "五点取样", "deadline": in_hours(2)},
    ),
    Route("acknowledge_order", "POST", _on("/orders/{order}/acknowledge"), None),
    Route(
        "progress_order",
        "POST",
        _on("/orders/{order}/progress"),
        {"note": "已取3点", "percent": 60},
    ),
    Route(
        "reassign_order",
        "POST",
        _on("/orders/{order}/reassign"),
        {"assignee": "二号检测队", "reason": "一队无法到场"},
    ),
    Route("complete_order", "POST", _on("/orders/{order}/complete"), {"outcome": "五点合格"}),
    Route("cancel_order", "POST", _on("/orders/{order}/cancel"), {"reason": "重复指令"}),
    Route(
        "post_response",
        "POST",
        _on("/responses"),
        {"note": "已到达现场", "status": "on_scene"},
    ),
    Route(
        "request_logistics",
        "POST",
        _on("/logistics"),
        {
            "resource": "supplies",
            "item": "桶装水",
            "quantity": 200,
            "needed_by": in_hours(1),
            "purpose": "阳光花园小区临时供水",
        },
    ),
    Route(
        "allocate_logistics", "POST", _on("/logistics/{request}/allocate"), {"source": "2号仓库"}
    ),
    Route("deliver_logistics", "POST", _on("/logistics/{request}/deliver"), {}),
    Route("return_logistics", "POST", _on("/logistics/{request}/return"), {}),
    Route("decline_logistics", "POST", _on("/logistics/{request}/decline"), {"note": "库存不足"}),
    Route(
        "publish_statement",
        "POST",
        _on("/statements"),
        {"channels": ["official_account"], "text": "正在抢修", "approved_by": "王主任"},
    ),
    Route("notify_customer", "POST", _on("/notify"), {"channel": "sms", "message": "已恢复供水"}),
    Route("record_callback", "POST", _on("/callbacks"), {"satisfaction": 5, "via": "phone"}),
    Route("resolve", "POST", _on("/resolve"), {"resolution": "fixed", "summary": "更换滤芯"}),
    Route("close", "POST", _on("/close"), {"note": "结案"}),
    Route("reopen", "POST", _on("/reopen"), {"reason": "回访不满意"}),
    Route("erase_personal_data", "POST", _on("/erase"), {"reason": "本人申请删除个人信息"}),
    Route(
        "record_review",
        "POST",
        _on("/review"),
        {
            "root_cause": "滤芯更换周期过长",
            "lessons": "缩短周期",
            "actions": [{"description": "周期改为3个月", "owner": "水厂", "due": in_hours(720)}],
        },
    ),
    Route(
        "complete_improvement", "POST", _on("/improvements/{action}/complete"), {"note": "已完成"}
    ),
)


def body_for(route: Route, world: World) -> dict[str, Any] | None:
    if route.body is None:
        return None
    return {
        key: value.format(**vars(world)) if isinstance(value, str) and "{" in value else value
        for key, value in route.body.items()
    }
