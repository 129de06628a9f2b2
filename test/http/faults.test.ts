/**
 * Faults as a client sees them on the wire: statuses with ExceptionInfo and Retry-After, latency,
 * dropped connections, cut-off bodies, the rate limit, a per-request header, and a seeded random
 * schedule that replays identically. Requests to faulted operations go through raw undici where
 * the response is not a normal one (reset, truncate).
 */
import { describe, expect, it } from 'vitest';
import { request as undiciRequest } from 'undici';
import { startMock, type TestMock } from '../support/mock.js';
import type { ExceptionInfo, Page, WireJob } from './http-helpers.js';

interface Journal {
  readonly data: { readonly operationId: string | null; readonly status: number; readonly fault: string | null }[];
}

async function withMock<T>(options: Parameters<typeof startMock>[0], run: (mock: TestMock) => Promise<T>): Promise<T> {
  const mock = await startMock(options);
  try {
    return await run(mock);
  } finally {
    await mock.close();
  }
}

describe('fault rules', () => {
  it('fail exactly the nth matching request with the configured status, and say so in the journal', async () => {
    await withMock({ faults: [{ operationId: 'getExportJobsListV3', when: { kind: 'nth', n: 2 }, action: { kind: 'status', status: 503 } }] }, async (mock) => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await mock.client.get('/v3/export-jobs')).status);
      expect(statuses).toEqual([200, 503, 200, 200]);
      const failed = await mock.client.get<ExceptionInfo>('/v3/export-jobs', { headers: { 'x-mock-fault': '503' } });
      expect([failed.status, failed.body.type]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      const journal = await mock.client.get<Journal>('/__admin/requests');
      expect(journal.body.data.map((e) => [e.status, e.fault])).toEqual([
        [200, null],
        [503, 'status 503 (rule 1)'],
        [200, null],
        [200, null],
        [503, 'status 503 (x-mock-fault header)'],
      ]);
    });
  });

  it('answer 429 with Retry-After, and change no state when they fail a write', async () => {
    await withMock({}, async (mock) => {
      const set = await mock.client.put('/__admin/faults', { rules: [{ operationId: 'createExportJobEventV3', action: { kind: 'status', status: 429, retryAfterSeconds: 3 } }] });
      expect(set.status).toBe(200);
      const job = (await mock.client.get<Page<WireJob>>('/v3/export-jobs?statuses=pending&limit=1')).body.data[0];
      if (job === undefined) throw new Error('no pending job');
      const refused = await mock.client.post<ExceptionInfo>('/v3/export-job-events', { jobId: job.id, event: 'started' });
      expect([refused.status, refused.body.type, refused.headers['retry-after']]).toEqual([429, 'RATE_LIMITED', '3']);
      const journal = await mock.client.get<{ data: { status: number; responseHeaders: Record<string, string> }[] }>('/__admin/requests?operationId=createExportJobEventV3');
      expect(journal.body.data.map((entry) => [entry.status, entry.responseHeaders['retry-after']])).toEqual([[429, '3']]);
      expect((await mock.client.get<{ data: WireJob }>(`/v3/export-jobs/${job.id}`)).body.data.status).toBe('pending');
      expect((await mock.client.request('DELETE', '/__admin/faults')).status).toBe(204);
      expect((await mock.client.post('/v3/export-job-events', { jobId: job.id, event: 'started' })).status).toBe(202);
    });
  });

  it('drop the connection (reset) or cut the body off mid-way (truncate)', async () => {
    await withMock({ faults: [{ operationId: 'getExportJobByIdV3', when: { kind: 'always' }, action: { kind: 'reset' } }] }, async (mock) => {
      const job = (await mock.client.get<Page<WireJob>>('/v3/export-jobs?limit=1')).body.data[0];
      if (job === undefined) throw new Error('no job');
      await expect(undiciRequest(`${mock.server.url}/v3/export-jobs/${job.id}`)).rejects.toThrow();
      const truncated = await undiciRequest(`${mock.server.url}/v3/export-jobs?limit=5`, { headers: { 'x-mock-fault': 'truncate' } });
      expect(truncated.statusCode).toBe(200);
      await expect(truncated.body.text()).rejects.toThrow();
      const journal = await mock.client.get<Journal>('/__admin/requests');
      expect(journal.body.data.slice(-2).map((e) => [e.operationId, e.status, e.fault])).toEqual([
        ['getExportJobByIdV3', 0, 'reset (rule 1)'],
        ['getExportJobsListV3', 200, 'truncate (x-mock-fault header)'],
      ]);
    });
  });

  it('add latency and then answer normally', async () => {
    await withMock({ faults: [{ operationId: '*', when: { kind: 'firstN', n: 1 }, action: { kind: 'latency', ms: 50 } }] }, async (mock) => {
      expect((await mock.client.get('/v3/export-jobs')).status).toBe(200);
      const journal = await mock.client.get<Journal>('/__admin/requests');
      expect(journal.body.data[0]?.fault).toBe('latency 50ms (rule 1)');
    });
  });

  it('replay a seeded random schedule identically', async () => {
    const rule = { operationId: '*', when: { kind: 'probability', p: 0.3, seed: 99 }, action: { kind: 'status', status: 500 } } as const;
    const run = () =>
      withMock({ faults: [rule] }, async (mock) => {
        const statuses: number[] = [];
        for (let i = 0; i < 30; i++) statuses.push((await mock.client.get('/v3/export-jobs?limit=1')).status);
        return statuses;
      });
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((status) => status === 500).length).toBeGreaterThan(0);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(0);
  });

  it('refuse a malformed rule, naming it, and a malformed fault header', async () => {
    await withMock({}, async (mock) => {
      const refused = await mock.client.put<ExceptionInfo>('/__admin/faults', { rules: [{ action: { kind: 'status', status: 503 } }, { when: { kind: 'nth', n: 0 }, action: { kind: 'reset' } }] });
      expect([refused.status, refused.body.type]).toEqual([400, 'INVALID_REQUEST_BODY']);
      expect(refused.body.message).toMatch(/rules\[1\]\.when/);
      const header = await mock.client.get<ExceptionInfo>('/v3/export-jobs', { headers: { 'x-mock-fault': '418' } });
      expect([header.status, header.body.type]).toEqual([400, 'INVALID_PARAMETER']);
      expect(header.body.message).toMatch(/^x-mock-fault: /);
    });
  });
});

describe('the rate limit', () => {
  it('answers 429 with Retry-After beyond the limit, per tenant', async () => {
    let now = 1_000_000;
    await withMock({ rateLimitPerMinute: 3, wallClock: () => now }, async (mock) => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await mock.client.get('/v3/export-jobs?limit=1')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await mock.client.get<ExceptionInfo>('/v3/export-jobs?limit=1');
      expect(limited.body.type).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await mock.client.get('/v3/export-jobs?limit=1', { headers: { authorization: 'Bearer other' } })).status).toBe(200);
      now += Number(limited.headers['retry-after']) * 1000;
      expect((await mock.client.get('/v3/export-jobs?limit=1')).status).toBe(200);
    });
  });
});
