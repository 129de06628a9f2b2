/**
 * The pure checks of client mode (src/contract/checks.ts), judged on hand-built observations: a
 * few journal entries each, so every verdict can be traced to the entries that caused it.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS, MAX_RETRIES, type JudgeContext } from '../../src/contract/checks.js';
import type { ObservedJob, ObservedRequest, ObservedState } from '../../src/contract/observations.js';
import type { Evidence } from '../../src/contract/report.js';
import { CONTRACT_SCENARIOS } from '../../src/contract/scenarios.js';

const JOB = '10b00000-0000-4000-8000-000000000001';
const ENTRY = 'e0000000-0000-4000-8000-000000000001';
const T0 = Date.parse('2026-01-05T09:00:00.000Z');

/** A journal entry; `atMs` is its arrival, ms after T0. */
function entry(atMs: number, fields: Partial<ObservedRequest> = {}): ObservedRequest {
  return {
    sequence: 0,
    wallTime: new Date(T0 + atMs).toISOString(),
    method: 'GET',
    path: `/v3/export-jobs/${JOB}/items`,
    query: {},
    headers: { authorization: 'Bearer t' },
    body: null,
    operationId: 'getExportJobItemsV3',
    status: 200,
    responseBody: null,
    responseBodyKept: true,
    responseHeaders: {},
    fault: null,
    ...fields,
  };
}

/** A job event request (POST /v3/export-job-events). */
function eventRequest(atMs: number, event: string, status: number, fields: Partial<ObservedRequest> = {}): ObservedRequest {
  return entry(atMs, { method: 'POST', path: '/v3/export-job-events', operationId: 'createExportJobEventV3', body: { jobId: JOB, event }, status, ...fields });
}

/** A page answer of a list. */
function page(hasNextPage: boolean, endCursor: string): unknown {
  return { data: [{}], pagination: { hasNextPage, endCursor, hasPreviousPage: false } };
}

function job(status: string, items: ObservedJob['items'] = []): ObservedJob {
  return { id: JOB, companyId: 'c0a00000-0000-4000-8000-00000000000a', status, createdAt: '2026-01-05T08:00:00Z', failureReason: null, failureReasonType: null, itemCount: items.length, items };
}

function context(fields: { requests?: readonly ObservedRequest[]; strays?: readonly ObservedRequest[]; initial?: ObservedState; final?: ObservedState }): JudgeContext {
  const [scenario] = CONTRACT_SCENARIOS;
  if (scenario === undefined) throw new Error('no scenario');
  const requests = (fields.requests ?? []).map((request, index) => ({ ...request, sequence: index + 1 }));
  return {
    scenario,
    initial: fields.initial ?? {},
    final: fields.final ?? {},
    requests,
    strays: fields.strays ?? [],
    client: { exitCode: 0, timedOut: false, durationMs: 1, output: '' },
    timeLimitMs: 60_000,
  };
}

/** The verdict of one check: 'passed', 'skipped', or its evidence. */
function verdict(name: string, judged: JudgeContext): 'passed' | 'skipped' | readonly Evidence[] {
  const check = CHECKS.get(name);
  if (check === undefined) throw new Error(`no check ${name}`);
  const result = check.judge(judged);
  if ('skip' in result) return 'skipped';
  return result.length === 0 ? 'passed' : result;
}

/** The evidence of a verdict that must have failed. */
function evidenceOf(result: ReturnType<typeof verdict>): readonly Evidence[] {
  if (typeof result === 'string') throw new Error(`expected evidence, the check ${result}`);
  return result;
}

/** `n` failures of the same request, 200 ms apart, then (optionally) a success. */
function streak(failures: number, thenSuccess: boolean): ObservedRequest[] {
  const failed = Array.from({ length: failures }, (_, index) => entry(index * 200, { status: 503, responseBody: { type: 'SERVICE_UNAVAILABLE', message: 'x' }, fault: 'status 503 (rule 1)' }));
  return thenSuccess ? [...failed, entry(failures * 200)] : failed;
}

describe('bounded-retries', () => {
  it.each([
    { case: '7 failures in a row (6 retries)', requests: streak(7, false), outcome: 'failed' },
    { case: '7 failures in a row, then a success', requests: streak(7, true), outcome: 'failed' },
    { case: '3 failures, then a success', requests: streak(3, true), outcome: 'passed' },
    { case: `${MAX_RETRIES} failures, then a success (${MAX_RETRIES - 1} retries)`, requests: streak(MAX_RETRIES, true), outcome: 'passed' },
    {
      case: 'failures of different requests do not add up',
      requests: Array.from({ length: 8 }, (_, index) => entry(index * 200, { query: { limit: [String(index)] }, status: 502, fault: 'status 502 (rule 1)' })),
      outcome: 'passed',
    },
    { case: 'a success in between restarts the count', requests: [...streak(4, true), ...streak(4, true)], outcome: 'passed' },
    { case: 'no retryable failure', requests: [entry(0), entry(10, { status: 404 })], outcome: 'skipped' },
  ])('$case: $outcome', ({ requests, outcome }) => {
    const result = verdict('bounded-retries', context({ requests }));
    if (outcome === 'failed') {
      expect(result).toEqual([expect.objectContaining({ problem: expect.stringMatching(/failed \d+ times/) as unknown, expected: `at most ${MAX_RETRIES} retries (${MAX_RETRIES + 1} attempts)` })]);
      expect(evidenceOf(result)[0]?.requests[0]?.url).toBe(`/v3/export-jobs/${JOB}/items`);
    } else {
      expect(result).toBe(outcome);
    }
  });

  // Six attempts in total that all fail are five retries: within the rule, then the client gave up.
  it(`${MAX_RETRIES + 1} failures in a row and no further attempt (${MAX_RETRIES} retries, then gave up) passes`, () => {
    expect(verdict('bounded-retries', context({ requests: streak(MAX_RETRIES + 1, false) }))).toBe('passed');
  });
});

describe('retry-after', () => {
  const limited = (retryAfter: string): ObservedRequest => entry(0, { status: 429, responseHeaders: { 'retry-after': retryAfter }, responseBody: { type: 'RATE_LIMITED', message: 'x' }, fault: 'status 429 (rule 1)' });
  it.each([
    { case: 'a retry exactly Retry-After later', requests: [limited('2'), entry(2000)], outcome: 'passed' },
    { case: 'a retry later than Retry-After', requests: [limited('1'), entry(1400)], outcome: 'passed' },
    { case: 'a retry 1 s after Retry-After: 2', requests: [limited('2'), entry(1000)], outcome: 'failed' },
    { case: 'a retry 50 ms after Retry-After: 1', requests: [limited('1'), entry(50)], outcome: 'failed' },
    { case: 'a 429 never retried', requests: [limited('1'), entry(10, { path: '/v3/export-jobs', operationId: 'getExportJobsListV3' })], outcome: 'passed' },
    { case: 'no 429', requests: [entry(0, { status: 503 }), entry(300)], outcome: 'skipped' },
  ])('$case: $outcome', ({ requests, outcome }) => {
    const result = verdict('retry-after', context({ requests }));
    if (outcome === 'failed') {
      expect(result).toEqual([expect.objectContaining({ problem: expect.stringMatching(/^retried after \d+ ms; Retry-After said \d+ s$/) as unknown })]);
      // Evidence: the 429 and the early retry.
      expect(evidenceOf(result)[0]?.requests.map((request) => request.status)).toEqual([429, 200]);
    } else {
      expect(result).toBe(outcome);
    }
  });
});

describe('credentials', () => {
  it('fails when requests reached the mock without the credential, naming them', () => {
    const strays = [entry(0, { headers: {} }), entry(5, { headers: {}, path: '/v3/export-jobs', operationId: 'getExportJobsListV3' })];
    const result = verdict('credentials', context({ requests: [entry(0)], strays }));
    expect(result).toEqual([expect.objectContaining({ problem: '2 request(s) arrived without the scenario\'s credential', expected: 'Authorization on every request' })]);
    expect(evidenceOf(result)[0]?.requests.map((request) => request.url)).toEqual([`/v3/export-jobs/${JOB}/items`, '/v3/export-jobs']);
  });

  it('passes without strays', () => {
    expect(verdict('credentials', context({ requests: [entry(0)] }))).toBe('passed');
  });
});

describe('valid-requests', () => {
  const refused = (type: string, status = 400): ObservedRequest => entry(0, { path: '/v3/export-items', operationId: 'getExportItemsV3', query: { job_id: [JOB], limit: ['abc'] }, status, responseBody: { type, message: `${type} message` } });
  it.each([
    { type: 'INVALID_PARAMETER', status: 400, flagged: true },
    { type: 'INVALID_REQUEST_BODY', status: 400, flagged: true },
    { type: 'MISSING_CONTRA_ACCOUNTS', status: 400, flagged: false },
    { type: 'INVALID_EXPORT_JOB_STATUS_CHANGE', status: 422, flagged: false },
    { type: 'EXPORT_JOB_ITEMS_UPDATE_LIMIT', status: 413, flagged: false },
    { type: 'EXPORT_NOT_FOUND', status: 404, flagged: false },
  ])('$status $type: flagged $flagged', ({ type, status, flagged }) => {
    const result = verdict('valid-requests', context({ requests: [refused(type, status)] }));
    if (!flagged) {
      expect(result).toBe('passed');
      return;
    }
    expect(result).toEqual([expect.objectContaining({ problem: `${type}: ${type} message`, expected: 'a request the spec allows' })]);
    expect(evidenceOf(result)[0]?.requests[0]).toMatchObject({ method: 'GET', url: `/v3/export-items?job_id=${JOB}&limit=abc`, status });
  });
});

describe('single-final-event', () => {
  const finished = { jobs: [job('completed', [{ accountingEntryId: ENTRY, status: 'successful' }])] };
  const truncated = { fault: 'truncate' };
  it.each([
    { case: 'one completed', requests: [eventRequest(0, 'completed', 202)], finals: 0 },
    { case: 'a second final event after a 202 the client saw (refused 422)', requests: [eventRequest(0, 'completed', 202), eventRequest(100, 'completed', 422)], finals: 2 },
    { case: 'a second, different final event after a 202', requests: [eventRequest(0, 'completed', 202), eventRequest(100, 'failed', 422, { body: { jobId: JOB, event: 'failed', failureReasonType: 'missing_configuration', failureReason: 'x' } })], finals: 2 },
    { case: 'a retry after a 202 cut off mid-body', requests: [eventRequest(0, 'completed', 202, truncated), eventRequest(300, 'completed', 422)], finals: 0 },
    { case: 'a retry after a 500 (not processed)', requests: [eventRequest(0, 'completed', 500), eventRequest(300, 'completed', 202)], finals: 0 },
  ])('$case', ({ requests, finals }) => {
    const result = verdict('single-final-event', context({ requests, initial: { jobs: [job('in_progress')] }, final: finished }));
    if (finals === 0) {
      expect(result).toBe('passed');
      return;
    }
    expect(result).toEqual([expect.objectContaining({ problem: `job ${JOB} was sent ${finals} final events`, expected: 'exactly one final event' })]);
    expect(evidenceOf(result)[0]?.requests.map((request) => request.status)).toEqual([202, 422]);
  });

  it('fails a completed job whose items failed, and a failed event without a reason', () => {
    const failedItems = { jobs: [job('completed', [{ accountingEntryId: ENTRY, status: 'failed', failureReasonType: 'missing_configuration', failureReason: 'x' }])] };
    expect(verdict('single-final-event', context({ requests: [eventRequest(0, 'completed', 202)], final: failedItems }))).toEqual([
      expect.objectContaining({ problem: `job ${JOB} was completed while 1 item(s) are failed`, expected: 'completed_with_errors when any item failed' }),
    ]);
    expect(verdict('single-final-event', context({ requests: [eventRequest(0, 'failed', 202)], final: { jobs: [job('failed')] } }))).toEqual([
      expect.objectContaining({ problem: `job ${JOB} was failed without a failureReasonType and a failureReason` }),
    ]);
  });
});

describe('read-every-page', () => {
  const claimed = eventRequest(0, 'started', 202);
  const items = (atMs: number, after: string | undefined, body: unknown): ObservedRequest => entry(atMs, { query: after === undefined ? {} : { after: [after] }, responseBody: body });
  const exportItems = (atMs: number, after: string | undefined, body: unknown): ObservedRequest =>
    entry(atMs, { path: '/v3/export-items', operationId: 'getExportItemsV3', query: { job_id: [JOB], ...(after === undefined ? {} : { after: [after] }) }, responseBody: body });

  it.each([
    { case: 'both lists read to their end', requests: [claimed, items(10, undefined, page(true, 'I1')), items(20, 'I1', page(false, 'I2')), exportItems(30, undefined, page(true, 'E1')), exportItems(40, 'E1', page(false, 'E2'))], missing: [] },
    { case: 'the export items\' second page never requested', requests: [claimed, items(10, undefined, page(false, 'I1')), exportItems(30, undefined, page(true, 'E1'))], missing: ['E1'] },
    { case: 'the items\' third page never requested', requests: [claimed, items(10, undefined, page(true, 'I1')), items(20, 'I1', page(true, 'I2')), exportItems(30, undefined, page(false, 'E1'))], missing: ['I2'] },
    {
      case: 'the next page requested, but only answered 429',
      requests: [claimed, items(10, undefined, page(false, 'I1')), exportItems(30, undefined, page(true, 'E1')), exportItems(40, 'E1', { type: 'RATE_LIMITED', message: 'x' })].map((request, index) => (index === 3 ? { ...request, status: 429 } : request)),
      missing: ['E1'],
    },
  ])('$case', ({ requests, missing }) => {
    const result = verdict('read-every-page', context({ requests }));
    if (missing.length === 0) {
      expect(result).toBe('passed');
      return;
    }
    expect(evidenceOf(result).map((evidence) => evidence.expected)).toEqual(missing.map((cursor) => `GET … after=${cursor}`));
    expect(evidenceOf(result)[0]?.problem).toMatch(new RegExp(`^a page of the (export )?items of job ${JOB} said hasNextPage: true, and the page after its endCursor was never requested$`));
    expect(evidenceOf(result)[0]?.requests[0]?.status).toBe(200);
  });

  it('names a list of a worked job that was never read', () => {
    const result = verdict('read-every-page', context({ requests: [claimed, items(10, undefined, page(false, 'I1'))] }));
    expect(result).toEqual([expect.objectContaining({ problem: `the export items of job ${JOB} were never read` })]);
  });
});

describe('no-resend-successful', () => {
  const put = (atMs: number, fields: Partial<ObservedRequest> = {}): ObservedRequest =>
    entry(atMs, { method: 'PUT', operationId: 'updateExportJobItemsV3', body: [{ accountingEntryId: ENTRY, status: 'successful' }], responseBody: { data: [], errors: [] }, ...fields });
  const initial: ObservedState = { jobs: [job('in_progress', [{ accountingEntryId: ENTRY, status: 'pending' }])] };
  it.each([
    { case: 'an item reported once', requests: [put(0)], outcome: 'passed' },
    { case: 'an item reported again after a seen 200', requests: [put(0), put(500)], outcome: 'failed' },
    { case: 'a retry of an update whose answer was cut off', requests: [put(0, { fault: 'truncate' }), put(500)], outcome: 'passed' },
    { case: 'a second resend after the retry was answered', requests: [put(0, { fault: 'truncate' }), put(500), put(900)], outcome: 'failed' },
  ])('$case: $outcome', ({ requests, outcome }) => {
    const result = verdict('no-resend-successful', context({ requests, initial }));
    if (outcome === 'failed') expect(evidenceOf(result)[0]?.problem).toMatch(/already successful were reported again/);
    else expect(result).toBe(outcome);
  });
});
