// The login page: a token goes to POST /api/session, which keeps it in an HttpOnly cookie.

import { applyLabels, otherLanguage, setLanguage, language, t } from "./i18n.js";
import { homeOf } from "./page.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const form = $("login-form");
const input = $("login-token");
const submit = $("login-submit");
const error = $("login-error");
let shownError = null; // {key, detail}: re-rendered when the language changes
let busy = false;

function renderLanguage() {
  applyLabels();
  document.title = t("login.page_title");
  const button = $("lang-switch");
  button.textContent = t("lang.other");
  button.lang = otherLanguage();
  submit.textContent = busy ? t("login.busy") : t("login.submit");
  renderError();
}

function renderError() {
  error.hidden = !shownError;
  error.textContent = shownError ? t(shownError.key, { detail: shownError.detail }) : "";
  input.setAttribute("aria-invalid", shownError ? "true" : "false");
}

function showError(key, detail = "") {
  shownError = { key, detail };
  renderError();
  input.focus();
  input.select();
}

/** The page that sent the user here, when it is one of ours (never another site). */
function nextPage() {
  const next = new URLSearchParams(window.location.search).get("next");
  return next && /^\/(?![\/\\])/.test(next) && !next.includes("\\") ? next : null;
}

function setBusy(value) {
  busy = value;
  submit.disabled = value;
  submit.textContent = value ? t("login.busy") : t("login.submit");
}

async function logIn(event) {
  event.preventDefault();
  if (busy) return;
  const token = input.value.trim();
  if (!token) {
    showError("login.error.empty");
    return;
  }
  setBusy(true);
  let response;
  try {
    response = await fetch("/api/session", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token }),
    });
  } catch {
    setBusy(false);
    showError("login.error.network");
    return;
  }
  if (response.ok) {
    let role = "";
    try {
      role = (await response.json()).role;
    } catch {
      /* the home page will ask who this is */
    }
    window.location.replace(nextPage() ?? homeOf(role));
    return;
  }
  setBusy(false);
  let detail = `HTTP ${response.status}`;
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string") detail = body.detail;
  } catch {
    /* not JSON: keep the status */
  }
  if (response.status === 401) showError("login.error.unknown_token");
  else showError("login.error.other", detail);
}

setLanguage(language());
renderLanguage();
$("lang-switch").addEventListener("click", () => {
  setLanguage(otherLanguage());
  renderLanguage();
});
form.addEventListener("submit", logIn);
input.addEventListener("input", () => {
  if (shownError) {
    shownError = null;
    renderError();
  }
});
input.focus();
