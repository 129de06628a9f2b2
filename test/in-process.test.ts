/**
 * The in-process API as the README shows it: import the package's entry, start a mock inside the
 * test process, drive it over HTTP and steer it with the typed admin helpers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, MockAdminError, type InProcessMockServer } from '../src/index.js';

let mock: InProcessMockServer;
beforeAll(async () => {
  mock = await createMockServer({ seed: 7, frozenClock: true });
});
afterAll(() => mock.close());

interface JobsPage {
  readonly data: readonly { readonly id: string; readonly status: string }[];
}

const asWorker = { authorization: 'Bearer worker-1' };

describe('createMockServer', () => {
  it('listens on 127.0.0.1 and a free port', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('steers a tenant through its admin helpers: faults, journal, clock, reset', async () => {
    const admin = mock.admin('worker-1');
    await admin.setFaults({ rules: [{ operationId: 'getExportJobsListV3', when: { kind: 'nth', n: 1 }, action: { kind: 'status', status: 503 } }] });
    expect((await fetch(`${mock.url}/v3/export-jobs`, { headers: asWorker })).status).toBe(503);
    const page = (await (await fetch(`${mock.url}/v3/export-jobs?statuses=pending`, { headers: asWorker })).json()) as JobsPage;
    const job = page.data[0];
    if (job === undefined) throw new Error('no pending job');
    const journal = await admin.requests({ operationId: 'getExportJobsListV3' });
    expect(journal.data.map((entry) => [entry.status, entry.fault])).toEqual([[503, 'status 503 (rule 1)'], [200, null]]);
    expect((await mock.admin().requests()).data).toEqual([]);

    await admin.advanceClock(2 * 3600);
    const expired = (await (await fetch(`${mock.url}/v3/export-jobs/${job.id}`, { headers: asWorker })).json()) as { data: { status: string } };
    expect(expired.data.status).toBe('failed');

    await admin.reset();
    expect((await admin.clock()).now).toBe('2026-01-05T09:00:00Z');
    expect(await admin.faults()).toEqual({ rules: [], rateLimitPerMinute: null });
    const again = (await (await fetch(`${mock.url}/v3/export-jobs/${job.id}`, { headers: asWorker })).json()) as { data: { status: string } };
    expect(again.data.status).toBe('pending');
  });

  it('loads a fixture document into a tenant, as the README shows, and reads the state back', async () => {
    const admin = mock.admin('worker-2');
    const jobId = '0b5e55ed-0000-4000-8000-000000000001';
    const loaded = await admin.loadState({ jobs: [{ id: jobId, status: 'in_progress', itemCount: 250 }] });
    expect(loaded.jobs?.map((job) => [job.id, job.status, job.itemCount])).toEqual([[jobId, 'in_progress', 250]]);
    const job = (await (await fetch(`${mock.url}/v3/export-jobs/${jobId}`, { headers: { authorization: 'Bearer worker-2' } })).json()) as { data: { numberOfItems: number } };
    expect(job.data.numberOfItems).toBe(250);
    expect(await admin.state()).toEqual(loaded);
    expect((await mock.admin().state()).jobs?.some((candidate) => candidate.id === jobId)).toBe(false);
    const refused: unknown = await admin.loadState({ jobs: [{ status: 'done' as 'pending' }] }).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ status: 400, type: 'INVALID_REQUEST_BODY' });
  });

  it('throws MockAdminError with the mock\'s ExceptionInfo when an admin call is refused', async () => {
    const error: unknown = await mock.admin().moveClockTo('2001-01-01T00:00:00Z').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MockAdminError);
    expect(error).toMatchObject({ status: 400, type: 'INVALID_REQUEST_BODY' });
  });

  it('gives in-process code the default tenant\'s store and clock', () => {
    expect(mock.store.snapshot().jobs.length).toBeGreaterThan(0);
    expect(mock.clock.now()).toBe(Date.UTC(2026, 0, 5, 9, 0, 0));
  });
});
