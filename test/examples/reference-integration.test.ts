/**
 * The reference integration (`examples/reference-integration.mjs`) against an in-process mock:
 * it exports the default scenario, works a queue oldest first, leaves an empty queue untouched,
 * fails a job whose contra accounts are missing, and rides out 429s, 5xx and dropped connections.
 * Each test uses its own token, so its own tenant; the mock clamps pages to 50 rows, as the
 * contract suite does, so the client must follow cursors.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobFailure, runExport } from '../../examples/reference-integration.mjs';
import { createMockServer, type FixtureDocument, type InProcessMockServer, type JournalEntryView } from '../../src/index.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/reference-integration.mjs', import.meta.url));
const FINISHED = ['completed', 'completed_with_errors', 'failed'];
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

let mock: InProcessMockServer;
beforeAll(async () => {
  mock = await createMockServer({ maxPageSize: 50, frozenClock: true });
});
afterAll(() => mock.close());

/** Runs the integration in-process for a tenant; its log lines are kept for failure messages. */
async function run(token: string) {
  const lines: string[] = [];
  const result = await runExport({ baseUrl: mock.url, token, log: (line) => lines.push(line) });
  return { ...result, lines };
}

/** The jobs of a state that were pending or in_progress. */
function activeJobs(state: FixtureDocument) {
  return (state.jobs ?? []).filter((job) => job.status === 'pending' || job.status === 'in_progress');
}

function eventsOf(journal: readonly JournalEntryView[]) {
  return journal
    .filter((entry) => entry.operationId === 'createExportJobEventV3' && entry.status === 202)
    .map((entry) => entry.body as { jobId: string; event: string });
}

/** Every active job of `before` is finished in the tenant's state, with only results as items. */
async function expectAllFinished(token: string, before: FixtureDocument) {
  const after = await mock.admin(token).state({ explicitItems: true });
  for (const job of activeJobs(before)) {
    const now = after.jobs?.find((candidate) => candidate.id === job.id);
    expect(now?.status, `job ${String(job.id)}`).toBeOneOf(FINISHED);
    for (const item of now?.items ?? []) expect(item.status).toBeOneOf(['successful', 'failed']);
  }
  return after;
}

describe('the reference integration', () => {
  it('exports the default scenario: resumes the in_progress job without started, batches of at most 100', async () => {
    const admin = mock.admin('ref-default');
    const before = await admin.state();
    const active = activeJobs(before);
    expect(active.map((job) => job.status).sort()).toEqual(['in_progress', 'pending']);

    await run('ref-default');

    const after = await expectAllFinished('ref-default', before);
    expect(after.jobs?.filter((job) => active.some((a) => a.id === job.id)).map((job) => job.status)).toEqual(['completed', 'completed']);
    const { data: journal } = await admin.requests();
    const puts = journal.filter((entry) => entry.operationId === 'updateExportJobItemsV3');
    expect(puts.length).toBeGreaterThan(0);
    for (const put of puts) expect((put.body as unknown[]).length).toBeLessThanOrEqual(100);
    const resumed = active.find((job) => job.status === 'in_progress');
    expect(eventsOf(journal).filter((event) => event.jobId === resumed?.id).map((event) => event.event)).toEqual(['completed']);
  });

  it('works a queue of several companies oldest first, finishing each job before claiming the next', async () => {
    const [a, b, c] = ['a0000000-0000-4000-8000-00000000000a', 'b0000000-0000-4000-8000-00000000000b', 'c0000000-0000-4000-8000-00000000000c'];
    const admin = mock.admin('ref-queue');
    const loaded = await admin.loadState({
      companies: [{ id: a }, { id: b }, { id: c }],
      jobs: [
        { companyId: a, createdAt: '2026-01-05T08:50:00Z', itemCount: 3 },
        { companyId: b, createdAt: '2026-01-05T08:40:00Z', itemCount: 60 },
        { companyId: c, createdAt: '2026-01-05T08:45:00Z', itemCount: 2 },
      ],
    });
    const idOf = (company: string) => loaded.jobs?.find((job) => job.companyId === company)?.id;

    await run('ref-queue');

    await expectAllFinished('ref-queue', loaded);
    const events = eventsOf((await admin.requests()).data).map((event) => [event.jobId, event.event]);
    expect(events).toEqual([
      [idOf(b), 'started'], [idOf(b), 'completed'],
      [idOf(c), 'started'], [idOf(c), 'completed'],
      [idOf(a), 'started'], [idOf(a), 'completed'],
    ]);
  });

  it('makes no write request when there is nothing to do', async () => {
    const admin = mock.admin('ref-empty');
    await admin.loadState({ jobs: [] });

    const { jobs } = await run('ref-empty');

    expect(jobs).toEqual([]);
    const { data: journal } = await admin.requests();
    expect(journal.length).toBeGreaterThan(0);
    expect(journal.filter((entry) => WRITES.includes(entry.method))).toEqual([]);
  });

  it('fails a job whose contra accounts are missing, with a reason and no item results', async () => {
    const company = 'd0000000-0000-4000-8000-00000000000d';
    const admin = mock.admin('ref-contra');
    const loaded = await admin.loadState({ companies: [{ id: company, contraAccountsMapped: false }], jobs: [{ companyId: company }] });

    const { jobs } = await run('ref-contra');

    const job = (await admin.state()).jobs?.find((candidate) => candidate.id === loaded.jobs?.[0]?.id);
    expect(job).toMatchObject({ status: 'failed', failureReasonType: 'missing_configuration' });
    expect(job?.failureReason).toMatch(/contra account/i);
    expect(jobs.map((outcome) => outcome.outcome)).toEqual(['failed']);
    expect((await admin.requests({ operationId: 'updateExportJobItemsV3' })).data).toEqual([]);
  });

  it('waits at least Retry-After after each 429, and still completes', async () => {
    const admin = mock.admin('ref-429');
    const loaded = await admin.loadState({ jobs: [{ itemCount: 250 }] });
    await admin.setFaults({
      rules: [{ operationId: 'getExportItemsV3', when: { kind: 'everyNth', n: 3 }, action: { kind: 'status', status: 429, retryAfterSeconds: 1 } }],
    });

    await run('ref-429');

    await expectAllFinished('ref-429', loaded);
    const reads = (await admin.requests({ operationId: 'getExportItemsV3' })).data;
    const limited = reads.flatMap((entry, index) => (entry.status === 429 ? [index] : []));
    expect(limited.length).toBeGreaterThan(0);
    for (const index of limited) {
      const [refused, retry] = [reads[index], reads[index + 1]];
      if (refused === undefined || retry === undefined) throw new Error(`no retry after the 429 at ${index}`);
      expect(Date.parse(retry.wallTime) - Date.parse(refused.wallTime)).toBeGreaterThanOrEqual(1000);
    }
  });

  it('rides out 503s, dropped connections and cut-off bodies, and still finishes every job', async () => {
    const admin = mock.admin('ref-flaky');
    const before = await admin.state();
    await admin.setFaults({
      rules: [
        { operationId: 'getExportJobsListV3', when: { kind: 'everyNth', n: 2 }, action: { kind: 'status', status: 503 } },
        { operationId: 'getExportJobItemsV3', when: { kind: 'everyNth', n: 3 }, action: { kind: 'reset' } },
        { operationId: 'getExportItemsV3', when: { kind: 'everyNth', n: 3 }, action: { kind: 'truncate' } },
        { operationId: 'updateExportJobItemsV3', when: { kind: 'everyNth', n: 2 }, action: { kind: 'reset' } },
        { operationId: 'createExportJobEventV3', when: { kind: 'everyNth', n: 2 }, action: { kind: 'status', status: 502 } },
      ],
    });

    await run('ref-flaky');

    await expectAllFinished('ref-flaky', before);
    const { data: journal } = await admin.requests();
    expect(journal.filter((entry) => entry.fault !== null).length).toBeGreaterThan(3);
  });

  it('fails the whole job when the ERP says nothing of it can be booked, keeping what was reported', async () => {
    const admin = mock.admin('ref-erp-down');
    const loaded = await admin.loadState({ jobs: [{ itemCount: 5 }] });
    let booked = 0;
    const book = () => {
      booked += 1;
      if (booked === 3) throw new JobFailure('accounting_system_authentication_failure', 'The ERP refused our credentials');
      return { externalId: `E-${booked}` };
    };

    const { jobs } = await runExport({ baseUrl: mock.url, token: 'ref-erp-down', log: () => undefined, book });

    expect(jobs).toEqual([{ jobId: loaded.jobs?.[0]?.id, outcome: 'failed', successful: 2, failed: 0 }]);
    const job = (await admin.state({ explicitItems: true })).jobs?.[0];
    expect(job).toMatchObject({ status: 'failed', failureReasonType: 'accounting_system_authentication_failure' });
    expect(job?.items?.map((item) => item.status).sort()).toEqual(['abandoned', 'abandoned', 'abandoned', 'successful', 'successful']);
  });

  it('runs as a command: exit 0, and the pending job of the default scenario is completed', async () => {
    const admin = mock.admin('ref-cli');
    const pending = (await admin.state()).jobs?.find((job) => job.status === 'pending');
    expect(pending).toBeDefined();

    const { code, stderr } = await runCommand({ PLEO_EXPORT_API_URL: mock.url, PLEO_EXPORT_API_TOKEN: 'ref-cli' });

    expect(code, stderr).toBe(0);
    const after = (await admin.state()).jobs?.find((job) => job.id === pending?.id);
    expect(after?.status).toBe('completed');
    const authorizations = new Set((await admin.requests()).data.map((entry) => entry.headers.authorization));
    expect([...authorizations]).toEqual(['Bearer ref-cli']);
  });

  it('gives up after 6 attempts of one request: exit 1, one line naming the request', async () => {
    const admin = mock.admin('ref-down');
    await admin.setFaults({ rules: [{ operationId: 'getExportJobsListV3', when: { kind: 'always' }, action: { kind: 'status', status: 503 } }] });

    const { code, stderr } = await runCommand({ PLEO_EXPORT_API_URL: mock.url, PLEO_EXPORT_API_TOKEN: 'ref-down' });

    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/GET \/v3\/export-jobs: gave up after 6 attempts/);
    expect((await admin.requests()).data.map((entry) => entry.status)).toEqual([503, 503, 503, 503, 503, 503]);
  });

  it('exits 2 with one line when its configuration is missing', async () => {
    const { code, stderr } = await runCommand({ PLEO_EXPORT_API_URL: mock.url });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

/** Runs the example as a process with only `env` (and PATH) set. */
function runCommand(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [EXAMPLE], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 }, (error, _stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr });
    });
  });
}
