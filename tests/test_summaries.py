"""The after-action timeline's sentences: one per event, in Chinese or English.

Params are made the way the timeline stores them: a real event is built, and
its payload goes through orjson, so ids, times and enums arrive as strings.
"""

import dataclasses
import re
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from typing import Any, get_args, get_type_hints
from uuid import UUID

import orjson
import pytest
from eventsourcing.domain import Aggregate

# Imported for their event classes: IncidentEvent knows its subclasses once they are loaded.
import domain.contact
import domain.incident
import domain.leadership
import domain.logistics
import domain.orders
import domain.review
from domain.event import IncidentEvent
from domain.review import Improvement
from domain.vocabulary import (
    Channel,
    CommandRole,
    ContactChannel,
    DismissReason,
    Kind,
    Priority,
    Resolution,
    Resource,
    ResponseStatus,
    Role,
    Severity,
    StatementChannel,
)
from projections import timeline
from projections.summaries import LANGUAGES, WORDS, Language, language_from, summarize
from projections.timeline import NOT_PARAMS

AT = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
# Ids of digits only, so the one-language checks can tell our words from the params.
INCIDENT = UUID("10000000-0000-4000-8000-000000000000")
ORIGINAL = UUID("20000000-0000-4000-8000-000000000000")
CRISIS = UUID("30000000-0000-4000-8000-000000000000")
ORDER = UUID("40000000-0000-4000-8000-000000000000")
REQUEST = UUID("50000000-0000-4000-8000-000000000000")
ACTION = UUID("60000000-0000-4000-8000-000000000000")


CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
LATIN = re.compile(r"[A-Za-z]")


def event_classes() -> set[type[IncidentEvent]]:
    found: set[type[IncidentEvent]] = set()
    pending = [IncidentEvent]
    while pending:
        for subclass in pending.pop().__subclasses__():
            found.add(subclass)
            pending.append(subclass)
    return found


def params_of(event_class: type[IncidentEvent], fields: dict[str, Any]) -> dict[str, Any]:
    """Build the event for real, then keep its payload as the timeline does."""
    envelope: dict[str, Any] = {
        "originator_id": INCIDENT,
        "originator_version": 1,
        "timestamp": AT,
        "actor": "李客服",
        "role": Role.INTAKE,
    }
    if issubclass(event_class, Aggregate.Created):
        envelope["originator_topic"] = "domain.incident:Incident"
    event = event_class(**envelope, **fields)
    loaded: dict[str, Any] = orjson.loads(orjson.dumps(timeline.params_of(event)))
    return loaded


# One realistic event of each class, as keyword arguments of its constructor.
EXAMPLES: dict[type[IncidentEvent], dict[str, Any]] = {
    domain.incident.Reported: {
        "kind": Kind.COMPLAINT,
        "channel": Channel.HOTLINE,
        "category": "供水水质",
        "title": "自来水发黄",
        "description": "来电人反映水发黄、有异味",
        "location": "阳光花园 5栋",
        "reporter": None,
        "received_at": AT - timedelta(minutes=20),
    },
    domain.incident.Verified: {"note": "回拨确认"},
    domain.incident.Dismissed: {
        "reason": DismissReason.DUPLICATE,
        "duplicate_of": ORIGINAL,
        "note": "同一小区已登记",
    },
    domain.incident.Linked: {"parent_id": CRISIS},
    domain.leadership.Classified: {
        "severity": Severity.II,
        "scope": "两个小区",
        "risk": "舆情扩散",
        "rationale": "医院受影响",
    },
    domain.leadership.CommandActivated: {"plan": "供水预案", "commander": "王主任"},
    domain.leadership.RoleAssigned: {
        "command_role": CommandRole.SPOKESPERSON,
        "person": "孙发布",
    },
    domain.leadership.RoleRelieved: {"command_role": CommandRole.DEPUTY, "person": "刘副主任"},
    domain.orders.OrderIssued: {
        "order_id": ORDER,
        "assignee": "王工",
        "instruction": "关闭阀门",
        "deadline": datetime(2026, 11, 26, 14, 0, tzinfo=UTC),
        "priority": Priority.HIGH,
    },
    domain.orders.OrderAcknowledged: {"order_id": ORDER},
    domain.orders.OrderProgressed: {"order_id": ORDER, "note": "已取3点", "percent": 60},
    domain.orders.OrderReassigned: {
        "order_id": ORDER,
        "assignee": "抢修二队",
        "reason": "一队在外",
    },
    domain.orders.OrderCompleted: {"order_id": ORDER, "outcome": "阀门已关闭"},
    domain.orders.OrderCancelled: {"order_id": ORDER, "reason": "已由水厂处理"},
    domain.incident.ResponsePosted: {
        "note": "到达现场",
        "status": ResponseStatus.ON_SCENE,
        "customer_contacted": True,
        "occurred_at": AT - timedelta(minutes=30),
    },
    domain.logistics.LogisticsRequested: {
        "request_id": REQUEST,
        "resource": Resource.EQUIPMENT,
        "item": "抽水泵",
        "quantity": 3,
        "needed_by": datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
        "purpose": "排水",
    },
    domain.logistics.LogisticsAllocated: {
        "request_id": REQUEST,
        "quantity": 3,
        "source": "二号仓库",
        "note": "下午送到",
    },
    domain.logistics.LogisticsDelivered: {"request_id": REQUEST, "quantity": 2, "note": ""},
    domain.logistics.LogisticsReturned: {"request_id": REQUEST, "quantity": 2, "note": "完好"},
    domain.logistics.LogisticsDeclined: {"request_id": REQUEST, "note": "库存不足"},
    domain.contact.StatementPublished: {
        "channels": [StatementChannel.OFFICIAL_ACCOUNT, StatementChannel.SMS],
        "text": "今日18时前恢复供水",
        "approved_by": "王主任",
    },
    domain.contact.CustomerNotified: {"channel": ContactChannel.PHONE, "message": "已恢复供水"},
    domain.contact.CallbackRecorded: {
        "satisfaction": 4,
        "comment": "处理及时",
        "via": ContactChannel.IN_PERSON,
    },
    domain.contact.PersonalDataErased: {"reason": "本人来电申请删除", "key_id": ACTION},
    domain.incident.Resolved: {"resolution": Resolution.FIXED, "summary": "更换阀门，水质达标"},
    domain.incident.Closed: {"note": "客户已确认"},
    domain.incident.Reopened: {"reason": "水又发黄"},
    domain.review.ReviewRecorded: {
        "root_cause": "阀门老化",
        "lessons": "定期巡检",
        "accountability": "维修班",
        "actions": [
            Improvement(ACTION, "更换同批阀门", "维修班", AT + timedelta(days=30)),
            Improvement(UUID(int=7), "修订巡检制度", "运营部", AT + timedelta(days=60)),
        ],
    },
    domain.review.ImprovementCompleted: {"action_id": ACTION, "note": "已全部更换"},
}

# The sentences: what leadership and auditors read on the timeline.
SENTENCES: dict[type[IncidentEvent], tuple[str, str]] = {
    domain.incident.Reported: (
        "登记投诉：自来水发黄（热线电话，供水水质，阳光花园 5栋，11月26日 07:40 收到）",
        "Complaint reported: 自来水发黄 (hotline, 供水水质, 阳光花园 5栋, received 26 Nov 07:40)",
    ),
    domain.incident.Verified: ("核实属实：回拨确认", "Report verified: 回拨确认"),
    domain.incident.Dismissed: (
        "驳回报告（重复报告，原报告 20000000）：同一小区已登记",
        "Report dismissed (duplicate of 20000000): 同一小区已登记",
    ),
    domain.incident.Linked: ("关联到突发事件 30000000", "Linked to crisis 30000000"),
    domain.leadership.Classified: (
        "定级为Ⅱ级（重大）：医院受影响；范围：两个小区；风险：舆情扩散",
        "Graded level II (serious): 医院受影响; scope: 两个小区; risk: 舆情扩散",
    ),
    domain.leadership.CommandActivated: (
        "启动应急预案：供水预案，指挥长 王主任",
        "Response plan activated: 供水预案, commander 王主任",
    ),
    domain.leadership.RoleAssigned: (
        "任命 孙发布 为新闻发言人",
        "孙发布 assigned as spokesperson",
    ),
    domain.leadership.RoleRelieved: (
        "免去 刘副主任 的副指挥长职务",
        "刘副主任 relieved as deputy commander",
    ),
    domain.orders.OrderIssued: (
        "向 王工 下达指令 40000000：关闭阀门（期限 11月26日 14:00，优先级 高）",
        "Order 40000000 to 王工: 关闭阀门 (due 26 Nov 14:00, priority high)",
    ),
    domain.orders.OrderAcknowledged: ("确认接收指令 40000000", "Order 40000000 acknowledged"),
    domain.orders.OrderProgressed: (
        "指令 40000000 进展（60%）：已取3点",
        "Order 40000000 progress (60%): 已取3点",
    ),
    domain.orders.OrderReassigned: (
        "指令 40000000 改派给 抢修二队：一队在外",
        "Order 40000000 reassigned to 抢修二队: 一队在外",
    ),
    domain.orders.OrderCompleted: (
        "指令 40000000 已完成：阀门已关闭",
        "Order 40000000 completed: 阀门已关闭",
    ),
    domain.orders.OrderCancelled: (
        "撤销指令 40000000：已由水厂处理",
        "Order 40000000 cancelled: 已由水厂处理",
    ),
    domain.incident.ResponsePosted: (
        "处置进展（已到达现场）：到达现场；已联系客户；实际发生于 11月26日 07:30",
        (
            "Response update (on scene): 到达现场; customer contacted; "
            "actually happened at 26 Nov 07:30"
        ),
    ),
    domain.logistics.LogisticsRequested: (
        "申请后勤保障 50000000：3 × 抽水泵（设备），用途：排水，需 11月26日 12:00 前到位",
        "Logistics request 50000000: 3 × 抽水泵 (equipment) for 排水, needed by 26 Nov 12:00",
    ),
    domain.logistics.LogisticsAllocated: (
        "后勤申请 50000000 已调配，数量 3，来自 二号仓库；下午送到",
        "Logistics request 50000000: 3 allocated from 二号仓库; 下午送到",
    ),
    domain.logistics.LogisticsDelivered: (
        "后勤申请 50000000 已送达，数量 2",
        "Logistics request 50000000: 2 delivered",
    ),
    domain.logistics.LogisticsReturned: (
        "后勤申请 50000000 已归还，数量 2；完好",
        "Logistics request 50000000: 2 returned; 完好",
    ),
    domain.logistics.LogisticsDeclined: (
        "后勤申请 50000000 未予保障：库存不足",
        "Logistics request 50000000 declined: 库存不足",
    ),
    domain.contact.StatementPublished: (
        "通过官方公众号、短信发布统一口径：今日18时前恢复供水（审批人 王主任）",
        "Statement published on official account, SMS: 今日18时前恢复供水 (approved by 王主任)",
    ),
    domain.contact.CustomerNotified: (
        "通过电话告知客户：已恢复供水",
        "Customer notified by phone: 已恢复供水",
    ),
    domain.contact.PersonalDataErased: (
        "删除报告人个人信息：本人来电申请删除",
        "Reporter's personal data erased: 本人来电申请删除",
    ),
    domain.contact.CallbackRecorded: (
        "当面回访客户：满意度 4/5，处理及时",
        "Customer called back in person: satisfaction 4/5, 处理及时",
    ),
    domain.incident.Resolved: (
        "办结（已修复）：更换阀门，水质达标",
        "Resolved (fixed): 更换阀门，水质达标",
    ),
    domain.incident.Closed: ("关闭事件：客户已确认", "Incident closed: 客户已确认"),
    domain.incident.Reopened: ("重新打开事件：水又发黄", "Incident reopened: 水又发黄"),
    domain.review.ReviewRecorded: (
        "完成事后总结：根本原因为阀门老化；整改措施 2 项",
        "After-action review recorded: root cause 阀门老化; 2 improvement actions",
    ),
    domain.review.ImprovementCompleted: (
        "整改措施 60000000 已完成：已全部更换",
        "Improvement action 60000000 completed: 已全部更换",
    ),
}


def summaries(event_class: type[IncidentEvent], **changes: Any) -> tuple[str, str]:
    """The zh and en sentences for the class's example, with some fields changed."""
    params = params_of(event_class, {**EXAMPLES[event_class], **changes})
    name = event_class.__name__
    return summarize(name, params, "zh"), summarize(name, params, "en")


def generic(event_type: str, language: Language) -> str:
    return summarize("NoSuchEvent", {}, language).replace("NoSuchEvent", event_type)


# -- every event, in both languages -------------------------------------------------------


@pytest.mark.parametrize("event_class", SENTENCES, ids=lambda c: c.__name__)
def test_each_event_reads_as_one_sentence_in_each_language(
    event_class: type[IncidentEvent],
) -> None:
    assert summaries(event_class) == SENTENCES[event_class]


def test_every_event_class_of_the_domain_has_a_summary_of_its_own() -> None:
    classes = event_classes()
    assert domain.incident.Reported in classes
    assert classes == set(EXAMPLES) == set(SENTENCES), "give each new event an example"
    for event_class in classes:
        name = event_class.__name__
        params = params_of(event_class, EXAMPLES[event_class])
        for language in LANGUAGES:
            sentence = summarize(name, params, language)
            assert sentence
            assert sentence != generic(name, language), f"{name} has no summary"


def without_text(fields: dict[str, Any]) -> dict[str, Any]:
    """The same fields with every piece of text made of digits."""

    def neutral(value: Any) -> Any:
        if isinstance(value, str):
            return "123"
        if isinstance(value, Improvement):
            return dataclasses.replace(value, description="4", owner="5")
        if isinstance(value, list):
            return [neutral(v) for v in value]
        return value

    return {key: neutral(value) for key, value in fields.items()}


@pytest.mark.parametrize("event_class", EXAMPLES, ids=lambda c: c.__name__)
def test_a_sentence_never_mixes_the_two_languages(event_class: type[IncidentEvent]) -> None:
    params = params_of(event_class, without_text(EXAMPLES[event_class]))
    zh = summarize(event_class.__name__, params, "zh")
    en = summarize(event_class.__name__, params, "en")
    assert CJK.search(zh) and not LATIN.search(zh), zh
    assert LATIN.search(en) and not CJK.search(en), en


# -- the vocabulary -----------------------------------------------------------------------


def enum_of(hint: Any) -> type[Enum] | None:
    """The enum in a field's type: `Kind`, `list[StatementChannel]`, `Severity | None`."""
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    return next((e for arg in get_args(hint) if (e := enum_of(arg)) is not None), None)


def enum_fields() -> list[tuple[type[IncidentEvent], str, type[Enum]]]:
    """Every payload field of every event that holds vocabulary, with its enum."""
    found = []
    for event_class in sorted(event_classes(), key=lambda c: c.__name__):
        for field, hint in get_type_hints(event_class).items():
            enum = enum_of(hint)
            if enum is not None and field not in NOT_PARAMS:
                found.append((event_class, field, enum))
    return found


def test_the_vocabulary_in_events_is_what_the_word_tables_cover() -> None:
    used = {enum for _, _, enum in enum_fields()}
    expected = {
        Severity,
        Kind,
        Channel,
        DismissReason,
        Resolution,
        ResponseStatus,
        Resource,
        StatementChannel,
        ContactChannel,
        CommandRole,
        Priority,
    }
    assert used == expected == set(WORDS)


@pytest.mark.parametrize("enum", list(WORDS), ids=lambda e: e.__name__)
def test_every_value_of_the_vocabulary_has_words_in_both_languages(enum: type[Enum]) -> None:
    assert set(WORDS[enum]) == set(enum)
    for member in enum:
        words = WORDS[enum][member]
        assert CJK.search(words.zh) and not LATIN.search(words.zh), words
        assert LATIN.search(words.en) and not CJK.search(words.en), words


@pytest.mark.parametrize(
    ("event_class", "field", "enum"),
    enum_fields(),
    ids=lambda x: getattr(x, "__name__", x),
)
def test_every_value_is_put_into_words_where_an_event_holds_it(
    event_class: type[IncidentEvent], field: str, enum: type[Enum]
) -> None:
    for member in enum:
        value = [member] if field == "channels" else member
        changes: dict[str, Any] = {field: value}
        if event_class is domain.incident.Dismissed:
            changes["duplicate_of"] = None
        zh, en = summaries(event_class, **changes)
        assert WORDS[enum][member].zh in zh
        assert WORDS[enum][member].en.lower() in en.lower()  # it may open the sentence


def test_severity_is_written_with_roman_numeral_characters_in_chinese() -> None:
    zh, en = summaries(domain.leadership.Classified, severity=Severity.I, rationale="")
    assert zh.startswith("定级为Ⅰ级（特别重大）")
    assert en.startswith("Graded level I (especially serious)")


# -- what the sentences say ---------------------------------------------------------------


def test_a_late_field_update_says_when_it_really_happened() -> None:
    zh, en = summaries(domain.incident.ResponsePosted, occurred_at=None, customer_contacted=False)
    assert zh == "处置进展（已到达现场）：到达现场"
    assert en == "Response update (on scene): 到达现场"


def test_a_dismissal_that_is_not_a_duplicate_names_only_its_reason() -> None:
    zh, en = summaries(
        domain.incident.Dismissed, reason=DismissReason.RUMOUR, duplicate_of=None, note=""
    )
    assert (zh, en) == ("驳回报告（谣言）", "Report dismissed (rumour)")


def test_progress_without_a_percentage() -> None:
    zh, en = summaries(domain.orders.OrderProgressed, percent=None)
    assert (zh, en) == ("指令 40000000 进展：已取3点", "Order 40000000 progress: 已取3点")


def test_a_review_counts_its_improvement_actions() -> None:
    one = EXAMPLES[domain.review.ReviewRecorded]["actions"][:1]
    assert summaries(domain.review.ReviewRecorded, actions=one)[1].endswith(
        "; 1 improvement action"
    )
    zh, en = summaries(domain.review.ReviewRecorded, actions=[])
    assert zh.endswith("整改措施 0 项")
    assert en.endswith("0 improvement actions")


def test_times_are_shown_in_utc_whatever_their_offset() -> None:
    beijing = datetime(2026, 11, 27, 14, 30, tzinfo=timezone(timedelta(hours=8)))
    zh, en = summaries(domain.orders.OrderIssued, deadline=beijing)
    assert "期限 11月27日 06:30" in zh
    assert "due 27 Nov 06:30" in en


def test_a_time_that_cannot_be_read_is_shown_as_stored() -> None:
    params = {"order_id": str(ORDER), "assignee": "王工", "deadline": "明天中午"}
    assert summarize("OrderIssued", params, "en") == "Order 40000000 to 王工 (due 明天中午)"
    naive = {**params, "deadline": "2026-11-26T14:00:00"}
    assert (
        summarize("OrderIssued", naive, "zh") == "向 王工 下达指令 40000000（期限 11月26日 14:00）"
    )


def test_long_free_text_is_cut_with_an_ellipsis() -> None:
    note = "水" * 200
    zh, en = summaries(domain.incident.Closed, note=f"  {note}\n")
    assert zh == f"关闭事件：{'水' * 79}…"
    assert en == f"Incident closed: {'水' * 79}…"


# -- what a stored event may hold ---------------------------------------------------------


@pytest.mark.parametrize("event_class", EXAMPLES, ids=lambda c: c.__name__)
def test_missing_keys_leave_a_shorter_sentence(event_class: type[IncidentEvent]) -> None:
    name = event_class.__name__
    params = params_of(event_class, EXAMPLES[event_class])
    for key in params:
        fewer = {k: v for k, v in params.items() if k != key}
        for language in LANGUAGES:
            assert summarize(name, fewer, language)
    for language in LANGUAGES:
        assert summarize(name, {}, language)
        assert summarize(name, dict.fromkeys(params), language)


def test_a_vocabulary_value_newer_than_this_code_is_shown_as_stored() -> None:
    params = {"severity": "V", "rationale": "新等级"}
    assert summarize("Classified", params, "zh") == "定级为V：新等级"
    assert summarize("Classified", params, "en") == "Graded V: 新等级"
    odd = {"channels": [{"x": 1}], "quantity": [1], "actions": "none"}
    for event_type in ("StatementPublished", "LogisticsRequested", "ReviewRecorded"):
        for language in LANGUAGES:
            assert summarize(event_type, odd, language)


def test_an_event_type_newer_than_this_code_gets_a_sentence_naming_it() -> None:
    params = {"anything": ["goes"], "at": None}
    assert summarize("SirenSounded", params, "zh") == "记录事件 SirenSounded"
    assert summarize("SirenSounded", params, "en") == "Event recorded: SirenSounded"


# -- the reader's language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh;q=0.8", "en"),
        ("en;q=0.5, zh-Hans-CN;q=0.7", "zh"),
        ("fr-FR,fr;q=0.9,zh-TW;q=0.8,en;q=0.7", "zh"),
        ("zh;q=0.8, en;q=0.8", "zh"),
        ("ZH-cn", "zh"),
        ("zh_CN", "zh"),
        ("zh;q=0, en", "en"),
        ("zh;q=0", "en"),
        ("zh;q=high, en;q=0.1", "en"),
        ("fr", "en"),
        ("*", "en"),
        ("*;q=1, zh;q=0.1", "zh"),
        ("", "en"),
        (None, "en"),
        (";;,,", "en"),
        ("zhx-foo", "en"),
    ],
)
def test_the_language_comes_from_the_accept_language_header(
    header: str | None, language: str
) -> None:
    assert language_from(header) == language
