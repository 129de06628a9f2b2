/**
 * Server mode of the contract suite, run as a user would: against this mock (every check passes),
 * against a generic spec-only mock that answers fixed examples (the stateful checks fail, each
 * with evidence naming the request), and against a port where nothing listens (nothing throws).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, ContractReport } from '../../src/contract/report.js';
import { runServerContract } from '../../src/contract/server-mode.js';
import { createMockServer, type InProcessMockServer } from '../../src/index.js';

function checkOf(report: ContractReport, scenario: string, name: string): CheckResult {
  const found = report.scenarios.find((result) => result.scenario === scenario)?.checks.find((check) => check.name === name);
  if (found === undefined) throw new Error(`no check ${scenario}/${name} in the report`);
  return found;
}

/** `scenario/check: first problem` for every check that did not pass, so a failing test explains itself. */
function notPassed(report: ContractReport): string[] {
  return report.scenarios.flatMap((scenario) =>
    scenario.checks
      .filter((check) => check.status !== 'passed')
      .map((check) => `${scenario.scenario}/${check.name} ${check.status}: ${check.skippedBecause ?? check.evidence.map((evidence) => `${evidence.problem} [${evidence.requests.map((request) => `${request.method} ${request.url} -> ${request.status}`).join(', ')}]`).join(' | ')}`),
  );
}

function statuses(report: ContractReport, scenario: string): Record<string, string> {
  return Object.fromEntries((report.scenarios.find((result) => result.scenario === scenario)?.checks ?? []).map((check) => [check.name, check.status]));
}

describe('against this mock', () => {
  let mock: InProcessMockServer;
  beforeAll(async () => {
    mock = await createMockServer({ frozenClock: true });
  });
  afterAll(() => mock.close());

  it('passes every read-only check, and sends nothing but GET requests', async () => {
    const report = await runServerContract({ baseUrl: mock.url, credential: 'contract-read-only' });
    expect(notPassed(report)).toEqual([]);
    expect(report).toMatchObject({ mode: 'server', target: mock.url, passed: true });
    expect(report.scenarios.map((scenario) => scenario.scenario)).toEqual(['read-only']);
    expect(Object.keys(statuses(report, 'read-only'))).toEqual(['reachable', 'paging-consistent', 'filters-correct', 'not-found-shape', 'bad-request-shape', 'responses-match-spec']);
    const journal = await mock.admin('contract-read-only').requests();
    expect(journal.total).toBeGreaterThan(20);
    expect(new Set(journal.data.map((entry) => entry.method))).toEqual(new Set(['GET']));
    // Every request carried the credential, so it landed in that tenant and disturbed no other.
    expect(journal.data.every((entry) => entry.headers.authorization === 'Bearer contract-read-only')).toBe(true);
    expect((await mock.admin().requests()).total).toBe(0);
  });

  it('passes every check with writes allowed, creating and completing a job of its own', async () => {
    const report = await runServerContract({ baseUrl: mock.url, credential: 'contract-writes', allowWrites: true });
    expect(notPassed(report)).toEqual([]);
    expect(report.scenarios.map((scenario) => scenario.scenario)).toEqual(['read-only', 'writes']);
    expect(Object.keys(statuses(report, 'writes'))).toEqual(['job-created', 'item-cap', 'per-item-errors', 'event-transitions', 'responses-match-spec']);
    const created = await mock.admin('contract-writes').requests({ operationId: 'createExportJobV3' });
    expect(created.data).toHaveLength(1);
    const state = await mock.admin('contract-writes').state();
    const probeJob = state.jobs?.find((job) => job.companyId === (created.data[0]?.body as { companyId?: string } | undefined)?.companyId);
    expect(probeJob?.status).toBe('completed');
  });
});

/** Two valid ExportJobV3 rows and one page of two items of the first, answered whatever is asked. */
const EXAMPLE_JOBS = [
  { id: '0b7c1c55-0c4e-4a52-9a7e-3f2f3c1d9b01', companyId: 'a3a0c1de-8d2c-4f4e-9b4e-2c6a1f0e7d11', status: 'pending', startedAt: null, completedAt: null },
  { id: '0b7c1c55-0c4e-4a52-9a7e-3f2f3c1d9b02', companyId: 'a3a0c1de-8d2c-4f4e-9b4e-2c6a1f0e7d12', status: 'completed', startedAt: '2026-01-01T10:00:00Z', completedAt: '2026-01-01T10:05:00Z' },
].map((job) => ({
  ...job,
  createdAt: '2026-01-01T09:00:00Z',
  createdBy: null,
  expiresIn: 3600,
  isInteractive: true,
  vendorBasedBookkeeping: false,
  numberOfItems: 2,
  expiredAt: null,
  lastUpdatedAt: null,
  failureReason: null,
  failureReasonType: null,
}));
const EXAMPLE_ITEMS = ['5d1f3a0e-6b7c-4d8e-9f01-2a3b4c5d6e01', '5d1f3a0e-6b7c-4d8e-9f01-2a3b4c5d6e02'].map((accountingEntryId) => ({
  exportJobId: EXAMPLE_JOBS[0]?.id,
  accountingEntryId,
  status: 'pending',
  externalId: null,
  externalUrl: null,
  failureReasonType: null,
  failureReason: null,
  exportedAt: null,
}));
const EXAMPLE_PAGINATION = {
  hasPreviousPage: false,
  hasNextPage: true,
  currentRequestPagination: { parameters: {}, sortingKeys: [], sortingOrder: [] },
  startCursor: 'AAAAAAAAAAAAAAAAAAAA=AAAAAAAAAAAAAAAAAAAAAAAAAA',
  endCursor: 'AAAAAAAAAAAAAAAAAAAA=BBBBBBBBBBBBBBBBBBBBBBBBBB',
  total: 2,
};

/** A generic spec-only mock: examples for every operation, no state, no validation. */
async function startExampleMock(): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.get('/v3/export-jobs', () => ({ data: EXAMPLE_JOBS, pagination: EXAMPLE_PAGINATION }));
  app.get('/v3/export-jobs/:jobId', () => ({ data: EXAMPLE_JOBS[0] }));
  app.get('/v3/export-jobs/:jobId/items', () => ({ data: EXAMPLE_ITEMS, pagination: EXAMPLE_PAGINATION }));
  app.post('/v3/export-jobs', async (_request, reply) => reply.code(201).send({ data: EXAMPLE_JOBS[0] }));
  app.put('/v3/export-jobs/:jobId/items', () => ({ data: EXAMPLE_ITEMS, errors: [] }));
  app.post('/v3/export-job-events', async (_request, reply) => reply.code(202).send());
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

describe('against a generic spec-only mock', () => {
  let example: { app: FastifyInstance; url: string };
  beforeAll(async () => {
    example = await startExampleMock();
  });
  afterAll(() => example.app.close());

  it('completes, and fails the stateful checks with evidence naming the requests', async () => {
    const report = await runServerContract({ baseUrl: example.url, allowWrites: true });
    expect(report.passed).toBe(false);
    expect(statuses(report, 'read-only')).toEqual({
      reachable: 'passed',
      'paging-consistent': 'failed',
      'filters-correct': 'failed',
      'not-found-shape': 'failed',
      'bad-request-shape': 'failed',
      // Every answer is a valid example: the spec alone cannot tell this mock from the real thing.
      'responses-match-spec': 'passed',
    });
    expect(statuses(report, 'writes')).toEqual({
      'job-created': 'failed',
      'item-cap': 'failed',
      'per-item-errors': 'failed',
      'event-transitions': 'failed',
      'responses-match-spec': 'passed',
    });
    for (const check of report.scenarios.flatMap((scenario) => scenario.checks).filter((result) => result.status === 'failed')) {
      expect(check.evidence.length, check.name).toBeGreaterThan(0);
      for (const evidence of check.evidence) {
        expect(evidence.requests.length, `${check.name}: ${evidence.problem}`).toBeGreaterThan(0);
        expect(evidence.problem).toMatch(/\S/);
        expect(evidence.expected).toMatch(/\S/);
        for (const request of evidence.requests) expect(request.url).toMatch(/^\/v3\//);
      }
    }
    const paging = checkOf(report, 'read-only', 'paging-consistent');
    expect(paging.evidence.map((evidence) => evidence.problem).join('\n')).toMatch(/loop forever/);
    const notFound = checkOf(report, 'read-only', 'not-found-shape').evidence[0];
    expect(notFound?.problem).toMatch(/^GET \/v3\/export-jobs\/[0-9a-f-]{36} answered 200$/);
    expect(notFound?.requests[0]).toMatchObject({ method: 'GET', status: 200 });
    const itemCap = checkOf(report, 'writes', 'item-cap').evidence[0];
    expect(itemCap?.requests[0]).toMatchObject({ method: 'PUT', status: 200 });
    expect(itemCap?.expected).toMatch(/413 EXPORT_JOB_ITEMS_UPDATE_LIMIT/);
  });
});

describe('against a server that misbehaves on the wire', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = Fastify({ logger: false, forceCloseConnections: true });
    // One job whose items never come, and job look-ups answered with HTML.
    app.get('/v3/export-jobs', () => ({ data: [EXAMPLE_JOBS[0]], pagination: { ...EXAMPLE_PAGINATION, hasNextPage: false, total: 1 } }));
    app.get('/v3/export-jobs/:jobId/items', () => new Promise<never>(() => undefined));
    app.get('/v3/export-jobs/:jobId', async (_request, reply) => reply.type('text/html').send('<html><body>Not here</body></html>'));
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('reports a timeout and a body that is not JSON as failures with evidence, and throws nothing', async () => {
    const report = await runServerContract({ baseUrl: url, timeoutMs: 300 });
    const paging = checkOf(report, 'read-only', 'paging-consistent');
    expect(paging.status).toBe('failed');
    expect(paging.evidence[0]?.problem).toMatch(/items\?limit=20 got no answer: timed out after 300 ms$/);
    expect(paging.evidence[0]?.requests[0]).toMatchObject({ method: 'GET', status: 0, response: 'timed out after 300 ms' });
    const notFound = checkOf(report, 'read-only', 'not-found-shape');
    expect(notFound.evidence[0]?.problem).toMatch(/answered 200 with a body that is not JSON$/);
    const spec = checkOf(report, 'read-only', 'responses-match-spec');
    expect(spec.status).toBe('failed');
    expect(spec.evidence.map((evidence) => evidence.problem).join('\n')).toMatch(/content-type is 'text\/html.*the body is not JSON/);
  });
});

describe('against a mock that refuses the credential', () => {
  it('fails reachable on the 401 and skips the rest', async () => {
    const mock = await createMockServer({ frozenClock: true, auth: 'wellformed' });
    try {
      const report = await runServerContract({ baseUrl: mock.url });
      expect(checkOf(report, 'read-only', 'reachable')).toMatchObject({ status: 'failed', evidence: [{ requests: [{ status: 401 }] }] });
      expect(checkOf(report, 'read-only', 'paging-consistent')).toMatchObject({ status: 'skipped', skippedBecause: expect.stringMatching(/refused the credential with 401/) as unknown });
    } finally {
      await mock.close();
    }
  });
});

describe('against a port where nothing listens', () => {
  it('fails reachable, skips the rest, and throws nothing', async () => {
    const port = await closedPort();
    const report = await runServerContract({ baseUrl: `http://127.0.0.1:${port}`, allowWrites: true, timeoutMs: 2000 });
    expect(report.passed).toBe(false);
    const reachable = checkOf(report, 'read-only', 'reachable');
    expect(reachable.status).toBe('failed');
    expect(reachable.evidence[0]?.problem).toMatch(/ECONNREFUSED/);
    expect(reachable.evidence[0]?.requests[0]).toMatchObject({ method: 'GET', url: '/v3/export-jobs?limit=5', status: 0 });
    const others = report.scenarios.flatMap((scenario) => scenario.checks).filter((check) => check.name !== 'reachable');
    expect(others.length).toBeGreaterThan(5);
    for (const check of others) expect(check, check.name).toMatchObject({ status: 'skipped', skippedBecause: expect.stringMatching(/could not be reached/) as unknown });
  });
});

/** A port that was free a moment ago and is closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
