/**
 * Same seed, same bytes: two servers started with one seed answer identical bodies for every GET
 * operation; another seed answers other data. And the default scenario's promised shape, checked
 * over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type TestMock } from '../support/mock.js';
import { UNKNOWN_UUID, walkForward, withQuery, type Page, type WireItem, type WireJob } from './http-helpers.js';

const JOB_STATUSES = ['pending', 'in_progress', 'failed', 'completed', 'completed_with_errors'] as const;

let first: TestMock;
let second: TestMock;
let other: TestMock;
let fallback: TestMock;

beforeAll(async () => {
  [first, second, other, fallback] = await Promise.all([startMock({ seed: 7 }), startMock({ seed: 7 }), startMock({ seed: 8 }), startMock()]);
});
afterAll(async () => {
  await Promise.all([first, second, other, fallback].map((mock) => mock.close()));
});

async function allJobs(mock: TestMock): Promise<WireJob[]> {
  const pages = await walkForward<WireJob>(mock.client, '/v3/export-jobs', { limit: 100 });
  return pages.flatMap((page) => page.data);
}

function pick(jobs: readonly WireJob[], predicate: (job: WireJob) => boolean, what: string): WireJob {
  const job = jobs.find(predicate);
  if (job === undefined) throw new Error(`no ${what}`);
  return job;
}

/** Requests covering every GET operation, built from the first server's ids. */
async function requestsFor(mock: TestMock): Promise<string[]> {
  const jobs = await allJobs(mock);
  const big = pick(jobs, (job) => job.status === 'pending' && job.numberOfItems > 150, 'big pending job');
  const running = pick(jobs, (job) => job.status === 'in_progress', 'in_progress job');
  const failed = pick(jobs, (job) => job.status === 'failed', 'failed job');
  const itemsPage = await mock.client.get<Page<WireItem>>(withQuery(`/v3/export-jobs/${big.id}/items`, { limit: 10 }));
  const next = itemsPage.body.pagination.endCursor;
  if (next === undefined) throw new Error('no endCursor on the first items page');
  return [
    '/v3/export-jobs',
    withQuery('/v3/export-jobs', { limit: 3 }),
    withQuery('/v3/export-jobs', { limit: 3, offset: 2 }),
    withQuery('/v3/export-jobs', { statuses: ['pending', 'in_progress'] }),
    withQuery('/v3/export-jobs', { company_id: big.companyId, sorting_keys: 'status', sorting_order: 'DESC' }),
    withQuery('/v3/export-jobs', { sorting_keys: ['startedAt', 'numberOfItems'], sorting_order: ['ASC_NULLS_FIRST', 'DESC'], limit: 5 }),
    `/v3/export-jobs/${big.id}`,
    `/v3/export-jobs/${failed.id}`,
    `/v2/export-jobs/${running.id}`,
    `/v2/export-jobs/${failed.id}`,
    withQuery(`/v3/export-jobs/${big.id}/items`, { limit: 10 }),
    withQuery(`/v3/export-jobs/${big.id}/items`, { limit: 10, after: next }),
    withQuery(`/v3/export-jobs/${running.id}/items`, { status: 'successful', limit: 5 }),
    withQuery(`/v3/export-jobs/${running.id}/items`, { sorting_keys: 'exportedAt', sorting_order: 'DESC', limit: 50 }),
    `/v3/export-jobs/${UNKNOWN_UUID}`,
  ];
}

describe('determinism', () => {
  it('two servers started with the same seed answer byte-identical bodies for every GET operation', async () => {
    const paths = await requestsFor(first);
    expect(paths).toHaveLength(15);
    for (const path of paths) {
      const a = await first.client.get(path);
      const b = await second.client.get(path);
      expect(b.status, path).toBe(a.status);
      expect(b.text, path).toBe(a.text);
      expect(a.text.length, path).toBeGreaterThan(20);
    }
  });

  it('a different seed answers different data: other jobs, other companies', async () => {
    const a = await first.client.get('/v3/export-jobs');
    const c = await other.client.get('/v3/export-jobs');
    expect(c.text).not.toBe(a.text);
    const jobsA = await allJobs(first);
    const jobsC = await allJobs(other);
    const idsA = new Set(jobsA.map((job) => job.id));
    expect(jobsC.filter((job) => idsA.has(job.id))).toEqual([]);
    const companiesA = new Set(jobsA.map((job) => job.companyId));
    expect(jobsC.filter((job) => companiesA.has(job.companyId))).toEqual([]);
  });

  it('omitting the seed is the same as the documented default seed (42)', async () => {
    const explicit = await startMock({ seed: 42 });
    try {
      const a = await fallback.client.get('/v3/export-jobs?limit=100');
      const b = await explicit.client.get('/v3/export-jobs?limit=100');
      expect(b.text).toBe(a.text);
    } finally {
      await explicit.close();
    }
  });
});

describe('the default scenario, seen over HTTP', () => {
  const servers: readonly [string, () => TestMock][] = [
    ['the default seed', () => fallback],
    ['seed 7', () => first],
    ['seed 8', () => other],
  ];

  it.each(servers)('has at least two companies (%s)', async (_name, server) => {
    const jobs = await allJobs(server());
    expect(new Set(jobs.map((job) => job.companyId)).size).toBeGreaterThanOrEqual(2);
  });

  it.each(servers)('has a job of every status (%s)', async (_name, server) => {
    for (const status of JOB_STATUSES) {
      const response = await server().client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { statuses: status, limit: 1 }));
      expect(response.body.pagination.total, status).toBeGreaterThanOrEqual(1);
      expect(response.body.data[0]?.status).toBe(status);
    }
  });

  it.each(servers)('has at most one pending-or-in_progress job per company (%s)', async (_name, server) => {
    const pages = await walkForward<WireJob>(server().client, '/v3/export-jobs', { statuses: ['pending', 'in_progress'], limit: 100 });
    const active = pages.flatMap((page) => page.data);
    expect(active.length).toBeGreaterThanOrEqual(2);
    const perCompany = new Map<string, number>();
    for (const job of active) perCompany.set(job.companyId, (perCompany.get(job.companyId) ?? 0) + 1);
    expect([...perCompany.values()].every((count) => count === 1)).toBe(true);
  });

  it.each(servers)('has a pending job with more than 150 items, all listed (%s)', async (_name, server) => {
    const pages = await walkForward<WireJob>(server().client, '/v3/export-jobs', { statuses: 'pending', limit: 100 });
    const big = pages.flatMap((page) => page.data).find((job) => job.numberOfItems > 150);
    if (big === undefined) throw new Error('no pending job with more than 150 items');
    const items = await server().client.get<Page<WireItem>>(withQuery(`/v3/export-jobs/${big.id}/items`, { limit: 0 }));
    expect(items.body.pagination.total).toBe(big.numberOfItems);
    const pending = await server().client.get<Page<WireItem>>(withQuery(`/v3/export-jobs/${big.id}/items`, { status: 'pending', limit: 0 }));
    expect(pending.body.pagination.total).toBe(big.numberOfItems);
  });
});
