/**
 * PUT /v1/export-jobs/{jobId}/items: results reported per item, read back through the v3 item
 * list (one store behind every version), per-item errors, the 100-item cap, and the refusals for
 * unknown and finished jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord, StateSnapshot } from '../../src/core/model.js';
import { startMock, type TestMock } from '../support/mock.js';
import {
  UNKNOWN_UUID,
  readAllItems,
  wireTime,
  type DataResponse,
  type ExceptionInfo,
  type ItemUpdateResponse,
  type WireItem,
  type WireJob,
} from './http-helpers.js';

/** A distinctive clock start, so "the server clock's time" cannot be confused with a seeded time. */
const START_TIME = Date.UTC(2026, 2, 3, 10, 20, 30);
const CLOCK_TIME = '2026-03-03T10:20:30Z';

let mock: TestMock;
let state: StateSnapshot;
let pendingJob: JobRecord;
let inProgressJob: JobRecord;
/** accountingEntryIds of the big pending job, in creation order; each test takes its own slice. */
let entries: string[];

function jobWith(snapshot: StateSnapshot, predicate: (job: JobRecord) => boolean, what: string): JobRecord {
  const job = snapshot.jobs.find(predicate);
  if (job === undefined) throw new Error(`the seeded state has no ${what}`);
  return job;
}

function entriesOf(snapshot: StateSnapshot, jobId: string, status?: string): string[] {
  return snapshot.items.filter((item) => item.exportJobId === jobId && (status === undefined || item.status === status)).map((item) => item.accountingEntryId);
}

function entry(index: number): string {
  const value = entries[index];
  if (value === undefined) throw new Error(`the pending job has no item ${index}`);
  return value;
}

beforeAll(async () => {
  mock = await startMock({ startTime: START_TIME });
  state = mock.server.store.snapshot();
  pendingJob = jobWith(state, (job) => job.status === 'pending' && job.numberOfItems > 150, 'big pending job');
  inProgressJob = jobWith(state, (job) => job.status === 'in_progress', 'in_progress job');
  entries = entriesOf(state, pendingJob.id);
});
afterAll(() => mock.close());

function put(client: TestMock['client'], jobId: string, body: unknown, contentType?: string): Promise<{ status: number; body: ItemUpdateResponse }> {
  return client.put<ItemUpdateResponse>(`/v1/export-jobs/${jobId}/items`, body, contentType === undefined ? undefined : { headers: { 'content-type': contentType } });
}

async function getJob(client: TestMock['client'], jobId: string): Promise<WireJob> {
  const response = await client.get<DataResponse<WireJob>>(`/v3/export-jobs/${jobId}`);
  expect(response.status).toBe(200);
  return response.body.data;
}

function byEntry(items: readonly WireItem[]): Map<string, WireItem> {
  return new Map(items.map((item) => [item.accountingEntryId, item]));
}

function pendingItem(jobId: string, accountingEntryId: string): WireItem {
  return { exportJobId: jobId, accountingEntryId, status: 'pending', externalId: null, externalUrl: null, failureReasonType: null, failureReason: null, exportedAt: null };
}

describe('PUT /v1/export-jobs/{jobId}/items on an unfinished job', () => {
  it('applies valid entries on a pending job and returns them in request order as v1 ExportJobItems', async () => {
    const before = await readAllItems(mock.client, pendingJob.id);
    const response = await put(mock.client, pendingJob.id, [
      { accountingEntryId: entry(0), status: 'successful', exportedAt: '2026-03-03T10:00:00Z', externalId: 'VER-1001', externalUrl: 'https://erp.example/vouchers/VER-1001' },
      { accountingEntryId: entry(1), status: 'failed', failureReason: 'Account 4000 is blocked for direct posting.', failureReasonType: 'accounting_system_validation_failure' },
      { accountingEntryId: entry(2), status: 'in_progress' },
    ]);
    expect(response.status).toBe(200);
    const expected: WireItem[] = [
      { ...pendingItem(pendingJob.id, entry(0)), status: 'successful', exportedAt: '2026-03-03T10:00:00Z', externalId: 'VER-1001', externalUrl: 'https://erp.example/vouchers/VER-1001' },
      { ...pendingItem(pendingJob.id, entry(1)), status: 'failed', failureReason: 'Account 4000 is blocked for direct posting.', failureReasonType: 'accounting_system_validation_failure' },
      { ...pendingItem(pendingJob.id, entry(2)), status: 'in_progress' },
    ];
    expect(response.body).toEqual({ data: expected, errors: [] });

    // One store behind every version: the v3 item list shows exactly these changes, and nothing else moved.
    const after = await readAllItems(mock.client, pendingJob.id);
    expect(after.map((item) => item.accountingEntryId)).toEqual(before.map((item) => item.accountingEntryId));
    const changed = new Map(expected.map((item) => [item.accountingEntryId, item]));
    expect(after).toEqual(before.map((item) => changed.get(item.accountingEntryId) ?? item));
  });

  it('applies entries on an in_progress job', async () => {
    const target = entriesOf(state, inProgressJob.id, 'pending')[0];
    if (target === undefined) throw new Error('the in_progress job has no pending item');
    const response = await put(mock.client, inProgressJob.id, [{ accountingEntryId: target, status: 'successful', exportedAt: '2026-03-03T09:59:59Z', externalId: 'BILAG-7' }]);
    expect(response.status).toBe(200);
    expect(response.body.errors).toEqual([]);
    expect(response.body.data).toEqual([
      { ...pendingItem(inProgressJob.id, target), status: 'successful', exportedAt: '2026-03-03T09:59:59Z', externalId: 'BILAG-7' },
    ]);
    const readBack = byEntry(await readAllItems(mock.client, inProgressJob.id)).get(target);
    expect(readBack).toEqual(response.body.data[0]);
  });

  it('lists an accountingEntryId that is not in the job under errors as ACCOUNTING_ENTRY_DOES_NOT_EXIST and applies the rest', async () => {
    const otherJobEntry = entriesOf(state, inProgressJob.id)[1];
    if (otherJobEntry === undefined) throw new Error('the in_progress job has no second item');
    const otherBefore = byEntry(await readAllItems(mock.client, inProgressJob.id)).get(otherJobEntry);
    const response = await put(mock.client, pendingJob.id, [
      { accountingEntryId: entry(3), status: 'successful', exportedAt: '2026-03-03T10:01:00Z' },
      { accountingEntryId: UNKNOWN_UUID, status: 'successful' },
      { accountingEntryId: otherJobEntry, status: 'failed', failureReasonType: 'unexpected_failure' },
      { accountingEntryId: entry(4), status: 'failed', failureReasonType: 'validation_failure' },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.data.map((item) => [item.accountingEntryId, item.status])).toEqual([
      [entry(3), 'successful'],
      [entry(4), 'failed'],
    ]);
    expect(response.body.errors.map((error) => [error.accountingEntryId, error.type])).toEqual([
      [UNKNOWN_UUID, 'ACCOUNTING_ENTRY_DOES_NOT_EXIST'],
      [otherJobEntry, 'ACCOUNTING_ENTRY_DOES_NOT_EXIST'],
    ]);
    expect(response.body.errors[0]?.message).toContain(UNKNOWN_UUID);
    const readBack = byEntry(await readAllItems(mock.client, pendingJob.id));
    expect(readBack.get(entry(3))?.status).toBe('successful');
    expect(readBack.get(entry(4))?.failureReasonType).toBe('validation_failure');
    expect(readBack.has(UNKNOWN_UUID)).toBe(false);
    // The entry of the other job was not touched through this job.
    expect(byEntry(await readAllItems(mock.client, inProgressJob.id)).get(otherJobEntry)).toEqual(otherBefore);
  });

  it('stamps a successful entry without exportedAt with the server clock, and leaves other statuses without one', async () => {
    const response = await put(mock.client, pendingJob.id, [
      { accountingEntryId: entry(5), status: 'successful' },
      { accountingEntryId: entry(6), status: 'in_progress' },
    ]);
    expect(response.body.data.map((item) => item.exportedAt)).toEqual([CLOCK_TIME, null]);
    const readBack = byEntry(await readAllItems(mock.client, pendingJob.id));
    expect(readBack.get(entry(5))?.exportedAt).toBe(CLOCK_TIME);
    expect(readBack.get(entry(6))?.exportedAt).toBeNull();
  });

  it('stores exportedAt as the instant sent, written in UTC', async () => {
    const response = await put(mock.client, pendingJob.id, [{ accountingEntryId: entry(7), status: 'successful', exportedAt: '2026-03-03T11:15:00+01:00' }]);
    expect(response.body.data[0]?.exportedAt).toBe('2026-03-03T10:15:00Z');
    expect(byEntry(await readAllItems(mock.client, pendingJob.id)).get(entry(7))?.exportedAt).toBe('2026-03-03T10:15:00Z');
  });

  it('checks each exportedAt of a batch, however often one value repeats (Feb 30 is refused every time)', async () => {
    const at = '2026-03-03T11:15:00Z';
    const valid = await put(mock.client, pendingJob.id, [entry(14), entry(15)].map((accountingEntryId) => ({ accountingEntryId, status: 'successful', exportedAt: at })));
    expect(valid.status).toBe(200);
    for (const attempt of [1, 2]) {
      const refused = await mock.client.put<ExceptionInfo>(`/v1/export-jobs/${pendingJob.id}/items`, [
        { accountingEntryId: entry(16), status: 'successful', exportedAt: at },
        { accountingEntryId: entry(17), status: 'successful', exportedAt: '2026-02-30T10:00:00Z' },
      ]);
      expect([attempt, refused.status, refused.body.type]).toEqual([attempt, 400, 'INVALID_REQUEST_BODY']);
      expect(refused.body.message).toMatch(/^body\[1\]\.exportedAt\b.*2026-02-30/);
    }
    const again = await put(mock.client, pendingJob.id, [{ accountingEntryId: entry(16), status: 'successful', exportedAt: at }]);
    expect(again.body.data.map((item) => item.exportedAt)).toEqual(['2026-03-03T11:15:00Z']);
  });

  it('refuses reported statuses pending and abandoned per item (EXPORT_ENTRY_STATUS_UPDATE_FAILED), leaving those items as they were', async () => {
    const first = await put(mock.client, pendingJob.id, [{ accountingEntryId: entry(8), status: 'in_progress' }]);
    expect(first.body.data).toHaveLength(1);
    const response = await put(mock.client, pendingJob.id, [
      { accountingEntryId: entry(8), status: 'pending' },
      { accountingEntryId: entry(9), status: 'abandoned' },
      { accountingEntryId: entry(10), status: 'failed' },
    ]);
    expect(response.status).toBe(200);
    expect(response.body.data.map((item) => item.accountingEntryId)).toEqual([entry(10)]);
    expect(response.body.errors.map((error) => [error.accountingEntryId, error.type])).toEqual([
      [entry(8), 'EXPORT_ENTRY_STATUS_UPDATE_FAILED'],
      [entry(9), 'EXPORT_ENTRY_STATUS_UPDATE_FAILED'],
    ]);
    const readBack = byEntry(await readAllItems(mock.client, pendingJob.id));
    expect(readBack.get(entry(8))?.status).toBe('in_progress');
    expect(readBack.get(entry(9))).toEqual(pendingItem(pendingJob.id, entry(9)));
    expect(readBack.get(entry(10))?.status).toBe('failed');
  });

  it('lets a result be re-sent (retry): the new result replaces the old one, stale failure fields included', async () => {
    await put(mock.client, pendingJob.id, [{ accountingEntryId: entry(11), status: 'failed', failureReason: 'timeout', failureReasonType: 'accounting_system_timeout' }]);
    const response = await put(mock.client, pendingJob.id, [{ accountingEntryId: entry(11), status: 'successful', exportedAt: '2026-03-03T10:05:00Z', externalId: 'VER-1002' }]);
    const expected: WireItem = { ...pendingItem(pendingJob.id, entry(11)), status: 'successful', exportedAt: '2026-03-03T10:05:00Z', externalId: 'VER-1002' };
    expect(response.body.data).toEqual([expected]);
    expect(byEntry(await readAllItems(mock.client, pendingJob.id)).get(entry(11))).toEqual(expected);
  });

  it('accepts both application/json and application/json;charset=UTF-8 request bodies', async () => {
    for (const [index, contentType] of [[12, 'application/json'], [13, 'application/json;charset=UTF-8']] as const) {
      const response = await put(mock.client, pendingJob.id, [{ accountingEntryId: entry(index), status: 'in_progress' }], contentType);
      expect(response.status, contentType).toBe(200);
      expect(response.body.data.map((item) => [item.accountingEntryId, item.status])).toEqual([[entry(index), 'in_progress']]);
    }
    const readBack = byEntry(await readAllItems(mock.client, pendingJob.id));
    expect(readBack.get(entry(12))?.status).toBe('in_progress');
    expect(readBack.get(entry(13))?.status).toBe('in_progress');
  });

  it('refuses 101 items with 413 EXPORT_JOB_ITEMS_UPDATE_LIMIT and changes nothing', async () => {
    const itemsBefore = await readAllItems(mock.client, pendingJob.id);
    const jobBefore = await getJob(mock.client, pendingJob.id);
    // Entries no other test touches before this one: still pending, so any partial application would show.
    const batch = entries.slice(20, 121);
    expect(batch).toHaveLength(101);
    const statusBefore = byEntry(itemsBefore);
    expect(batch.every((accountingEntryId) => statusBefore.get(accountingEntryId)?.status === 'pending')).toBe(true);
    const response = await mock.client.put<ExceptionInfo>(`/v1/export-jobs/${pendingJob.id}/items`, batch.map((accountingEntryId) => ({ accountingEntryId, status: 'successful' })));
    expect(response.status).toBe(413);
    expect(response.body.type).toBe('EXPORT_JOB_ITEMS_UPDATE_LIMIT');
    expect(response.body.message).toMatch(/100/);
    expect(await readAllItems(mock.client, pendingJob.id)).toEqual(itemsBefore);
    expect(await getJob(mock.client, pendingJob.id)).toEqual(jobBefore);
  });

  it('accepts exactly 100 items in one request', async () => {
    const batch = entries.slice(100, 200);
    expect(batch).toHaveLength(100);
    const response = await put(mock.client, pendingJob.id, batch.map((accountingEntryId) => ({ accountingEntryId, status: 'successful', externalId: `X-${accountingEntryId.slice(0, 8)}` })));
    expect(response.status).toBe(200);
    expect(response.body.errors).toEqual([]);
    expect(response.body.data.map((item) => item.accountingEntryId)).toEqual(batch);
    const readBack = byEntry(await readAllItems(mock.client, pendingJob.id));
    for (const accountingEntryId of batch) {
      expect(readBack.get(accountingEntryId)).toMatchObject({ status: 'successful', exportedAt: CLOCK_TIME, externalId: `X-${accountingEntryId.slice(0, 8)}` });
    }
  });
});

describe('PUT /v1/export-jobs/{jobId}/items refusals', () => {
  it('answers 404 EXPORT_NOT_FOUND for an unknown job', async () => {
    const response = await mock.client.put<ExceptionInfo>(`/v1/export-jobs/${UNKNOWN_UUID}/items`, [{ accountingEntryId: entry(0), status: 'successful' }]);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' });
  });

  it.each(['completed', 'completed_with_errors', 'failed'])('answers 422 EXPORT_JOB_STATUS_UNPROCESSABLE for a %s job and changes nothing', async (status) => {
    const job = jobWith(state, (candidate) => candidate.status === status, `${status} job`);
    const target = entriesOf(state, job.id)[0];
    if (target === undefined) throw new Error(`the ${status} job has no item`);
    const itemsBefore = await readAllItems(mock.client, job.id);
    const jobBefore = await getJob(mock.client, job.id);
    const response = await mock.client.put<ExceptionInfo>(`/v1/export-jobs/${job.id}/items`, [{ accountingEntryId: target, status: 'successful' }]);
    expect(response.status).toBe(422);
    expect(response.body.type).toBe('EXPORT_JOB_STATUS_UNPROCESSABLE');
    expect(response.body.message).toContain(job.id);
    expect(await readAllItems(mock.client, job.id)).toEqual(itemsBefore);
    expect(await getJob(mock.client, job.id)).toEqual(jobBefore);
  });
});

describe("the job's lastUpdatedAt", () => {
  let own: TestMock;
  let ownState: StateSnapshot;
  beforeAll(async () => {
    own = await startMock({ startTime: START_TIME });
    ownState = own.server.store.snapshot();
  });
  afterAll(() => own.close());

  it("moves to the clock's time after an update of an in_progress job; nothing else about the job changes", async () => {
    const job = jobWith(ownState, (candidate) => candidate.status === 'in_progress', 'in_progress job');
    const before = await getJob(own.client, job.id);
    expect(before.lastUpdatedAt).not.toBeNull();
    expect(before.lastUpdatedAt).not.toBe(CLOCK_TIME);
    const target = entriesOf(ownState, job.id, 'pending')[0];
    if (target === undefined) throw new Error('no pending item');
    const response = await put(own.client, job.id, [{ accountingEntryId: target, status: 'successful' }]);
    expect(response.body.data).toHaveLength(1);
    expect(await getJob(own.client, job.id)).toEqual({ ...before, lastUpdatedAt: CLOCK_TIME });
  });

  it("moves from null to the clock's time after an update of a pending job, which stays pending", async () => {
    const job = jobWith(ownState, (candidate) => candidate.status === 'pending', 'pending job');
    const before = await getJob(own.client, job.id);
    expect(before.lastUpdatedAt).toBeNull();
    const target = entriesOf(ownState, job.id)[0];
    if (target === undefined) throw new Error('no item');
    await put(own.client, job.id, [{ accountingEntryId: target, status: 'in_progress' }]);
    const after = await getJob(own.client, job.id);
    expect(after).toEqual({ ...before, lastUpdatedAt: CLOCK_TIME });
    expect(after.lastUpdatedAt).toBe(wireTime(own.server.clock.now()));
  });
});
