// What every page shares: the session, the top bar (title, connection, navigation,
// user, language, logout), the honest connection state, and calls to the API whose
// refusals are told in words.

import { applyLabels, clockTime, labelFor, language, otherLanguage, setLanguage, t } from "./i18n.js";
import { LiveSocket } from "./live.js";

export { parseTime } from "./board-model.js";

export const $ = (testid, root = document) => root.querySelector(`[data-testid="${testid}"]`);

export const escapeHtml = (value) =>
  String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// Where each role starts, and which pages it finds in the navigation.
const PAGES = [
  { path: "/", key: "nav.board", roles: ["leadership", "spokesperson", "admin", "auditor", "intake"] },
  { path: "/intake", key: "nav.intake", roles: ["intake", "leadership", "admin"] },
  { path: "/orders", key: "nav.orders", roles: ["responder", "logistics", "leadership", "admin"] },
  { path: "/figures", key: "nav.figures", roles: ["leadership", "auditor", "admin"] },
];
const HOME = { intake: "/intake", responder: "/orders", logistics: "/orders", auditor: "/figures" };

export const homeOf = (role) => HOME[role] ?? "/";

let clockOffset = 0; // server clock minus this browser's clock, ms
export const now = () => Date.now() + clockOffset;

/** Deadlines are in server time: correct for a clock that is off by more than a couple of seconds. */
function learnClockOffset(response) {
  const server = Date.parse(response.headers.get("date") || "");
  if (Number.isNaN(server)) return;
  const skew = server - Date.now(); // the header has whole seconds only
  clockOffset = Math.abs(skew) > 2000 ? skew + 500 : 0;
}

export function goToLogin() {
  const here = window.location.pathname + window.location.search;
  const next = here === "/" ? "" : `?next=${encodeURIComponent(here)}`;
  window.location.replace(`/login${next}`);
}

/** Who is logged in: the user, "anonymous" (sent to login) or "unreachable". */
export async function loadSession() {
  let response;
  try {
    response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store", signal: AbortSignal.timeout(5000) });
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
    return await response.json();
  } catch {
    return "unreachable";
  }
}

/**
 * A call to the API: {ok, status, body}. status 0 is a network failure. A 401 sends
 * the page to login (the session ended elsewhere).
 */
export async function api(method, path, body = undefined, { headers = {} } = {}) {
  const init = { method, credentials: "same-origin", cache: "no-store", headers: { ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, body: null };
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    /* not JSON: the status says enough */
  }
  if (response.status === 401) goToLogin();
  return { ok: response.ok, status: response.status, body: answer };
}

/** Why the server refused, in the page's language: a known rule by name, else by status. */
export function refusal({ status, body }) {
  const code = body && typeof body.error === "string" ? body.error : "";
  const detail = body && typeof body.detail === "string" ? body.detail : "";
  const known = code && t(`error.${code}`, {}, null);
  if (known) return known;
  if (status === 0) return t("error.network");
  if (status === 403) return language() === "en" && detail ? t("error.forbidden_because", { detail }) : t("error.forbidden");
  if (status === 404) return t("error.not_found");
  if (status === 409) return language() === "en" && detail ? t("error.rule_because", { detail }) : t("error.rule", { code });
  if (status === 400 || status === 422) return language() === "en" && detail ? t("error.invalid_because", { detail }) : t("error.invalid");
  if (status >= 500) return t("error.server", { status });
  return t("error.other", { status });
}

/** The API's per-field validation errors, as {field: message in the page's language}. */
export function fieldErrors({ body }) {
  const errors = {};
  for (const item of (body && body.fields) || []) {
    const field = String(item.field || "").split(".")[0] || "body";
    errors[field] = language() === "en" ? item.message : t("error.field_invalid");
  }
  return errors;
}

/** A fresh key per user action, so that a retried click never stores twice. */
export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

/**
 * One Idempotency-Key per user action: a retry of the same action with the same body,
 * after an answer that left it unknown whether it was stored (network, 5xx), reuses it;
 * anything else (a changed form, a new click after an answer) gets a new one.
 */
export class RetryKeys {
  constructor() {
    this.pending = new Map(); // action -> {body, key}
  }

  keyFor(action, body) {
    const sent = JSON.stringify(body);
    const last = this.pending.get(action);
    if (last && last.body === sent) return last.key;
    const key = newKey();
    this.pending.set(action, { body: sent, key });
    return key;
  }

  /** The server answered: a stored or refused action is finished, an unknown one may be retried. */
  settle(action, status) {
    if (status !== 0 && status < 500) this.pending.delete(action);
  }
}

// ---------------------------------------------------------------- the top bar

function navHtml(user) {
  const here = window.location.pathname;
  return PAGES.filter((page) => page.roles.includes(user.role))
    .map((page) => {
      const current = page.path === here ? ' aria-current="page"' : "";
      return `<a class="nav-link" href="${page.path}" data-testid="nav-${page.path.slice(1) || "board"}"${current} data-i18n="${page.key}"></a>`;
    })
    .join("");
}

function headerHtml(titleKey) {
  return `
    <h1 class="topbar-title" data-i18n="${titleKey}"></h1>
    <div class="connection" data-testid="connection-state" data-state="connecting" role="status" aria-live="polite">
      <span class="connection-dot" aria-hidden="true"></span>
      <span class="connection-label" data-testid="connection-label"></span>
      <span class="connection-since" data-testid="last-update" hidden></span>
    </div>
    <div class="clock" data-testid="clock" aria-hidden="true"></div>
    <nav class="nav" data-testid="nav"></nav>
    <div class="topbar-tools">
      <span class="who" data-testid="user"></span>
      <button type="button" class="button button-quiet" data-testid="lang-switch" data-i18n-aria-label="lang.switch"></button>
      <button type="button" class="button button-quiet" data-testid="logout" data-i18n="page.logout"></button>
    </div>`;
}

/**
 * A page: top bar and banner, the session, a live socket, language switching.
 * options: titleKey, pageTitleKey, roles (who the page is for), socket (path or null),
 * render() (draws the page in the current language), onSnapshot/onEvent/onRow (socket),
 * position() (last log position shown), start(user) (after the session is known).
 */
export class Page {
  constructor(options) {
    this.options = options;
    this.user = null;
    this.connection = "connecting";
    this.lastGoodAt = null;
    this.live = null;
    this.notForRole = false;
  }

  async start() {
    // Each page's HTML holds an empty <header class="topbar"> and the connection banner.
    document.querySelector("header.topbar").innerHTML = headerHtml(this.options.titleKey);
    setLanguage(language());
    this.renderLanguage();
    $("lang-switch").addEventListener("click", () => {
      setLanguage(otherLanguage());
      this.renderLanguage();
    });
    $("logout").addEventListener("click", () => this.logout());
    this.tick();

    const user = await loadSession();
    if (user === "anonymous") return;
    if (user === "unreachable") {
      this.setConnection("reconnecting");
      setTimeout(() => window.location.reload(), 5000);
      return;
    }
    this.user = user;
    $("nav").innerHTML = navHtml(user);
    this.renderLanguage();
    if (this.options.roles && !this.options.roles.includes(user.role)) {
      this.notForRole = true;
      this.showNotForRole();
      return;
    }
    if (this.options.socket) this.follow(this.options.socket);
    else this.setConnection("live");
    await this.options.start?.(user);
  }

  follow(path) {
    this.live = new LiveSocket(path, {
      position: () => this.options.position(),
      snapshot: (message) => this.options.onSnapshot?.(message),
      event: (message) => {
        this.options.onEvent?.(message);
        if (this.connection === "live") this.lastGoodAt = now();
      },
      row: (message) => this.options.onRow?.(message),
      heartbeat: () => {
        if (this.connection === "live") this.lastGoodAt = now();
        this.renderConnection();
      },
      state: (state) => this.setConnection(state),
      closed: async () => {
        if (this.connection === "live") this.lastGoodAt = now();
        return (await loadSession()) !== "anonymous";
      },
      gone: (code) => this.options.onGone?.(code),
    });
    this.live.start();
  }

  async logout() {
    this.live?.stop();
    try {
      await fetch("/api/session", { method: "DELETE", credentials: "same-origin" });
    } catch {
      /* the server is unreachable: the login page is still the right place to be */
    }
    window.location.replace("/login");
  }

  setConnection(state) {
    if (state === "live") this.lastGoodAt = now();
    this.connection = state;
    this.renderConnection();
  }

  get failedAttempts() {
    return this.live ? this.live.failedAttempts : 0;
  }

  renderConnection() {
    const state = this.connection;
    const pill = $("connection-state");
    pill.dataset.state = state;
    document.body.dataset.state = state;
    document.body.classList.toggle("not-live", state !== "live");
    $("connection-label").textContent = t(`conn.${state}`);
    const since = $("last-update");
    const lastKnown = this.lastGoodAt ?? this.options.newestUpdate?.() ?? null;
    since.hidden = state === "live" || (state === "connecting" && this.failedAttempts === 0);
    since.textContent = lastKnown === null ? t("conn.never") : t("conn.last_update", { time: clockTime(lastKnown) });

    const banner = $("connection-banner");
    let text = "";
    if (state === "stale") {
      text = t("banner.stale", { time: lastKnown === null ? "–" : clockTime(lastKnown) });
    } else if (state === "reconnecting" || (state === "connecting" && this.failedAttempts > 0)) {
      text = lastKnown === null ? t("banner.disconnected_never") : t("banner.disconnected", { time: clockTime(lastKnown) });
    }
    banner.hidden = !text;
    banner.textContent = text;
    banner.dataset.kind = state;
  }

  renderUser() {
    const el = $("user");
    el.replaceChildren();
    if (!this.user) return;
    const name = document.createElement("span");
    name.className = "who-name";
    name.textContent = this.user.name;
    const role = document.createElement("span");
    role.className = "who-role";
    role.textContent = labelFor("role", this.user.role);
    el.append(name, " · ", role);
  }

  renderLanguage() {
    applyLabels();
    document.title = t(this.options.pageTitleKey ?? this.options.titleKey);
    const button = $("lang-switch");
    button.textContent = t("lang.other");
    button.lang = otherLanguage();
    this.renderUser();
    this.renderConnection();
    if (this.notForRole) this.showNotForRole();
    else if (this.user) this.options.render?.();
  }

  /** Once a second, on the second: the clock, countdowns and "last update" follow the time. */
  tick() {
    if (this.connection === "live") this.lastGoodAt = now();
    $("clock").textContent = clockTime(now());
    if (this.user && !this.notForRole) this.options.tick?.();
    setTimeout(() => this.tick(), 1000 - (Date.now() % 1000) + 20);
  }

  showNotForRole() {
    const main = document.querySelector("main");
    const home = homeOf(this.user.role);
    main.innerHTML = `<p class="page-message" data-testid="not-for-role"></p><p class="page-message"><a class="nav-link" href="${home}" data-testid="go-home"></a></p>`;
    $("not-for-role").textContent = t("page.not_for_role", { role: labelFor("role", this.user.role) });
    $("go-home").textContent = t("page.go_home");
    this.setConnection("live");
  }
}
