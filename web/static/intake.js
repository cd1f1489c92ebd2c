// The intake desk (客服受理台): register a report from any channel in under a minute,
// work through the reports (verify, dismiss, link to a crisis) as the board's socket
// keeps the list current, and tell the customer the result and record the callback.

import "./intake-labels.js";
import { applyLabels, dateTime, duration, isoFromLocalInput, labelFor, localInputValue, shortTime, t } from "./i18n.js";
import { BoardState, SEVERITIES, latestUpdate, parseTime } from "./board-model.js";
import { $, Page, RetryKeys, api, escapeHtml, fieldErrors, now, refusal } from "./page.js";
import {
  SECTIONS,
  duplicateCandidates,
  linkTargets,
  linkedCount,
  workSections,
} from "./intake-model.js";

const WRITERS = ["intake", "leadership"];
// Errors without a `fields` list that still belong next to one field.
const FIELD_OF_ERROR = {
  received_in_future: "received_at",
  received_too_long_ago: "received_at",
  duplicate_of_needed: "duplicate_of",
  satisfaction_out_of_range: "satisfaction",
};
// The schema's own words for these are a regular expression: say what is expected instead.
const FIELD_HINTS = { reporter_phone: "intake.error.phone", reporter_email: "intake.error.email" };
const CASE_HASH = /^#case-([0-9a-f-]{36})$/i;

const board = new BoardState();
const keys = new RetryKeys();
const refusals = new Map(); // form -> the refused answer it shows, told again on a language switch
const items = new Map(); // incident id -> its <li> in the work list
const itemHtml = new WeakMap(); // <li> -> the summary markup it shows
let loaded = false;
let mayWrite = false;
let openAction = null; // {id, action}: the one action form open in the work list
let receivedEdited = false; // the report's received_at was set by hand
let selectedId = null; // the case in the customer-contact panel
let selected = null; // its GET /api/incidents/{id} answer
let caseFailure = null; // or the answer that refused it
let caseRequest = 0;

const page = new Page({
  titleKey: "intake.heading",
  pageTitleKey: "intake.page_title",
  roles: ["intake", "leadership", "admin"],
  socket: "/ws/board",
  position: () => board.position,
  onSnapshot(message) {
    board.load(message);
    loaded = true;
    renderList();
    if (selectedId) loadCase();
  },
  onEvent(message) {
    if (board.apply(message)) renderList();
    if (message.incident_id === selectedId) loadCase();
  },
  onRow(message) {
    if (board.apply(message)) renderList();
  },
  newestUpdate: () => latestUpdate(board.rows.values()),
  render,
  tick,
  start,
});

function start(user) {
  mayWrite = WRITERS.includes(user.role);
  $("read-only").hidden = mayWrite;
  $("report-panel").hidden = !mayWrite;
  const form = $("report-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitReport(form);
  });
  form.elements.description.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  form.elements.received_at.addEventListener("input", () => {
    receivedEdited = true;
    $("received-follows").hidden = true;
    $("report-received-now").hidden = false;
  });
  $("report-received-now").addEventListener("click", followClock);
  followClock();
  for (const name of ["notify", "callback"]) {
    const contact = $(`${name}-form`);
    contact.addEventListener("submit", (event) => {
      event.preventDefault();
      if (name === "notify") submitNotice(contact);
      else submitCallback(contact);
    });
  }
  const list = $("work-list");
  list.addEventListener("click", onWorkClick);
  list.addEventListener("submit", onWorkSubmit);
  list.addEventListener("change", onWorkChange);
  list.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && event.target.closest("form[data-action]")) closeAction();
  });
  $("case-close").addEventListener("click", () => selectCase(null));
  const wanted = CASE_HASH.exec(window.location.hash);
  if (wanted) selectCase(wanted[1].toLowerCase());
  if (mayWrite) form.elements.title.focus();
}

function render() {
  renderList();
  renderCase();
  for (const [form, result] of refusals) showRefusal(form, result);
}

function tick() {
  if (!receivedEdited) showClockTime();
  showWaiting();
}

/** How long each report has waited: counted here, so the items' markup stays still. */
function showWaiting() {
  const at = now();
  for (const el of document.querySelectorAll("[data-waiting-since]")) {
    el.textContent = t("intake.item.waiting", { d: duration(at - Number(el.dataset.waitingSince)) });
  }
}

// ---------------------------------------------------------------- sending commands and showing refusals

/** Sends one command from a form: one key per action (kept for a retry), the refusal shown in the form. */
async function send(form, path, body) {
  clearRefusal(form);
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  const key = keys.keyFor(path, body);
  const result = await api("POST", path, body, { headers: { "Idempotency-Key": key } });
  keys.settle(path, result.status);
  button.disabled = false;
  if (!result.ok) {
    refusals.set(form, result);
    showRefusal(form, result);
  }
  return result;
}

/** The API's field errors by input name ("reporter.phone" is the input reporter_phone). */
function fieldMessages(result) {
  const fields = ((result.body && result.body.fields) || []).map((item) => ({
    ...item,
    field: String(item.field || "").replaceAll(".", "_"),
  }));
  const messages = fieldErrors({ body: { fields } });
  for (const name of Object.keys(messages)) if (FIELD_HINTS[name]) messages[name] = t(FIELD_HINTS[name]);
  const field = FIELD_OF_ERROR[result.body && result.body.error];
  if (field) messages[field] = refusal(result);
  return messages;
}

function showRefusal(form, result) {
  if (!form.isConnected) {
    refusals.delete(form);
    return;
  }
  for (const [name, message] of Object.entries(fieldMessages(result))) {
    const slot = form.querySelector(`[data-error-for="${name}"]`);
    if (!slot) continue;
    slot.textContent = message;
    slot.hidden = false;
    for (const input of form.querySelectorAll(`[name="${name}"]`)) input.setAttribute("aria-invalid", "true");
  }
  const error = form.querySelector(".refusal");
  error.textContent = refusal(result);
  error.hidden = false;
}

function clearRefusal(form) {
  refusals.delete(form);
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.hidden = true;
    slot.textContent = "";
  }
  for (const input of form.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".refusal, .notice")) el.hidden = true;
}

// ---------------------------------------------------------------- the report form

/** Until set by hand, received_at shows the clock and is left to the server: the time of registering. */
function followClock() {
  receivedEdited = false;
  $("received-follows").hidden = false;
  $("report-received-now").hidden = true;
  showClockTime();
}

function showClockTime() {
  const input = $("report-received-at");
  if (document.activeElement === input) return;
  const value = localInputValue(now());
  if (input.value !== value) input.value = value;
}

function reportBody(form) {
  const value = (name) => form.elements[name].value.trim();
  const body = {
    kind: value("kind"),
    channel: value("channel"),
    category: value("category"),
    title: value("title"),
    description: value("description"),
    description_is_personal: form.elements.description_is_personal.checked,
    location: value("location"),
  };
  const reporter = { name: value("reporter_name"), phone: value("reporter_phone"), email: value("reporter_email") };
  if (reporter.name || reporter.phone || reporter.email) body.reporter = reporter;
  const received = receivedEdited ? isoFromLocalInput(form.elements.received_at.value) : null;
  if (received) body.received_at = received;
  return body;
}

async function submitReport(form) {
  const body = reportBody(form);
  const result = await send(form, "/api/incidents", body);
  if (!result.ok) return;
  const done = $("report-done");
  $("report-done-title").textContent = body.title;
  $("report-done-link").href = `/incidents/${result.body.id}`;
  done.hidden = false;
  clearForNextCall(form);
}

/** Ready for the next call: the desk's channel stays, everything about the caller goes. */
function clearForNextCall(form) {
  const channel = form.elements.channel.value;
  rememberCategory(form.elements.category.value.trim());
  form.reset();
  form.elements.channel.value = channel;
  followClock();
  form.elements.title.focus();
}

function rememberCategory(category) {
  if (!category) return;
  const list = $("categories");
  if ([...list.options].some((option) => option.value === category)) return;
  const option = document.createElement("option");
  option.value = category;
  list.append(option);
}

// ---------------------------------------------------------------- the work list

function renderList() {
  $("work-loading").hidden = loaded;
  $("work-sections").hidden = !loaded;
  if (!loaded) return;
  const rows = [...board.rows.values()];
  const sections = workSections(rows);
  const shown = new Set();
  for (const name of SECTIONS) {
    const list = $(`list-${name}`);
    let previous = null;
    for (const row of sections[name]) {
      const el = itemFor(row);
      renderItem(el, row, rows);
      shown.add(row.id);
      const expected = previous ? previous.nextElementSibling : list.firstElementChild;
      if (expected !== el) {
        if (previous) previous.after(el);
        else list.prepend(el);
      }
      previous = el;
    }
    $(`count-${name}`).textContent = String(sections[name].length);
    $(`empty-${name}`).hidden = sections[name].length > 0;
  }
  for (const [id, el] of items) {
    if (shown.has(id)) continue;
    el.remove();
    items.delete(id);
    if (openAction && openAction.id === id) openAction = null;
  }
  for (const row of rows) rememberCategory(row.category);
  showWaiting();
}

function itemFor(row) {
  let el = items.get(row.id);
  if (!el) {
    el = document.createElement("li");
    el.className = "item intake-item";
    el.dataset.testid = "work-item";
    el.dataset.id = row.id;
    el.innerHTML = '<div class="intake-item-summary"></div><div class="intake-item-action" hidden></div>';
    items.set(row.id, el);
  }
  return el;
}

function renderItem(el, row, rows) {
  el.dataset.status = row.status;
  el.dataset.kind = row.kind;
  const summary = el.querySelector(".intake-item-summary");
  const html = summaryHtml(row, rows);
  if (itemHtml.get(el) !== html) {
    summary.innerHTML = html;
    itemHtml.set(el, html);
  }
  renderAction(el, row, rows);
}

function summaryHtml(row, rows) {
  const severity = SEVERITIES.includes(row.severity) ? row.severity : null;
  const received = parseTime(row.reported_at);
  const head = [
    severity ? `<span class="sev-badge sev-${severity}">${escapeHtml(t(`severity.short.${severity}`))}</span>` : "",
    `<span class="tag tag-kind" data-testid="item-kind">${escapeHtml(labelFor("kind", row.kind))}</span>`,
    `<span class="tag tag-status status-${escapeHtml(row.status)}" data-testid="item-status">${escapeHtml(labelFor("status", row.status))}</span>`,
    `<span class="muted">${escapeHtml(labelFor("channel", row.channel))} · ${escapeHtml(t("intake.item.received", { time: shortTime(received, now()) }))}</span>`,
    row.status === "reported" && !Number.isNaN(received)
      ? `<span class="intake-waiting" data-waiting-since="${received}"></span>`
      : "",
  ];
  const where = [row.category, row.location].filter(Boolean).map((text) => `<span class="user-data">${escapeHtml(text)}</span>`);
  const parent = row.parent_id ? board.rows.get(row.parent_id) : null;
  const parts = [
    `<div class="item-head">${head.join("")}</div>`,
    `<div class="item-title"><a class="user-data intake-title" data-testid="item-title" href="/incidents/${escapeHtml(row.id)}">${escapeHtml(row.title)}</a></div>`,
    where.length ? `<div class="muted intake-where">${where.join(" · ")}</div>` : "",
    parent
      ? `<div class="muted" data-testid="item-parent">${escapeHtml(t("intake.item.linked_to"))} <a class="user-data" href="/incidents/${escapeHtml(parent.id)}">${escapeHtml(parent.title)}</a></div>`
      : "",
  ];
  if (row.kind === "crisis") {
    const count = linkedCount(rows, row.id);
    if (count) parts.push(`<div class="muted" data-testid="item-linked-count">${escapeHtml(t("intake.item.linked_count", { n: count }))}</div>`);
  }
  parts.push(`<div class="actions">${buttonsHtml(row, rows)}</div>`);
  return parts.join("");
}

function buttonsHtml(row, rows) {
  const button = (act, key, extra = "") =>
    `<button type="button" class="button${extra}" data-act="${act}" data-testid="act-${act}">${escapeHtml(t(key))}</button>`;
  const buttons = [];
  if (mayWrite && row.status === "reported") {
    buttons.push(button("verify", "intake.act.verify", " button-primary"), button("dismiss", "intake.act.dismiss"));
  }
  if (mayWrite && row.status !== "resolved" && linkTargets(rows, row).length) buttons.push(button("link", "intake.act.link"));
  if (row.status === "resolved") buttons.push(button("case", "intake.act.contact", " button-primary"));
  else buttons.push(button("case", "intake.act.case"));
  return buttons.join("");
}

// ---------------------------------------------------------------- verify, dismiss, link: one form open at a time

const ACTION_FORMS = {
  verify: () => `
    <label class="field"><span data-i18n="intake.verify.note"></span>
      <input name="note" data-testid="verify-note" maxlength="4000" data-i18n-placeholder="intake.verify.note_hint">
      <span class="field-error" data-error-for="note" hidden></span></label>
    <div class="actions">
      <button type="submit" class="button button-primary" data-testid="verify-confirm" data-i18n="intake.verify.confirm"></button>
      <button type="button" class="button" data-act="cancel" data-testid="action-cancel" data-i18n="page.cancel"></button>
    </div>`,
  dismiss: () => `
    <div class="form-row">
      <label class="field"><span data-i18n="intake.dismiss.reason"></span>
        <select name="reason" data-testid="dismiss-reason">
          <option value="rumour" data-i18n="intake.dismiss.rumour"></option>
          <option value="duplicate" data-i18n="intake.dismiss.duplicate"></option>
          <option value="invalid" data-i18n="intake.dismiss.invalid"></option>
        </select></label>
      <label class="field" data-testid="dismiss-duplicate-field" hidden><span data-i18n="intake.dismiss.duplicate_of"></span>
        <select name="duplicate_of" data-testid="dismiss-duplicate-of"></select>
        <span class="field-error" data-error-for="duplicate_of" data-testid="error-duplicate_of" hidden></span></label>
    </div>
    <label class="field"><span data-i18n="intake.dismiss.note"></span>
      <input name="note" data-testid="dismiss-note" maxlength="4000">
      <span class="field-error" data-error-for="note" hidden></span></label>
    <div class="actions">
      <button type="submit" class="button button-danger" data-testid="dismiss-confirm" data-i18n="intake.dismiss.confirm"></button>
      <button type="button" class="button" data-act="cancel" data-testid="action-cancel" data-i18n="page.cancel"></button>
    </div>`,
  link: () => `
    <label class="field"><span data-i18n="intake.link.crisis"></span>
      <select name="parent_id" data-testid="link-crisis"></select>
      <span class="field-error" data-error-for="parent_id" hidden></span></label>
    <p class="muted" data-testid="link-none" data-i18n="intake.link.none" hidden></p>
    <div class="actions">
      <button type="submit" class="button button-primary" data-testid="link-confirm" data-i18n="intake.link.confirm"></button>
      <button type="button" class="button" data-act="cancel" data-testid="action-cancel" data-i18n="page.cancel"></button>
    </div>`,
};

/** The item's action form: built when opened, its choices refreshed as the board changes, kept while typed in. */
function renderAction(el, row, rows) {
  const area = el.querySelector(".intake-item-action");
  const action = openAction && openAction.id === row.id ? openAction.action : null;
  if (!action) {
    if (!area.hidden) {
      area.hidden = true;
      area.replaceChildren();
    }
    return;
  }
  let form = area.querySelector("form");
  if (!form || form.dataset.action !== action) {
    area.innerHTML = `<form class="form intake-action" data-testid="${action}-form" data-action="${action}" novalidate autocomplete="off">${ACTION_FORMS[action]()}<p class="refusal" data-testid="action-error" role="alert" hidden></p></form>`;
    applyLabels(area);
    area.hidden = false;
    form = area.querySelector("form");
    refreshChoices(form, row, rows);
    form.querySelector("input, select")?.focus();
    return;
  }
  refreshChoices(form, row, rows);
}

function refreshChoices(form, row, rows) {
  if (form.dataset.action === "dismiss") {
    const choose = `<option value="">${escapeHtml(t("intake.dismiss.choose"))}</option>`;
    fillSelect(form.elements.duplicate_of, duplicateCandidates(rows, row), choose);
    form.querySelector('[data-testid="dismiss-duplicate-field"]').hidden = form.elements.reason.value !== "duplicate";
  } else if (form.dataset.action === "link") {
    const targets = linkTargets(rows, row);
    fillSelect(form.elements.parent_id, targets, "");
    form.elements.parent_id.closest(".field").hidden = targets.length === 0;
    form.querySelector('[data-testid="link-none"]').hidden = targets.length > 0;
  }
}

/** Options naming incidents (their titles are user data), keeping the choice made. */
function fillSelect(select, rows, first) {
  const option = (row) => {
    const severity = SEVERITIES.includes(row.severity) ? `${t(`severity.short.${row.severity}`)} · ` : "";
    return `<option class="user-data" value="${escapeHtml(row.id)}">${escapeHtml(`${severity}${row.title} · ${labelFor("status", row.status)}`)}</option>`;
  };
  const html = first + rows.map(option).join("");
  if (select.dataset.html === html) return;
  const chosen = select.value;
  select.innerHTML = html;
  select.dataset.html = html;
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
}

function onWorkClick(event) {
  const button = event.target.closest("[data-act]");
  const item = event.target.closest('[data-testid="work-item"]');
  if (!button || !item) return;
  const act = button.dataset.act;
  if (act === "case") {
    selectCase(item.dataset.id);
    return;
  }
  openAction = act === "cancel" || (openAction && openAction.id === item.dataset.id && openAction.action === act) ? null : { id: item.dataset.id, action: act };
  renderList();
}

function closeAction() {
  openAction = null;
  renderList();
}

function onWorkChange(event) {
  const form = event.target.closest("form[data-action]");
  if (form && event.target.name === "reason") {
    form.querySelector('[data-testid="dismiss-duplicate-field"]').hidden = event.target.value !== "duplicate";
  }
}

async function onWorkSubmit(event) {
  const form = event.target.closest("form[data-action]");
  if (!form) return;
  event.preventDefault();
  const id = form.closest('[data-testid="work-item"]').dataset.id;
  const title = board.rows.get(id)?.title ?? "";
  const action = form.dataset.action;
  const result = await send(form, `/api/incidents/${id}/${action}`, actionBody(form));
  if (!result.ok) return;
  if (openAction && openAction.id === id) openAction = null;
  sayDone(`intake.done.${{ verify: "verified", dismiss: "dismissed", link: "linked" }[action]}`, id, title);
  renderList();
}

function actionBody(form) {
  const value = (name) => form.elements[name].value.trim();
  if (form.dataset.action === "verify") return { note: value("note") };
  if (form.dataset.action === "link") return { parent_id: value("parent_id") };
  const body = { reason: value("reason"), note: value("note") };
  if (body.reason === "duplicate" && value("duplicate_of")) body.duplicate_of = value("duplicate_of");
  return body;
}

/** What the last action did, above the list: the item itself may have moved or left it. */
function sayDone(key, id, title) {
  const label = $("work-notice-label");
  label.dataset.i18n = key;
  label.textContent = t(key);
  const link = $("work-notice-title");
  link.textContent = title;
  link.href = `/incidents/${id}`;
  $("work-notice").hidden = false;
}

// ---------------------------------------------------------------- the case: details, notice, callback

async function selectCase(id) {
  if (id !== selectedId) {
    for (const form of [$("notify-form"), $("callback-form")]) {
      clearRefusal(form);
      form.reset();
    }
    selected = null;
    caseFailure = null;
  }
  selectedId = id;
  history.replaceState(null, "", id ? `#case-${id}` : window.location.pathname + window.location.search);
  renderCase();
  if (!id) return;
  $("case-panel").scrollIntoView({ block: "nearest" });
  await loadCase();
  const row = board.rows.get(id);
  if (row && row.status === "resolved") $("notify-message").focus({ preventScroll: true });
}

async function loadCase() {
  const id = selectedId;
  const request = ++caseRequest;
  const result = await api("GET", `/api/incidents/${id}`);
  if (request !== caseRequest || id !== selectedId) return;
  const first = !selected || selected.id !== id;
  caseFailure = result.ok ? null : result;
  selected = result.ok ? result.body : null;
  if (selected && first) presetContact(selected);
  renderCase();
}

/** The customer is best told the way they can be reached. */
function presetContact(incident) {
  const reporter = incident.reporter || {};
  $("notify-channel").value = reporter.phone ? "sms" : reporter.email ? "email" : "phone";
  const personal = Boolean(reporter.name || reporter.phone || reporter.email);
  $("notify-personal").disabled = !personal;
  $("callback-personal").disabled = !personal;
}

function renderCase() {
  const details = $("case-details");
  const error = $("case-error");
  const failed = caseFailure;
  $("case-hint").hidden = Boolean(selectedId);
  $("case-close").hidden = !selectedId;
  error.hidden = !failed;
  error.textContent = failed ? refusal(failed) : "";
  $("case-forms").hidden = !selected || !mayWrite;
  if (!selectedId) {
    details.replaceChildren();
    return;
  }
  if (!selected) {
    details.innerHTML = failed ? "" : `<p class="muted">${escapeHtml(t("intake.case.loading"))}</p>`;
    return;
  }
  details.innerHTML = caseHtml(selected);
  $("notify-not-resolved").hidden = !["verified", "responding"].includes(selected.status);
  $("callback-not-resolved").hidden = ["resolved", "closed", "reviewed"].includes(selected.status);
}

function caseHtml(incident) {
  const fact = (key, value, userData = false) =>
    value ? `<dt>${escapeHtml(t(key))}</dt><dd${userData ? ' class="user-data"' : ""}>${escapeHtml(value)}</dd>` : "";
  const severity = SEVERITIES.includes(incident.severity) ? incident.severity : null;
  const resolution = incident.resolution ? labelFor("resolution", incident.resolution) : "";
  return `
    <div class="item-head">
      ${severity ? `<span class="sev-badge sev-${severity}">${escapeHtml(t(`severity.short.${severity}`))}</span>` : ""}
      <span class="tag tag-kind">${escapeHtml(labelFor("kind", incident.kind))}</span>
      <span class="tag tag-status status-${escapeHtml(incident.status)}" data-testid="case-status">${escapeHtml(labelFor("status", incident.status))}</span>
    </div>
    <h3 class="intake-case-title"><a class="user-data" data-testid="case-title" href="/incidents/${escapeHtml(incident.id)}">${escapeHtml(incident.title)}</a></h3>
    <dl class="intake-facts" data-testid="case-facts">
      ${fact("intake.field.channel", labelFor("channel", incident.channel))}
      ${fact("intake.field.category", incident.category, true)}
      ${fact("intake.field.location", incident.location, true)}
      ${fact("intake.field.received_at", dateTime(parseTime(incident.received_at)))}
      <dt>${escapeHtml(t("intake.case.reporter"))}</dt><dd data-testid="case-reporter">${reporterHtml(incident.reporter)}</dd>
      ${fact("intake.field.description", incident.description, true)}
      ${resolution ? `<dt>${escapeHtml(t("intake.case.resolution"))}</dt><dd>${escapeHtml(resolution)}${incident.summary ? ` · <span class="user-data">${escapeHtml(incident.summary)}</span>` : ""}</dd>` : ""}
    </dl>
    ${historyHtml("intake.case.notices", "case-notices", incident.notices, noticeHtml)}
    ${historyHtml("intake.case.callbacks", "case-callbacks", incident.callbacks, callbackHtml)}`;
}

function reporterHtml(reporter) {
  if (!reporter) return escapeHtml(t("intake.case.no_reporter"));
  if (reporter.erased) return escapeHtml(t("intake.case.erased"));
  const parts = [reporter.name, reporter.phone, reporter.email].filter(Boolean);
  if (!parts.length) return escapeHtml(t("intake.case.no_reporter"));
  return `<span class="user-data">${escapeHtml(parts.join(" · "))}</span>`;
}

function historyHtml(key, testid, entries, entryHtml) {
  if (!entries || !entries.length) return "";
  return `<h3>${escapeHtml(t(key))}</h3><ul class="intake-history" data-testid="${testid}">${entries.map(entryHtml).join("")}</ul>`;
}

function noticeHtml(notice) {
  const kind = t(notice.of_result ? "intake.case.of_result" : "intake.case.progress");
  return `<li><span class="muted">${escapeHtml(dateTime(parseTime(notice.at)))} · ${escapeHtml(t(`intake.contact.${notice.channel}`))} · ${escapeHtml(kind)}</span> <span class="user-data">${escapeHtml(notice.message)}</span></li>`;
}

function callbackHtml(callback) {
  const score = `${callback.satisfaction}/5 ${t(`intake.satisfaction.${callback.satisfaction}`)}`;
  const comment = callback.comment ? ` <span class="user-data">${escapeHtml(callback.comment)}</span>` : "";
  return `<li><span class="muted">${escapeHtml(dateTime(parseTime(callback.at)))} · ${escapeHtml(t(`intake.contact.${callback.via}`))}</span> <b>${escapeHtml(score)}</b>${comment}</li>`;
}

async function submitNotice(form) {
  const body = {
    channel: form.elements.channel.value,
    message: form.elements.message.value.trim(),
    message_is_personal: form.elements.message_is_personal.checked,
  };
  const result = await send(form, `/api/incidents/${selectedId}/notify`, body);
  if (!result.ok) return;
  form.elements.message.value = "";
  form.elements.message_is_personal.checked = false;
  $("notify-done").hidden = false;
  loadCase();
}

async function submitCallback(form) {
  const chosen = form.querySelector('input[name="satisfaction"]:checked');
  const body = {
    // Not chosen: the server says so next to the scores.
    satisfaction: chosen ? Number(chosen.value) : 0,
    comment: form.elements.comment.value.trim(),
    via: form.elements.via.value,
    comment_is_personal: form.elements.comment_is_personal.checked,
  };
  const result = await send(form, `/api/incidents/${selectedId}/callbacks`, body);
  if (!result.ok) return;
  form.reset();
  $("callback-done").hidden = false;
  loadCase();
}

page.start();
