// The intake desk's work list drawn from the board's rows, and the small rules the
// page follows (who links to what, which key a retried click reuses). No DOM here.

import { SEVERITIES, parseTime } from "./board-model.js";

export const SECTIONS = ["reported", "active", "resolved", "crises"];

const byReceived = (a, b) => parseTime(a.reported_at) - parseTime(b.reported_at);
const newestFirst = (a, b) => byReceived(b, a);
const severityRank = (row) => (SEVERITIES.includes(row.severity) ? SEVERITIES.indexOf(row.severity) : SEVERITIES.length);

/**
 * Each open row in exactly one section: reports waiting to be verified (oldest first,
 * a queue), verified reports in hand, resolved ones whose customer is to be told and
 * called back, and the crises being handled (most severe first).
 */
export function workSections(rows) {
  const sections = { reported: [], active: [], resolved: [], crises: [] };
  for (const row of rows) {
    if (row.status === "reported") sections.reported.push(row);
    else if (row.status === "resolved") sections.resolved.push(row);
    else if (row.kind === "crisis") sections.crises.push(row);
    else sections.active.push(row);
  }
  sections.reported.sort(byReceived);
  sections.active.sort(newestFirst);
  sections.resolved.sort(byReceived);
  sections.crises.sort((a, b) => severityRank(a) - severityRank(b) || byReceived(a, b));
  return sections;
}

/** The crises a report may be linked to: open, not itself, not linked under another crisis. */
export function linkTargets(rows, row) {
  return rows
    .filter((other) => other.kind === "crisis" && other.id !== row.id && !other.parent_id && other.id !== row.parent_id)
    .sort((a, b) => severityRank(a) - severityRank(b) || byReceived(a, b));
}

/** The reports a report may duplicate: the others, same category first, newest first. */
export function duplicateCandidates(rows, row) {
  const sameCategory = (other) => (other.category === row.category ? 0 : 1);
  return rows.filter((other) => other.id !== row.id).sort((a, b) => sameCategory(a) - sameCategory(b) || newestFirst(a, b));
}

export function linkedCount(rows, crisisId) {
  return rows.filter((row) => row.parent_id === crisisId).length;
}

