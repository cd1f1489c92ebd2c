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
    "banner.disconnected": "与服务器的连接已中断，看板停留在 {time} 的状态，正在重连…",
    "banner.disconnected_never": "尚未连上服务器，正在重试…",
    "banner.stale": "看板数据已滞后：服务器暂未跟上事件记录，显示内容可能不是最新（最后更新 {time}）。",

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
    "banner.disconnected": "Connection lost: the board shows the state as of {time}. Reconnecting…",
    "banner.disconnected_never": "Not connected to the server yet. Retrying…",
    "banner.stale": "The board is stale: the server has stopped following the event log, so what you see may be out of date (last update at {time}).",

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
  },
};

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
export function t(key, params = {}) {
  const table = LABELS[current];
  let text = params.n === 1 && table[`${key}_one`] !== undefined ? table[`${key}_one`] : table[key];
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
