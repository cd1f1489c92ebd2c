// The figures page without the DOM: the date range (whole local days, both included, kept
// in the address), and what each chart shows, taken from GET /api/figures.

export const QUICK_DAYS = [7, 30, 90];
export const DEFAULT_DAYS = 30;
export const SEVERITIES = ["I", "II", "III", "IV", "ungraded"];
export const KINDS = ["complaint", "inquiry", "suggestion", "praise", "crisis"];
export const RESOLUTIONS = ["fixed", "compensated", "explained", "referred"];
export const SCORES = ["1", "2", "3", "4", "5"];
const MOST_BARS = 10; // categories and assignees past this many are left out of their chart

export const COLOURS = {
  severity: { I: "#e5262e", II: "#f97316", III: "#facc15", IV: "#3b82f6", ungraded: "#8b95a5" },
  kind: { complaint: "#f472b6", inquiry: "#38bdf8", suggestion: "#a78bfa", praise: "#4ade80", crisis: "#fb7185" },
  resolution: { fixed: "#22c55e", compensated: "#eab308", explained: "#38bdf8", referred: "#a78bfa" },
  score: { 1: "#ef4444", 2: "#f97316", 3: "#facc15", 4: "#84cc16", 5: "#22c55e" },
  channel: "#38bdf8",
  category: "#a78bfa",
  median: "#38bdf8",
  p90: "#818cf8",
  onTime: "#22c55e",
  late: "#ef4444",
};

// ---------------------------------------------------------------- the range

const pad = (n) => String(n).padStart(2, "0");

/** YYYY-MM-DD of a Date, in this browser's time zone. */
export const dayText = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** Local midnight of a YYYY-MM-DD day, `plus` days later; null for anything else (2026-02-31 too). */
export function dayStart(text, plus = 0) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text ?? ""));
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(year, month - 1, day);
  if (dayText(date) !== text) return null;
  return plus ? new Date(year, month - 1, day + plus) : date;
}

/** The last `days` days up to and including today. */
export function lastDays(days, today) {
  const end = new Date(today);
  const start = new Date(end.getFullYear(), end.getMonth(), end.getDate() - (days - 1));
  return { from: dayText(start), to: dayText(end) };
}

/** The range an address asks for (?from=YYYY-MM-DD&to=YYYY-MM-DD), else the last 30 days. */
export function rangeFromQuery(search, today) {
  const query = new URLSearchParams(search);
  const from = query.get("from");
  const to = query.get("to");
  if (dayStart(from) && dayStart(to)) return { from, to };
  return lastDays(DEFAULT_DAYS, today);
}

/** Which quick choice (7, 30, 90) the range is, if any. */
export function quickChoiceOf(range, today) {
  return QUICK_DAYS.find((days) => {
    const quick = lastDays(days, today);
    return quick.from === range.from && quick.to === range.to;
  });
}

/** An ISO time with this browser's offset: the API reads days as UTC, people mean their own. */
function localIso(date) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${dayText(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:00${zone}`;
}

/** The API's half-open [from, to): from the first day's midnight to the midnight after the last day. */
export function apiQuery(range, minPosition = null) {
  const query = new URLSearchParams({ from: localIso(dayStart(range.from)), to: localIso(dayStart(range.to, 1)) });
  if (minPosition !== null) query.set("min_position", String(minPosition));
  return query.toString();
}

// ---------------------------------------------------------------- numbers

/** A duration in seconds as a label key and its numbers, rounded to what a reader needs. */
export function span(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return { key: "figures.span.seconds", params: { s } };
  const minutes = Math.round(s / 60);
  if (minutes < 60) return { key: "figures.span.minutes", params: { m: minutes } };
  if (minutes < 24 * 60) {
    const [h, m] = [Math.floor(minutes / 60), minutes % 60];
    return m ? { key: "figures.span.hours", params: { h, m } } : { key: "figures.span.whole_hours", params: { h } };
  }
  const hours = Math.round(s / 3600);
  return { key: "duration.days", params: { d: Math.floor(hours / 24), h: hours % 24 } };
}

/** The unit a times chart counts in, so that its bars read as small numbers. */
export function timeUnit(largestSeconds) {
  if (largestSeconds >= 2 * 86400) return { key: "figures.axis.days", seconds: 86400 };
  if (largestSeconds >= 2 * 3600) return { key: "figures.axis.hours", seconds: 3600 };
  return { key: "figures.axis.minutes", seconds: 60 };
}

// ---------------------------------------------------------------- the charts

const sortedByCount = (counts) => Object.keys(counts).sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));

/**
 * What each chart shows: keys (the API's names for its categories), label (how to name one:
 * {group} for vocabulary, {key} for a label, {raw} for user data; `titles`: longer names, when the
 * labels are short), series of values, axis label.
 * A chart with nothing to show has empty: true.
 */
export function chartSpecs(figures) {
  return [
    severityChart(figures.by_severity),
    kindChart(figures.by_kind),
    channelChart(figures.by_channel),
    categoryChart(figures.by_category),
    timesChart(figures.time_to_first_response, figures.time_to_resolve),
    resolutionChart(figures.by_resolution),
    ordersChart(figures.orders_on_time),
    satisfactionChart(figures.satisfaction),
  ];
}

function countChart(id, type, keys, counts, name, colours, extra = {}) {
  const values = keys.map((key) => counts[key] ?? 0);
  return {
    id,
    type,
    keys,
    labels: keys.map(name),
    series: [{ key: "figures.series.reports", values, colours: keys.map((key) => colours[key] ?? colours) }],
    axis: "figures.axis.reports",
    empty: values.every((value) => value === 0),
    ...extra,
  };
}

function severityChart(counts) {
  // Short names under the bars; the full ones in tooltips and in words.
  const titles = SEVERITIES.map((key) => ({ key: `severity.${key}` }));
  return countChart("severity", "bar", SEVERITIES, counts, (key) => ({ key: `severity.short.${key}` }), COLOURS.severity, { titles });
}

function kindChart(counts) {
  const keys = KINDS.filter((key) => counts[key]).concat(Object.keys(counts).filter((key) => !KINDS.includes(key)));
  return countChart("kind", "doughnut", keys, counts, (key) => ({ group: "kind", value: key }), COLOURS.kind);
}

function channelChart(counts) {
  const keys = sortedByCount(counts);
  return countChart("channel", "bar", keys, counts, (key) => ({ group: "channel", value: key }), COLOURS.channel, { horizontal: true });
}

function categoryChart(counts) {
  const keys = sortedByCount(counts).slice(0, MOST_BARS);
  return countChart("category", "bar", keys, counts, (key) => ({ raw: key }), COLOURS.category, { horizontal: true });
}

function resolutionChart(counts) {
  const keys = RESOLUTIONS.filter((key) => counts[key]).concat(Object.keys(counts).filter((key) => !RESOLUTIONS.includes(key)));
  const chart = countChart("resolution", "doughnut", keys, counts, (key) => ({ key: `resolution.${key}` }), COLOURS.resolution);
  return { ...chart, series: [{ ...chart.series[0], key: "figures.series.cases" }], axis: "figures.axis.cases" };
}

function timesChart(firstResponse, resolve) {
  const spreads = [firstResponse, resolve];
  const largest = Math.max(0, ...spreads.flatMap((spread) => [spread.median ?? 0, spread.p90 ?? 0]));
  const unit = timeUnit(largest);
  const inUnit = (seconds) => (seconds === null || seconds === undefined ? null : seconds / unit.seconds);
  return {
    id: "times",
    type: "bar",
    keys: ["first_response", "resolve"],
    labels: [{ key: "figures.times.first_response" }, { key: "figures.times.resolve" }],
    series: [
      { key: "figures.series.median", values: spreads.map((spread) => inUnit(spread.median)), colours: COLOURS.median },
      { key: "figures.series.p90", values: spreads.map((spread) => inUnit(spread.p90)), colours: COLOURS.p90 },
    ],
    axis: unit.key,
    unitSeconds: unit.seconds,
    empty: spreads.every((spread) => !spread.count),
  };
}

function ordersChart(onTime) {
  const byAssignee = onTime.by_assignee ?? {};
  const keys = Object.keys(byAssignee)
    .sort((a, b) => byAssignee[b].of - byAssignee[a].of || a.localeCompare(b))
    .slice(0, MOST_BARS);
  return {
    id: "orders",
    type: "bar",
    keys,
    labels: keys.map((key) => ({ raw: key })),
    series: [
      { key: "figures.series.on_time", values: keys.map((key) => byAssignee[key].count), colours: COLOURS.onTime },
      { key: "figures.series.late", values: keys.map((key) => byAssignee[key].of - byAssignee[key].count), colours: COLOURS.late },
    ],
    axis: "figures.axis.orders",
    horizontal: true,
    stacked: true,
    empty: keys.length === 0,
  };
}

function satisfactionChart(satisfaction) {
  const chart = countChart("satisfaction", "bar", SCORES, satisfaction.distribution ?? {}, (key) => ({ key: "figures.score", params: { n: key } }), COLOURS.score);
  return { ...chart, series: [{ ...chart.series[0], key: "figures.series.callbacks" }], axis: "figures.axis.callbacks" };
}
