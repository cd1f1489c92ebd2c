// The leadership wall board: a snapshot then events over /ws/board, re-laid out every second
// so that orders turn overdue on screen as their deadlines pass, with no new event needed.

import { applyLabels, clockTime, duration, labelFor, language, otherLanguage, setLanguage, t } from "./i18n.js";
import { BoardState, SEVERITIES, nextDeadline, openOrdersOf, parseTime } from "./board-model.js";

const RETRY_START_MS = 500;
const RETRY_MAX_MS = 5000;
const SNAPSHOT_WAIT_MS = 10000; // an open socket that sends no snapshot by then is dropped
const HEARTBEATS_MISSED = 2.5; // silence this many heartbeat intervals long means the server is gone
const STALE_POLL_MS = 5000;
const LINKED_SHOWN = 5;
const SOON_MS = 15 * 60 * 1000; // a deadline this close is shown as urgent

const board = new BoardState();
let socket = null;
let retryDelay = RETRY_START_MS;
let retryTimer = null;
let snapshotTimer = null;
let silenceTimer = null;
let heartbeatMs = 10000; // the server says how often it beats, in its snapshot
let staleTimer = null;
let failedAttempts = 0;
let connection = "connecting"; // connecting | live | stale | reconnecting
let loaded = false; // a snapshot has been shown
let lastGoodAt = null; // when the board was last known to match the log (server-clock ms)
let clockOffset = 0; // server clock minus this browser's clock, ms
let user = null;
let leaving = false;

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const now = () => Date.now() + clockOffset;

// ---------------------------------------------------------------- session

async function loadSession() {
  let response;
  try {
    response = await fetch("/api/session", {
      credentials: "same-origin",
      cache: "no-store",
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    return "unreachable";
  }
  if (response.status === 401) {
    goToLogin();
    return "anonymous";
  }
  if (!response.ok) return "unreachable";
  learnClockOffset(response);
  try {
    user = await response.json();
  } catch {
    return "unreachable";
  }
  renderUser();
  return "ok";
}

function goToLogin() {
  leaving = true;
  closeSocket();
  window.location.replace("/login");
}

/** Deadlines are in server time: correct for a wall-screen clock that is off by more than a couple of seconds. */
function learnClockOffset(response) {
  const server = Date.parse(response.headers.get("date") || "");
  if (Number.isNaN(server)) return;
  const skew = server - Date.now(); // the header has whole seconds only
  clockOffset = Math.abs(skew) > 2000 ? skew + 500 : 0;
}

async function logout() {
  leaving = true;
  clearTimeout(retryTimer);
  closeSocket();
  try {
    await fetch("/api/session", { method: "DELETE", credentials: "same-origin" });
  } catch {
    /* the server is unreachable: the login page is still the right place to be */
  }
  window.location.replace("/login");
}

// ---------------------------------------------------------------- socket

function connect() {
  retryTimer = null;
  if (leaving) return;
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  let ws;
  try {
    // Once a board is shown, resume after its position: the server sends exactly what was missed.
    const resume = loaded ? `?after=${board.position}` : "";
    ws = new WebSocket(`${scheme}://${window.location.host}/ws/board${resume}`);
  } catch {
    onClosed();
    return;
  }
  socket = ws;
  ws.onopen = () => {
    clearTimeout(snapshotTimer);
    if (loaded) {
      // Resumed: the missed events follow, then live ones, with no snapshot.
      failedAttempts = 0;
      retryDelay = RETRY_START_MS;
      setConnection(board.stale ? "stale" : "live");
    } else {
      snapshotTimer = setTimeout(() => abandon(ws), SNAPSHOT_WAIT_MS);
    }
    expectHeartbeat(ws);
  };
  ws.onmessage = (message) => {
    if (socket !== ws) return;
    let data;
    try {
      data = JSON.parse(message.data);
    } catch {
      data = null;
    }
    if (data) onMessage(data); // a snapshot says how often the server beats
    if (socket === ws) expectHeartbeat(ws);
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    onClosed();
  };
}

/** A socket that stays silent past a few heartbeats is dead, even if the browser has not noticed. */
function expectHeartbeat(ws) {
  clearTimeout(silenceTimer);
  silenceTimer = setTimeout(() => abandon(ws), heartbeatMs * HEARTBEATS_MISSED);
}

/** Give up on a socket now: a hung server would keep its closing handshake waiting. */
function abandon(ws) {
  if (socket !== ws) return;
  socket = null;
  ws.close();
  onClosed();
}

function closeSocket() {
  clearTimeout(snapshotTimer);
  clearTimeout(silenceTimer);
  if (socket) {
    const ws = socket;
    socket = null;
    ws.close();
  }
}

function onMessage(message) {
  if (message.type === "snapshot") {
    clearTimeout(snapshotTimer);
    if (message.heartbeat > 0) heartbeatMs = message.heartbeat * 1000;
    board.load(message);
    loaded = true;
    failedAttempts = 0;
    retryDelay = RETRY_START_MS;
    setConnection(board.stale ? "stale" : "live");
    render();
  } else if (message.type === "event" || message.type === "row") {
    // "row": the server's clock recounted a row (an order went overdue); no log position.
    if (!loaded) return;
    if (board.apply(message)) {
      if (connection === "live") lastGoodAt = now();
      render();
    }
  } else if (message.type === "heartbeat" && loaded) {
    // A quiet night, not a dead server; it also says whether the board follows the log.
    if (message.stale !== board.stale) {
      board.stale = Boolean(message.stale);
      setConnection(board.stale ? "stale" : "live");
    } else if (connection === "live") {
      lastGoodAt = now();
    }
    render();
  }
  // "resync": a fresh snapshot follows and replaces everything.
}

async function onClosed() {
  clearTimeout(snapshotTimer);
  clearTimeout(silenceTimer);
  if (leaving) return;
  if (connection === "live") lastGoodAt = now();
  failedAttempts += 1;
  setConnection(loaded ? "reconnecting" : "connecting");
  // Refused because the session ended? Then the login page, not endless retries.
  if ((await loadSession()) === "anonymous") return;
  if (leaving || socket || retryTimer) return;
  const delay = retryDelay;
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  retryTimer = setTimeout(connect, delay);
}

function reconnectNow() {
  if (leaving) return;
  retryDelay = RETRY_START_MS;
  if (retryTimer) {
    clearTimeout(retryTimer);
    connect();
  } else if (socket) {
    socket.close(); // onclose schedules the reconnection
  }
}

function setConnection(next) {
  if (next === "live") lastGoodAt = now();
  connection = next;
  clearTimeout(staleTimer);
  if (next === "stale") staleTimer = setTimeout(pollWhileStale, STALE_POLL_MS);
  renderConnection();
}

/** While the server says the board is stale, ask again; once it is not, take a fresh snapshot. */
async function pollWhileStale() {
  if (connection !== "stale") return;
  try {
    const response = await fetch("/api/board", { credentials: "same-origin", cache: "no-store" });
    if (response.ok && (await response.json()).stale === false) {
      reconnectNow();
      return;
    }
  } catch {
    /* the socket will tell us if the server is gone */
  }
  if (connection === "stale") staleTimer = setTimeout(pollWhileStale, STALE_POLL_MS);
}

// ---------------------------------------------------------------- rendering

const escapeHtml = (value) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

const renderedHtml = new WeakMap(); // card element -> the markup it shows, to touch the DOM only on change

const severityOf = (row) => (SEVERITIES.includes(row.severity) ? row.severity : "ungraded");

function render() {
  const at = now();
  const { cards, totals } = board.layout(at);
  renderTotals(totals);
  renderCards(cards, at);
  renderConnection();
}

function renderTotals(totals) {
  const shown = loaded;
  $("totals-open").textContent = shown ? totals.open : "–";
  $("totals-open-orders").textContent = shown ? totals.open_orders : "–";
  $("totals-overdue").textContent = shown ? totals.overdue_orders : "–";
  $("totals-overdue-box").classList.toggle("total-alarm", shown && totals.overdue_orders > 0);
  for (const severity of [...SEVERITIES, "ungraded"]) {
    const chip = $(`totals-severity-${severity}`);
    const count = shown ? totals.by_severity[severity] : 0;
    chip.querySelector("b").textContent = shown ? count : "–";
    chip.classList.toggle("sev-chip-zero", shown && count === 0);
  }
}

function renderCards(cards, at) {
  const container = $("board");
  const message = $("board-message");
  if (!loaded || cards.length === 0) {
    for (const el of container.querySelectorAll('[data-testid="incident-card"]')) el.remove();
    message.hidden = false;
    message.textContent = loaded ? t("board.empty") : t("board.loading");
    return;
  }
  message.hidden = true;
  const existing = new Map();
  for (const el of container.querySelectorAll('[data-testid="incident-card"]')) existing.set(el.dataset.id, el);
  let previous = message;
  for (const card of cards) {
    const id = card.row.id;
    let el = existing.get(id);
    existing.delete(id);
    if (!el) {
      el = document.createElement("article");
      el.dataset.testid = "incident-card";
      el.dataset.id = id;
    }
    const html = cardHtml(card, at);
    if (renderedHtml.get(el) !== html) {
      el.innerHTML = html;
      renderedHtml.set(el, html);
    }
    const severity = severityOf(card.row);
    const alarm = card.overdue > 0 || card.linked.some((child) => child.overdue > 0);
    el.className = `card sev-${severity}${alarm ? " has-overdue" : ""}`;
    el.dataset.severity = severity;
    el.dataset.status = card.row.status;
    el.dataset.overdue = String(card.overdue);
    if (previous.nextElementSibling !== el) previous.after(el);
    previous = el;
    renderCountdown(el, card.row, at);
  }
  for (const el of existing.values()) el.remove();
}

function cardHtml({ row, overdue, linked }, at) {
  const severity = severityOf(row);
  const open = openOrdersOf(row);
  const where = [
    row.location ? `<span class="card-location" data-testid="location">${escapeHtml(row.location)}</span>` : "",
    row.channel ? `<span>${escapeHtml(labelFor("channel", row.channel))}</span>` : "",
    `<span>${escapeHtml(t("card.reported", { time: shortTime(row.reported_at, at) }))}</span>`,
  ]
    .filter(Boolean)
    .join('<span class="dot-sep"> · </span>');
  const parts = [
    `<div class="card-head">`,
    `<span class="sev-badge" data-testid="severity">${escapeHtml(t(`severity.${severity}`))}</span>`,
    `<span class="tag tag-kind" data-testid="kind">${escapeHtml(labelFor("kind", row.kind))}</span>`,
    `<span class="tag tag-status status-${escapeHtml(row.status)}" data-testid="status">${escapeHtml(labelFor("status", row.status))}</span>`,
    `</div>`,
    `<h2 class="card-title" data-testid="title">${escapeHtml(row.title)}</h2>`,
    `<div class="card-where">${where}</div>`,
    `<div class="card-orders">`,
    overdue > 0 ? `<span class="overdue-badge" data-testid="overdue-count" data-count="${overdue}">${escapeHtml(t("card.overdue", { n: overdue }))}</span>` : "",
    `<span class="orders${open ? "" : " orders-none"}" data-testid="open-orders">${escapeHtml(open ? t("card.open_orders", { n: open }) : t("card.no_orders"))}</span>`,
    open ? `<span class="countdown" data-testid="countdown"></span>` : "",
    row.pending_logistics > 0 ? `<span class="logistics" data-testid="pending-logistics">${escapeHtml(t("card.logistics", { n: row.pending_logistics }))}</span>` : "",
    `</div>`,
  ];
  if (row.commander) parts.push(`<div class="card-commander">${escapeHtml(t("card.commander", { name: row.commander }))}</div>`);
  if (row.last_update) {
    parts.push(
      `<p class="card-latest" data-testid="last-update-text"><span class="card-latest-label">${escapeHtml(t("card.latest"))}</span>${escapeHtml(row.last_update)}</p>`,
    );
  }
  if (linked.length) {
    const items = linked.slice(0, LINKED_SHOWN).map(
      ({ row: child, overdue: childOverdue }) =>
        `<li data-testid="linked-report" data-id="${escapeHtml(child.id)}">` +
        `<span class="linked-title" data-testid="linked-title">${escapeHtml(child.title)}</span>` +
        `<span class="linked-status">${escapeHtml(labelFor("status", child.status))}</span>` +
        (childOverdue > 0 ? `<span class="overdue-badge overdue-badge-small">${escapeHtml(t("card.overdue", { n: childOverdue }))}</span>` : "") +
        `</li>`,
    );
    if (linked.length > LINKED_SHOWN) {
      items.push(`<li class="linked-more">${escapeHtml(t("card.linked_more", { n: linked.length - LINKED_SHOWN }))}</li>`);
    }
    parts.push(
      `<div class="linked" data-testid="linked-reports" data-count="${linked.length}">`,
      `<div class="linked-head">${escapeHtml(t("card.linked", { n: linked.length }))}</div>`,
      `<ul>${items.join("")}</ul></div>`,
    );
  }
  return parts.join("");
}

/** hh:mm today, MM-DD hh:mm on another day. */
function shortTime(iso, at) {
  const ms = parseTime(iso);
  if (Number.isNaN(ms)) return "";
  const when = new Date(ms);
  const hhmm = clockTime(ms).slice(0, 5);
  if (when.toDateString() === new Date(at).toDateString()) return hhmm;
  return `${String(when.getMonth() + 1).padStart(2, "0")}-${String(when.getDate()).padStart(2, "0")} ${hhmm}`;
}

function renderCountdown(el, row, at) {
  const countdown = el.querySelector('[data-testid="countdown"]');
  if (!countdown) return;
  const next = nextDeadline(row, at);
  if (!next) {
    countdown.textContent = "";
    return;
  }
  countdown.textContent = next.passed
    ? t("card.overdue_by", { d: duration(at - next.at) })
    : t("card.due_in", { d: duration(next.at - at) });
  countdown.classList.toggle("countdown-passed", next.passed);
  countdown.classList.toggle("countdown-soon", !next.passed && next.at - at < SOON_MS);
}

function renderConnection() {
  const el = $("connection-state");
  el.dataset.state = connection;
  document.body.dataset.state = connection;
  document.body.classList.toggle("not-live", connection !== "live");
  $("connection-label").textContent = t(`conn.${connection}`);
  const since = $("last-update");
  const lastKnown = lastGoodAt ?? newestUpdate();
  const sinceText = lastKnown === null ? t("conn.never") : t("conn.last_update", { time: clockTime(lastKnown) });
  since.hidden = connection === "live" || (connection === "connecting" && failedAttempts === 0);
  since.textContent = sinceText;

  const banner = $("connection-banner");
  let text = "";
  if (connection === "stale") {
    text = t("banner.stale", { time: lastKnown === null ? "–" : clockTime(lastKnown) });
  } else if (connection === "reconnecting" || (connection === "connecting" && failedAttempts > 0)) {
    text = lastKnown === null ? t("banner.disconnected_never") : t("banner.disconnected", { time: clockTime(lastKnown) });
  }
  banner.hidden = !text;
  banner.textContent = text;
  banner.dataset.kind = connection;
}

/** The latest change the board shows: the best "as of" when it was never known to be current. */
function newestUpdate() {
  let newest = null;
  for (const row of board.rows.values()) {
    const ms = parseTime(row.updated_at);
    if (!Number.isNaN(ms) && (newest === null || ms > newest)) newest = ms;
  }
  return newest;
}

function renderUser() {
  const el = $("user");
  el.replaceChildren();
  if (!user) return;
  const name = document.createElement("span");
  name.className = "who-name";
  name.textContent = user.name;
  const role = document.createElement("span");
  role.className = "who-role";
  role.textContent = labelFor("role", user.role);
  el.append(name, " · ", role);
}

function renderLanguage() {
  applyLabels();
  document.title = t("board.page_title");
  const button = $("lang-switch");
  button.textContent = t("lang.other");
  button.lang = otherLanguage();
  renderUser();
  render();
}

function renderClock() {
  $("clock").textContent = clockTime(now());
}

// ---------------------------------------------------------------- the clock

/** Once a second, on the second: overdue counts, countdowns and the order follow the time. */
function tick() {
  if (connection === "live") lastGoodAt = now();
  renderClock();
  render();
  setTimeout(tick, 1000 - (Date.now() % 1000) + 20);
}

// ---------------------------------------------------------------- start

async function start() {
  setLanguage(language());
  renderLanguage();
  renderClock();
  $("lang-switch").addEventListener("click", () => {
    setLanguage(otherLanguage());
    renderLanguage();
  });
  $("logout").addEventListener("click", logout);
  window.addEventListener("online", reconnectNow);
  if ((await loadSession()) === "anonymous") return;
  connect();
  setTimeout(tick, 1000 - (Date.now() % 1000) + 20);
}

start();
