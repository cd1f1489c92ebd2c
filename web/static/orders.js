// The field console: my open orders with their deadlines counting down, and what to do
// with them in a tap or two (acknowledge, complete, progress, post an update, request
// logistics); for logistics staff, the queue of requests to allocate, deliver, return or
// decline. Lists are read from the work view whenever the board's socket says they may
// have changed; countdowns follow the clock, so an order turns overdue with no event.

import "./orders-labels.js";
import { applyLabels, duration, labelFor, localInputValue, shortTime, t } from "./i18n.js";
import {
  ViewReader,
  deadlineAt,
  fieldValue,
  orderActions,
  requestActions,
  touchesOrders,
  touchesQueue,
  withHeld,
} from "./orders-model.js";
import { $, Page, RetryKeys, api, escapeHtml, fieldErrors, now, parseTime, refusal } from "./page.js";
import { latestUpdate } from "./board-model.js";

// Who sees what and may act (app/permissions.py): the page hides what a role would be refused.
const ACTS_ON_ORDERS = ["responder", "logistics", "leadership"];
const ACTS_ON_QUEUE = ["logistics", "leadership"];
const READS_QUEUE = ["logistics", "leadership", "admin"];
const READS_EVERYONES_ORDERS = ["leadership", "admin"];

const SEVERITIES = ["I", "II", "III", "IV"];
const RESPONSE_STATUSES = ["en_route", "on_scene", "in_progress", "blocked"];
const RESOURCES = ["personnel", "equipment", "supplies", "vehicles", "technical_support", "compensation_goods"];
const SOON_MS = 15 * 60 * 1000; // a deadline this close is shown as urgent
const HOUR_MS = 60 * 60 * 1000;

// A domain refusal that is about one field: that field is marked too.
const FIELD_OF_CODE = {
  occurred_in_future: "occurred_at",
  needed_by_in_past: "needed_by",
  percent_went_back: "percent",
  percent_out_of_range: "percent",
  quantity_out_of_range: "quantity",
  quantity_not_positive: "quantity",
};

const orderPath = (verb) => (o) => `/api/incidents/${o.incident_id}/orders/${o.order_id}/${verb}`;
const requestPath = (verb) => (r) => `/api/incidents/${r.incident_id}/logistics/${r.request_id}/${verb}`;

/** The inline forms: each field's kind, label and first value, where it goes, what to say when done. */
const FORMS = {
  complete: {
    path: orderPath("complete"),
    submit: "orders.confirm_complete",
    fields: [{ name: "outcome", kind: "textarea", initial: () => t("orders.default_outcome") }],
  },
  progress: {
    path: orderPath("progress"),
    submit: "orders.send_progress",
    done: "orders.progress_sent",
    fields: [
      { name: "percent", kind: "number", min: 0, max: 100, optional: true, initial: (o) => o.percent ?? "" },
      { name: "note", kind: "textarea" },
    ],
  },
  update: {
    path: (o) => `/api/incidents/${o.incident_id}/responses`,
    submit: "orders.send_update",
    done: "orders.update_sent",
    fields: [
      { name: "status", kind: "select", group: "response_status", options: RESPONSE_STATUSES, initial: () => "on_scene" },
      { name: "note", kind: "textarea" },
      { name: "customer_contacted", kind: "check" },
      { name: "occurred_at", kind: "time", optional: true, latest: true },
    ],
  },
  request: {
    path: (o) => `/api/incidents/${o.incident_id}/logistics`,
    submit: "orders.send_request",
    done: "orders.request_sent",
    fields: [
      { name: "resource", kind: "select", group: "resource", options: RESOURCES, initial: () => "supplies" },
      { name: "item", kind: "text" },
      { name: "quantity", kind: "number", min: 1, initial: () => 1 },
      { name: "needed_by", kind: "time", initial: () => localInputValue(now() + HOUR_MS) },
      { name: "purpose", kind: "textarea", initial: (o) => o.instruction },
    ],
  },
  allocate: {
    path: requestPath("allocate"),
    submit: "orders.confirm_allocate",
    done: "orders.allocated",
    fields: [
      { name: "quantity", kind: "number", min: 1, optional: true, initial: (r) => r.quantity },
      { name: "source", kind: "text" },
      { name: "note", kind: "textarea", optional: true },
    ],
  },
  deliver: {
    path: requestPath("deliver"),
    submit: "orders.confirm_deliver",
    done: "orders.delivered",
    fields: [
      { name: "quantity", kind: "number", min: 1, optional: true, initial: (r) => r.allocated_quantity ?? r.quantity },
      { name: "note", kind: "textarea", optional: true },
    ],
  },
  return: {
    path: requestPath("return"),
    submit: "orders.confirm_return",
    done: "orders.returned",
    fields: [
      { name: "quantity", kind: "number", min: 1, optional: true, initial: (r) => r.delivered_quantity ?? r.allocated_quantity },
      { name: "note", kind: "textarea", optional: true },
    ],
  },
  decline: {
    path: requestPath("decline"),
    submit: "orders.confirm_decline",
    done: "orders.declined",
    fields: [{ name: "note", kind: "textarea", label: "orders.field.reason" }],
  },
};

// One tap, no form.
const DIRECT = {
  acknowledge: { path: orderPath("acknowledge"), done: "orders.acknowledged" },
};

// ---------------------------------------------------------------- the two lists

/** A list of cards: the rows the view answered, and per card what the user is doing with it. */
class CardList {
  constructor({ name, key, bodyHtml, tick, goneKey, emptyKey, loadingKey }) {
    Object.assign(this, { name, key, bodyHtml, tick, goneKey, emptyKey, loadingKey });
    this.rows = null; // null until the view answered
    this.loadError = null;
    this.ui = new Map(); // id -> {row, form, busy, message, gone}
  }

  uiOf(id) {
    if (!this.ui.has(id)) this.ui.set(id, { row: null, form: null, busy: null, message: null, gone: false });
    return this.ui.get(id);
  }

  /** A card that left the view stays while a form is open or a command is on its way. */
  held(id) {
    const ui = this.ui.get(id);
    return Boolean(ui && (ui.form || ui.busy));
  }
}

const orders = new CardList({
  name: "order",
  key: (o) => o.order_id,
  bodyHtml: orderBodyHtml,
  tick: tickOrder,
  goneKey: "orders.gone",
  emptyKey: "orders.empty",
  loadingKey: "orders.loading",
});
const queue = new CardList({
  name: "queue",
  key: (r) => r.request_id,
  bodyHtml: requestBodyHtml,
  tick: tickRequest,
  goneKey: "orders.queue_gone",
  emptyKey: "orders.queue_empty",
  loadingKey: "orders.queue_loading",
});

let socketPosition = -1;
let role = null;
let everyone = false; // leadership and administrators see everyone's open orders
let showsQueue = false;

const ordersReader = new ViewReader({
  load: (min) => api("GET", `/api/orders?assignee=${everyone ? "*" : "me"}${min >= 0 ? `&min_position=${min}` : ""}`),
  show: (body) => loaded(orders, body.orders),
  fail: (result) => failed(orders, result),
});
const queueReader = new ViewReader({
  load: (min) => api("GET", `/api/logistics${min >= 0 ? `?min_position=${min}` : ""}`),
  show: (body) => loaded(queue, body.requests),
  fail: (result) => failed(queue, result),
});

function loaded(list, rows) {
  list.rows = rows || [];
  list.loadError = null;
  renderList(list);
}

function failed(list, result) {
  list.loadError = result;
  renderList(list);
}

const page = new Page({
  titleKey: "orders.heading",
  pageTitleKey: "orders.page_title",
  roles: ["responder", "logistics", "leadership", "admin"],
  socket: "/ws/board",
  position: () => socketPosition,
  onSnapshot(message) {
    socketPosition = Math.max(socketPosition, message.position ?? -1);
    ordersReader.want(message.position, { soon: false });
    if (showsQueue) queueReader.want(message.position, { soon: false });
  },
  onEvent(message) {
    if (typeof message.position === "number") socketPosition = Math.max(socketPosition, message.position);
    if (touchesOrders(message, orders.rows, { me: page.user.name, everyone })) ordersReader.want(message.position);
    if (showsQueue && touchesQueue(message, queue.rows)) queueReader.want(message.position);
  },
  newestUpdate: () => latestUpdate([...(orders.rows || []), ...(queue.rows || [])]),
  render,
  tick,
  start: setUp,
});

function setUp(user) {
  if (role !== null) return;
  role = user.role;
  everyone = READS_EVERYONES_ORDERS.includes(role);
  showsQueue = READS_QUEUE.includes(role);
  document.body.classList.toggle("with-queue", showsQueue);
  // Logistics staff come for the queue first; their own orders follow it.
  if (role === "logistics") $("orders-page").append($("orders-panel"));
  $("orders-panel").hidden = false;
  $("queue-panel").hidden = !showsQueue;
  for (const list of [orders, queue]) {
    const container = $(`${listId(list)}-list`);
    container.addEventListener("click", (event) => onClick(list, event));
    container.addEventListener("submit", (event) => onSubmit(list, event));
    container.addEventListener("input", (event) => clearFieldError(event.target));
  }
  render();
}

const listId = (list) => (list === orders ? "orders" : "queue");

// ---------------------------------------------------------------- rendering

function render() {
  if (!page.user) return;
  setUp(page.user);
  $("orders-heading").textContent = t(everyone ? "orders.everyone" : "orders.mine");
  renderList(orders);
  if (showsQueue) renderList(queue);
}

const renderedBody = new WeakMap(); // body element -> the markup it shows, to touch the DOM only on change

function renderList(list) {
  const id = listId(list);
  const container = $(`${id}-list`);
  const existing = new Map([...container.children].map((el) => [el.dataset.id, el]));
  const rowsById = new Map((list.rows || []).map((row) => [list.key(row), row]));
  const ids = withHeld([...rowsById.keys()], [...existing.keys()], (cardId) => list.held(cardId));

  let previous = null;
  for (const cardId of ids) {
    const ui = list.uiOf(cardId);
    ui.gone = !rowsById.has(cardId);
    if (!ui.gone) ui.row = rowsById.get(cardId);
    const el = existing.get(cardId) ?? newCard(list, cardId);
    existing.delete(cardId);
    renderCard(list, el, ui);
    if (previous === null ? container.firstElementChild !== el : previous.nextElementSibling !== el) {
      if (previous === null) container.prepend(el);
      else previous.after(el);
    }
    previous = el;
  }
  for (const [cardId, el] of existing) {
    el.remove();
    list.ui.delete(cardId);
  }

  const empty = $(`${id}-empty`);
  empty.hidden = ids.length > 0;
  empty.textContent = t(list.rows === null ? list.loadingKey : list.emptyKey);
  $(`${id}-count`).textContent = list.rows === null ? "" : t("orders.count", { n: list.rows.length });
  const error = $(`${id}-load-error`);
  error.hidden = !list.loadError;
  error.textContent = list.loadError ? refusal(list.loadError) : "";
}

function newCard(list, cardId) {
  const el = document.createElement("li");
  el.className = `item work-card ${list.name}-card`;
  el.dataset.testid = `${list.name}-card`;
  el.dataset.id = cardId;
  el.innerHTML = `
    <div class="card-body"></div>
    <p class="card-gone" data-testid="${list.name}-gone" hidden></p>
    <div class="card-form"></div>
    <p class="refusal" data-testid="${list.name}-error" role="alert" hidden></p>
    <p class="notice" data-testid="${list.name}-notice" role="status" hidden></p>`;
  return el;
}

function renderCard(list, el, ui) {
  const body = el.querySelector(".card-body");
  const html = list.bodyHtml(ui);
  if (renderedBody.get(body) !== html) {
    body.innerHTML = html;
    renderedBody.set(body, html);
  }
  const severity = SEVERITIES.includes(ui.row.severity) ? ui.row.severity : "ungraded";
  el.classList.add(`sev-${severity}`);
  for (const other of [...SEVERITIES, "ungraded"]) if (other !== severity) el.classList.remove(`sev-${other}`);
  el.classList.toggle("is-gone", ui.gone);
  el.dataset.state = ui.row.state;
  el.dataset.severity = severity;

  const gone = el.querySelector(".card-gone");
  gone.hidden = !ui.gone;
  gone.textContent = ui.gone ? t(list.goneKey) : "";

  const message = ui.message;
  const error = el.querySelector(".refusal");
  const notice = el.querySelector(".notice");
  error.hidden = !(message && message.result);
  error.textContent = message && message.result ? refusal(message.result) : "";
  notice.hidden = !(message && message.done);
  notice.textContent = message && message.done ? t(message.done) : "";

  const form = el.querySelector("form");
  if (form) {
    const submit = form.querySelector('[type="submit"]');
    submit.disabled = Boolean(ui.busy);
    submit.textContent = t(ui.busy ? "page.saving" : FORMS[form.dataset.form].submit);
    showFieldErrors(form);
  }
  list.tick(el, ui.row, now());
}

const severityLabel = (row) => t(`severity.${SEVERITIES.includes(row.severity) ? row.severity : "ungraded"}`);

function actionButton(list, action, ui, primary) {
  const busy = ui.busy === action;
  const open = ui.form === action;
  const classes = `button button-big${primary ? " button-primary" : ""}${open ? " is-open" : ""}`;
  const disabled = ui.gone || (ui.busy && ui.busy !== action) || busy ? " disabled" : "";
  const expanded = action in FORMS ? ` aria-expanded="${open}"` : "";
  const label = busy && !(action in FORMS) ? t("page.saving") : t(`orders.${action}`);
  return `<button type="button" class="${classes}" data-action="${action}" data-testid="${list.name}-${action}"${expanded}${disabled}>${escapeHtml(label)}</button>`;
}

function orderBodyHtml(ui) {
  const o = ui.row;
  const acts = ACTS_ON_ORDERS.includes(role);
  const actions = orderActions(o);
  const [main, more] = [actions.filter((a) => a === "acknowledge" || a === "complete"), actions.filter((a) => a !== "acknowledge" && a !== "complete")];
  const parts = [
    `<div class="item-head">`,
    `<span class="sev-badge" data-testid="order-severity">${escapeHtml(severityLabel(o))}</span>`,
    `<span class="tag priority-${escapeHtml(o.priority)}" data-testid="order-priority">${escapeHtml(labelFor("priority", o.priority))}</span>`,
    `<span class="tag tag-status order-state-${escapeHtml(o.state)}" data-testid="order-state">${escapeHtml(labelFor("order_state", o.state))}</span>`,
    `<span class="overdue-badge" data-testid="order-overdue" hidden>${escapeHtml(t("orders.overdue"))}</span>`,
    `</div>`,
    `<p class="work-instruction user-data" data-testid="order-instruction">${escapeHtml(o.instruction)}</p>`,
    `<div class="work-when">`,
    `<span class="countdown work-countdown" data-testid="order-countdown"></span>`,
    `<span class="muted" data-testid="order-deadline">${escapeHtml(t("orders.deadline", { time: shortTime(parseTime(o.deadline), now()) }))}</span>`,
    `</div>`,
    `<a class="work-incident" href="/incidents/${escapeHtml(o.incident_id)}" data-testid="order-incident">`,
    `<span class="user-data" data-testid="order-title">${escapeHtml(o.incident_title)}</span></a>`,
  ];
  if (o.location) parts.push(`<div class="muted work-location user-data" data-testid="order-location">${escapeHtml(o.location)}</div>`);
  if (everyone) {
    parts.push(`<div class="muted">${escapeHtml(t("orders.assignee"))}<span class="user-data" data-testid="order-assignee">${escapeHtml(o.assignee)}</span></div>`);
  }
  if (o.percent !== null && o.percent !== undefined) {
    const percent = Math.max(0, Math.min(100, Number(o.percent) || 0));
    parts.push(
      `<div class="work-progress" data-testid="order-percent"><div class="work-bar"><div style="width:${percent}%"></div></div>`,
      `<span>${escapeHtml(t("orders.percent", { n: percent }))}</span></div>`,
    );
  }
  if (o.last_note) {
    parts.push(
      `<p class="work-note"><span class="muted">${escapeHtml(t("orders.latest"))}</span> <span class="user-data" data-testid="order-note">${escapeHtml(o.last_note)}</span></p>`,
    );
  }
  if (acts) {
    parts.push(
      `<div class="work-actions work-actions-main">${main.map((a) => actionButton(orders, a, ui, true)).join("")}</div>`,
      `<div class="work-actions">${more.map((a) => actionButton(orders, a, ui, false)).join("")}</div>`,
    );
  }
  return parts.join("");
}

function requestBodyHtml(ui) {
  const r = ui.row;
  const acts = ACTS_ON_QUEUE.includes(role);
  const parts = [
    `<div class="item-head">`,
    `<span class="sev-badge" data-testid="queue-severity">${escapeHtml(severityLabel(r))}</span>`,
    `<span class="tag" data-testid="queue-resource">${escapeHtml(labelFor("resource", r.resource))}</span>`,
    `<span class="tag tag-status" data-testid="queue-state">${escapeHtml(labelFor("logistics_state", r.state))}</span>`,
    `</div>`,
    `<p class="work-instruction"><span class="user-data" data-testid="queue-item">${escapeHtml(r.item)}</span> `,
    `<span data-testid="queue-quantity">${escapeHtml(t("orders.quantity", { n: r.quantity }))}</span></p>`,
    `<div class="work-when">`,
    `<span class="countdown work-countdown" data-testid="queue-countdown"></span>`,
    `<span class="muted">${escapeHtml(t("orders.needed_by", { time: shortTime(parseTime(r.needed_by), now()) }))}</span>`,
    `</div>`,
    `<p class="work-note"><span class="muted">${escapeHtml(t("orders.purpose"))}</span><span class="user-data" data-testid="queue-purpose">${escapeHtml(r.purpose)}</span></p>`,
    `<a class="work-incident" href="/incidents/${escapeHtml(r.incident_id)}"><span class="user-data" data-testid="queue-incident">${escapeHtml(r.incident_title)}</span></a>`,
    `<div class="muted">${escapeHtml(t("orders.requested_by"))}<span class="user-data">${escapeHtml(r.requested_by)}</span></div>`,
  ];
  if (r.allocated_quantity !== null && r.allocated_quantity !== undefined) {
    parts.push(
      `<div data-testid="queue-allocation">${escapeHtml(t("orders.allocated_from", { n: r.allocated_quantity }))}<span class="user-data">${escapeHtml(r.source)}</span></div>`,
    );
  }
  if (r.delivered_quantity !== null && r.delivered_quantity !== undefined) {
    parts.push(`<div data-testid="queue-delivered">${escapeHtml(t("orders.delivered_n", { n: r.delivered_quantity }))}</div>`);
  }
  if (acts) {
    const actions = requestActions(r);
    parts.push(`<div class="work-actions work-actions-main">${actions.map((a, i) => actionButton(queue, a, ui, i === 0)).join("")}</div>`);
  }
  return parts.join("");
}

/** The countdown of an order; overdue (red) once its deadline passed, with no event needed. */
function tickOrder(el, o, at) {
  const deadline = deadlineAt(o.deadline, at);
  const overdue = Boolean(deadline && deadline.passed);
  el.classList.toggle("is-overdue", overdue);
  el.dataset.overdue = String(overdue);
  const badge = el.querySelector('[data-testid="order-overdue"]');
  if (badge) badge.hidden = !overdue;
  showCountdown(el.querySelector('[data-testid="order-countdown"]'), deadline, "orders.due_in", "orders.overdue_by");
}

function tickRequest(el, r, at) {
  // Once delivered, the time it was needed by is met: what is left is taking it back.
  const neededBy = r.state === "delivered" ? null : deadlineAt(r.needed_by, at);
  el.dataset.late = String(Boolean(neededBy && neededBy.passed));
  showCountdown(el.querySelector('[data-testid="queue-countdown"]'), neededBy, "orders.needed_in", "orders.needed_late");
}

function showCountdown(countdown, deadline, aheadKey, passedKey) {
  if (!countdown) return;
  if (!deadline) {
    countdown.textContent = "";
    return;
  }
  const text = deadline.passed ? t(passedKey, { d: duration(-deadline.left) }) : t(aheadKey, { d: duration(deadline.left) });
  if (countdown.textContent !== text) countdown.textContent = text;
  countdown.classList.toggle("countdown-passed", deadline.passed);
  countdown.classList.toggle("countdown-soon", !deadline.passed && deadline.left < SOON_MS);
}

function tick() {
  const at = now();
  for (const list of showsQueue ? [orders, queue] : [orders]) {
    for (const el of $(`${listId(list)}-list`).children) {
      const ui = list.ui.get(el.dataset.id);
      if (ui && ui.row) list.tick(el, ui.row, at);
    }
  }
}

// ---------------------------------------------------------------- forms

// form -> {result, cleared}: the refusal whose field errors it shows, less the fields edited since
const formRefusals = new WeakMap();

function fieldHtml(kind, field) {
  const testid = `${kind}-${field.name.replaceAll("_", "-")}`;
  const label = `<span data-i18n="${field.label ?? `orders.field.${field.name}`}"></span>`;
  const error = `<span class="field-error" data-error-for="${field.name}" hidden></span>`;
  const common = `name="${field.name}" data-testid="${testid}"`;
  switch (field.kind) {
    case "textarea":
      return `<label class="field">${label}<textarea ${common} rows="3"></textarea>${error}</label>`;
    case "check":
      return `<label class="field field-check"><input type="checkbox" ${common}>${label}${error}</label>`;
    case "select": {
      const options = field.options.map((value) => `<option value="${value}" data-i18n="${field.group}.${value}"></option>`);
      return `<label class="field">${label}<select ${common}>${options.join("")}</select>${error}</label>`;
    }
    case "number": {
      const range = `${field.min !== undefined ? ` min="${field.min}"` : ""}${field.max !== undefined ? ` max="${field.max}"` : ""}`;
      return `<label class="field">${label}<input type="number" inputmode="numeric" step="1"${range} ${common}>${error}</label>`;
    }
    case "time":
      return `<label class="field">${label}<input type="datetime-local" ${common}>${error}</label>`;
    default:
      return `<label class="field">${label}<input type="text" autocomplete="off" ${common}>${error}</label>`;
  }
}

function openForm(list, cardId, kind) {
  const ui = list.uiOf(cardId);
  const el = cardElement(list, cardId);
  const slot = el.querySelector(".card-form");
  if (ui.form === kind) return closeForm(list, cardId);
  const spec = FORMS[kind];
  slot.innerHTML = `
    <form class="form work-form" data-testid="${kind}-form" data-form="${kind}" novalidate>
      ${spec.fields.map((field) => fieldHtml(kind, field)).join("")}
      <div class="work-actions">
        <button type="submit" class="button button-primary button-big" data-testid="${kind}-submit"></button>
        <button type="button" class="button button-big" data-cancel data-testid="${kind}-cancel" data-i18n="page.cancel"></button>
      </div>
    </form>`;
  const form = slot.querySelector("form");
  for (const field of spec.fields) {
    const input = form.elements.namedItem(field.name);
    const initial = field.initial ? field.initial(ui.row) : "";
    if (field.kind === "check") input.checked = Boolean(initial);
    else input.value = initial ?? "";
    if (field.latest) input.max = localInputValue(now());
  }
  applyLabels(slot);
  ui.form = kind;
  ui.message = null;
  renderList(list);
  form.querySelector('[type="submit"]').scrollIntoView({ block: "nearest" });
}

function closeForm(list, cardId) {
  const ui = list.uiOf(cardId);
  ui.form = null;
  const el = cardElement(list, cardId);
  if (el) el.querySelector(".card-form").replaceChildren();
  renderList(list);
}

const cardElement = (list, cardId) => $(`${listId(list)}-list`).querySelector(`:scope > [data-id="${CSS.escape(cardId)}"]`);

function bodyOf(spec, form) {
  const body = {};
  for (const field of spec.fields) {
    const input = form.elements.namedItem(field.name);
    const value = fieldValue(field, input.value, input.checked);
    if (value !== undefined) body[field.name] = value;
  }
  return body;
}

/** Each field's error from the form's last refusal, in the current language. */
function showFieldErrors(form) {
  const { result = null, cleared = new Set() } = formRefusals.get(form) || {};
  const errors = result ? fieldErrors(result) : {};
  const code = result && result.body ? result.body.error : "";
  if (FIELD_OF_CODE[code] && !errors[FIELD_OF_CODE[code]]) errors[FIELD_OF_CODE[code]] = t("error.field_invalid");
  for (const span of form.querySelectorAll("[data-error-for]")) {
    const message = cleared.has(span.dataset.errorFor) ? "" : errors[span.dataset.errorFor];
    span.hidden = !message;
    span.textContent = message || "";
    const input = form.elements.namedItem(span.dataset.errorFor);
    if (input) input.setAttribute("aria-invalid", String(Boolean(message)));
  }
}

/** A field the user corrects no longer says it is wrong. */
function clearFieldError(input) {
  const form = input.closest("form");
  const refused = form && formRefusals.get(form);
  if (!refused || !input.name) return;
  refused.cleared.add(input.name);
  showFieldErrors(form);
}

// ---------------------------------------------------------------- commands

function onClick(list, event) {
  const button = event.target.closest("button");
  const card = event.target.closest("[data-id]");
  if (!button || !card || button.disabled) return;
  const cardId = card.dataset.id;
  if (button.hasAttribute("data-cancel")) closeForm(list, cardId);
  else if (button.dataset.action in FORMS) openForm(list, cardId, button.dataset.action);
  else if (button.dataset.action in DIRECT) runDirect(list, cardId, button.dataset.action);
}

function onSubmit(list, event) {
  event.preventDefault();
  const form = event.target;
  const card = form.closest("[data-id]");
  if (card) submitForm(list, card.dataset.id, form);
}

/** A one-tap command (acknowledge). The key is kept for a retry when nothing was confirmed. */
async function runDirect(list, cardId, action) {
  const ui = list.uiOf(cardId);
  if (ui.busy) return;
  const key = keys.keyFor(`${cardId}:${action}`);
  ui.busy = action;
  ui.message = null;
  renderList(list);
  const result = await api("POST", DIRECT[action].path(ui.row), undefined, { headers: { "Idempotency-Key": key } });
  keys.settle(`${cardId}:${action}`, result.status);
  finish(list, ui, result, DIRECT[action].done);
}

async function submitForm(list, cardId, form) {
  const ui = list.uiOf(cardId);
  if (ui.busy) return;
  const kind = form.dataset.form;
  const spec = FORMS[kind];
  const body = bodyOf(spec, form);
  const key = keys.keyFor(`${cardId}:${kind}`, body);
  ui.busy = kind;
  ui.message = null;
  renderList(list);
  const result = await api("POST", spec.path(ui.row), body, { headers: { "Idempotency-Key": key } });
  keys.settle(`${cardId}:${kind}`, result.status);
  formRefusals.set(form, { result: result.ok ? null : result, cleared: new Set() });
  showFieldErrors(form);
  if (result.ok) {
    ui.form = null;
    form.remove();
  }
  finish(list, ui, result, spec.done);
}

// One Idempotency-Key per action the user takes; the same one when retrying an unconfirmed one.
const keys = new RetryKeys();

function finish(list, ui, result, doneKey) {
  ui.busy = null;
  ui.message = result.ok ? (doneKey ? { done: doneKey } : null) : { result };
  const position = result.ok && result.body ? result.body.position : undefined;
  if (result.ok) {
    // Read the lists as they stand after the command (a request made from an order joins the queue).
    for (const reader of showsQueue ? [ordersReader, queueReader] : [ordersReader]) reader.want(position, { soon: false });
  }
  renderList(list);
}

page.start();
