/**
 * Every credential is its own sandbox: state, clock and reset are per tenant, so parallel test
 * workers sharing one server never see each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type TestMock } from '../support/mock.js';
import { withQuery, type DataResponse, type Page, type WireJob } from './http-helpers.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const apiKey = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

let mock: TestMock;
let pending: WireJob;
beforeAll(async () => {
  mock = await startMock({ seed: 31 });
  const first = (await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { statuses: 'pending', limit: 1 }))).body.data[0];
  if (first === undefined) throw new Error('no pending job');
  pending = first;
});
afterAll(() => mock.close());

async function statusFor(headers: Record<string, string>): Promise<string> {
  return (await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${pending.id}`, { headers })).body.data.status;
}

describe('tenants', () => {
  it('keep parallel clients with different credentials apart, each seeing only its own changes', async () => {
    const workers = Array.from({ length: 6 }, (_, index) => `worker-${index}`);
    await Promise.all(
      workers.map(async (worker, index) => {
        const headers = bearer(worker);
        const event = index % 2 === 0 ? 'started' : 'failed';
        expect((await mock.client.post('/v3/export-job-events', { jobId: pending.id, event }, { headers })).status).toBe(202);
      }),
    );
    const statuses = await Promise.all(workers.map((worker) => statusFor(bearer(worker))));
    expect(statuses).toEqual(workers.map((_, index) => (index % 2 === 0 ? 'in_progress' : 'failed')));
    expect(await statusFor({})).toBe('pending');
    expect(await statusFor(bearer('someone-else'))).toBe('pending');
  });

  it('treat a bearer token and the same API key as one tenant', async () => {
    await mock.client.post('/v3/export-job-events', { jobId: pending.id, event: 'started' }, { headers: apiKey('shared-key') });
    expect(await statusFor(bearer('shared-key'))).toBe('in_progress');
  });

  it('give each tenant its own clock', async () => {
    const moved = await mock.client.post<{ now: string }>('/__admin/clock', { advanceSeconds: 7200 }, { headers: bearer('time-traveller') });
    const other = await mock.client.get<{ now: string }>('/__admin/clock', { headers: bearer('stay-at-home') });
    expect(Date.parse(moved.body.now) - Date.parse(other.body.now)).toBe(7_200_000);
    // Two hours on, the traveller's active jobs have expired; nobody else's have.
    expect(await statusFor(bearer('time-traveller'))).toBe('failed');
    expect(await statusFor(bearer('stay-at-home'))).toBe('pending');
  });

  it('reset only the calling tenant, back to the startup state and time', async () => {
    await mock.client.post('/v3/export-job-events', { jobId: pending.id, event: 'started' }, { headers: bearer('resetter') });
    await mock.client.post('/v3/export-job-events', { jobId: pending.id, event: 'started' }, { headers: bearer('bystander') });
    await mock.client.post('/__admin/clock', { advanceSeconds: 60 }, { headers: bearer('resetter') });
    const reset = await mock.client.post('/__admin/reset', undefined, { headers: bearer('resetter') });
    expect(reset.status).toBe(204);
    expect(await statusFor(bearer('resetter'))).toBe('pending');
    expect(await statusFor(bearer('bystander'))).toBe('in_progress');
    const clock = await mock.client.get<{ now: string }>('/__admin/clock', { headers: bearer('resetter') });
    expect(clock.body.now).toBe('2026-01-05T09:00:00Z');
  });
});
