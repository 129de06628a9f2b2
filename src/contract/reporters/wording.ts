/**
 * Sentences the terminal and JUnit reporters word alike: durations, the summary line, a request
 * of the evidence, what a client did. All of it is already cleaned (see sanitize.ts).
 */

import type { ClientRun, RequestSummary } from '../report.js';
import { oneLine } from './sanitize.js';
import type { ReportSummary } from './summary.js';

/** Longest URL shown in a request line, in code points. */
const URL_LIMIT = 200;

/**
 * A duration for people: milliseconds under a second, seconds with two decimals from there.
 *
 * @example
 * formatDuration(850);  // '850 ms'
 * formatDuration(1234); // '1.23 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '? ms';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * A count with its noun, singular for one.
 *
 * @example
 * counted(1, 'scenario'); // '1 scenario'
 */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * The summary sentence every reporter ends on.
 *
 * @example
 * summaryLine(summary); // '3 scenarios, 12 checks: 10 passed, 1 failed, 1 skipped'
 */
export function summaryLine(summary: ReportSummary): string {
  return `${counted(summary.scenarios, 'scenario')}, ${counted(summary.checks, 'check')}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`;
}

/**
 * A request of the evidence on one line: `#seq METHOD url -> status`, then `at <time>` when
 * known. Status 0 reads `dropped`, since the mock dropped the connection.
 *
 * @example
 * requestLine({ sequence: 12, method: 'PUT', url: '/v3/export-jobs/j1/items', status: 413 });
 * // '#12 PUT /v3/export-jobs/j1/items -> 413'
 */
export function requestLine(request: RequestSummary, ellipsis = '…'): string {
  const sequence = request.sequence === undefined ? '' : `#${request.sequence} `;
  const status = request.status === 0 ? 'dropped' : String(request.status);
  const at = request.at === undefined ? '' : ` at ${oneLine(request.at, 40, ellipsis)}`;
  return `${sequence}${oneLine(request.method, 16, ellipsis)} ${oneLine(request.url, URL_LIMIT, ellipsis)} -> ${status}${at}`;
}

/**
 * What the client of a scenario did, as a phrase.
 *
 * @example
 * clientOutcome({ exitCode: null, timedOut: true, durationMs: 30_000, output: '' }); // 'timed out after 30.00 s'
 */
export function clientOutcome(run: ClientRun): string {
  const after = `after ${formatDuration(run.durationMs)}`;
  if (run.timedOut) return `timed out ${after}`;
  if (run.exitCode === null) return `was killed (no exit code) ${after}`;
  return `exited with code ${run.exitCode} ${after}`;
}
