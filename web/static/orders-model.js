// What the orders page knows without the DOM: which socket events can change its lists,
// how a deadline stands at a moment, which actions a request's state allows, form values,
// and a reader for a view that trails the socket by a little.

import { parseTime } from "./page.js";
import { isoFromLocalInput } from "./i18n.js";


const ORDER_EVENTS = new Set([
  "OrderIssued",
  "OrderAcknowledged",
  "OrderProgressed",
  "OrderReassigned",
  "OrderCompleted",
  "OrderCancelled",
]);
const LOGISTICS_EVENTS = new Set([
  "LogisticsRequested",
  "LogisticsAllocated",
  "LogisticsDelivered",
  "LogisticsReturned",
  "LogisticsDeclined",
]);
// Events that change what a row says about its incident (grade, status) or whether it is open at all.
const INCIDENT_EVENTS = new Set([
  "Verified",
  "Classified",
  "CommandActivated",
  "ResponsePosted",
  "Resolved",
  "Closed",
  "Dismissed",
  "ReviewRecorded",
]);

/** Names typed by people: compared without surrounding spaces or case (as the server does). */
export const sameName = (a, b) => String(a ?? "").trim().toLowerCase() === String(b ?? "").trim().toLowerCase();

const shown = (rows, field) => new Set((rows || []).map((row) => String(row[field]).toLowerCase()));

/**
 * Whether a socket event may change the orders shown: `me` is the user's name,
 * `everyone` true when all open orders are shown.
 */
export function touchesOrders(message, rows, { me, everyone }) {
  const event = message.event || {};
  if (event.type === "Reopened") return true; // its open orders come back
  if (ORDER_EVENTS.has(event.type)) {
    if (everyone) return true;
    if (event.assignee !== undefined && sameName(event.assignee, me)) return true; // issued or reassigned to me
    return shown(rows, "order_id").has(String(event.order_id).toLowerCase());
  }
  return INCIDENT_EVENTS.has(event.type) && shown(rows, "incident_id").has(String(message.incident_id).toLowerCase());
}

/** Whether a socket event may change the logistics queue shown. */
export function touchesQueue(message, rows) {
  const event = message.event || {};
  if (event.type === "Reopened" || LOGISTICS_EVENTS.has(event.type)) return true;
  return INCIDENT_EVENTS.has(event.type) && shown(rows, "incident_id").has(String(message.incident_id).toLowerCase());
}

/** Where a deadline stands at `nowMs`: {at, passed, left} (ms), or null without one. */
export function deadlineAt(iso, nowMs) {
  const at = parseTime(iso);
  if (Number.isNaN(at)) return null;
  return { at, passed: at < nowMs, left: at - nowMs };
}

/** What can be done with an open order: acknowledging only once. */
export function orderActions(order) {
  const actions = ["complete", "progress", "update", "request"];
  return order.state === "issued" ? ["acknowledge", ...actions] : actions;
}

/** What logistics staff can do with a request in its state (the domain's rules). */
export function requestActions(request) {
  switch (request.state) {
    case "requested":
      return ["allocate", "decline"];
    case "allocated":
      return ["deliver", "return"];
    case "delivered":
      return ["return"];
    default:
      return [];
  }
}

/**
 * A form field's value as the API takes it. Empty optional fields are left out (undefined);
 * empty required ones are sent as null so that the server names the field.
 */
export function fieldValue(field, raw, checked) {
  switch (field.kind) {
    case "check":
      return Boolean(checked);
    case "number": {
      if (raw === "") return field.optional ? undefined : null;
      const number = Number(raw);
      return Number.isFinite(number) ? number : raw;
    }
    case "time":
      if (raw === "") return field.optional ? undefined : null;
      return isoFromLocalInput(raw);
    default:
      return raw;
  }
}

/**
 * The ids in display order once the view answered `ids`: cards that left the view but
 * are `held` (a form open on them) stay where they were, so nothing moves under a finger.
 */
export function withHeld(ids, previousIds, held) {
  const result = [...ids];
  previousIds.forEach((id, index) => {
    if (result.includes(id) || !held(id)) return;
    const before = previousIds.slice(0, index).reverse().find((other) => result.includes(other));
    result.splice(before === undefined ? 0 : result.indexOf(before) + 1, 0, id);
  });
  return result;
}

const RETRY_MS = 150;
const RETRIES = 20; // about 3 s of a view lagging the socket before waiting for the next event
const FAILED_RETRY_MS = 3000;

/**
 * Reads a list from a view: at least up to the newest position the page heard of, one
 * request at a time, debounced, and again while the answer lags that position.
 * load(minPosition) → Promise<{ok, status, body}>; show(body); fail(result).
 */
export class ViewReader {
  constructor({ load, show, fail, debounceMs = 100 }) {
    Object.assign(this, { load, show, fail, debounceMs });
    this.position = -1; // the view position of what is shown
    this.wanted = -1; // the newest log position the page knows of
    this.timer = null;
    this.busy = false;
    this.again = false;
    this.retries = 0;
  }

  /** Something at `position` may have changed the list: read it soon (or now, after one's own command). */
  want(position, { soon = true } = {}) {
    if (typeof position === "number") {
      if (position <= this.position) return; // already shown
      this.wanted = Math.max(this.wanted, position);
    }
    this.retries = 0;
    this.schedule(soon ? this.debounceMs : 0);
  }

  schedule(ms) {
    if (this.timer !== null) {
      if (ms > 0) return; // one read is coming already
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.read();
    }, ms);
  }

  async read() {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    let result;
    try {
      result = await this.load(this.wanted);
    } finally {
      this.busy = false;
    }
    const position = result.ok && result.body ? result.body.position : undefined;
    if (typeof position === "number") {
      if (position >= this.position) {
        this.position = position;
        this.show(result.body);
      }
      if (position < this.wanted && this.retries < RETRIES) {
        this.retries += 1;
        this.schedule(RETRY_MS);
      }
    } else {
      this.fail(result);
      if (result.status === 0 || result.status >= 500) this.schedule(FAILED_RETRY_MS); // a refusal would not change
    }
    if (this.again) {
      this.again = false;
      this.schedule(0);
    }
  }
}
