/**
 * The job-created webhook as a receiver sees it (signature checked with an HMAC computed here,
 * independently of the server's code), and the v2 family of operations over the same store.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type TestMock } from '../support/mock.js';
import { walkForward, withQuery, type DataResponse, type ExceptionInfo, type ItemUpdateResponse, type Page, type WireItem, type WireJob } from './http-helpers.js';

const SECRET_KEY = Buffer.from('a test signing key, 32 bytes!!!!');
const SECRET = `whsec_${SECRET_KEY.toString('base64')}`;

describe('the v1.export-job.created webhook', () => {
  it('reaches a local listener, signed so that a Standard Webhooks receiver accepts it', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const listener = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.statusCode = 204;
        response.end();
      });
    });
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const address = listener.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const mock = await startMock({ webhookUrl: `http://127.0.0.1:${port}/pleo`, webhookSecret: SECRET, wallClock: () => 1_767_603_600_000 });
    try {
      const created = await mock.client.post<DataResponse<WireJob>>('/v3/export-jobs', {
        companyId: 'abcdef01-2345-4678-89ab-cdef01234567',
        accountingEntryIds: ['11111111-2222-4333-8444-555555555501'],
      });
      expect(created.status).toBe(201);
      for (let wait = 0; received.length === 0 && wait < 200; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
      const [delivery] = received;
      if (delivery === undefined) throw new Error('no webhook arrived');
      const id = String(delivery.headers['webhook-id']);
      const timestamp = String(delivery.headers['webhook-timestamp']);
      expect(timestamp).toBe('1767603600');
      const expected = createHmac('sha256', SECRET_KEY).update(`${id}.${timestamp}.${delivery.body}`).digest('base64');
      expect(delivery.headers['webhook-signature']).toBe(`v1,${expected}`);
      const job = created.body.data;
      expect(JSON.parse(delivery.body)).toEqual({
        payload: {
          data: { id: job.id, companyId: job.companyId, createdAt: job.createdAt, createdBy: null, expiresIn: 3600, numberOfItems: 1, status: 'pending' },
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
          eventType: 'v1.export-job.created',
        },
      });
    } finally {
      await mock.close();
      listener.close();
    }
  });

  it('never breaks the API call when the receiver is unreachable', async () => {
    const mock = await startMock({ webhookUrl: 'http://127.0.0.1:9/unreachable' });
    try {
      const created = await mock.client.post<DataResponse<WireJob>>('/v3/export-jobs', {
        companyId: 'abcdef01-2345-4678-89ab-cdef01234567',
        accountingEntryIds: ['11111111-2222-4333-8444-555555555501'],
      });
      expect(created.status).toBe(201);
    } finally {
      await mock.close();
    }
  });
});

describe('the v2 family', () => {
  let mock: TestMock;
  let job: WireJob;
  beforeAll(async () => {
    mock = await startMock({ seed: 21 });
    const pending = (await mock.client.get<Page<WireJob>>(withQuery('/v2/export-jobs', { statuses: 'pending', limit: 1 }))).body.data[0];
    if (pending === undefined) throw new Error('no pending job');
    job = pending;
  });
  afterAll(() => mock.close());

  it('lists jobs and items like v3, over the same store', async () => {
    const v2 = await mock.client.get<Page<WireJob>>('/v2/export-jobs');
    const v3 = await mock.client.get<Page<WireJob>>('/v3/export-jobs');
    expect(v2.body.data.map((j) => j.id)).toEqual(v3.body.data.map((j) => j.id));
    const v2Items = (await walkForward<WireItem>(mock.client, `/v2/export-jobs/${job.id}/items`, { limit: 50 })).flatMap((page) => page.data);
    expect(v2Items).toHaveLength(job.numberOfItems);
  });

  it('runs the lifecycle through v2 events, item updates and export items', async () => {
    expect((await mock.client.post('/v2/export-job-events', { jobId: job.id, event: 'started' })).status).toBe(202);
    const page = await mock.client.get<Page<{ accountingEntryId: string }>>(withQuery('/v2/export-items', { job_id: job.id, limit: 3 }));
    expect(page.body.data).toHaveLength(3);
    expect(page.body.pagination.currentRequestPagination.parameters).toEqual({ job_id: [job.id] });
    const entry = page.body.data[0]?.accountingEntryId ?? '';
    const updated = await mock.client.put<ItemUpdateResponse>(`/v2/export-jobs/${job.id}/items`, [{ accountingEntryId: entry, status: 'successful' }]);
    expect(updated.body.data).toEqual([expect.objectContaining({ accountingEntryId: entry, status: 'successful' })]);
    // v2's item failure reasons lack v3's *_unknown values: the spec refuses them.
    const refused = await mock.client.put<ExceptionInfo>(`/v2/export-jobs/${job.id}/items`, [{ accountingEntryId: entry, status: 'failed', failureReasonType: 'vendor_unknown' }]);
    expect([refused.status, refused.body.type]).toEqual([400, 'INVALID_REQUEST_BODY']);
    expect(refused.body.message).toMatch(/body\[0\]\.failureReasonType: 'vendor_unknown' is not one of/);
    expect((await mock.client.post('/v2/export-job-events', { jobId: job.id, event: 'completed' })).status).toBe(202);
    const done = await mock.client.get<DataResponse<WireJob>>(`/v2/export-jobs/${job.id}`);
    expect(done.body.data.status).toBe('completed');
  });
});
