// The evaluation figures for a date range: headline numbers and Chart.js charts, fetched
// from /api/figures and fetched again (at most every half second) while the board's socket
// tells of new events, so that a wall screen showing them stays current.

import "./figures-labels.js";
import { dateTime, labelFor, language, t } from "./i18n.js";
import { $, Page, api, escapeHtml, now, parseTime, refusal } from "./page.js";
import { KINDS, QUICK_DAYS, apiQuery, chartSpecs, dayStart, lastDays, quickChoiceOf, rangeFromQuery, span } from "./figures-model.js";

const REFETCH_MS = 500;
const PANEL = "#161c26"; // the panels' background: doughnut slices are separated by it
const Chart = window.Chart; // the vendored Chart.js, loaded by a plain script before this module

let range = null; // {from, to}: whole days, both included
let figures = null; // the answer shown, for `range`
let problem = null; // why the range shows no (or old) figures: {key} or {result}
let seenPosition = null; // the newest log position the socket told of
let asked = 0; // requests sent: only the latest one's answer is shown
let refetchTimer = null;
let charts = [];
let chartFontSize = 0;

const page = new Page({
  titleKey: "figures.heading",
  pageTitleKey: "figures.page_title",
  roles: ["leadership", "auditor", "admin"],
  socket: "/ws/board",
  position: () => seenPosition ?? 0,
  onSnapshot(message) {
    seenPosition = message.position;
    if (!figures || figures.position < message.position) refetchSoon();
  },
  onEvent(message) {
    seenPosition = Math.max(seenPosition ?? 0, message.position);
    refetchSoon();
  },
  render,
  start() {
    range = rangeFromQuery(window.location.search, new Date(now()));
    bindRange();
    showRange();
    load();
  },
});

// ---------------------------------------------------------------- the range

function bindRange() {
  const quick = $("range-quick");
  quick.innerHTML = QUICK_DAYS.map((days) => `<button type="button" class="button" data-days="${days}" data-testid="range-${days}"></button>`).join("");
  quick.addEventListener("click", (event) => {
    const button = event.target.closest("[data-days]");
    if (button) choose(lastDays(Number(button.dataset.days), new Date(now())));
  });
  for (const input of [$("range-from"), $("range-to")]) {
    input.addEventListener("change", () => choose({ from: $("range-from").value, to: $("range-to").value }));
  }
  $("range").addEventListener("submit", (event) => event.preventDefault());
}

/** A new range: into the address (so that a link shows the same), then its figures. */
function choose(next) {
  range = next;
  const query = new URLSearchParams(window.location.search);
  query.set("from", next.from);
  query.set("to", next.to);
  window.history.replaceState(null, "", `${window.location.pathname}?${query}`);
  showRange();
  figures = null;
  problem = null;
  load();
}

function showRange() {
  if ($("range-from").value !== range.from) $("range-from").value = range.from;
  if ($("range-to").value !== range.to) $("range-to").value = range.to;
}

const rangeIsComplete = () => Boolean(range && dayStart(range.from) && dayStart(range.to));

// ---------------------------------------------------------------- fetching

async function load() {
  clearTimeout(refetchTimer);
  refetchTimer = null;
  if (!rangeIsComplete()) {
    problem = { key: "figures.range.pick_both" };
    render();
    return;
  }
  const ticket = ++asked;
  if (!figures) render(); // "loading…" until the answer
  // min_position: the server waits (briefly) until its figures include the event we were told of.
  const result = await api("GET", `/api/figures?${apiQuery(range, seenPosition)}`);
  if (ticket !== asked) return;
  if (result.ok) {
    const unchanged = figures && problem === null && sameFigures(figures, result.body);
    figures = result.body;
    problem = null;
    if (unchanged) return; // most events change nothing in the range: leave the charts be
  } else {
    problem = { result };
    // A refused range has no figures; a server out of reach leaves the last ones in view.
    if (result.status >= 400 && result.status < 500) figures = null;
  }
  render();
}

/** The same numbers for the same range, whatever log position they were read at. */
function sameFigures(shown, answer) {
  const numbers = ({ position, stale, ...rest }) => JSON.stringify(rest);
  return numbers(shown) === numbers(answer);
}

function refetchSoon() {
  if (refetchTimer !== null || !rangeIsComplete()) return;
  refetchTimer = setTimeout(load, REFETCH_MS);
}

// ---------------------------------------------------------------- rendering

function render() {
  if (!range) return;
  renderRange();
  renderFigures();
}

function problemText() {
  if (problem.key) return t(problem.key);
  // The API counts to the midnight after the last day: its "from must come before to" means this.
  if (problem.result.body?.error === "empty_range") return t("figures.range.backwards");
  return refusal(problem.result);
}

function renderRange() {
  const today = new Date(now());
  for (const button of $("range-quick").querySelectorAll("[data-days]")) {
    button.textContent = t("figures.range.last", { n: button.dataset.days });
    button.setAttribute("aria-pressed", String(Number(button.dataset.days) === quickChoiceOf(range, today)));
  }
  const error = $("range-error");
  error.hidden = !problem;
  error.textContent = problem ? problemText() : "";
  const refused = Boolean(problem && !figures);
  for (const input of [$("range-from"), $("range-to")]) input.setAttribute("aria-invalid", String(refused));
  const caption = $("range-caption");
  caption.hidden = refused || !rangeIsComplete();
  caption.textContent = t("figures.range.caption", { from: range.from, to: range.to });
}

function renderFigures() {
  destroyCharts();
  const shown = Boolean(figures && figures.reports > 0);
  const message = $("figures-message");
  message.hidden = shown || (problem !== null && !figures);
  message.dataset.kind = figures ? "empty" : "loading";
  message.textContent = figures ? t("figures.empty") : t("page.loading");
  $("headline").hidden = !shown;
  $("charts").hidden = !shown;
  $("incidents").hidden = !shown;
  if (!shown) {
    $("headline").replaceChildren();
    $("charts").replaceChildren();
    $("incidents").replaceChildren();
    return;
  }
  $("headline").innerHTML = headlineHtml(figures);
  const specs = chartSpecs(figures);
  $("charts").innerHTML = specs.map(chartHtml).join("");
  drawCharts(specs);
  renderIncidents(figures);
}

// ---------------------------------------------------------------- the incidents behind them

/** Every incident of the range (the newest, if very many), each to be opened and replayed. */
function renderIncidents(f) {
  const listed = f.incidents || [];
  const rows = listed.map((incident) => {
    const severity = incident.severity || "ungraded";
    return (
      `<tr data-testid="incident-row" data-id="${escapeHtml(incident.id)}">` +
      `<td class="nowrap">${escapeHtml(dateTime(parseTime(incident.received_at)))}</td>` +
      `<td><a class="user-data" href="/incidents/${escapeHtml(incident.id)}" data-testid="incident-link">${escapeHtml(incident.title)}</a></td>` +
      `<td>${escapeHtml(labelFor("kind", incident.kind))}</td>` +
      `<td><span class="sev-chip sev-${severity}">${escapeHtml(t(`severity.short.${severity}`))}</span></td>` +
      `<td>${escapeHtml(outcomeText(incident))}</td>` +
      `<td>${incident.satisfaction ? escapeHtml(t("figures.score", { n: incident.satisfaction })) : ""}</td>` +
      `</tr>`
    );
  });
  const heading = listed.length < f.reports ? t("figures.incidents.newest", { n: listed.length, of: f.reports }) : t("figures.incidents.all", { n: f.reports });
  $("incidents").innerHTML =
    `<h2>${escapeHtml(heading)}</h2>` +
    `<div class="table-scroll"><table class="table"><thead><tr>` +
    ["received", "title", "kind", "severity", "outcome", "satisfaction"].map((column) => `<th>${escapeHtml(t(`figures.incidents.${column}`))}</th>`).join("") +
    `</tr></thead><tbody>${rows.join("")}</tbody></table></div>`;
}

function outcomeText(incident) {
  if (incident.dismissed) return t("figures.incidents.dismissed", { reason: t(`figures.dismissed.${incident.dismissed}`) });
  if (incident.resolved_at) return t(`resolution.${incident.resolution}`, {}, t("figures.incidents.resolved"));
  return t("figures.incidents.open");
}

// ---------------------------------------------------------------- headline numbers

const numberText = (value) => new Intl.NumberFormat(language(), { maximumFractionDigits: 2 }).format(value);
const percentText = (share) => new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 1 }).format(share);
const spanText = (seconds) => {
  const { key, params } = span(seconds);
  return t(key, params);
};
const NONE = "–";

function tile(id, labelKey, value, raw, sub) {
  return (
    `<div class="figure-tile" data-testid="headline-${id}" data-value="${escapeHtml(raw ?? "")}">` +
    `<span class="figure-value" data-testid="headline-${id}-value">${escapeHtml(value)}</span>` +
    `<span class="figure-label">${escapeHtml(t(labelKey))}</span>` +
    `<span class="figure-sub">${escapeHtml(sub)}</span></div>`
  );
}

function spanTile(id, labelKey, spread) {
  if (!spread.count) return tile(id, labelKey, NONE, null, t("figures.sub.none_yet"));
  const sub = `${t("figures.sub.p90", { d: spanText(spread.p90) })} · ${t("figures.sub.cases", { n: spread.count })}`;
  return tile(id, labelKey, spanText(spread.median), spread.median, sub);
}

function shareTile(id, labelKey, share, subKey) {
  if (share.share === null) return tile(id, labelKey, NONE, null, t("figures.sub.none_yet"));
  return tile(id, labelKey, percentText(share.share), share.share, t(subKey, { count: share.count, of: share.of }));
}

function headlineHtml(f) {
  const kinds = Object.keys(f.by_kind).sort((a, b) => KINDS.indexOf(a) - KINDS.indexOf(b));
  const byKind = kinds.map((kind) => `${labelFor("kind", kind)} ${f.by_kind[kind]}`).join(" · ");
  const { average, count } = f.satisfaction;
  return [
    tile("reports", "figures.head.reports", String(f.reports), f.reports, byKind),
    spanTile("first-response", "figures.head.first_response", f.time_to_first_response),
    spanTile("resolve", "figures.head.resolve", f.time_to_resolve),
    shareTile("orders-on-time", "figures.head.orders_on_time", f.orders_on_time, "figures.sub.of_due"),
    average === null
      ? tile("satisfaction", "figures.head.satisfaction", NONE, null, t("figures.sub.none_yet"))
      : tile("satisfaction", "figures.head.satisfaction", numberText(average), average, t("figures.sub.callbacks", { n: count })),
    shareTile("reopen", "figures.head.reopen", f.reopen_rate, "figures.sub.of_resolved"),
    shareTile("rumours", "figures.head.rumours", f.rumour_share, "figures.sub.of_reports"),
  ].join("");
}

// ---------------------------------------------------------------- charts

function chartHtml(spec) {
  const body = spec.empty
    ? `<p class="muted chart-empty" data-testid="chart-${spec.id}-empty">${escapeHtml(t("figures.chart_empty"))}</p>`
    : `<div class="chart-box"><canvas role="img" data-testid="chart-${spec.id}-canvas"></canvas></div>`;
  return (
    `<figure class="panel chart chart-${spec.id}" data-testid="chart-${spec.id}">` +
    `<figcaption class="chart-title">${escapeHtml(t(`figures.chart.${spec.id}`))}</figcaption>${body}</figure>`
  );
}

/** A category's name: vocabulary in the page's language, user data (categories, assignees) as typed. */
function labelText(label) {
  if (label.raw !== undefined) return label.raw;
  if (label.group) return labelFor(label.group, label.value);
  return t(label.key, label.params);
}

/** A value as the chart writes it: a time in the chart's unit, a count as a whole number. */
function valueText(spec, value) {
  return new Intl.NumberFormat(language(), { maximumFractionDigits: spec.unitSeconds ? 1 : 0 }).format(value);
}

/** The chart's numbers in words, for those who cannot see the canvas. */
function ariaText(spec) {
  const labels = (spec.titles ?? spec.labels).map(labelText);
  const sep = t("figures.aria.sep");
  const itemsOf = (series) =>
    labels
      .map((label, i) => {
        const value = series.values[i];
        const text = value === null ? NONE : spec.unitSeconds ? spanText(value * spec.unitSeconds) : valueText(spec, value);
        return t("figures.aria.item", { label, value: text });
      })
      .join(sep);
  const items =
    spec.series.length === 1 ? itemsOf(spec.series[0]) : spec.series.map((series) => t("figures.aria.series", { series: t(series.key), items: itemsOf(series) })).join(sep);
  return t("figures.aria.chart", { title: t(`figures.chart.${spec.id}`), items });
}

/** Chart type follows the page's type size (large on a wall screen), never below 12 px. */
function fittingFontSize() {
  const rootSize = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  return Math.max(12, Math.round(rootSize * 0.66));
}

function styleCharts() {
  chartFontSize = fittingFontSize();
  Chart.defaults.color = "#dbe2ec";
  Chart.defaults.borderColor = "rgba(163, 173, 189, 0.22)";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = chartFontSize;
}

function drawCharts(specs) {
  styleCharts();
  for (const spec of specs) {
    if (spec.empty) continue;
    const canvas = $(`chart-${spec.id}-canvas`);
    canvas.dataset.keys = JSON.stringify(spec.keys);
    if (spec.unitSeconds) canvas.dataset.unitSeconds = String(spec.unitSeconds);
    canvas.setAttribute("aria-label", ariaText(spec));
    charts.push(new Chart(canvas, chartConfig(spec)));
  }
}

function destroyCharts() {
  for (const chart of charts) chart.destroy();
  charts = [];
}

function chartConfig(spec) {
  const doughnut = spec.type === "doughnut";
  const datasets = spec.series.map((series) => ({
    label: t(series.key),
    data: series.values,
    backgroundColor: series.colours,
    borderColor: doughnut ? PANEL : series.colours,
    borderWidth: doughnut ? 3 : 0,
    maxBarThickness: 64,
  }));
  const options = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: doughnut ? doughnutLegend() : { display: spec.series.length > 1, position: "bottom" },
      tooltip: {
        callbacks: {
          title: (items) => (spec.titles && items.length ? labelText(spec.titles[items[0].dataIndex]) : items[0]?.label),
          label: (item) => tooltipText(spec, item),
        },
      },
    },
  };
  if (doughnut) options.cutout = "55%";
  else options.scales = barScales(spec);
  if (spec.horizontal) options.indexAxis = "y";
  return { type: spec.type, data: { labels: spec.labels.map(labelText), datasets }, options, plugins: [valueLabels(spec)] };
}

function barScales(spec) {
  const [valueAxis, categoryAxis] = spec.horizontal ? ["x", "y"] : ["y", "x"];
  return {
    [valueAxis]: {
      beginAtZero: true,
      stacked: Boolean(spec.stacked),
      grace: "15%",
      ticks: spec.unitSeconds ? {} : { precision: 0 },
      title: { display: true, text: t(spec.axis) },
    },
    // Every category named, even when the bars are thin: a skipped name is a bar nobody can read.
    [categoryAxis]: { stacked: Boolean(spec.stacked), grid: { display: false }, ticks: { autoSkip: false } },
  };
}

/** Doughnut legends carry the counts: a wall screen has no pointer to hover with. */
function doughnutLegend() {
  return {
    position: "bottom",
    labels: {
      boxWidth: chartFontSize,
      generateLabels(chart) {
        const items = Chart.overrides.doughnut.plugins.legend.labels.generateLabels(chart);
        return items.map((item) => ({ ...item, text: `${item.text}  ${chart.data.datasets[0].data[item.index]}` }));
      },
    },
  };
}

function tooltipText(spec, item) {
  const value = spec.unitSeconds ? spanText(item.raw * spec.unitSeconds) : valueText(spec, item.raw);
  return `${item.dataset.label}: ${value}`;
}

/** A small plugin that writes each bar's value on it (at its end; inside it when stacked). */
function valueLabels(spec) {
  return {
    id: "valueLabels",
    afterDatasetsDraw(chart) {
      if (spec.type !== "bar") return;
      const { ctx } = chart;
      ctx.save();
      ctx.font = `600 ${chartFontSize}px ${Chart.defaults.font.family}`;
      ctx.fillStyle = Chart.defaults.color;
      chart.data.datasets.forEach((dataset, i) => {
        const meta = chart.getDatasetMeta(i);
        if (meta.hidden) return;
        meta.data.forEach((bar, j) => {
          const value = dataset.data[j];
          if (!value) return;
          placeValue(ctx, bar, spec, valueText(spec, value));
        });
      });
      ctx.restore();
    },
  };
}

function placeValue(ctx, bar, spec, text) {
  if (spec.stacked) {
    const { x, y } = bar.getCenterPoint();
    ctx.fillStyle = "#0d1117";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(text, x, y);
  } else if (spec.horizontal) {
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.fillText(text, bar.x + 6, bar.y);
  } else {
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillText(text, bar.x, bar.y - 4);
  }
}

// A wall screen and a phone need different type sizes: redraw when the page's size changes.
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (charts.length && fittingFontSize() !== chartFontSize) renderFigures();
  }, 200);
});

page.start();
