/**
 * The machine reporter: the report as it is, plus its counts. Objects are rebuilt key by key so
 * the output's key order is fixed by this file, not by however the report was assembled; two
 * runs with the same results give the same bytes. Strings are kept raw: JSON escapes them all.
 */

import type { CheckResult, ClientRun, ContractReport, Evidence, RequestSummary, ScenarioResult } from '../report.js';
import { summarize, type ReportSummary } from './summary.js';

/** What {@link renderJson} writes: the report with its counts. */
export type JsonReport = ContractReport & { readonly summary: ReportSummary };

/**
 * Every key of T, each required: a field added to report.ts fails to compile here until it is
 * given its place, rather than silently missing from the JSON.
 */
type Ordered<T> = { readonly [K in keyof T]-?: unknown };

function request(r: RequestSummary): Ordered<RequestSummary> {
  return { sequence: r.sequence, method: r.method, url: r.url, status: r.status, at: r.at, body: r.body, response: r.response };
}

function evidence(e: Evidence): Ordered<Evidence> {
  return { problem: e.problem, expected: e.expected, requests: e.requests.map(request) };
}

function check(c: CheckResult): Ordered<CheckResult> {
  return { name: c.name, status: c.status, rule: c.rule, hint: c.hint, skippedBecause: c.skippedBecause, evidence: c.evidence.map(evidence) };
}

function client(run: ClientRun): Ordered<ClientRun> {
  return { exitCode: run.exitCode, timedOut: run.timedOut, durationMs: run.durationMs, output: run.output };
}

function scenario(s: ScenarioResult): Ordered<ScenarioResult> {
  return { scenario: s.scenario, title: s.title, durationMs: s.durationMs, client: s.client === undefined ? undefined : client(s.client), checks: s.checks.map(check) };
}

/**
 * Renders a report as indented JSON with a `summary` of counts, ending with a newline. Absent
 * optional fields are left out, not written as null.
 *
 * @example
 * const parsed = JSON.parse(renderJson(report)) as JsonReport;
 * parsed.summary.failed; // 1
 */
export function renderJson(report: ContractReport): string {
  const document: Ordered<JsonReport> = {
    mode: report.mode,
    target: report.target,
    passed: report.passed,
    durationMs: report.durationMs,
    summary: summarize(report),
    scenarios: report.scenarios.map(scenario),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
