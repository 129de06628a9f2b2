/**
 * What every server-mode probe works with: the HTTP client, the checks it records into, and the
 * small steps probes share (building URLs, reading a page, turning findings into evidence).
 */
import type { CheckRecorder } from './server-check-recorder.js';
import type { ServerCheckName } from './server-checks.js';
import { requestLine, summarize, type Exchange, type ProbeClient } from './server-http.js';
import { readPage, type Finding, type PageFetch } from './server-paging.js';
import { successAnswerProblem } from './server-wire.js';

/** The client and the checks of one run. */
export interface ProbeContext {
  readonly client: ProbeClient;
  check(name: ServerCheckName): CheckRecorder;
}

/** A query value: repeated keys for arrays (`?statuses=a&statuses=b`), omitted when undefined. */
export type QueryValue = string | number | readonly string[] | undefined;

/**
 * A path with its query string.
 * @example withQuery('/v3/export-jobs', { statuses: ['pending', 'failed'], limit: 5 }) // '/v3/export-jobs?statuses=pending&statuses=failed&limit=5'
 */
export function withQuery(path: string, query: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') search.append(name, String(value));
    else for (const item of value) search.append(name, item);
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** An exchange read as one page of a list: the page, or why it is not one. */
export function toPageFetch(exchange: Exchange, keyField: string): PageFetch<Exchange> {
  const problem = successAnswerProblem(exchange, 200);
  if (problem !== undefined) return { ok: false, ref: exchange, problem };
  const page = readPage(exchange.json, keyField);
  if (typeof page === 'string') return { ok: false, ref: exchange, problem: `${requestLine(exchange)} answered a page of an unexpected shape: ${page}` };
  return { ok: true, ref: exchange, page };
}

/** Records each finding as a failure of the check, citing its requests. */
export function recordFindings(check: CheckRecorder, findings: readonly Finding<Exchange>[]): void {
  for (const finding of findings) check.fail(finding.problem, finding.expected, dedupe(finding.refs).map(summarize));
}

/** Records one failure citing exchanges. */
export function fail(check: CheckRecorder, problem: string, expected: string, ...exchanges: Exchange[]): void {
  check.fail(problem, expected, dedupe(exchanges).map(summarize));
}

function dedupe(exchanges: readonly Exchange[]): Exchange[] {
  return [...new Set(exchanges)];
}
