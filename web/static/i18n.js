// Labels in zh-CN and English, the language choice, and time formatting shared by the pages.
// User-entered data (titles, locations, notes, names) is never translated.

const STORAGE_KEY = "icc.lang";
export const LANGUAGES = ["zh-CN", "en"];

const LABELS = {
  "zh-CN": {
    "lang.other": "English",
    "lang.switch": "切换语言",

    "login.page_title": "登录 · 应急指挥",
    "login.heading": "应急指挥系统",
    "login.subheading": "使用管理员发放的访问令牌登录",
    "login.token": "访问令牌",
    "login.placeholder": "icc_…",
    "login.submit": "登录",
    "login.busy": "正在登录…",
    "login.error.empty": "请输入访问令牌。",
    "login.error.unknown_token": "令牌无效，请检查后重新输入。",
    "login.error.network": "无法连接服务器，请稍后再试。",
    "login.error.other": "登录失败：{detail}",

    "board.page_title": "应急指挥看板",
    "board.heading": "应急指挥看板",
    "board.logout": "退出登录",
    "board.loading": "正在连接看板…",
    "board.empty": "当前没有在办事件",

    "conn.connecting": "连接中…",
    "conn.live": "实时",
    "conn.reconnecting": "重连中…",
    "conn.stale": "数据滞后",
    "conn.last_update": "最后更新 {time}",
    "conn.never": "尚未收到数据",
    "banner.disconnected": "与服务器的连接已中断，页面显示的是 {time} 的状态，正在重连…",
    "banner.disconnected_never": "尚未连上服务器，正在重试…",
    "banner.stale": "数据已滞后：服务器暂未跟上事件记录，显示内容可能不是最新（最后更新 {time}）。",

    "totals.open": "在办事件",
    "totals.open_orders": "在办指令",
    "totals.overdue_orders": "逾期指令",
    "totals.by_severity": "按级别",

    "severity.I": "I级 特别重大",
    "severity.II": "II级 重大",
    "severity.III": "III级 较大",
    "severity.IV": "IV级 一般",
    "severity.ungraded": "未定级",
    "severity.short.I": "I级",
    "severity.short.II": "II级",
    "severity.short.III": "III级",
    "severity.short.IV": "IV级",
    "severity.short.ungraded": "未定级",

    "kind.complaint": "投诉",
    "kind.inquiry": "咨询",
    "kind.suggestion": "建议",
    "kind.praise": "表扬",
    "kind.crisis": "突发事件",

    "status.reported": "已登记",
    "status.verified": "已核实",
    "status.responding": "处置中",
    "status.resolved": "已办结",
    "status.closed": "已关闭",
    "status.dismissed": "已驳回",

    "channel.hotline": "热线",
    "channel.web": "网站",
    "channel.email": "邮件",
    "channel.social": "网络舆情",
    "channel.sms": "短信",
    "channel.walk_in": "现场来访",
    "channel.monitoring": "监测报警",

    "role.leadership": "领导小组",
    "role.intake": "客服受理",
    "role.responder": "应急处置",
    "role.logistics": "后勤保障",
    "role.spokesperson": "信息发布",
    "role.auditor": "评估审计",
    "role.admin": "系统管理员",

    "priority.urgent": "特急",
    "priority.high": "紧急",
    "priority.normal": "一般",
    "priority.low": "低",
    "resolution.fixed": "已修复",
    "resolution.compensated": "已补偿",
    "resolution.explained": "已解释说明",
    "resolution.referred": "已转办",
    "resource.personnel": "人员",
    "resource.equipment": "设备",
    "resource.supplies": "物资",
    "resource.vehicles": "车辆",
    "resource.technical_support": "技术支持",
    "resource.compensation_goods": "补偿物品",

    "card.overdue": "逾期 {n}",
    "card.open_orders": "指令 {n}",
    "card.no_orders": "暂无指令",
    "card.due_in": "剩余 {d}",
    "card.overdue_by": "已逾期 {d}",
    "card.logistics": "后勤待办 {n}",
    "card.latest": "最新进展",
    "card.reported": "登记于 {time}",
    "card.linked": "关联投诉 {n} 件",
    "card.linked_more": "另有 {n} 件",
    "card.commander": "指挥长 {name}",

    "duration.days": "{d}天{h}小时",

    "nav.board": "指挥看板",
    "nav.intake": "受理台",
    "nav.orders": "我的指令",
    "nav.figures": "评估统计",
    "page.logout": "退出登录",
    "page.not_for_role": "此页面不对{role}开放。",
    "page.go_home": "前往我的工作页",
    "page.loading": "正在加载…",
    "page.saving": "正在提交…",
    "page.done": "已提交",
    "page.cancel": "取消",
    "page.close": "关闭",
    "page.none": "无",

    "error.network": "无法连接服务器，操作未提交，请稍后重试。",
    "error.forbidden": "您的角色无权执行此操作。",
    "error.not_found": "找不到该事件或条目，可能已被删除或链接有误。",
    "error.rule": "操作被拒绝：不符合处置流程规则（{code}）。",
    "error.invalid": "输入有误，请检查标出的字段。",
    "error.field_invalid": "此项填写有误",
    "error.server": "服务器出错（{status}），操作未确认，请稍后重试。",
    "error.other": "操作失败（HTTP {status}）。",
    "error.stale_version": "事件已被他人更新，请查看最新状态后再操作。",
    "error.write_contention": "服务器繁忙，操作未提交，请重试。",
    "error.orders_open": "尚有未完成的指令，不能办结。",
    "error.logistics_outstanding": "尚有未结清的后勤保障，不能关闭。",
    "error.customer_not_notified": "尚未告知客户处理结果，不能关闭。",
    "error.not_verified": "事件尚未核实，不能执行此操作。",
    "error.already_verified": "事件已核实。",
    "error.incident_closed": "事件已关闭。",
    "error.incident_dismissed": "事件已驳回。",
    "error.incident_resolved": "事件已办结。",
    "error.incident_reviewed": "事件已完成总结。",
    "error.not_closed": "事件关闭后才能记录总结。",
    "error.not_resolved": "事件办结后才能执行此操作。",
    "error.not_gradable": "此类事件不定级。",
    "error.not_graded": "事件定级后才能启动预案。",
    "error.crisis_not_graded": "突发事件须先定级，才能下达指令。",
    "error.plan_already_active": "预案已启动。",
    "error.plan_not_active": "请先启动预案，再指定岗位。",
    "error.role_already_held": "该岗位已有人担任。",
    "error.role_not_assigned": "该岗位无人担任。",
    "error.order_not_open": "该指令已完成或已撤销。",
    "error.order_already_acknowledged": "该指令已签收。",
    "error.same_assignee": "该指令已由此人负责。",
    "error.deadline_in_past": "时限必须晚于当前时间。",
    "error.needed_by_in_past": "需用时间必须晚于当前时间。",
    "error.occurred_in_future": "发生时间不能晚于当前时间。",
    "error.received_in_future": "受理时间不能晚于当前时间。",
    "error.percent_went_back": "进度不能倒退。",
    "error.percent_out_of_range": "进度须在 0–100 之间。",
    "error.parent_not_crisis": "只能关联到突发事件。",
    "error.parent_closed": "该突发事件已关闭或驳回。",
    "error.already_linked": "已关联到该突发事件。",
    "error.parent_is_linked": "请关联到它所属的突发事件。",
    "error.cannot_link_to_itself": "不能关联到自身。",
    "error.duplicate_of_needed": "以重复为由驳回时，须指明重复的事件。",
    "error.reason_required": "请填写原因。",
    "error.no_reporter": "该报告没有报告人信息。",
    "error.already_erased": "报告人个人信息已被删除。",
    "error.satisfaction_out_of_range": "满意度须为 1–5。",
    "error.quantity_not_positive": "数量须大于 0。",
    "error.incident_not_found": "找不到该事件。",
    "error.unknown_incident": "找不到该事件。",
    "error.order_not_found": "找不到该指令。",
    "error.request_not_found": "找不到该后勤申请。",
    "error.version_not_found": "该事件没有这个版本。",
    "error.empty_range": "起止日期有误：结束须晚于开始。",
    "error.received_too_long_ago": "受理时间不能早于一年前。",
    "error.idempotency_key_reused": "此操作已用不同内容提交过，请重新操作。",
    "error.logistics_requested": "该申请尚未调配，不能执行此操作。",
    "error.logistics_allocated": "该申请已调配，不能再执行此操作。",
    "error.logistics_delivered": "该申请已送达，不能再执行此操作。",
    "error.logistics_returned": "该申请已收回。",
    "error.logistics_declined": "该申请已被驳回。",
    "error.quantity_out_of_range": "数量超出允许范围。",
    "error.order_exists": "该指令已存在。",
    "error.request_exists": "该申请已存在。",
  },
  en: {
    "lang.other": "中文",
    "lang.switch": "Switch language",

    "login.page_title": "Sign in · Incident command",
    "login.heading": "Incident command",
    "login.subheading": "Sign in with the access token your administrator gave you",
    "login.token": "Access token",
    "login.placeholder": "icc_…",
    "login.submit": "Sign in",
    "login.busy": "Signing in…",
    "login.error.empty": "Enter your access token.",
    "login.error.unknown_token": "Unknown token: check it and try again.",
    "login.error.network": "Cannot reach the server. Try again shortly.",
    "login.error.other": "Sign-in failed: {detail}",

    "board.page_title": "Incident command board",
    "board.heading": "Incident command board",
    "board.logout": "Log out",
    "board.loading": "Connecting to the board…",
    "board.empty": "No open incidents",

    "conn.connecting": "Connecting…",
    "conn.live": "Live",
    "conn.reconnecting": "Reconnecting…",
    "conn.stale": "Stale",
    "conn.last_update": "Last update at {time}",
    "conn.never": "No data yet",
    "banner.disconnected": "Connection lost: this page shows the state as of {time}. Reconnecting…",
    "banner.disconnected_never": "Not connected to the server yet. Retrying…",
    "banner.stale": "Stale: the server has stopped following the event log, so what you see may be out of date (last update at {time}).",

    "totals.open": "Open incidents",
    "totals.open_orders": "Open orders",
    "totals.overdue_orders": "Overdue orders",
    "totals.by_severity": "By severity",

    "severity.I": "I · Extraordinary",
    "severity.II": "II · Major",
    "severity.III": "III · Significant",
    "severity.IV": "IV · General",
    "severity.ungraded": "Ungraded",
    "severity.short.I": "I",
    "severity.short.II": "II",
    "severity.short.III": "III",
    "severity.short.IV": "IV",
    "severity.short.ungraded": "Ungraded",

    "kind.complaint": "Complaint",
    "kind.inquiry": "Inquiry",
    "kind.suggestion": "Suggestion",
    "kind.praise": "Praise",
    "kind.crisis": "Crisis",

    "status.reported": "Reported",
    "status.verified": "Verified",
    "status.responding": "Responding",
    "status.resolved": "Resolved",
    "status.closed": "Closed",
    "status.dismissed": "Dismissed",

    "channel.hotline": "Hotline",
    "channel.web": "Web",
    "channel.email": "Email",
    "channel.social": "Social media",
    "channel.sms": "SMS",
    "channel.walk_in": "Walk-in",
    "channel.monitoring": "Monitoring",

    "role.leadership": "Leadership",
    "role.intake": "Intake",
    "role.responder": "Responder",
    "role.logistics": "Logistics",
    "role.spokesperson": "Spokesperson",
    "role.auditor": "Auditor",
    "role.admin": "Administrator",

    "priority.urgent": "Urgent",
    "priority.high": "High",
    "priority.normal": "Normal",
    "priority.low": "Low",
    "resolution.fixed": "Fixed",
    "resolution.compensated": "Compensated",
    "resolution.explained": "Explained",
    "resolution.referred": "Referred",
    "resource.personnel": "Personnel",
    "resource.equipment": "Equipment",
    "resource.supplies": "Supplies",
    "resource.vehicles": "Vehicles",
    "resource.technical_support": "Technical support",
    "resource.compensation_goods": "Compensation goods",

    "card.overdue": "{n} overdue",
    "card.open_orders": "{n} open orders",
    "card.open_orders_one": "1 open order",
    "card.no_orders": "No open orders",
    "card.due_in": "due in {d}",
    "card.overdue_by": "overdue by {d}",
    "card.logistics": "{n} logistics pending",
    "card.latest": "Latest",
    "card.reported": "Reported {time}",
    "card.linked": "{n} linked reports",
    "card.linked_one": "1 linked report",
    "card.linked_more": "{n} more",
    "card.commander": "Commander {name}",

    "duration.days": "{d}d {h}h",

    "nav.board": "Command board",
    "nav.intake": "Intake desk",
    "nav.orders": "My orders",
    "nav.figures": "Figures",
    "page.logout": "Log out",
    "page.not_for_role": "This page is not for the {role} role.",
    "page.go_home": "Go to my page",
    "page.loading": "Loading…",
    "page.saving": "Sending…",
    "page.done": "Done",
    "page.cancel": "Cancel",
    "page.close": "Close",
    "page.none": "None",

    "error.network": "Cannot reach the server: nothing was sent. Try again shortly.",
    "error.forbidden": "Your role may not do this.",
    "error.forbidden_because": "Your role may not do this: {detail}",
    "error.not_found": "No such incident or item: it may not exist, or the link is wrong.",
    "error.rule": "Refused by a rule of the response plan ({code}).",
    "error.rule_because": "Refused: {detail}",
    "error.invalid": "Check the input: the fields marked are wrong.",
    "error.invalid_because": "Check the input: {detail}",
    "error.field_invalid": "This field is wrong",
    "error.server": "The server failed ({status}): the action was not confirmed. Try again shortly.",
    "error.other": "The action failed (HTTP {status}).",
    "error.stale_version": "Someone else changed the incident meanwhile: look at its new state, then try again.",
    "error.write_contention": "The server is busy: nothing was stored. Try again.",
  },
};

/** Adds a page's own labels: {"zh-CN": {...}, en: {...}}. */
export function registerLabels(tables) {
  for (const lang of LANGUAGES) Object.assign(LABELS[lang], tables[lang] || {});
}

// English alone has these: "_one" plural forms, and the frames around the server's own
// (English) reason for a refusal; in English a rule's refusal is the server's words.
const ENGLISH_ONLY = /(_one|_because)$/;
const SERVER_WORDS = /^error\./;

/** Keys one language has and the other lacks: each must be empty. */
export function missingLabels() {
  return {
    "zh-CN": Object.keys(LABELS.en).filter((key) => !(key in LABELS["zh-CN"]) && !ENGLISH_ONLY.test(key)),
    en: Object.keys(LABELS["zh-CN"]).filter((key) => !(key in LABELS.en) && !SERVER_WORDS.test(key)),
  };
}

export function defaultLanguage() {
  const stored = safeStorageGet(STORAGE_KEY);
  if (LANGUAGES.includes(stored)) return stored;
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages[0] : navigator.language;
  return String(preferred || "").toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

let current = defaultLanguage();

export function language() {
  return current;
}

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  current = lang;
  safeStorageSet(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

export function otherLanguage() {
  return current === "zh-CN" ? "en" : "zh-CN";
}

/** The label for `key` in the current language, with {name} placeholders filled. A `_one` variant is used for n = 1. */
export function t(key, params = {}, missing = undefined) {
  const table = LABELS[current];
  let text = params.n === 1 && table[`${key}_one`] !== undefined ? table[`${key}_one`] : table[key];
  if (text === undefined && missing !== undefined) return missing;
  if (text === undefined) text = LABELS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? "" : String(params[name])));
}

/** The label of a vocabulary value (kind, status, channel, role…); the value itself when it is new to this page. */
export function labelFor(group, value) {
  const key = `${group}.${value}`;
  return LABELS[current][key] ?? LABELS.en[key] ?? String(value ?? "");
}

/** Fills every element marked data-i18n (text) or data-i18n-placeholder / data-i18n-aria-label / data-i18n-title. */
export function applyLabels(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}

const pad = (n) => String(n).padStart(2, "0");

/** hh:mm:ss in the viewer's local time, 24-hour, the same in both languages. */
export function clockTime(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** hh:mm when `ms` falls on the same day as `at`, else MM-DD hh:mm; "" for no time. */
export function shortTime(ms, at) {
  if (Number.isNaN(ms)) return "";
  const d = new Date(ms);
  const hhmm = clockTime(ms).slice(0, 5);
  return d.toDateString() === new Date(at).toDateString() ? hhmm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hhmm}`;
}

/** YYYY-MM-DD hh:mm in the viewer's time; "" for no time. */
export function dateTime(ms) {
  return Number.isNaN(ms) ? "" : localInputValue(ms).replace("T", " ");
}

/** A time as a datetime-local input shows it: the viewer's local wall time, to the minute. */
export function localInputValue(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local wall time) as an ISO time with zone; null when empty or unreadable. */
export function isoFromLocalInput(value) {
  if (!value) return null;
  const ms = new Date(value).getTime(); // a date-time without a zone is local time
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A duration as m:ss, h:mm:ss, or days and hours past a day. */
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return t("duration.days", { d: days, h: hours });
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`;
  return `${minutes}:${pad(seconds)}`;
}

function safeStorageGet(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function safeStorageSet(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    /* private mode or storage disabled: the choice lasts for this page only */
  }
}
