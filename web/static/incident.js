// One incident, live: its state, orders, logistics, statements, customer contact and
// review, the after-action timeline, a slider that replays it as it stood at any
// version, and the actions the viewer's role may take on it.

import "./incident-labels.js";
import { applyLabels, clockTime, duration, labelFor, language, localInputValue, t } from "./i18n.js";
import { $, Page, RetryKeys, api, escapeHtml, fieldErrors, now, parseTime, refusal } from "./page.js";
import {
  ACTIONS,
  FIELD_OF_CODE,
  PHASES,
  REVIEW_ROWS,
  SEVERITIES,
  actionNamed,
  actionsFor,
  cutoffPosition,
  dynamicOptions,
  isAfterView,
  linkedReports,
  orderClock,
  personalText,
  requestOf,
} from "./incident-model.js";

const incidentId = window.location.pathname.split("/")[2];
const BASE = `/api/incidents/${incidentId}`;
const DRAG_SETTLE_MS = 150; // a slider still moving is not worth a request per step
const SOON_MS = 15 * 60 * 1000;
const DEFAULT_DEADLINE_MS = 2 * 3600 * 1000;
const NOTICE_MS = 4000;

const view = {
  live: null, // the incident now, as the server gives it to this role
  position: -1, // the last log position shown
  answered: 0, // the newest version one of our own commands produced
  replay: null, // {version, incident, loading, error} while the slider is back in time
  timeline: null, // {entries, phases, language}
  timelineAsked: null, // the language the timeline was last asked in
  parents: new Map(), // crisis id -> its title
  gone: false,
};
let replayTicket = 0;
let dragTimer = null;
const keys = new RetryKeys(); // one Idempotency-Key per action, reused only to retry it

const page = new Page({
  titleKey: "incident.heading",
  pageTitleKey: "incident.page_title",
  socket: `/ws/incidents/${incidentId}`,
  position: () => view.position,
  onSnapshot(message) {
    view.position = message.position;
    takeLive(message.incident);
    refresh();
  },
  onEvent(message) {
    if (typeof message.position === "number" && message.position <= view.position) return;
    view.position = message.position;
    const version = message.event && message.event.version;
    if (view.live && version > view.live.version) setSliderMax(version);
    refresh(); // the event is broadcast without personal data: read the state as this role sees it
  },
  onGone: showGone,
  newestUpdate: () => (view.live ? parseTime(view.live.updated_at) : null),
  render,
  tick: renderCountdowns,
  start(user) {
    buildActions(user.role);
    // The socket's 4404 may never reach the browser (a refused handshake reads as 1006): ask plainly too.
    readIncident();
  },
});

// ---------------------------------------------------------------- reading from the server

const timelineLanguage = () => (language() === "zh-CN" ? "zh" : "en");
const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

let refreshing = null;
let refreshAgain = false;

/** The state and the timeline again; calls while one is under way fold into one more round. */
async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      await Promise.all([readIncident(), readTimeline(view.position)]);
    } while (refreshAgain);
  })();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
}

async function readIncident() {
  const result = await api("GET", BASE);
  if (result.status === 404) showGone();
  else if (result.ok && (!view.live || result.body.version >= view.live.version)) takeLive(result.body);
}

let timelineTicket = 0;

async function readTimeline(position) {
  const lang = timelineLanguage();
  const ticket = ++timelineTicket;
  view.timelineAsked = lang;
  const after = position >= 0 ? `&min_position=${position}` : "";
  const result = await api("GET", `${BASE}/timeline?lang=${lang}&tz=${encodeURIComponent(timeZone())}${after}`);
  if (!result.ok || ticket !== timelineTicket) return; // a later read (newer, or in another language) wins
  view.timeline = { entries: result.body.entries || [], phases: result.body.phases || {}, language: lang };
  render();
}

function takeLive(incident) {
  view.live = incident;
  setSliderMax(incident.version);
  if (incident.parent_id && !view.parents.has(incident.parent_id)) readParent(incident.parent_id);
  render();
}

async function readParent(parentId) {
  view.parents.set(parentId, null);
  const result = await api("GET", `/api/incidents/${parentId}`);
  if (result.ok) view.parents.set(parentId, result.body.title);
  render();
}

function showGone() {
  view.gone = true;
  page.live?.stop();
  page.setConnection("live"); // the server answered: there is nothing to follow
  render();
}

// ---------------------------------------------------------------- the version slider

function setSliderMax(version) {
  const slider = $("version-slider");
  slider.max = String(version);
  slider.disabled = version <= 1;
  if (!view.replay) slider.value = String(version);
  renderReplayBar();
}

function onSliderInput() {
  renderReplayBar(Number($("version-slider").value));
  clearTimeout(dragTimer);
  dragTimer = setTimeout(() => goToVersion(Number($("version-slider").value)), DRAG_SETTLE_MS);
}

function onSliderChange() {
  clearTimeout(dragTimer);
  goToVersion(Number($("version-slider").value));
}

async function goToVersion(version) {
  if (!view.live) return;
  if (version >= view.live.version) {
    backToLive();
    return;
  }
  if (view.replay && view.replay.version === version && view.replay.incident) return;
  const ticket = ++replayTicket;
  view.replay = { version, incident: view.replay ? view.replay.incident : null, loading: true, error: "" };
  render();
  const result = await api("GET", `${BASE}?version=${version}`);
  if (ticket !== replayTicket) return; // the slider moved on meanwhile
  view.replay = result.ok
    ? { version, incident: result.body, loading: false, error: "" }
    : { ...view.replay, loading: false, error: refusal(result) };
  render();
  revealViewedEntry();
}

function backToLive() {
  replayTicket += 1;
  clearTimeout(dragTimer);
  view.replay = null;
  if (view.live) $("version-slider").value = String(view.live.version);
  render();
}

function renderReplayBar(dragging = null) {
  if (!view.live) return;
  const max = view.live.version;
  const replay = view.replay;
  const at = dragging ?? (replay ? replay.version : max);
  $("version-position").textContent = t("incident.replay.position", { n: at, max });
  $("live-marker").hidden = Boolean(replay);
  $("back-to-live").hidden = !replay;
  const asOf = $("as-of");
  asOf.hidden = !replay;
  if (!replay) return;
  if (replay.error) asOf.textContent = replay.error;
  else if (replay.loading || !replay.incident) asOf.textContent = t("incident.replay.loading", { n: replay.version });
  else asOf.textContent = t("incident.replay.as_of", { n: replay.version, time: when(replay.incident.updated_at) });
}

// ---------------------------------------------------------------- rendering

/** The incident on screen: the replayed version, else the live state. */
const shown = () => (view.replay && view.replay.incident ? view.replay.incident : view.live);

/** The moment the screen stands at: now, or the replayed version's time. */
const shownMoment = () => (view.replay && view.replay.incident ? parseTime(view.replay.incident.updated_at) : now());

function render() {
  const message = $("incident-message");
  $("incident-gone").hidden = !view.gone;
  if (view.gone) {
    $("incident-gone").textContent = t("incident.gone");
    message.hidden = true;
    $("replay").hidden = true;
    $("incident-body").hidden = true;
    return;
  }
  if (!view.live) {
    message.hidden = false;
    message.textContent = t("page.loading");
    return;
  }
  if (view.timelineAsked !== timelineLanguage()) readTimeline(view.position);
  message.hidden = true;
  $("replay").hidden = false;
  $("incident-body").hidden = false;
  document.body.classList.toggle("replaying", Boolean(view.replay));
  const incident = shown();
  renderReplayBar();
  renderSummary(incident);
  $("command").innerHTML = commandHtml(incident);
  $("orders").innerHTML = ordersHtml(incident);
  $("logistics").innerHTML = logisticsHtml(incident);
  $("statements").innerHTML = statementsHtml(incident);
  $("customer").innerHTML = customerHtml(incident);
  renderClosing(incident);
  renderTimeline();
  updateActions();
  renderCountdowns();
}

const pad = (n) => String(n).padStart(2, "0");

/** YYYY-MM-DD hh:mm:ss in local time; the clock alone for today. */
function when(iso) {
  const ms = parseTime(iso);
  if (Number.isNaN(ms)) return "";
  const d = new Date(ms);
  if (d.toDateString() === new Date(now()).toDateString()) return clockTime(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockTime(ms)}`;
}

/** What people typed (names, notes, places): shown as given, never translated. */
const user = (value, testid = "") => `<span class="user-data"${testid ? ` data-testid="${testid}"` : ""}>${escapeHtml(value)}</span>`;

const fact = (labelKey, valueHtml, testid = "") =>
  `<div class="fact"${testid ? ` data-testid="${testid}"` : ""}><dt>${escapeHtml(t(labelKey))}</dt><dd>${valueHtml}</dd></div>`;

/** Free text as this role may read it: the markers for hidden or erased personal data in words. */
function textHtml(value, testid) {
  const read = personalText(value);
  if (read.hidden) {
    const key = read.hidden === "erased" ? "incident.erased" : "incident.personal";
    return `<span class="muted personal-hidden" data-testid="${testid}" data-hidden="${read.hidden}">${escapeHtml(t(key))}</span>`;
  }
  return user(read.text, testid);
}

const severityOf = (incident) => (SEVERITIES.includes(incident.severity) ? incident.severity : "ungraded");

function renderSummary(incident) {
  const panel = $("summary");
  const severity = severityOf(incident);
  panel.className = `panel incident-summary sev-${severity}`;
  const head = [
    `<span class="sev-badge sev-${severity}" data-testid="severity" data-severity="${severity}">${escapeHtml(t(`severity.${severity}`))}</span>`,
    `<span class="tag tag-kind" data-testid="kind">${escapeHtml(labelFor("kind", incident.kind))}</span>`,
    `<span class="tag tag-status status-${escapeHtml(incident.status)}" data-testid="status" data-status="${escapeHtml(incident.status)}">${escapeHtml(labelFor("status", incident.status))}</span>`,
    incident.reopened ? `<span class="tag">${escapeHtml(t("incident.reopened", { n: incident.reopened }))}</span>` : "",
    `<span class="muted incident-version" data-testid="version">${escapeHtml(t("incident.timeline.version", { n: incident.version }))}</span>`,
  ];
  const facts = [
    fact("incident.fact.channel", escapeHtml(labelFor("channel", incident.channel)), "channel"),
    fact("incident.fact.category", user(incident.category), "category"),
    incident.location ? fact("incident.fact.location", user(incident.location), "location") : "",
    fact("incident.fact.received", escapeHtml(when(incident.received_at)), "received-at"),
    fact("incident.fact.reported", escapeHtml(when(incident.reported_at)), "reported-at"),
    fact("incident.fact.updated", escapeHtml(when(incident.updated_at)), "updated-at"),
    fact("incident.fact.reporter", reporterHtml(incident.reporter), "reporter"),
    incident.scope ? fact("incident.fact.scope", user(incident.scope), "scope") : "",
    incident.risk ? fact("incident.fact.risk", user(incident.risk), "risk") : "",
    incident.dismiss_reason ? fact("incident.fact.dismissed", escapeHtml(labelFor("dismiss_reason", incident.dismiss_reason)), "dismissed") : "",
    incident.duplicate_of ? fact("incident.fact.duplicate_of", incidentLink(incident.duplicate_of, null, "duplicate-link")) : "",
    incident.parent_id ? fact("incident.fact.parent", incidentLink(incident.parent_id, view.parents.get(incident.parent_id), "parent-link")) : "",
    childrenHtml(),
  ];
  const description = incident.description
    ? `<div class="description"><h3>${escapeHtml(t("incident.fact.description"))}</h3><p>${textHtml(incident.description, "description")}</p></div>`
    : "";
  const latest = incident.last_update
    ? `<p class="latest"><span class="muted">${escapeHtml(t("card.latest"))}</span> ${user(incident.last_update, "last-update-text")}</p>`
    : "";
  panel.innerHTML =
    `<div class="incident-head">${head.join("")}</div>` +
    `<h2 class="incident-title user-data" data-testid="incident-title">${escapeHtml(incident.title)}</h2>` +
    `<dl class="facts">${facts.join("")}</dl>${description}${latest}`;
}

function reporterHtml(reporter) {
  if (!reporter) return `<span class="muted" data-testid="reporter-none">${escapeHtml(t("incident.reporter.none"))}</span>`;
  if (reporter.erased) return `<span class="muted" data-testid="reporter-erased">${escapeHtml(t("incident.reporter.erased"))}</span>`;
  const parts = ["name", "phone", "email"]
    .filter((key) => reporter[key])
    .map((key) => `<span class="reporter-part"><span class="muted">${escapeHtml(t(`incident.reporter.${key}`))}</span> ${user(reporter[key], `reporter-${key}`)}</span>`);
  return parts.length ? parts.join(" ") : `<span class="muted">${escapeHtml(t("incident.reporter.none"))}</span>`;
}

function incidentLink(id, title, testid) {
  const text = title ? user(title) : `${escapeHtml(t("incident.open_incident"))} ${escapeHtml(String(id).slice(0, 8))}`;
  return `<a class="incident-link" href="/incidents/${escapeHtml(id)}" data-testid="${testid}">${text}</a>`;
}

function childrenHtml() {
  const children = view.timeline ? linkedReports(view.timeline.entries) : [];
  if (!children.length) return "";
  const items = children.map(
    (child) =>
      `<li data-testid="linked-report" data-id="${escapeHtml(child.id)}"><a class="incident-link" href="/incidents/${escapeHtml(child.id)}">` +
      `${child.summary ? user(child.summary) : escapeHtml(`${t("incident.open_incident")} ${child.id.slice(0, 8)}`)}</a></li>`,
  );
  return fact("incident.fact.children", `<ul class="children">${items.join("")}</ul>`, "linked-reports");
}

function commandHtml(incident) {
  const roles = Object.entries(incident.roles || {});
  const plan = incident.plan
    ? `<dl class="facts">${fact("incident.command.plan", user(incident.plan), "plan")}${fact("incident.command.commander", user(incident.commander || ""), "commander")}</dl>`
    : `<p class="muted" data-testid="plan-none">${escapeHtml(t("incident.command.none"))}</p>`;
  const held = roles.length
    ? `<ul class="roles" data-testid="roles">${roles
        .map(([role, person]) => `<li data-testid="role" data-role="${escapeHtml(role)}"><span class="muted">${escapeHtml(labelFor("post", role))}</span> ${user(person)}</li>`)
        .join("")}</ul>`
    : `<p class="muted">${escapeHtml(t("incident.command.no_roles"))}</p>`;
  return `${plan}<h3>${escapeHtml(t("incident.command.roles"))}</h3>${held}`;
}

function ordersHtml(incident) {
  const at = shownMoment();
  const orders = [...(incident.orders || [])].sort((a, b) => {
    const ca = orderClock(a, at, parseTime);
    const cb = orderClock(b, at, parseTime);
    return Number(cb.open) - Number(ca.open) || (ca.open ? ca.deadline - cb.deadline : parseTime(a.issued_at) - parseTime(b.issued_at));
  });
  if (!orders.length) return `<li class="muted">${escapeHtml(t("incident.orders.none"))}</li>`;
  return orders.map((order) => orderHtml(order, at)).join("");
}

function orderHtml(order, at) {
  const clock = orderClock(order, at, parseTime);
  const percent = typeof order.percent === "number" ? order.percent : null;
  const lines = [
    `<div class="item-head">`,
    `<span class="item-title user-data" data-testid="order-assignee">${escapeHtml(order.assignee)}</span>`,
    `<span class="tag order-status-${escapeHtml(order.status)}" data-testid="order-status">${escapeHtml(labelFor("order_status", order.status))}</span>`,
    `<span class="tag priority-${escapeHtml(order.priority)}">${escapeHtml(t("incident.orders.priority", { p: labelFor("priority", order.priority) }))}</span>`,
    clock.overdue ? `<span class="overdue-badge overdue-badge-small" data-testid="order-overdue">${escapeHtml(t("incident.orders.overdue"))}</span>` : "",
    `</div>`,
    `<p class="order-instruction">${user(order.instruction, "order-instruction")}</p>`,
    `<div class="order-meta">`,
    `<span>${escapeHtml(t("incident.orders.deadline", { time: when(order.deadline) }))}</span>`,
    clock.open ? `<span class="countdown" data-testid="order-countdown" data-deadline="${escapeHtml(order.deadline)}"></span>` : "",
    `<span class="muted">${labelWith("incident.orders.issued", { time: when(order.issued_at) }, { by: order.issued_by })}</span>`,
    `</div>`,
  ];
  if (percent !== null || order.progress_note) {
    lines.push(
      `<div class="progress" data-testid="order-progress">`,
      `<span class="muted">${escapeHtml(t("incident.orders.progress"))}</span>`,
      percent !== null ? `<span class="bar" role="img" aria-label="${percent}%"><span style="width:${Math.max(0, Math.min(100, percent))}%"></span></span><b>${percent}%</b>` : "",
      order.progress_note ? user(order.progress_note) : "",
      `</div>`,
    );
  }
  if (order.previous_assignees && order.previous_assignees.length) {
    lines.push(`<p class="muted">${labelled("incident.orders.previous")} ${user(order.previous_assignees.join(language() === "zh-CN" ? "、" : ", "))}</p>`);
  }
  if (order.outcome) lines.push(`<p><span class="muted">${labelled("incident.orders.outcome")}</span> ${user(order.outcome, "order-outcome")}</p>`);
  if (order.cancel_reason) lines.push(`<p><span class="muted">${labelled("incident.orders.cancelled")}</span> ${user(order.cancel_reason)}</p>`);
  const classes = `item order${clock.open ? "" : " order-finished"}${clock.overdue ? " order-overdue" : ""}`;
  return `<li class="${classes}" data-testid="order" data-id="${escapeHtml(order.order_id)}" data-status="${escapeHtml(order.status)}" data-overdue="${clock.overdue}">${lines.join("")}</li>`;
}

/** A label before a value: "用途：" / "For:". */
const labelled = (key) => `${escapeHtml(t(key))}${language() === "zh-CN" ? "：" : ":"}`;

/** A label with people's words in it ("issued by {by} at {time}"): the label translated, the words marked as theirs. */
function labelWith(key, params, words) {
  const markers = {};
  const values = [];
  for (const [name, value] of Object.entries(words)) {
    markers[name] = `\u0000${values.length}\u0000`;
    values.push(value ?? "");
  }
  return t(key, { ...params, ...markers })
    .split(/\u0000(\d+)\u0000/)
    .map((part, i) => (i % 2 ? user(values[Number(part)]) : escapeHtml(part)))
    .join("");
}

function logisticsHtml(incident) {
  const requests = incident.logistics || [];
  if (!requests.length) return `<li class="muted">${escapeHtml(t("incident.logistics.none"))}</li>`;
  return requests
    .map((r) => {
      const amounts = [
        r.allocated_quantity ? t("incident.logistics.allocated", { n: r.allocated_quantity }) : "",
        r.delivered_quantity ? t("incident.logistics.delivered", { n: r.delivered_quantity }) : "",
        r.returned_quantity ? t("incident.logistics.returned", { n: r.returned_quantity }) : "",
      ].filter(Boolean);
      const outstanding = !r.settled && r.status !== "requested";
      return (
        `<li class="item" data-testid="logistics-request" data-id="${escapeHtml(r.request_id)}" data-status="${escapeHtml(r.status)}">` +
        `<div class="item-head"><span class="item-title">${escapeHtml(`${r.quantity} ×`)} ${user(r.item)}</span>` +
        `<span class="tag">${escapeHtml(labelFor("resource", r.resource))}</span>` +
        `<span class="tag" data-testid="logistics-status">${escapeHtml(labelFor("logistics_status", r.status))}</span>` +
        (outstanding ? `<span class="tag tag-warn">${escapeHtml(t("incident.logistics.outstanding"))}</span>` : "") +
        `</div>` +
        `<p><span class="muted">${labelled("incident.logistics.purpose")}</span> ${user(r.purpose)}</p>` +
        `<div class="order-meta"><span>${escapeHtml(t("incident.logistics.needed_by", { time: when(r.needed_by) }))}</span>` +
        (amounts.length ? `<span>${escapeHtml(amounts.join(" · "))}</span>` : "") +
        (r.source ? `<span><span class="muted">${labelled("incident.logistics.source")}</span> ${user(r.source)}</span>` : "") +
        `<span class="muted">${labelWith("incident.logistics.requested", { time: when(r.requested_at) }, { by: r.requested_by })}</span></div>` +
        (r.note ? `<p>${user(r.note)}</p>` : "") +
        `</li>`
      );
    })
    .join("");
}

function statementsHtml(incident) {
  const statements = [...(incident.statements || [])].reverse(); // the newest is in force
  if (!statements.length) return `<li class="muted">${escapeHtml(t("incident.statements.none"))}</li>`;
  return statements
    .map(
      (s) =>
        `<li class="item" data-testid="statement">` +
        `<div class="item-head">${(s.channels || []).map((c) => `<span class="tag">${escapeHtml(labelFor("statement_channel", c))}</span>`).join("")}</div>` +
        `<p class="statement-text">${user(s.text, "statement-text")}</p>` +
        `<div class="order-meta muted"><span>${labelWith("incident.statements.approved", {}, { name: s.approved_by })}</span>` +
        `<span>${labelWith("incident.statements.published", { time: when(s.published_at) }, { by: s.published_by })}</span></div>` +
        `</li>`,
    )
    .join("");
}

function customerHtml(incident) {
  const notices = (incident.notices || []).map(
    (n) =>
      `<li class="item" data-testid="notice"><div class="item-head"><span class="tag">${escapeHtml(labelFor("contact_channel", n.channel))}</span>` +
      (n.of_result ? `<span class="tag tag-ok">${escapeHtml(t("incident.customer.of_result"))}</span>` : "") +
      `<span class="muted">${labelWith("incident.customer.by", { time: when(n.at) }, { by: n.by })}</span></div>` +
      `<p>${textHtml(n.message, "notice-message")}</p></li>`,
  );
  const callbacks = (incident.callbacks || []).map(
    (c) =>
      `<li class="item" data-testid="callback"><div class="item-head">` +
      `<span class="tag satisfaction satisfaction-${Number(c.satisfaction)}">${escapeHtml(t("incident.customer.satisfaction", { n: c.satisfaction }))}</span>` +
      `<span class="tag">${escapeHtml(labelFor("contact_channel", c.via))}</span>` +
      `<span class="muted">${labelWith("incident.customer.by", { time: when(c.at) }, { by: c.by })}</span></div>` +
      (c.comment ? `<p>${textHtml(c.comment, "callback-comment")}</p>` : "") +
      `</li>`,
  );
  const list = (items, emptyKey) => (items.length ? `<ul class="list">${items.join("")}</ul>` : `<p class="muted">${escapeHtml(t(emptyKey))}</p>`);
  return (
    `<h3>${escapeHtml(t("incident.customer.notices"))}</h3>${list(notices, "incident.customer.no_notices")}` +
    `<h3>${escapeHtml(t("incident.customer.callbacks"))}</h3>${list(callbacks, "incident.customer.no_callbacks")}`
  );
}

function renderClosing(incident) {
  $("resolution-panel").hidden = !incident.resolution;
  $("resolution").innerHTML = incident.resolution
    ? `<p><span class="tag tag-ok" data-testid="resolution-kind">${escapeHtml(labelFor("resolution", incident.resolution))}</span></p>` +
      `<p><span class="muted">${labelled("incident.resolution.summary")}</span> ${user(incident.summary || "", "resolution-summary")}</p>`
    : "";
  const review = incident.review;
  const actions = incident.improvements || [];
  $("review-panel").hidden = !review && !actions.length;
  const parts = [];
  if (review) {
    parts.push(
      `<dl class="facts facts-wide">`,
      fact("incident.review.root_cause", user(review.root_cause, "review-root-cause")),
      fact("incident.review.lessons", user(review.lessons)),
      review.accountability ? fact("incident.review.accountability", user(review.accountability)) : "",
      `</dl>`,
    );
  }
  if (actions.length) {
    parts.push(
      `<h3>${escapeHtml(t("incident.review.actions"))}</h3><ul class="list">`,
      ...actions.map(
        (a) =>
          `<li class="item" data-testid="improvement" data-done="${Boolean(a.completed_at)}"><div class="item-head">` +
          `<span class="tag ${a.completed_at ? "tag-ok" : "tag-warn"}">${escapeHtml(t(a.completed_at ? "incident.review.done" : "incident.review.open"))}</span>` +
          `<span class="item-title">${user(a.description)}</span></div>` +
          `<div class="order-meta muted"><span>${labelWith("incident.review.owner", {}, { name: a.owner })}</span>` +
          `<span>${escapeHtml(t("incident.review.due", { time: when(a.due) }))}</span></div>` +
          (a.note ? `<p>${user(a.note)}</p>` : "") +
          `</li>`,
      ),
      `</ul>`,
    );
  }
  $("review").innerHTML = parts.join("");
}

function renderCountdowns() {
  const at = shownMoment();
  for (const el of document.querySelectorAll('[data-testid="order-countdown"]')) {
    const deadline = parseTime(el.dataset.deadline);
    const passed = deadline < at;
    el.textContent = passed
      ? t("incident.orders.overdue_by", { d: duration(at - deadline) })
      : t("incident.orders.due_in", { d: duration(deadline - at) });
    el.classList.toggle("countdown-passed", passed);
    el.classList.toggle("countdown-soon", !passed && deadline - at < SOON_MS);
  }
}

// ---------------------------------------------------------------- the timeline

function renderTimeline() {
  const list = $("timeline");
  const note = $("timeline-message");
  if (!view.timeline) {
    note.hidden = false;
    note.textContent = t("incident.timeline.loading");
    return;
  }
  const { entries, phases } = view.timeline;
  note.hidden = entries.length > 0;
  note.textContent = t("incident.timeline.none");
  const replay = view.replay && view.replay.incident && !view.replay.loading ? view.replay : null;
  const cut = replay ? { version: replay.version, cutoff: cutoffPosition(entries, replay.version) } : null;
  list.innerHTML = entries.map((entry) => entryHtml(entry, cut)).join("");
  renderPhases(phases);
}

function entryHtml(entry, cut) {
  const after = isAfterView(entry, cut);
  const current = cut && !entry.linked && entry.version === cut.version;
  const occurred = entry.occurred_at && Math.abs(parseTime(entry.occurred_at) - parseTime(entry.at)) >= 1000;
  const typeKey = `event.${entry.type}`;
  const typeLabel = t(typeKey, {}, null) ?? t("event.unknown");
  const classes = ["tl-entry", after ? "tl-after" : "", current ? "tl-current" : "", entry.linked ? "tl-linked" : ""].filter(Boolean).join(" ");
  const version = entry.linked
    ? `<a class="tag tl-linked-tag" href="/incidents/${escapeHtml(entry.incident_id)}">${escapeHtml(t("incident.timeline.linked"))}</a>`
    : `<button type="button" class="tl-version" data-testid="timeline-goto" data-version="${entry.version}" title="${escapeHtml(t("incident.timeline.goto", { n: entry.version }))}">${escapeHtml(t("incident.timeline.version", { n: entry.version }))}</button>`;
  return (
    `<li class="${classes}" data-testid="timeline-entry" data-type="${escapeHtml(entry.type)}" data-version="${entry.version}" data-position="${entry.position}" data-after="${after}">` +
    `<div class="tl-when"><time datetime="${escapeHtml(entry.at)}">${escapeHtml(when(entry.at))}</time>` +
    (occurred ? `<span class="tl-occurred" data-testid="timeline-occurred">${escapeHtml(t("incident.timeline.occurred", { time: when(entry.occurred_at) }))}</span>` : "") +
    `</div>` +
    `<div class="tl-head"><span class="tl-type" data-testid="timeline-type">${escapeHtml(typeLabel)}</span>` +
    `<span class="tl-who">${user(entry.actor)} · ${escapeHtml(labelFor("role", entry.role))}</span>${version}</div>` +
    // The server writes the sentence in the page's language; it quotes what people typed.
    `<p class="tl-summary user-data" data-testid="timeline-summary">${escapeHtml(entry.summary)}</p>` +
    `</li>`
  );
}

function renderPhases(phases) {
  const box = $("phases");
  const known = phases && phases.reported_at;
  box.hidden = !known;
  if (!known) return;
  $("phase-list").innerHTML = PHASES.map((phase) => {
    const seconds = phases[phase];
    const value = typeof seconds === "number" ? duration(seconds * 1000) : t("incident.phase.not_yet");
    return `<div class="phase${typeof seconds === "number" ? "" : " phase-pending"}" data-testid="phase-${phase}"><dt>${escapeHtml(t(`incident.phase.${phase}`))}</dt><dd>${escapeHtml(value)}</dd></div>`;
  }).join("");
}

/** Scrolls the timeline (where it scrolls on its own) to the version being replayed. */
function revealViewedEntry() {
  const list = $("timeline");
  const entry = list.querySelector(".tl-current");
  if (!entry || list.scrollHeight <= list.clientHeight) return;
  list.scrollTop = entry.offsetTop - list.offsetTop - list.clientHeight / 2;
}

function onTimelineClick(event) {
  const button = event.target.closest('[data-testid="timeline-goto"]');
  if (!button || !view.live) return;
  const version = Number(button.dataset.version);
  $("version-slider").value = String(version);
  goToVersion(version);
}

// ---------------------------------------------------------------- actions

let role = null;

function fieldHtml(action, field) {
  const id = `${action.name}-${field.name}`;
  const error = `<small class="field-error" data-testid="${id}-error" hidden></small>`;
  const label = `<span data-i18n="incident.field.${field.name}"></span>`;
  if (field.kind === "textarea") return `<label class="field">${label}<textarea name="${field.name}" rows="2" data-testid="${id}"></textarea>${error}</label>`;
  if (field.kind === "datetime") return `<label class="field">${label}<input type="datetime-local" name="${field.name}" data-testid="${id}">${error}</label>`;
  if (field.kind === "check") {
    return `<label class="field field-check"><input type="checkbox" name="${field.name}" data-testid="${id}"><span data-i18n="incident.form.personal"></span></label>`;
  }
  if (field.kind === "checks") {
    const boxes = field.options
      .map((value) => `<label class="field-check"><input type="checkbox" name="${field.name}" value="${value}" data-testid="${id}-${value}"><span data-i18n="${field.group}.${value}"></span></label>`)
      .join("");
    return `<fieldset class="field checks"><legend data-i18n="incident.field.${field.name}"></legend><div class="check-row">${boxes}</div>${error}</fieldset>`;
  }
  if (field.kind === "select") {
    const options =
      typeof field.options === "string"
        ? "" // filled from the incident in updateActions
        : field.options
            .map((value) => {
              const text = field.group ? ` data-i18n="${field.group}.${value}"` : "";
              return `<option value="${value}"${value === field.initial ? " selected" : ""}${text}>${field.group ? "" : value}</option>`;
            })
            .join("");
    const choose = field.initial ? "" : `<option value="" data-i18n="incident.form.choose"></option>`;
    return `<label class="field">${label}<select name="${field.name}" data-testid="${id}" data-source="${typeof field.options === "string" ? field.options : ""}">${choose}${options}</select>${error}</label>`;
  }
  if (field.kind === "improvements") {
    const rows = Array.from({ length: REVIEW_ROWS }, (_, i) => {
      const name = (part) => `actions.${i}.${part}`;
      return (
        `<div class="form-row improvement-row"><label class="field"><span><span data-i18n="incident.form.action"></span> ${i + 1}</span>` +
        `<input name="${name("description")}" data-testid="${id}-${i}-description" data-i18n-placeholder="incident.field.description"></label>` +
        `<label class="field"><span data-i18n="incident.field.owner"></span><input name="${name("owner")}" data-testid="${id}-${i}-owner"></label>` +
        `<label class="field"><span data-i18n="incident.field.due"></span><input type="datetime-local" name="${name("due")}" data-testid="${id}-${i}-due"></label></div>`
      );
    }).join("");
    return `<fieldset class="field improvements"><legend data-i18n="incident.field.actions"></legend>${rows}${error}</fieldset>`;
  }
  return `<label class="field">${label}<input type="text" name="${field.name}" data-testid="${id}" autocomplete="off">${error}</label>`;
}

function actionHtml(action) {
  return (
    `<details class="action" data-testid="action-${action.name}" data-action="${action.name}" hidden>` +
    `<summary data-i18n="incident.action.${action.name}"></summary>` +
    `<form class="form" novalidate data-action="${action.name}">` +
    action.fields.map((field) => fieldHtml(action, field)).join("") +
    `<div class="actions"><button type="submit" class="button button-primary" data-testid="${action.name}-submit" data-i18n="incident.form.submit"></button></div>` +
    `<p class="refusal" data-testid="${action.name}-error" role="alert" hidden></p>` +
    `<p class="notice" data-testid="${action.name}-done" role="status" hidden></p>` +
    `</form></details>`
  );
}

function buildActions(userRole) {
  role = userRole;
  const mine = ACTIONS.filter((action) => action.roles.includes(role));
  const container = $("actions");
  container.innerHTML = mine.map(actionHtml).join("");
  applyLabels(container);
  for (const form of container.querySelectorAll("form")) {
    const action = actionNamed(form.dataset.action);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(action, form);
    });
    form.addEventListener("input", () => {
      form.querySelector(".notice").hidden = true;
    });
  }
  for (const details of container.querySelectorAll("details")) details.addEventListener("toggle", () => prefillDeadline(details));
  render();
}

/** An empty deadline gets a sensible default (two hours from now) when its form opens. */
function prefillDeadline(details) {
  const input = details.querySelector('input[name="deadline"]');
  if (details.open && input && !input.value) input.value = localInputValue(now() + DEFAULT_DEADLINE_MS);
}

function updateActions() {
  const panel = $("actions-panel");
  if (!role) return;
  const available = new Set(actionsFor(role, view.live).map((action) => action.name));
  const replaying = Boolean(view.replay);
  const container = $("actions");
  panel.hidden = available.size === 0;
  $("actions-replaying").hidden = !replaying;
  container.hidden = replaying;
  for (const details of container.querySelectorAll("details.action")) {
    const action = actionNamed(details.dataset.action);
    details.hidden = !available.has(action.name);
    for (const select of details.querySelectorAll("select[data-source]")) {
      if (select.dataset.source) fillOptions(select, dynamicOptions(select.dataset.source, view.live));
    }
    const form = details.querySelector("form");
    if (form.lastResult) showResult(form, action, form.lastResult); // in the current language
  }
}

/** A select's choices from the incident, keeping the one picked while it is still there. */
function fillOptions(select, options) {
  const picked = select.value;
  const html =
    `<option value="">${escapeHtml(t("incident.form.choose"))}</option>` +
    options
      .map((o) => `<option class="user-data" value="${escapeHtml(o.value)}">${escapeHtml(o.post ? `${labelFor("post", o.post)}: ${o.text}` : o.text)}</option>`)
      .join("");
  if (select.dataset.rendered === html) return;
  select.innerHTML = html;
  select.dataset.rendered = html;
  if (options.some((o) => o.value === picked)) select.value = picked;
}

function valuesOf(form, action) {
  const values = {};
  const value = (name) => (form.elements.namedItem(name)?.value ?? "").trim();
  for (const field of action.fields) {
    if (field.kind === "checks") {
      values[field.name] = [...form.querySelectorAll(`input[name="${field.name}"]:checked`)].map((box) => box.value);
    } else if (field.kind === "check") {
      values[field.name] = form.elements.namedItem(field.name).checked;
    } else if (field.kind === "improvements") {
      values.actions = Array.from({ length: REVIEW_ROWS }, (_, i) => ({
        description: value(`actions.${i}.description`),
        owner: value(`actions.${i}.owner`),
        due: value(`actions.${i}.due`),
      }));
    } else {
      values[field.name] = value(field.name);
    }
  }
  return values;
}

/** The version the viewer last saw: a leadership decision on an older one is refused (409). */
const seenVersion = () => Math.max(view.live ? view.live.version : 0, view.answered);

async function submit(action, form) {
  const values = valuesOf(form, action);
  const request = requestOf(action, values);
  if (request.missing) {
    showResult(form, action, { local: request.missing });
    return;
  }
  const headers = { "Idempotency-Key": keys.keyFor(action.name, request.body) };
  if (action.ifMatch) headers["If-Match"] = String(seenVersion());
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  button.textContent = t("page.saving");
  const result = await api(request.method, `${BASE}/${request.path}`, request.body, { headers });
  button.disabled = false;
  button.textContent = t("incident.form.submit");
  keys.settle(action.name, result.status);
  if (result.ok) {
    view.answered = Math.max(view.answered, Number(result.body && result.body.version) || 0);
    form.reset();
    prefillDeadline(form.closest("details"));
    showResult(form, action, { done: true });
    setTimeout(() => {
      if (form.lastResult && form.lastResult.done) showResult(form, action, null);
    }, NOTICE_MS);
    refresh();
    return;
  }
  showResult(form, action, result);
  if (result.status === 409 || result.status === 404) refresh();
}

/** The answer to the last submission next to its form: done, refused in words, fields marked. */
function showResult(form, action, result) {
  form.lastResult = result;
  const refusalBox = $(`${action.name}-error`, form);
  const notice = $(`${action.name}-done`, form);
  for (const small of form.querySelectorAll(".field-error")) small.hidden = true;
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  refusalBox.hidden = true;
  notice.hidden = true;
  if (!result) return;
  if (result.done) {
    notice.hidden = false;
    notice.textContent = t("incident.form.done");
    return;
  }
  if (result.local) {
    markField(form, action, result.local, t("incident.form.pick_one"));
    return;
  }
  refusalBox.hidden = false;
  refusalBox.textContent = refusal(result);
  const errors = fieldErrors(result);
  const code = result.body && result.body.error;
  if (FIELD_OF_CODE[code] && !errors[FIELD_OF_CODE[code]]) errors[FIELD_OF_CODE[code]] = refusal(result);
  for (const [field, message] of Object.entries(errors)) markField(form, action, field, message);
}

function markField(form, action, field, message) {
  const small = $(`${action.name}-${field}-error`, form);
  if (!small) return;
  small.hidden = false;
  small.textContent = message;
  const input = form.elements.namedItem(field);
  if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
}

// ---------------------------------------------------------------- start

$("version-slider").addEventListener("input", onSliderInput);
$("version-slider").addEventListener("change", onSliderChange);
$("back-to-live").addEventListener("click", backToLive);
$("timeline").addEventListener("click", onTimelineClick);
page.start();
