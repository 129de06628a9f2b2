/** The request journal shows exactly what a client sent and got, per tenant, bounded. */
import { describe, expect, it } from 'vitest';
import { startMock } from '../support/mock.js';
import { withQuery, type Page, type WireJob } from './http-helpers.js';

interface JournalEntry {
  readonly sequence: number;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string[]>;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly bodyKept: boolean;
  readonly operationId: string | null;
  readonly status: number;
  readonly responseBody: unknown;
  readonly responseBodyKept: boolean;
  readonly fault: string | null;
  readonly wallTime: string;
  readonly responseHeaders: Record<string, string>;
}
interface Journal {
  readonly data: JournalEntry[];
  readonly total: number;
  readonly capacity: number;
  readonly byteBudget: number;
  readonly droppedBodies: number;
}

const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('the request journal', () => {
  it('records exactly the requests sent, newest last, with what they matched and got', async () => {
    // Real time is injected and set before each request: the mock clock is frozen, so only wallTime tells waits apart.
    let wallNow = Date.UTC(2030, 5, 1, 12, 0, 0, 250);
    const mock = await startMock({ seed: 41, wallClock: () => wallNow });
    try {
      const list = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { statuses: ['pending', 'in_progress'], limit: 2 }), as('alice'));
      const job = list.body.data[0];
      if (job === undefined) throw new Error('no active job');
      wallNow += 1250;
      await mock.client.put(`/v3/export-jobs/${job.id}/items`, [{ accountingEntryId: '00000000-0000-4000-8000-000000000001', status: 'successful' }], as('alice'));
      wallNow += 1250;
      await mock.client.get('/v3/export-jobs?limit=-1', as('alice'));
      wallNow += 1250;
      await mock.client.get('/v3/export-nothing', as('alice'));
      await mock.client.get('/__admin/clock', as('alice'));
      const journal = await mock.client.get<Journal>('/__admin/requests', as('alice'));
      expect(journal.body.total).toBe(4);
      expect(journal.body.capacity).toBe(1000);
      expect(journal.body.data.map((e) => [e.sequence, e.method, e.path, e.operationId, e.status])).toEqual([
        [1, 'GET', '/v3/export-jobs', 'getExportJobsListV3', 200],
        [2, 'PUT', `/v3/export-jobs/${job.id}/items`, 'updateExportJobItemsV3', 200],
        [3, 'GET', '/v3/export-jobs', 'getExportJobsListV3', 400],
        [4, 'GET', '/v3/export-nothing', null, 404],
      ]);
      expect(journal.body.data.map((e) => e.wallTime)).toEqual(['2030-06-01T12:00:00.250Z', '2030-06-01T12:00:01.500Z', '2030-06-01T12:00:02.750Z', '2030-06-01T12:00:04.000Z']);
      const [first, put, invalid] = journal.body.data;
      expect(first?.query).toEqual({ statuses: ['pending', 'in_progress'], limit: ['2'] });
      expect(first?.headers.authorization).toBe('Bearer alice');
      expect(first?.responseBody).toEqual(list.body);
      expect(put?.body).toEqual([{ accountingEntryId: '00000000-0000-4000-8000-000000000001', status: 'successful' }]);
      expect(put?.responseBody).toMatchObject({ errors: [{ type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST' }] });
      expect(invalid?.responseBody).toMatchObject({ type: 'INVALID_PARAMETER' });
      expect(first?.responseHeaders['content-type']).toBe('application/json;charset=UTF-8');
      expect(journal.body.data.every((e) => e.fault === null && e.responseBodyKept && e.bodyKept)).toBe(true);
      const filtered = await mock.client.get<Journal>(withQuery('/__admin/requests', { operationId: 'updateExportJobItemsV3' }), as('alice'));
      expect(filtered.body.data.map((e) => e.sequence)).toEqual([2]);
      const others = await mock.client.get<Journal>('/__admin/requests', as('bob'));
      expect(others.body).toEqual({ data: [], total: 0, capacity: 1000, byteBudget: 1024 * 1024, droppedBodies: 0 });
      expect((await mock.client.request('DELETE', '/__admin/requests', as('alice'))).status).toBe(204);
      expect((await mock.client.get<Journal>('/__admin/requests', as('alice'))).body.data).toEqual([]);
    } finally {
      await mock.close();
    }
  });

  it('shows each body as sent: JSON as JSON, a body refused as JSON as its text, non-ASCII intact', async () => {
    const mock = await startMock();
    try {
      const events = [
        ['application/json', '{"jobId":"00000000-0000-4000-8000-000000000009","event":"started","note":"Łódź ✓"}'],
        ['application/json', '{"jobId": "00000000-0000-4000-8000-0000000'],
        ['text/plain', 'started, please'],
      ] as const;
      for (const [type, raw] of events) await mock.client.request('POST', '/v3/export-job-events', { raw, headers: { 'content-type': type } });
      const journal = await mock.client.get<Journal>('/__admin/requests');
      expect(journal.body.data.map((e) => [e.status, e.body, e.bodyKept])).toEqual([
        [404, { jobId: '00000000-0000-4000-8000-000000000009', event: 'started', note: 'Łódź ✓' }, true],
        [400, events[1][1], true],
        [415, events[2][1], true],
      ]);
    } finally {
      await mock.close();
    }
  });

  it('stays bounded: the oldest entries go first, the total still counts them', async () => {
    const mock = await startMock({ journalSize: 3 });
    try {
      for (let limit = 1; limit <= 5; limit++) await mock.client.get(`/v3/export-jobs?limit=${limit}`);
      const journal = await mock.client.get<Journal>('/__admin/requests');
      expect(journal.body.data.map((e) => e.query.limit)).toEqual([['3'], ['4'], ['5']]);
      expect([journal.body.total, journal.body.capacity]).toEqual([5, 3]);
    } finally {
      await mock.close();
    }
  });

  it('keeps bodies within its byte budget: the oldest entries lose theirs first, and say so', async () => {
    // A page of 20 jobs of the default scenario is 5,986 bytes of JSON. In an 18,000-byte budget
    // the fourth page does not fit before the end and starts a new lap (a body is never split);
    // the PUT after the fifth overwrites the third.
    const mock = await startMock({ journalBytes: 18_000 });
    try {
      const pages = [];
      for (let i = 0; i < 5; i++) pages.push((await mock.client.get<Page<WireJob>>('/v3/export-jobs?limit=20')).body);
      const body = [{ accountingEntryId: '00000000-0000-4000-8000-000000000001', status: 'successful' }];
      await mock.client.put(`/v3/export-jobs/${pages[0]?.data[0]?.id ?? ''}/items`, body);
      const journal = await mock.client.get<Journal>('/__admin/requests');
      expect(journal.body.byteBudget).toBe(18_000);
      expect(JSON.stringify(pages[0]).length).toBe(5986);
      expect(journal.body.data.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
      const kept = journal.body.data.map((e) => e.responseBodyKept);
      expect(kept.slice(0, 3)).toEqual([false, false, false]);
      expect(kept.slice(3)).toEqual([true, true, true]);
      expect(journal.body.droppedBodies).toBe(3);
      expect(journal.body.data[0]?.responseBody).toBeNull();
      expect(journal.body.data[4]?.responseBody).toEqual(pages[4]);
      expect(journal.body.data[5]?.body).toEqual(body);
      expect(journal.body.data[5]?.bodyKept).toBe(true);
    } finally {
      await mock.close();
    }
  });
});
