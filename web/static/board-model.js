// The board's state in the browser: rows by id, kept up to date from the socket,
// and laid out for the wall (order, grouping, totals) against the current time.
// No DOM here.

export const SEVERITIES = ["I", "II", "III", "IV"];
const FINISHED = new Set(["closed", "dismissed"]);

/** Milliseconds since the epoch for an ISO time; tolerates microseconds (Python's isoformat). */
export function parseTime(iso) {
  if (!iso) return NaN;
  return Date.parse(String(iso).replace(/(\.\d{3})\d+/, "$1"));
}

/** The newest `updated_at` among `rows`, in ms; null for none: the best "as of" for a page
that was never known to be current. */
export function latestUpdate(rows) {
  let newest = null;
  for (const row of rows) {
    const ms = parseTime(row.updated_at);
    if (!Number.isNaN(ms) && (newest === null || ms > newest)) newest = ms;
  }
  return newest;
}

export function severityRank(row) {
  const rank = SEVERITIES.indexOf(row.severity);
  return rank === -1 ? SEVERITIES.length : rank;
}

/** How many of the row's open orders are past their deadline at `now` (ms). */
export function overdueAt(row, now) {
  if (!Array.isArray(row.deadlines)) return row.overdue_orders || 0;
  let count = 0;
  for (const deadline of row.deadlines || []) if (parseTime(deadline) < now) count += 1;
  return count;
}

export function openOrdersOf(row) {
  return Array.isArray(row.deadlines) ? row.deadlines.length : row.open_orders || 0;
}

/** The server's wall order: severity I..IV then ungraded, then most overdue, then oldest. */
export function wallOrder(a, b, now) {
  return (
    severityRank(a) - severityRank(b) ||
    overdueAt(b, now) - overdueAt(a, now) ||
    parseTime(a.reported_at) - parseTime(b.reported_at) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export class BoardState {
  constructor() {
    this.rows = new Map();
    this.position = -1;
    this.stale = false;
  }

  /** Replaces everything with a snapshot. */
  load(snapshot) {
    this.rows = new Map();
    for (const row of snapshot.rows || []) if (!FINISHED.has(row.status)) this.rows.set(row.id, row);
    this.position = snapshot.position;
    this.stale = Boolean(snapshot.stale);
  }

  /** Applies one event message; false when it was already covered (an older position). */
  apply(message) {
    if (typeof message.position === "number" && message.position <= this.position) return false;
    const row = message.row;
    if (!row || FINISHED.has(row.status)) this.rows.delete(row ? row.id : message.incident_id);
    else this.rows.set(row.id, row);
    if (typeof message.position === "number") this.position = message.position;
    return true;
  }

  /**
   * The wall at `now`: top-level cards in wall order, each with its linked reports
   * (rows whose parent is on the board), and totals recounted from the rows.
   */
  layout(now) {
    const all = [...this.rows.values()].sort((a, b) => wallOrder(a, b, now));
    const children = new Map();
    const top = [];
    for (const row of all) {
      const parent = rootOnBoard(row, this.rows);
      if (parent) {
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(row);
      } else {
        top.push(row);
      }
    }
    const cards = top.map((row) => ({
      row,
      overdue: overdueAt(row, now),
      linked: (children.get(row.id) || []).map((child) => ({ row: child, overdue: overdueAt(child, now) })),
    }));
    const bySeverity = { I: 0, II: 0, III: 0, IV: 0, ungraded: 0 };
    let openOrders = 0;
    let overdueOrders = 0;
    for (const row of all) {
      bySeverity[SEVERITIES.includes(row.severity) ? row.severity : "ungraded"] += 1;
      openOrders += openOrdersOf(row);
      overdueOrders += overdueAt(row, now);
    }
    return {
      cards,
      totals: { open: all.length, open_orders: openOrders, overdue_orders: overdueOrders, by_severity: bySeverity },
    };
  }
}

/** The id of the top-most ancestor on the board a linked row groups under, or null. */
function rootOnBoard(row, rows) {
  let parentId = row.parent_id;
  let found = null;
  const seen = new Set([row.id]);
  while (parentId && rows.has(parentId) && !seen.has(parentId)) {
    found = parentId;
    seen.add(parentId);
    parentId = rows.get(parentId).parent_id;
  }
  return found;
}

/** The next deadline still ahead (ms), or the earliest passed one when all have passed. */
export function nextDeadline(row, now) {
  const times = (row.deadlines || []).map(parseTime).filter((ms) => !Number.isNaN(ms)).sort((a, b) => a - b);
  if (!times.length) {
    const fallback = parseTime(row.next_deadline);
    return Number.isNaN(fallback) ? null : { at: fallback, passed: fallback < now };
  }
  const ahead = times.find((ms) => ms >= now);
  return ahead === undefined ? { at: times[0], passed: true } : { at: ahead, passed: false };
}
