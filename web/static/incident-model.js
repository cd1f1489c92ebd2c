// The incident page's rules without the DOM: which actions a role may take at which
// stage (mirroring app/permissions.py and the aggregate's rules), how a form becomes
// a request, how an order's deadline stands, and what the replay greys out.

import { isoFromLocalInput } from "./i18n.js";

export const SEVERITIES = ["I", "II", "III", "IV"];
export const COMMAND_ROLES = ["commander", "deputy", "customer_service", "spokesperson", "logistics", "evaluation", "technical", "legal"];
const PRIORITIES = ["urgent", "high", "normal", "low"];
const STATEMENT_CHANNELS = ["official_account", "hotline_ivr", "sms", "website", "community_notice"];
const CONTACT_CHANNELS = ["phone", "sms", "email", "wechat", "letter", "in_person"];
const RESOLUTIONS = ["fixed", "compensated", "explained", "referred"];
const SCORES = ["5", "4", "3", "2", "1"];

const ACTIVE = ["verified", "responding"];
const OPEN_ORDER = ["issued", "acknowledged"];
const GRADABLE = ["complaint", "crisis"];
export const REVIEW_ROWS = 3; // improvement actions a review form offers at once

// Who may run what: app/permissions.py's table.
const LEAD = ["leadership"];
const DESK = ["leadership", "intake"];
const PUBLISHERS = ["leadership", "spokesperson"];
const CRISIS_ONLY_LEADERSHIP = ["resolve", "close", "reopen"];

const text = (name, extra = {}) => ({ name, kind: "text", ...extra });
const area = (name, extra = {}) => ({ name, kind: "textarea", ...extra });
const choice = (name, group, options, extra = {}) => ({ name, kind: "select", group, options, ...extra });

/**
 * The page's actions, in the order a crisis runs. `path` follows /api/incidents/{id}/;
 * a function of the form's values when it names an order, a role or an action.
 * `ifMatch`: leadership's decisions, refused when someone changed the incident meanwhile.
 */
export const ACTIONS = [
  { name: "verify", roles: DESK, path: "verify", fields: [area("note")], when: (i) => i.status === "reported" },
  {
    name: "classify",
    roles: LEAD,
    path: "classify",
    ifMatch: true,
    fields: [choice("severity", "severity", SEVERITIES), text("scope"), text("risk"), area("rationale")],
    when: (i) => [...ACTIVE, "resolved"].includes(i.status) && GRADABLE.includes(i.kind),
  },
  {
    name: "activate",
    roles: LEAD,
    path: "activate",
    ifMatch: true,
    fields: [text("plan"), text("commander")],
    when: (i) => ACTIVE.includes(i.status) && Boolean(i.severity) && !i.plan,
  },
  {
    name: "assign_role",
    roles: LEAD,
    path: "roles",
    ifMatch: true,
    fields: [choice("role", "post", COMMAND_ROLES), text("person")],
    when: (i) => [...ACTIVE, "resolved"].includes(i.status) && Boolean(i.plan),
  },
  {
    name: "relieve_role",
    roles: LEAD,
    method: "DELETE",
    path: (v) => `roles/${v.role}`,
    ifMatch: true,
    noBody: true,
    fields: [choice("role", "post", "held_roles")],
    when: (i) => [...ACTIVE, "resolved"].includes(i.status) && Object.keys(i.roles || {}).length > 0,
  },
  {
    name: "issue_order",
    roles: LEAD,
    path: "orders",
    ifMatch: true,
    fields: [text("assignee"), area("instruction"), { name: "deadline", kind: "datetime" }, choice("priority", "priority", PRIORITIES, { initial: "normal" })],
    when: (i) => ACTIVE.includes(i.status),
  },
  {
    name: "reassign_order",
    roles: LEAD,
    path: (v) => `orders/${v.order}/reassign`,
    ifMatch: true,
    fields: [choice("order", null, "open_orders"), text("assignee"), area("reason")],
    when: (i) => openOrders(i).length > 0,
  },
  {
    name: "cancel_order",
    roles: LEAD,
    path: (v) => `orders/${v.order}/cancel`,
    ifMatch: true,
    fields: [choice("order", null, "open_orders"), area("reason")],
    when: (i) => openOrders(i).length > 0,
  },
  {
    name: "publish_statement",
    roles: PUBLISHERS,
    path: "statements",
    fields: [{ name: "channels", kind: "checks", group: "statement_channel", options: STATEMENT_CHANNELS }, area("text"), text("approved_by")],
    when: (i) => [...ACTIVE, "resolved"].includes(i.status),
  },
  {
    name: "notify_customer",
    roles: DESK,
    path: "notify",
    fields: [choice("channel", "contact_channel", CONTACT_CHANNELS, { initial: "sms" }), area("message"), { name: "message_is_personal", kind: "check" }],
    when: (i) => [...ACTIVE, "resolved"].includes(i.status),
  },
  {
    name: "resolve",
    roles: DESK,
    path: "resolve",
    ifMatch: true,
    fields: [choice("resolution", "resolution", RESOLUTIONS), area("summary")],
    when: (i) => ACTIVE.includes(i.status),
  },
  { name: "close", roles: DESK, path: "close", ifMatch: true, fields: [area("note")], when: (i) => i.status === "resolved" },
  { name: "reopen", roles: DESK, path: "reopen", ifMatch: true, fields: [area("reason")], when: (i) => ["resolved", "closed"].includes(i.status) },
  {
    name: "record_callback",
    roles: DESK,
    path: "callbacks",
    fields: [choice("satisfaction", null, SCORES), choice("via", "contact_channel", CONTACT_CHANNELS, { initial: "phone" }), area("comment"), { name: "comment_is_personal", kind: "check" }],
    when: (i) => ["resolved", "closed", "reviewed"].includes(i.status),
  },
  {
    name: "record_review",
    roles: LEAD,
    path: "review",
    ifMatch: true,
    fields: [area("root_cause"), area("lessons"), area("accountability"), { name: "actions", kind: "improvements" }],
    when: (i) => i.status === "closed",
  },
  {
    name: "complete_improvement",
    roles: LEAD,
    path: (v) => `improvements/${v.action}/complete`,
    ifMatch: true,
    fields: [choice("action", null, "open_improvements"), area("note")],
    when: (i) => (i.improvements || []).some((a) => !a.completed_at),
  },
  {
    name: "erase",
    roles: ["admin"],
    path: "erase",
    fields: [area("reason")],
    when: (i) => Boolean(i.reporter) && !i.reporter.erased,
  },
];

export const actionNamed = (name) => ACTIONS.find((action) => action.name === name);

/** May this role ever run the action on this kind of incident (crises close by leadership only)? */
export function mayRun(role, action, kind) {
  if (!action.roles.includes(role)) return false;
  if (kind === "crisis" && CRISIS_ONLY_LEADERSHIP.includes(action.name)) return role === "leadership";
  return true;
}

/** The actions this role can take on the incident as it stands: its permissions, then the stage. */
export function actionsFor(role, incident) {
  if (!incident) return [];
  return ACTIONS.filter((action) => mayRun(role, action, incident.kind) && action.when(incident));
}

export const openOrders = (incident) => (incident.orders || []).filter((order) => OPEN_ORDER.includes(order.status));

/** The choices of a select whose options come from the incident: [{value, text, post?}]; the text is user data. */
export function dynamicOptions(source, incident) {
  if (source === "open_orders") {
    return openOrders(incident).map((o) => ({ value: o.order_id, text: `${o.assignee}: ${o.instruction}` }));
  }
  if (source === "held_roles") return Object.entries(incident.roles || {}).map(([role, person]) => ({ value: role, post: role, text: person }));
  if (source === "open_improvements") {
    return (incident.improvements || []).filter((a) => !a.completed_at).map((a) => ({ value: a.action_id, text: `${a.owner}: ${a.description}` }));
  }
  return [];
}

/** A datetime-local input's value (the viewer's local time) as ISO text with a zone; "" stays "". */
export const isoFromLocal = (value) => isoFromLocalInput(value) ?? "";


/**
 * The request a filled-in form makes: {method, path, body} or {missing: field} when a
 * choice the path needs was not made. Empty texts are sent as they are, so the server's
 * own validation names the missing field.
 */
export function requestOf(action, values) {
  for (const field of action.fields) {
    if (typeof action.path === "function" && field.kind === "select" && typeof field.options === "string" && !values[field.name]) {
      return { missing: field.name };
    }
  }
  const path = typeof action.path === "function" ? action.path(values) : action.path;
  const method = action.method || "POST";
  if (action.noBody) return { method, path, body: undefined };
  const body = {};
  for (const field of action.fields) {
    if (typeof action.path === "function" && typeof field.options === "string") continue; // in the path
    const value = values[field.name];
    if (field.kind === "datetime") {
      const iso = isoFromLocal(value);
      if (iso) body[field.name] = iso; // absent: the server says it is required
    } else if (field.name === "satisfaction") {
      if (value) body.satisfaction = Number(value);
    } else if (field.kind === "improvements") {
      body.actions = (value || [])
        .filter((row) => row.description || row.owner || row.due)
        .map((row) => ({ description: row.description, owner: row.owner, due: isoFromLocal(row.due) || row.due }));
    } else if (field.kind === "select" && !value) {
      // not chosen: left out, so the server names the field
    } else {
      body[field.name] = value;
    }
  }
  return { method, path, body };
}

// Domain refusals (422) that are about one field: shown next to it as well.
export const FIELD_OF_CODE = {
  deadline_in_past: "deadline",
  satisfaction_out_of_range: "satisfaction",
  reason_required: "reason",
};

// ---------------------------------------------------------------- reading the state

/** An order's deadline at `at` (ms): open, overdue, and how long is left (negative: overdue). */
export function orderClock(order, at, parseTime) {
  const deadline = parseTime(order.deadline);
  const open = OPEN_ORDER.includes(order.status);
  return { open, deadline, left: deadline - at, overdue: open && deadline < at };
}

/** Free text the server may hide from this role: "[personal]" and "[erased]" are markers, not words. */
export function personalText(value) {
  if (value === "[personal]") return { hidden: "personal" };
  if (value === "[erased]") return { hidden: "erased" };
  return { text: value ?? "" };
}

/** The log position of the incident's own version `version` in the timeline (null if not there yet). */
export function cutoffPosition(entries, version) {
  const entry = entries.find((e) => !e.linked && e.version === version);
  return entry ? entry.position : null;
}

/** Whether a timeline entry happened after the version being replayed (shown greyed out). */
export function isAfterView(entry, view) {
  if (view === null) return false;
  if (view.cutoff !== null) return entry.position > view.cutoff;
  return entry.linked ? false : entry.version > view.version;
}

/** The complaints linked to this crisis, from its timeline: [{id, title}] in the order they came. */
export function linkedReports(entries) {
  const found = new Map();
  for (const entry of entries) {
    if (!entry.linked) continue;
    if (!found.has(entry.incident_id)) found.set(entry.incident_id, { id: entry.incident_id, summary: "" });
    if (entry.type === "Reported") found.get(entry.incident_id).summary = entry.summary;
  }
  return [...found.values()];
}

export const PHASES = ["verify", "grade", "first_order", "first_response", "resolve", "close"];
