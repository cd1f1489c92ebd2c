"""One-sentence summaries of events for the after-action timeline, in zh and en.

`summarize` reads an event's type name and its `params` as the timeline stores
them: the orjson round-trip of the event's payload, so ids, times and enums
arrive as strings. Names and free text are kept as given, never translated;
vocabulary values are put into words in the reader's language. Times are shown
in the reader's time zone (UTC unless one is given), with no year
("11月26日 14:00" / "26 Nov 14:00"), whatever offset the ISO text carries.
Nothing here raises on what a stored event may hold: a key may be missing, an
enum value or an event type may be newer than this file.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from enum import Enum
from typing import Any, Literal, NamedTuple

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
    Severity,
    StatementChannel,
)

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DEFAULT_LANGUAGE: Language = "en"

Params = Mapping[str, Any]

# Free text is cut here: the sentence is a line on a timeline, the full text is one click away.
TEXT_LIMIT = 80
NAME_LIMIT = 40
# Enough of an id to tell an incident's orders or requests apart; params keep the whole id.
REF_LENGTH = 8


class Words(NamedTuple):
    zh: str
    en: str

    def pick(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en


NOTHING = Words("", "")


# -- the vocabulary in words ------------------------------------------------------------

# Roman numerals as their own characters (U+2160…), so a zh sentence holds no Latin letters.
SEVERITY: dict[Enum, Words] = {
    Severity.I: Words("Ⅰ级（特别重大）", "level I (especially serious)"),
    Severity.II: Words("Ⅱ级（重大）", "level II (serious)"),
    Severity.III: Words("Ⅲ级（较大）", "level III (relatively serious)"),
    Severity.IV: Words("Ⅳ级（一般）", "level IV (ordinary)"),
}

KIND: dict[Enum, Words] = {
    Kind.COMPLAINT: Words("投诉", "complaint"),
    Kind.INQUIRY: Words("咨询", "inquiry"),
    Kind.SUGGESTION: Words("建议", "suggestion"),
    Kind.PRAISE: Words("表扬", "praise"),
    Kind.CRISIS: Words("突发事件", "crisis"),
}

CHANNEL: dict[Enum, Words] = {
    Channel.HOTLINE: Words("热线电话", "hotline"),
    Channel.WEB: Words("网站", "web"),
    Channel.EMAIL: Words("电子邮件", "email"),
    Channel.SOCIAL: Words("网络舆情", "social media"),
    Channel.SMS: Words("短信", "SMS"),
    Channel.WALK_IN: Words("现场来访", "walk-in"),
    Channel.MONITORING: Words("监测报警", "monitoring"),
}

DISMISS_REASON: dict[Enum, Words] = {
    DismissReason.RUMOUR: Words("谣言", "rumour"),
    DismissReason.DUPLICATE: Words("重复报告", "duplicate"),
    DismissReason.INVALID: Words("无效报告", "invalid"),
}

COMMAND_ROLE: dict[Enum, Words] = {
    CommandRole.COMMANDER: Words("指挥长", "commander"),
    CommandRole.DEPUTY: Words("副指挥长", "deputy commander"),
    CommandRole.CUSTOMER_SERVICE: Words("客服负责人", "customer service lead"),
    CommandRole.SPOKESPERSON: Words("新闻发言人", "spokesperson"),
    CommandRole.LOGISTICS: Words("后勤保障负责人", "logistics lead"),
    CommandRole.EVALUATION: Words("评估负责人", "evaluation lead"),
    CommandRole.TECHNICAL: Words("技术负责人", "technical lead"),
    CommandRole.LEGAL: Words("法律顾问", "legal adviser"),
}

PRIORITY: dict[Enum, Words] = {
    Priority.URGENT: Words("特急", "urgent"),
    Priority.HIGH: Words("高", "high"),
    Priority.NORMAL: Words("普通", "normal"),
    Priority.LOW: Words("低", "low"),
}

RESPONSE_STATUS: dict[Enum, Words] = {
    ResponseStatus.EN_ROUTE: Words("正赶赴现场", "en route"),
    ResponseStatus.ON_SCENE: Words("已到达现场", "on scene"),
    ResponseStatus.IN_PROGRESS: Words("处置中", "in progress"),
    ResponseStatus.BLOCKED: Words("处置受阻", "blocked"),
}

RESOLUTION: dict[Enum, Words] = {
    Resolution.FIXED: Words("已修复", "fixed"),
    Resolution.COMPENSATED: Words("已赔偿", "compensated"),
    Resolution.EXPLAINED: Words("已解释说明", "explained"),
    Resolution.REFERRED: Words("已转办", "referred"),
}

RESOURCE: dict[Enum, Words] = {
    Resource.PERSONNEL: Words("人员", "personnel"),
    Resource.EQUIPMENT: Words("设备", "equipment"),
    Resource.SUPPLIES: Words("物资", "supplies"),
    Resource.VEHICLES: Words("车辆", "vehicles"),
    Resource.TECHNICAL_SUPPORT: Words("技术支持", "technical support"),
    Resource.COMPENSATION_GOODS: Words("补偿物品", "compensation goods"),
}

STATEMENT_CHANNEL: dict[Enum, Words] = {
    StatementChannel.OFFICIAL_ACCOUNT: Words("官方公众号", "official account"),
    StatementChannel.HOTLINE_IVR: Words("热线语音播报", "hotline IVR"),
    StatementChannel.SMS: Words("短信", "SMS"),
    StatementChannel.WEBSITE: Words("官方网站", "website"),
    StatementChannel.COMMUNITY_NOTICE: Words("社区公告", "community notice"),
}

# Said as a manner ("by phone", "in person"): the sentences only ever use it so.
CONTACT_CHANNEL: dict[Enum, Words] = {
    ContactChannel.PHONE: Words("通过电话", "by phone"),
    ContactChannel.SMS: Words("通过短信", "by SMS"),
    ContactChannel.EMAIL: Words("通过电子邮件", "by email"),
    ContactChannel.WECHAT: Words("通过微信", "on WeChat"),
    ContactChannel.LETTER: Words("通过信函", "by letter"),
    ContactChannel.IN_PERSON: Words("当面", "in person"),
}

WORDS: dict[type[Enum], dict[Enum, Words]] = {
    Severity: SEVERITY,
    Kind: KIND,
    Channel: CHANNEL,
    DismissReason: DISMISS_REASON,
    CommandRole: COMMAND_ROLE,
    Priority: PRIORITY,
    ResponseStatus: RESPONSE_STATUS,
    Resolution: RESOLUTION,
    Resource: RESOURCE,
    StatementChannel: STATEMENT_CHANNEL,
    ContactChannel: CONTACT_CHANNEL,
}


# -- the public functions -----------------------------------------------------------------


# The fields that hold a moment, shown in the reader's time zone.
TIME_FIELDS = ("received_at", "occurred_at", "deadline", "needed_by")


def summarize(
    event_type: str, params: dict[str, Any], language: Language, zone: tzinfo = UTC
) -> str:
    """One sentence saying what the event did, in `language`, its times in `zone`."""
    summary = SUMMARIES.get(event_type)
    if summary is None:
        return _generic(event_type).pick(language)
    return summary(_in_zone(params or {}, zone)).pick(language)


def _in_zone(params: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    moved = dict(params)
    for field in TIME_FIELDS:
        raw = params.get(field)
        if not raw:
            continue
        try:
            moment = datetime.fromisoformat(str(raw))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)  # the server writes UTC
            moved[field] = moment.astimezone(zone).isoformat()
        except (ValueError, OverflowError):
            pass  # not a time, or none in that zone: shown as stored
    return moved


_LANGUAGE_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}|\*)(?:[-_][A-Za-z0-9]{1,8})*\s*$")
_QUALITY = re.compile(r"^\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$", re.IGNORECASE)


def language_from(accept_language: str | None) -> Language:
    """The language an Accept-Language header prefers: the zh* or en* range with the
    highest q (the earlier one on a tie); English when it names neither or cannot be read.
    Any Chinese maps to "zh": Simplified is closer to a zh-TW reader than English is."""
    best: tuple[float, Language] | None = None
    for item in (accept_language or "").split(","):
        tag, *attributes = item.split(";")
        match = _LANGUAGE_RANGE.match(tag)
        quality = _quality(attributes)
        if match is None or quality is None or quality == 0:
            continue
        primary = match.group(1).lower()
        if primary in LANGUAGES and (best is None or quality > best[0]):
            best = (quality, "zh" if primary == "zh" else "en")
    return best[1] if best else DEFAULT_LANGUAGE


def _quality(attributes: list[str]) -> float | None:
    """q=1 when absent; None when malformed, so the range is skipped rather than guessed."""
    for attribute in attributes:
        if attribute.strip().lower().startswith("q"):
            match = _QUALITY.match(attribute)
            return float(match.group(1)) if match else None
    return 1.0


# -- pieces of sentences ------------------------------------------------------------------


def _clip(raw: Any, limit: int = TEXT_LIMIT) -> str:
    """Free text on one line, cut at `limit` characters with an ellipsis."""
    if raw is None:
        return ""
    text = " ".join(str(raw).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _name(raw: Any) -> str:
    return _clip(raw, NAME_LIMIT)


def _ref(raw: Any) -> str:
    """The start of an id, with a leading space so a missing id leaves no gap."""
    return f" {str(raw)[:REF_LENGTH]}" if raw else ""


def _label(enum: type[Enum], raw: Any) -> Words:
    """The words for a vocabulary value; a value newer than the table is shown as stored."""
    if raw is None:
        return NOTHING
    try:
        return WORDS[enum][enum(raw)]
    except (ValueError, KeyError, TypeError):
        text = _clip(raw, NAME_LIMIT)
        return Words(text, text)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _time(raw: Any) -> Words:
    """An ISO time as its own clock reads (`summarize` moved it to the reader's zone),
    minutes precision; text that is not a time is shown as given."""
    if not raw:
        return NOTHING
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        text = _clip(raw, NAME_LIMIT)
        return Words(text, text)
    clock = f"{moment:%H:%M}"
    return Words(
        f"{moment.month}月{moment.day}日 {clock}",
        f"{moment.day} {_MONTHS[moment.month - 1]} {clock}",
    )


def _number(raw: Any) -> str:
    return "" if raw is None else _clip(raw, NAME_LIMIT)


def _labels(enum: type[Enum], raws: Any) -> Words:
    """A list of vocabulary values, as "短信、网站" / "SMS, website"."""
    if not isinstance(raws, list):
        return NOTHING
    words = [_label(enum, raw) for raw in raws]
    return Words("、".join(w.zh for w in words), ", ".join(w.en for w in words))


def _if(value: Any, text: str) -> str:
    """`text` when `value` is there; keeps optional parts of a sentence one line each."""
    return text if value else ""


def _colon(text: str) -> Words:
    return Words(_if(text, f"：{text}"), _if(text, f": {text}"))


def _paren(zh: Iterable[str], en: Iterable[str]) -> Words:
    """The non-empty parts in brackets, or nothing when all are empty."""
    zh_parts = [part for part in zh if part]
    en_parts = [part for part in en if part]
    return Words(
        _if(zh_parts, f"（{'，'.join(zh_parts)}）"),
        _if(en_parts, f" ({', '.join(en_parts)})"),
    )


def _clauses(zh: Iterable[str], en: Iterable[str]) -> Words:
    """The non-empty clauses of a sentence, separated by semicolons."""
    return Words("；".join(p for p in zh if p), "; ".join(p for p in en if p))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _generic(event_type: str) -> Words:
    name = _clip(event_type, NAME_LIMIT) or "?"
    return Words(f"记录事件 {name}", f"Event recorded: {name}")


# -- the incident's life --------------------------------------------------------------------


def _reported(p: Params) -> Words:
    kind = _label(Kind, p.get("kind"))
    title = _clip(p.get("title"))
    channel = _label(Channel, p.get("channel"))
    category, location = _clip(p.get("category")), _clip(p.get("location"))
    received = _time(p.get("received_at"))
    details = _paren(
        [channel.zh, category, location, _if(received.zh, f"{received.zh} 收到")],
        [channel.en, category, location, _if(received.en, f"received {received.en}")],
    )
    return Words(
        f"登记{kind.zh or '报告'}{_colon(title).zh}{details.zh}",
        f"{_capital(kind.en or 'incident')} reported{_colon(title).en}{details.en}",
    )


def _verified(p: Params) -> Words:
    note = _colon(_clip(p.get("note")))
    return Words(f"核实属实{note.zh}", f"Report verified{note.en}")


def _dismissed(p: Params) -> Words:
    reason = _label(DismissReason, p.get("reason"))
    original = _ref(p.get("duplicate_of"))
    why = _paren(
        [reason.zh, _if(original, f"原报告{original}")],
        [" ".join(filter(None, [reason.en, _if(original, f"of{original}")]))],
    )
    note = _colon(_clip(p.get("note")))
    return Words(f"驳回报告{why.zh}{note.zh}", f"Report dismissed{why.en}{note.en}")


def _linked(p: Params) -> Words:
    parent = _ref(p.get("parent_id"))
    return Words(f"关联到突发事件{parent}", f"Linked to crisis{parent}")


def _response_posted(p: Params) -> Words:
    status = _label(ResponseStatus, p.get("status"))
    head = _paren([status.zh], [status.en])
    note = _colon(_clip(p.get("note")))
    occurred = _time(p.get("occurred_at"))
    contacted = p.get("customer_contacted") is True
    return _clauses(
        [
            f"处置进展{head.zh}{note.zh}",
            _if(contacted, "已联系客户"),
            _if(occurred.zh, f"实际发生于 {occurred.zh}"),
        ],
        [
            f"Response update{head.en}{note.en}",
            _if(contacted, "customer contacted"),
            _if(occurred.en, f"actually happened at {occurred.en}"),
        ],
    )


def _resolved(p: Params) -> Words:
    resolution = _label(Resolution, p.get("resolution"))
    how = _paren([resolution.zh], [resolution.en])
    summary = _colon(_clip(p.get("summary")))
    return Words(f"办结{how.zh}{summary.zh}", f"Resolved{how.en}{summary.en}")


def _closed(p: Params) -> Words:
    note = _colon(_clip(p.get("note")))
    return Words(f"关闭事件{note.zh}", f"Incident closed{note.en}")


def _reopened(p: Params) -> Words:
    reason = _colon(_clip(p.get("reason")))
    return Words(f"重新打开事件{reason.zh}", f"Incident reopened{reason.en}")


def _personal_data_erased(p: Params) -> Words:
    reason = _colon(_clip(p.get("reason")))
    return Words(f"删除报告人个人信息{reason.zh}", f"Reporter's personal data erased{reason.en}")


# -- leadership ---------------------------------------------------------------------------


def _classified(p: Params) -> Words:
    severity = _label(Severity, p.get("severity"))
    rationale = _colon(_clip(p.get("rationale")))
    scope, risk = _clip(p.get("scope")), _clip(p.get("risk"))
    return _clauses(
        [
            f"定级为{severity.zh or '？'}{rationale.zh}",
            _if(scope, f"范围：{scope}"),
            _if(risk, f"风险：{risk}"),
        ],
        [
            f"Graded {severity.en or '?'}{rationale.en}",
            _if(scope, f"scope: {scope}"),
            _if(risk, f"risk: {risk}"),
        ],
    )


def _command_activated(p: Params) -> Words:
    plan = _colon(_clip(p.get("plan")))
    commander = _name(p.get("commander"))
    return Words(
        f"启动应急预案{plan.zh}{_if(commander, f'，指挥长 {commander}')}",
        f"Response plan activated{plan.en}{_if(commander, f', commander {commander}')}",
    )


def _role_assigned(p: Params) -> Words:
    role = _label(CommandRole, p.get("command_role"))
    person = _name(p.get("person"))
    return Words(
        f"任命 {person or '？'} 为{role.zh or '？'}",
        f"{person or '?'} assigned as {role.en or '?'}",
    )


def _role_relieved(p: Params) -> Words:
    role = _label(CommandRole, p.get("command_role"))
    person = _name(p.get("person"))
    return Words(
        f"免去 {person or '？'} 的{role.zh or '？'}职务",
        f"{person or '?'} relieved as {role.en or '?'}",
    )


# -- orders -------------------------------------------------------------------------------


def _order_issued(p: Params) -> Words:
    order = _ref(p.get("order_id"))
    assignee = _name(p.get("assignee"))
    instruction = _colon(_clip(p.get("instruction")))
    due = _time(p.get("deadline"))
    priority = _label(Priority, p.get("priority"))
    terms = _paren(
        [_if(due.zh, f"期限 {due.zh}"), _if(priority.zh, f"优先级 {priority.zh}")],
        [_if(due.en, f"due {due.en}"), _if(priority.en, f"priority {priority.en}")],
    )
    return Words(
        f"{_if(assignee, f'向 {assignee} ')}下达指令{order}{instruction.zh}{terms.zh}",
        f"Order{order}{_if(assignee, f' to {assignee}')}{instruction.en}{terms.en}",
    )


def _order_acknowledged(p: Params) -> Words:
    order = _ref(p.get("order_id"))
    return Words(f"确认接收指令{order}", f"Order{order} acknowledged")


def _order_progressed(p: Params) -> Words:
    order = _ref(p.get("order_id"))
    percent = _number(p.get("percent"))
    done = _paren([_if(percent, f"{percent}%")], [_if(percent, f"{percent}%")])
    note = _colon(_clip(p.get("note")))
    return Words(f"指令{order} 进展{done.zh}{note.zh}", f"Order{order} progress{done.en}{note.en}")


def _order_reassigned(p: Params) -> Words:
    order = _ref(p.get("order_id"))
    assignee = _name(p.get("assignee"))
    reason = _colon(_clip(p.get("reason")))
    return Words(
        f"指令{order} 改派给 {assignee or '？'}{reason.zh}",
        f"Order{order} reassigned to {assignee or '?'}{reason.en}",
    )


def _order_completed(p: Params) -> Words:
    order = _ref(p.get("order_id"))
    outcome = _colon(_clip(p.get("outcome")))
    return Words(f"指令{order} 已完成{outcome.zh}", f"Order{order} completed{outcome.en}")


def _order_cancelled(p: Params) -> Words:
    order = _ref(p.get("order_id"))
    reason = _colon(_clip(p.get("reason")))
    return Words(f"撤销指令{order}{reason.zh}", f"Order{order} cancelled{reason.en}")


# -- logistics ----------------------------------------------------------------------------


def _logistics_requested(p: Params) -> Words:
    request = _ref(p.get("request_id"))
    resource = _label(Resource, p.get("resource"))
    quantity = _number(p.get("quantity"))
    item = _clip(p.get("item"), NAME_LIMIT)
    purpose = _clip(p.get("purpose"))
    needed = _time(p.get("needed_by"))
    # "3 × 抽水泵 (equipment)"; with no item named, the resource is the thing counted.
    what = Words(item or resource.zh, item or resource.en)
    kind = _paren([_if(item, resource.zh)], [_if(item, resource.en)])
    amount = Words(
        f"{_if(quantity, f'{quantity} × ')}{what.zh}{kind.zh}",
        f"{_if(quantity, f'{quantity} × ')}{what.en}{kind.en}",
    )
    return Words(
        f"申请后勤保障{request}{_colon(amount.zh).zh}"
        + _if(purpose, f"，用途：{purpose}")
        + _if(needed.zh, f"，需 {needed.zh} 前到位"),
        f"Logistics request{request}{_colon(amount.en).en}"
        + _if(purpose, f" for {purpose}")
        + _if(needed.en, f", needed by {needed.en}"),
    )


def _logistics_step(p: Params, done: Words) -> Words:
    """Allocated, delivered, returned: the same sentence with another verb."""
    request = _ref(p.get("request_id"))
    quantity = _number(p.get("quantity"))
    source = _clip(p.get("source"), NAME_LIMIT)
    note = _clip(p.get("note"))
    return _clauses(
        [
            f"后勤申请{request} {done.zh}"
            + _if(quantity, f"，数量 {quantity}")
            + _if(source, f"，来自 {source}"),
            note,
        ],
        [
            f"Logistics request{request}: {_if(quantity, f'{quantity} ')}{done.en}"
            + _if(source, f" from {source}"),
            note,
        ],
    )


def _logistics_declined(p: Params) -> Words:
    request = _ref(p.get("request_id"))
    note = _colon(_clip(p.get("note")))
    return Words(
        f"后勤申请{request} 未予保障{note.zh}", f"Logistics request{request} declined{note.en}"
    )


# -- the public and the customer ----------------------------------------------------------


def _statement_published(p: Params) -> Words:
    channels = _labels(StatementChannel, p.get("channels"))
    text = _colon(_clip(p.get("text")))
    approver = _name(p.get("approved_by"))
    approval = _paren(
        [_if(approver, f"审批人 {approver}")], [_if(approver, f"approved by {approver}")]
    )
    return Words(
        f"{_if(channels.zh, f'通过{channels.zh}')}发布统一口径{text.zh}{approval.zh}",
        f"Statement published{_if(channels.en, f' on {channels.en}')}{text.en}{approval.en}",
    )


def _customer_notified(p: Params) -> Words:
    how = _label(ContactChannel, p.get("channel"))
    message = _colon(_clip(p.get("message")))
    return Words(
        f"{how.zh}告知客户{message.zh}",
        f"Customer notified{_if(how.en, f' {how.en}')}{message.en}",
    )


def _callback_recorded(p: Params) -> Words:
    how = _label(ContactChannel, p.get("via"))
    score = _number(p.get("satisfaction"))
    comment = _clip(p.get("comment"))
    heard = Words(
        "，".join(filter(None, [_if(score, f"满意度 {score}/5"), comment])),
        ", ".join(filter(None, [_if(score, f"satisfaction {score}/5"), comment])),
    )
    return Words(
        f"{how.zh}回访客户{_colon(heard.zh).zh}",
        f"Customer called back{_if(how.en, f' {how.en}')}{_colon(heard.en).en}",
    )


# -- the review -----------------------------------------------------------------------------


def _review_recorded(p: Params) -> Words:
    cause = _clip(p.get("root_cause"))
    actions = p.get("actions")
    count = len(actions) if isinstance(actions, list) else None
    plural = "" if count == 1 else "s"
    findings = _clauses(
        [_if(cause, f"根本原因为{cause}"), _if(count is not None, f"整改措施 {count} 项")],
        [
            _if(cause, f"root cause {cause}"),
            _if(count is not None, f"{count} improvement action{plural}"),
        ],
    )
    return Words(
        f"完成事后总结{_colon(findings.zh).zh}",
        f"After-action review recorded{_colon(findings.en).en}",
    )


def _improvement_completed(p: Params) -> Words:
    action = _ref(p.get("action_id"))
    note = _colon(_clip(p.get("note")))
    return Words(
        f"整改措施{action} 已完成{note.zh}", f"Improvement action{action} completed{note.en}"
    )


SUMMARIES: dict[str, Callable[[Params], Words]] = {
    "Reported": _reported,
    "Verified": _verified,
    "Dismissed": _dismissed,
    "Linked": _linked,
    "Classified": _classified,
    "CommandActivated": _command_activated,
    "RoleAssigned": _role_assigned,
    "RoleRelieved": _role_relieved,
    "OrderIssued": _order_issued,
    "OrderAcknowledged": _order_acknowledged,
    "OrderProgressed": _order_progressed,
    "OrderReassigned": _order_reassigned,
    "OrderCompleted": _order_completed,
    "OrderCancelled": _order_cancelled,
    "ResponsePosted": _response_posted,
    "LogisticsRequested": _logistics_requested,
    "LogisticsAllocated": lambda p: _logistics_step(p, Words("已调配", "allocated")),
    "LogisticsDelivered": lambda p: _logistics_step(p, Words("已送达", "delivered")),
    "LogisticsReturned": lambda p: _logistics_step(p, Words("已归还", "returned")),
    "LogisticsDeclined": _logistics_declined,
    "StatementPublished": _statement_published,
    "CustomerNotified": _customer_notified,
    "CallbackRecorded": _callback_recorded,
    "Resolved": _resolved,
    "Closed": _closed,
    "Reopened": _reopened,
    "ReviewRecorded": _review_recorded,
    "ImprovementCompleted": _improvement_completed,
    "PersonalDataErased": _personal_data_erased,
}
