/**
 * Property-based fuzzing of every operation of both specs (`openapi/export-api.yaml`, normalized,
 * and `openapi/admin-api.yaml`): random and malformed path parameters, query strings, headers and
 * bodies. Whatever is sent, the answer is below 500, and it passes SpecClient, which fails on a
 * status the operation does not declare, a body that breaks the schema, or an error that is not
 * ExceptionInfo. No faults are configured, so no 5xx is expected at all.
 *
 * Defects the fuzzer found are pinned one by one by the `it.fails` tests at the end. So that one
 * known defect does not hide every other answer of an operation, the properties recognise those
 * defects narrowly (by status, error type and the operation) and count them instead of stopping;
 * anything else that breaks the spec fails the property.
 *
 * Runs are bounded and seeded: `FUZZ_SEED` and `FUZZ_RUNS` override the defaults, and a failure
 * prints the seed and path that replay it (fast-check's report).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdminApiSpec, loadNormalizedExportApiSpec } from '../../src/spec/load-spec.js';
import { startMock, type TestMock } from '../support/mock.js';
import type { SpecClient, SpecResponse } from '../support/spec-client.js';
import { operationsOf, requestFor, type FuzzOperation, type FuzzRequest, type KnownIds } from './request-arbitraries.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20260105);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

const exportOperations = operationsOf(loadNormalizedExportApiSpec());
const adminOperations = operationsOf(loadAdminApiSpec());
const ADMIN_OPERATION_IDS = new Set(adminOperations.map((operation) => operation.operationId));

// Two servers: admin requests may set fault rules or replace a tenant's state, and the Export API
// properties must never meet a fault they did not configure.
let exportMock: TestMock;
let adminMock: TestMock;
let ids: KnownIds;

beforeAll(async () => {
  [exportMock, adminMock] = await Promise.all([startMock(), startMock()]);
  const state = exportMock.server.store.snapshot();
  ids = {
    jobIds: state.jobs.map((job) => job.id),
    companyIds: state.companies.map((company) => company.id),
    accountingEntryIds: [...new Set(state.items.map((item) => item.accountingEntryId))].slice(0, 40),
    operationIds: exportOperations.map((operation) => operation.operationId),
  };
});
afterAll(async () => {
  await Promise.all([exportMock.close(), adminMock.close()]);
});

function send(client: SpecClient, request: FuzzRequest): Promise<SpecResponse> {
  return client.request(request.method, request.url, { headers: request.headers, ...(request.body === undefined ? {} : { raw: request.body }) });
}

function show(request: FuzzRequest): string {
  return `${request.method} ${request.url.slice(0, 300)} ${JSON.stringify(request.headers).slice(0, 300)} ${JSON.stringify(request.body?.slice(0, 300))}`;
}

// ---------------------------------------------------------------------------------------------
// Known defects, recognised from SpecClient's report (`METHOD PATH -> STATUS breaks the spec:`,
// one problem a line, then `body: ...`). A report that does not parse is never recognised.

interface SpecBreak {
  readonly status: number;
  readonly problems: readonly string[];
  readonly type: string | undefined;
  readonly message: string | undefined;
}

function parseSpecBreak(error: unknown): SpecBreak | undefined {
  if (!(error instanceof Error)) return undefined;
  const [head = '', ...rest] = error.message.split('\n');
  const status = / -> (\d{3}) breaks the spec:$/.exec(head)?.[1];
  if (status === undefined) return undefined;
  const bodyLine = rest.find((line) => line.startsWith('  body: '));
  const text = bodyLine?.slice('  body: '.length) ?? '';
  let record: Record<string, unknown>;
  try {
    const body: unknown = JSON.parse(text);
    record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    // SpecClient cuts bodies at 500 characters; an ExceptionInfo's type still comes first.
    const cut = /^\{"type":"([A-Z_]+)","message":"(.*)$/.exec(text);
    if (cut === null) return undefined;
    record = { type: cut[1], message: cut[2] };
  }
  return {
    status: Number(status),
    problems: rest.filter((line) => !line.startsWith('  body: ')).map((line) => line.trim()),
    type: typeof record.type === 'string' ? record.type : undefined,
    message: typeof record.message === 'string' ? record.message : undefined,
  };
}

/** The defect a spec break is an instance of (see the `it.fails` tests), or undefined for a new one. */
function knownDefect(found: SpecBreak, request: FuzzRequest, operation: FuzzOperation): string | undefined {
  const only = (pattern: RegExp) => found.problems.length > 0 && found.problems.every((problem) => pattern.test(problem));
  // Defect 1: the body is parsed before routing, so a wrong path or method meets 400/415 instead of 404/405.
  if (only(/^no operation matches /) && [400, 413, 415].includes(found.status) && ['INVALID_REQUEST_BODY', 'UNSUPPORTED_MEDIA_TYPE', 'REQUEST_BODY_TOO_LARGE'].includes(found.type ?? '')) return 'body-before-routing';
  // Documented (README, INVALID_PARAMETER): a badly percent-encoded URL is a 400 whatever its path.
  if (only(/^no operation matches /) && found.status === 400 && found.message === 'path: the URL is not validly percent-encoded') return 'bad-url-any-path';
  // Not a defect: `/v3/export-jobs//items` reaches its operation, which refuses it (400 naming
  // jobId, or the body's own 4xx first); it is SpecClient's matcher (openapi-backend's) that does
  // not match an empty path parameter.
  if (only(/^no operation matches /) && found.status >= 400 && found.status < 500 && hasEmptyPathParameter(operation, request)) return 'empty-path-parameter';
  // Defect 4: a path parameter over 100 characters trips Fastify's maxParamLength, reported as a body error.
  const longSegment = (request.url.split('?')[0] ?? '').split('/').some((segment) => segment.length > 100);
  if (found.status === 400 && found.type === 'INVALID_REQUEST_BODY' && longSegment && (found.message ?? '').startsWith("request: '")) return 'long-path-parameter';
  // Defect 2: admin-api.yaml declares few of the 4xx its operations answer (all ExceptionInfo).
  const undeclared = /^(\w+) does not declare status (4\d\d)$/;
  if (only(undeclared) && found.problems.every((problem) => ADMIN_OPERATION_IDS.has(undeclared.exec(problem)?.[1] ?? ''))) return 'admin-undeclared-4xx';
  return undefined;
}

/** Whether the request is the operation's path with a path parameter left empty. */
function hasEmptyPathParameter(operation: FuzzOperation, request: FuzzRequest): boolean {
  const pattern = new RegExp(`^${operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]*)')}/?$`);
  const match = pattern.exec(request.url.split('?')[0] ?? '');
  return match !== null && match.slice(1).some((value) => value === '');
}

/** Errors only a handler answers (past routing and validation): they show the fuzzer got that far. */
const HANDLER_ERRORS = new Set(['EXPORT_NOT_FOUND', 'EXPORT_ENTRY_NOT_FOUND', 'EXPORT_ALREADY_IN_PROGRESS', 'INVALID_EXPORT_JOB_STATUS_CHANGE', 'MISSING_CONTRA_ACCOUNTS', 'EXPORT_JOB_STATUS_UNPROCESSABLE']);

/** Whether a moveClock body advances the clock beyond the Date range (±8.64e15 ms from the epoch). */
function advancesPastDates(body: string | undefined): boolean {
  try {
    const parsed: unknown = JSON.parse(body ?? '');
    const seconds = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).advanceSeconds : undefined;
    return typeof seconds === 'number' && seconds >= 1e12;
  } catch {
    return false;
  }
}

/** Fuzzes one operation; returns how often each status class and each known defect was met. */
async function fuzz(mock: TestMock, operation: FuzzOperation, index: number): Promise<Map<string, number>> {
  const tally = new Map<string, number>();
  const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
  await fc.assert(
    fc.asyncProperty(requestFor(operation, ids), async (request) => {
      let response: SpecResponse;
      try {
        response = await send(mock.client, request);
      } catch (error) {
        const found = parseSpecBreak(error);
        const defect = found === undefined ? undefined : knownDefect(found, request, operation);
        if (defect !== undefined) return void count(defect);
        // Defect 5: advancing the clock past what a Date holds answers 500 and leaves the tenant's
        // clock there; the tenant is reset so the following runs meet a working clock.
        if (found?.status === 500 && operation.operationId === 'moveClock' && request.method === 'POST' && advancesPastDates(request.body)) {
          await mock.client.request('POST', '/__admin/reset', { headers: request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization } });
          return void count('clock-past-date-range');
        }
        // Defect 3: a journal entry whose query has a name like `constructor` makes GET /__admin/requests
        // a 500 until the journal is emptied. Recognised only if emptying it cures the 500.
        if (found?.status === 500 && request.method === 'GET' && operation.operationId === 'getRequests') {
          await mock.client.request('DELETE', '/__admin/requests', { headers: request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization } });
          await send(mock.client, request);
          return void count('journal-query-prototype-names');
        }
        throw error;
      }
      expect(response.status, show(request)).toBeLessThan(500);
      count(`${String(response.status).slice(0, 1)}xx`);
      const type = (response.body as { type?: unknown } | undefined)?.type;
      if (response.status < 300 || (typeof type === 'string' && HANDLER_ERRORS.has(type))) count('handled');
    }),
    { seed: SEED + index, numRuns: RUNS },
  );
  if (process.env.FUZZ_VERBOSE !== undefined) console.log(`${operation.operationId}: ${JSON.stringify(Object.fromEntries(tally))}`);
  return tally;
}

describe('fuzzing the Export API', () => {
  it('derives its operations from the spec', () => {
    expect(exportOperations.length).toBeGreaterThanOrEqual(17);
    expect(exportOperations.map((operation) => operation.operationId)).toContain('getExportJobsListV3');
  });

  it.each(exportOperations.map((operation, index) => [operation.operationId, operation, index] as const))(
    '%s answers every random or malformed request below 500, as the spec declares',
    async (_name, operation, index) => {
      const tally = await fuzz(exportMock, operation, index);
      // A quarter of the requests are wholly valid-looking: the handler itself must have been reached.
      expect(tally.get('handled') ?? 0, JSON.stringify(Object.fromEntries(tally))).toBeGreaterThan(0);
      expect(tally.get('4xx') ?? 0).toBeGreaterThan(0);
    },
  );
});

describe('fuzzing the admin API', () => {
  it('derives its operations from the spec', () => {
    expect(adminOperations.map((operation) => operation.operationId)).toEqual(expect.arrayContaining(['getState', 'replaceState', 'setFaults', 'moveClock']));
  });

  it.each(adminOperations.map((operation, index) => [operation.operationId, operation, index] as const))(
    '%s answers every random or malformed request below 500, as the spec declares',
    async (_name, operation, index) => {
      const tally = await fuzz(adminMock, operation, 100 + index);
      expect(tally.get('handled') ?? 0, JSON.stringify(Object.fromEntries(tally))).toBeGreaterThan(0);
    },
  );
});

describe('fuzzing paths no operation has', () => {
  it('answers 404 ROUTE_NOT_FOUND (or 405) as ExceptionInfo', async () => {
    const segment = fc.oneof(fc.constantFrom('v3', 'v2', 'v1', 'export-jobs', 'items', '__admin', 'state', 'export-job-items:search', '%2F', ''), fc.webSegment());
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), async (segments, method) => {
        const path = `/${segments.filter((part) => !/^(\.|%2e){1,2}$/i.test(part)).join('/')}`;
        // The documents and the docs UI are served outside the specs (JSON without an operation, HTML).
        if (/^\/(docs|openapi\.json|admin-openapi\.json|fixture-document\.schema\.json)(\/|$)/.test(path)) return;
        const body = method === 'POST' || method === 'PUT' ? { raw: '{}', headers: { 'content-type': 'application/json' } } : {};
        const response = await exportMock.client.request(method, path, body);
        expect(response.status, `${method} ${path}`).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The defects, one minimal request each. Each `it.fails` passes while the defect is there.

describe('defects found by fuzzing', () => {
  // Fixed defect 1 (body-before-routing): bodies are parsed before routing, so a body problem is
  // deferred (DeferredBodyError) until the route knows the operation; 404 and 405 come first.
  it('an unknown route answers 404 whatever its body', async () => {
    const response = await exportMock.client.request('POST', '/v3/export-jobz', { raw: '{', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(404);
  });

  // Fixed defect 1, the method side with a body: 405 with Allow, not 415.
  it('POST on a GET-only path answers 405 whatever its Content-Type', async () => {
    const response = await exportMock.client.request('POST', '/v3/export-jobs/3f0e5bde-6a51-4c8e-9d0e-8d2b1c7a4e21', { raw: 'x', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(405);
  });

  // Fixed defect 1, the method side: an empty body is no body, so the route answers 405.
  it('a method the path does not have answers 405, even with a JSON Content-Type and no body', async () => {
    const response = await exportMock.client.request('PATCH', '/v3/export-jobs', { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(405);
  });

  // Fixed defect 1, on an operation that takes no body: many HTTP clients send Content-Type on
  // every request, and an empty body with it is no body.
  it('DELETE /__admin/requests with Content-Type: application/json and no body empties the journal', async () => {
    const response = await adminMock.client.request('DELETE', '/__admin/requests', { headers: { 'content-type': 'application/json', authorization: 'Bearer defect-1' } });
    expect(response.status).toBe(204);
  });

  // Fixed defect 2 (admin-undeclared-4xx): every admin operation declares its 400/401/403, and
  // those with a body 413/415 (components/responses/Error in admin-api.yaml).
  it('GET /__admin/clock?limit=1 answers a 400 its spec declares (undeclared now)', async () => {
    const response = await adminMock.client.get('/__admin/clock?limit=1');
    expect(response.status).toBe(400);
  });

  it('POST /__admin/clock with a text/plain body answers a 415 its spec declares (undeclared now)', async () => {
    const response = await adminMock.client.request('POST', '/__admin/clock', { raw: '{"advanceSeconds":1}', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(415);
  });

  // Defect 4 (long-path-parameter). Expected: 400 INVALID_PARAMETER naming jobId, as for any other
  // malformed uuid (or 414). Actual: 400 INVALID_REQUEST_BODY "request: '/v3/export-jobs/xxx…' is
  // exceeding the max param length", echoing the whole URL; on an unknown route or a wrong method
  // it also pre-empts 404/405. Cause: Fastify's maxParamLength (100) raises FST_ERR_MAX_PARAM_LENGTH
  // (414) through frameworkErrors, and error-handler.ts has no entry for it, so its fallback turns
  // every other 4xx of Fastify into INVALID_REQUEST_BODY.
  it('a 101-character jobId is an INVALID_PARAMETER naming jobId', async () => {
    const response = await exportMock.client.get<{ type: string; message: string }>(`/v3/export-jobs/${'x'.repeat(101)}`);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('INVALID_PARAMETER');
    expect(response.body.message).toMatch(/^jobId\b/);
  });

  // Defect 5 (clock-past-date-range). Expected: 400 INVALID_REQUEST_BODY for an advance the clock
  // cannot represent, and the clock unchanged. Actual: 500 INTERNAL_ERROR, and the tenant's clock
  // stays beyond the Date range, so every later GET /__admin/clock of the tenant is a 500 until it
  // is reset. Cause: moveClock (admin-operations.ts) calls clock.advance() before
  // formatInstant(), whose `new Date(ms).toISOString()` throws RangeError; MoveClock in
  // admin-api.yaml sets no maximum and nothing checks the sum against ±8.64e15 ms.
  it('POST /__admin/clock {"advanceSeconds":1e13} is refused with 400 and leaves the clock alone', async () => {
    const headers = { authorization: 'Bearer defect-5' };
    const before = await adminMock.client.get<{ now: string }>('/__admin/clock', { headers });
    const moved = await adminMock.client.post('/__admin/clock', { advanceSeconds: 1e13 }, { headers }).catch((error: unknown) => error);
    const after = await adminMock.client.get<{ now: string }>('/__admin/clock', { headers }).catch((error: unknown) => error);
    await adminMock.client.post('/__admin/reset', undefined, { headers });
    expect(moved).not.toBeInstanceOf(Error);
    expect(after).not.toBeInstanceOf(Error);
    expect((after as { body: { now: string } }).body.now).toBe(before.body.now);
  });

  // Defect 3 (journal-query-prototype-names). Expected: 200, the journal with the refused request.
  // Actual: 500 INTERNAL_ERROR ("query[name].push is not a function" in the log), on every read of
  // that tenant's journal until it is emptied. Cause: journalEntryView (admin-operations.ts)
  // collects query values into `{}` with `(query[name] ??= []).push(value)`; for `constructor`,
  // `__proto__`, `toString`, `hasOwnProperty`… the inherited member is not nullish. The contract
  // suite reads the journal, so one such request of an integration breaks its judging.
  it('GET /__admin/requests still answers after a request with ?constructor=1', async () => {
    const headers = { authorization: 'Bearer defect-3' };
    // Answered (200: the parameter is silently dropped, defect 7 in hostile.test.ts) and journaled.
    expect((await exportMock.client.get('/v3/export-jobs?constructor=1', { headers })).status).toBeLessThan(500);
    const journal = await exportMock.client.get<{ data: unknown[] }>('/__admin/requests', { headers });
    expect(journal.status).toBe(200);
  });
});
