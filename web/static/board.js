// The leadership wall board: a snapshot then events over /ws/board, re-laid out every second
// so that orders turn overdue on screen as their deadlines pass, with no new event needed.

import { duration, labelFor, shortTime, t } from "./i18n.js";
import { BoardState, SEVERITIES, latestUpdate, nextDeadline, openOrdersOf, parseTime } from "./board-model.js";
import { $, Page, escapeHtml, now } from "./page.js";

const LINKED_SHOWN = 5;
const SOON_MS = 15 * 60 * 1000; // a deadline this close is shown as urgent
const STALE_POLL_MS = 5000;

const board = new BoardState();
let loaded = false; // a snapshot has been shown
let staleTimer = null;

const page = new Page({
  titleKey: "board.heading",
  pageTitleKey: "board.page_title",
  socket: "/ws/board",
  position: () => board.position,
  onSnapshot(message) {
    board.load(message);
    loaded = true;
    render();
  },
  onEvent: apply,
  onRow: apply,
  newestUpdate: () => latestUpdate(board.rows.values()),
  render,
  tick: render,
});

function apply(message) {
  if (board.apply(message)) render();
}

/** While the server says the board is stale, ask again; once it is not, take a fresh snapshot. */
async function pollWhileStale() {
  if (page.connection !== "stale") return;
  try {
    const response = await fetch("/api/board", { credentials: "same-origin", cache: "no-store" });
    if (response.ok && (await response.json()).stale === false) {
      page.live.reconnectNow();
      return;
    }
  } catch {
    /* the socket will tell us if the server is gone */
  }
  staleTimer = setTimeout(pollWhileStale, STALE_POLL_MS);
}

// ---------------------------------------------------------------- rendering

const renderedHtml = new WeakMap(); // card element -> the markup it shows, to touch the DOM only on change

const severityOf = (row) => (SEVERITIES.includes(row.severity) ? row.severity : "ungraded");

function render() {
  const at = now();
  const { cards, totals } = board.layout(at);
  renderTotals(totals);
  renderCards(cards, at);
  if (page.connection === "stale" && staleTimer === null) staleTimer = setTimeout(pollWhileStale, STALE_POLL_MS);
  if (page.connection !== "stale") {
    clearTimeout(staleTimer);
    staleTimer = null;
  }
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
    `<span>${escapeHtml(t("card.reported", { time: shortTime(parseTime(row.reported_at), at) }))}</span>`,
  ]
    .filter(Boolean)
    .join('<span class="dot-sep"> · </span>');
  const parts = [
    `<div class="card-head">`,
    `<span class="sev-badge" data-testid="severity">${escapeHtml(t(`severity.${severity}`))}</span>`,
    `<span class="tag tag-kind" data-testid="kind">${escapeHtml(labelFor("kind", row.kind))}</span>`,
    `<span class="tag tag-status status-${escapeHtml(row.status)}" data-testid="status">${escapeHtml(labelFor("status", row.status))}</span>`,
    `</div>`,
    `<h2 class="card-title" data-testid="title"><a class="card-link" href="/incidents/${escapeHtml(row.id)}">${escapeHtml(row.title)}</a></h2>`,
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
        `<a class="linked-title" data-testid="linked-title" href="/incidents/${escapeHtml(child.id)}">${escapeHtml(child.title)}</a>` +
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

page.start();
