/**
 * A whole export, as an integration runs it (api-notes.md section 1), then what a finished job
 * refuses, expiry by moving the clock, job creation and its one-active-job rule. Every response
 * is validated against the spec by the client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type TestMock } from '../support/mock.js';
import { sorted, walkForward, withQuery, type DataResponse, type ExceptionInfo, type ItemUpdateResponse, type Page, type WireItem, type WireJob } from './http-helpers.js';

/** The part of ExportItemV3 these tests read. */
interface WireExportItem {
  readonly accountingEntryId: string;
  readonly companyId: string;
  readonly amount: { readonly inWalletCurrency: { readonly currency: string; readonly value: number } };
  readonly accountingEntryLines: readonly {
    readonly lineAmount: { readonly currency: string; readonly value: number };
    readonly netAmount: { readonly value: number };
    readonly tax: { readonly amount: { readonly value: number }; readonly type: string } | null;
  }[];
}

const EVENTS = '/v3/export-job-events';

describe('an integration exports the oldest pending job end to end', () => {
  let mock: TestMock;
  let job: WireJob;
  let entries: string[];

  beforeAll(async () => {
    mock = await startMock({ seed: 11, maxPageSize: 25 });
  });
  afterAll(() => mock.close());

  it('finds the oldest pending job and claims it with started', async () => {
    const pending = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { statuses: 'pending', sorting_keys: 'createdAt', sorting_order: 'ASC', limit: 1 }));
    const oldest = pending.body.data[0];
    if (oldest === undefined) throw new Error('no pending job in the default scenario');
    job = oldest;
    const claimed = await mock.client.post(EVENTS, { jobId: job.id, event: 'started' });
    expect(claimed.status).toBe(202);
    expect(claimed.text).toBe('');
    const after = await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${job.id}`);
    expect(after.body.data).toMatchObject({ status: 'in_progress', startedAt: after.body.data.lastUpdatedAt });
    expect(after.body.data.startedAt).not.toBeNull();
  });

  it('pages through every item and every export item, and they name the same entries', async () => {
    const items = (await walkForward<WireItem>(mock.client, `/v3/export-jobs/${job.id}/items`, { limit: 7 })).flatMap((page) => page.data);
    entries = items.map((item) => item.accountingEntryId);
    expect(items).toHaveLength(job.numberOfItems);
    expect(items.every((item) => item.status === 'pending')).toBe(true);
    const exportItems = (await walkForward<WireExportItem>(mock.client, '/v3/export-items', { job_id: job.id, limit: 100 })).flatMap((page) => page.data);
    expect(sorted(exportItems.map((item) => item.accountingEntryId))).toEqual(sorted(entries));
    for (const item of exportItems) {
      expect(item.companyId).toBe(job.companyId);
      const lines = item.accountingEntryLines.reduce((sum, line) => sum + line.lineAmount.value, 0);
      expect(lines, `lines of ${item.accountingEntryId} balance`).toBe(item.amount.inWalletCurrency.value);
      for (const line of item.accountingEntryLines) expect(line.lineAmount.currency).toBe(item.amount.inWalletCurrency.currency);
    }
  });

  it('reports results in batches of at most 100, some failed, and completes with errors', async () => {
    const results = entries.map((accountingEntryId, index) =>
      index % 10 === 3
        ? { accountingEntryId, status: 'failed', failureReasonType: 'account_unknown', failureReason: 'Account 6100 does not exist in the ERP' }
        : { accountingEntryId, status: 'successful', externalId: `V-${index}`, exportedAt: '2026-01-05T09:05:00Z' },
    );
    for (let start = 0; start < results.length; start += 100) {
      const batch = await mock.client.put<ItemUpdateResponse>(`/v3/export-jobs/${job.id}/items`, results.slice(start, start + 100));
      expect(batch.status).toBe(200);
      expect(batch.body.errors).toEqual([]);
      expect(batch.body.data).toHaveLength(Math.min(100, results.length - start));
    }
    const done = await mock.client.post(EVENTS, { jobId: job.id, event: 'completed_with_errors' });
    expect(done.status).toBe(202);
    const finished = await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${job.id}`);
    expect(finished.body.data.status).toBe('completed_with_errors');
    expect(finished.body.data.completedAt).not.toBeNull();
    const failed = (await walkForward<WireItem>(mock.client, `/v3/export-jobs/${job.id}/items`, { status: 'failed' })).flatMap((page) => page.data);
    expect(failed).toHaveLength(results.filter((result) => result.status === 'failed').length);
    expect(failed.every((item) => item.failureReasonType === 'account_unknown')).toBe(true);
    // v2 (like v1) has no *_unknown reasons: it shows the closest one and keeps the text.
    const v2 = await mock.client.get<Page<WireItem>>(withQuery(`/v2/export-jobs/${job.id}/items`, { status: 'failed', limit: 1 }));
    expect(v2.body.data[0]).toMatchObject({ failureReasonType: 'validation_failure', failureReason: 'Account 6100 does not exist in the ERP' });
  });

  it('refuses further item updates, events and export items once finished', async () => {
    const put = await mock.client.put<ExceptionInfo>(`/v3/export-jobs/${job.id}/items`, [{ accountingEntryId: entries[0], status: 'successful' }]);
    expect([put.status, put.body.type]).toEqual([422, 'EXPORT_JOB_STATUS_UNPROCESSABLE']);
    for (const event of ['started', 'completed', 'failed'] as const) {
      const refused = await mock.client.post<ExceptionInfo>(EVENTS, { jobId: job.id, event });
      expect([refused.status, refused.body.type]).toEqual([422, 'INVALID_EXPORT_JOB_STATUS_CHANGE']);
    }
    const payload = await mock.client.get<ExceptionInfo>(withQuery('/v3/export-items', { job_id: job.id }));
    expect([payload.status, payload.body.type]).toEqual([422, 'EXPORT_JOB_STATUS_UNPROCESSABLE']);
  });
});

describe('job events', () => {
  let mock: TestMock;
  beforeAll(async () => {
    mock = await startMock({ seed: 12 });
  });
  afterAll(() => mock.close());

  it('answers 404 for an unknown job and 422 for a completion of a pending job', async () => {
    const unknown = await mock.client.post<ExceptionInfo>(EVENTS, { jobId: '00000000-0000-4000-8000-00000000dead', event: 'started' });
    expect([unknown.status, unknown.body.type]).toEqual([404, 'EXPORT_NOT_FOUND']);
    const pending = (await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { statuses: 'pending' }))).body.data[0];
    if (pending === undefined) throw new Error('no pending job');
    const early = await mock.client.post<ExceptionInfo>(EVENTS, { jobId: pending.id, event: 'completed' });
    expect([early.status, early.body.type]).toEqual([422, 'INVALID_EXPORT_JOB_STATUS_CHANGE']);
    expect(early.body.message).toMatch(/pending: the event completed is not allowed; allowed: started, failed/);
  });

  it('fails a pending job before claiming it, abandoning its items', async () => {
    const pending = (await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { statuses: 'pending' }))).body.data[0];
    if (pending === undefined) throw new Error('no pending job');
    const failed = await mock.client.post(EVENTS, { jobId: pending.id, event: 'failed', failureReasonType: 'missing_configuration', failureReason: 'No VAT mapping' });
    expect(failed.status).toBe(202);
    const job = await mock.client.get<DataResponse<WireJob>>(`/v2/export-jobs/${pending.id}`);
    expect(job.body.data).toMatchObject({ status: 'failed', failureReasonType: 'missing_configuration', failureReason: 'No VAT mapping', completedAt: null });
    const items = (await walkForward<WireItem>(mock.client, `/v3/export-jobs/${pending.id}/items`, { limit: 100 })).flatMap((page) => page.data);
    expect(new Set(items.map((item) => item.status))).toEqual(new Set(['abandoned']));
  });
});

describe('expiry', () => {
  it('expires an idle job once the clock is moved past its deadline, and not before', async () => {
    const mock = await startMock({ seed: 13 });
    try {
      const active = (await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { statuses: ['pending', 'in_progress'] }))).body.data[0];
      if (active === undefined) throw new Error('no active job');
      const lastAction = Date.parse(active.lastUpdatedAt ?? active.createdAt);
      const clock = await mock.client.get<{ now: string }>('/__admin/clock');
      const untilDeadline = (lastAction + active.expiresIn * 1000 - Date.parse(clock.body.now)) / 1000;
      await mock.client.post('/__admin/clock', { advanceSeconds: untilDeadline - 1 });
      expect((await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${active.id}`)).body.data.status).toBe(active.status);
      const moved = await mock.client.post<{ now: string }>('/__admin/clock', { advanceSeconds: 2 });
      expect(Date.parse(moved.body.now)).toBeGreaterThan(lastAction + active.expiresIn * 1000);
      const expired = (await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${active.id}`)).body.data;
      expect(expired).toMatchObject({ status: 'failed', failureReasonType: 'job_expired', expiredAt: new Date(lastAction + active.expiresIn * 1000).toISOString().replace('.000Z', 'Z') });
      const items = (await walkForward<WireItem>(mock.client, `/v3/export-jobs/${active.id}/items`, { limit: 100 })).flatMap((page) => page.data);
      expect(items.some((item) => item.status === 'pending' || item.status === 'in_progress')).toBe(false);
      const listed = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { statuses: 'failed', company_id: active.companyId }));
      expect(listed.body.data.map((job) => job.id)).toContain(active.id);
    } finally {
      await mock.close();
    }
  });

  it('refuses to move the clock backward', async () => {
    const mock = await startMock();
    try {
      const refused = await mock.client.post<ExceptionInfo>('/__admin/clock', { to: '2000-01-01T00:00:00Z' });
      expect([refused.status, refused.body.type]).toEqual([400, 'INVALID_REQUEST_BODY']);
      expect(refused.body.message).toMatch(/only moves forward/);
      const both = await mock.client.post<ExceptionInfo>('/__admin/clock', { to: '2030-01-01T00:00:00Z', advanceSeconds: 5 });
      expect(both.status).toBe(400);
    } finally {
      await mock.close();
    }
  });
});

describe('creating jobs', () => {
  it('creates a pending job for a new company, refuses a second active one, and allows one again after it finishes', async () => {
    const mock = await startMock();
    try {
      const companyId = 'abcdef01-2345-4678-89ab-cdef01234567';
      const accountingEntryIds = ['11111111-2222-4333-8444-555555555501', '11111111-2222-4333-8444-555555555502'];
      const created = await mock.client.post<DataResponse<WireJob>>('/v3/export-jobs', { companyId, accountingEntryIds, employeeId: '99999999-8888-4777-8666-555555555555', options: { vendorBasedBookkeeping: true } });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ companyId, status: 'pending', numberOfItems: 2, createdBy: '99999999-8888-4777-8666-555555555555', isInteractive: true, vendorBasedBookkeeping: true, expiresIn: 3600 });
      const items = (await mock.client.get<Page<WireItem>>(`/v3/export-jobs/${created.body.data.id}/items`)).body.data;
      expect(sorted(items.map((item) => item.accountingEntryId))).toEqual(accountingEntryIds);
      const second = await mock.client.post<ExceptionInfo>('/v2/export-jobs', { companyId, accountingEntryIds });
      expect([second.status, second.body.type]).toEqual([409, 'EXPORT_ALREADY_IN_PROGRESS']);
      await mock.client.post(EVENTS, { jobId: created.body.data.id, event: 'failed' });
      const third = await mock.client.post<DataResponse<WireJob>>('/v2/export-jobs', { companyId, accountingEntryIds, isInteractive: false });
      expect([third.status, third.body.data.isInteractive]).toEqual([201, false]);
      const found = await mock.client.get<DataResponse<WireItem>>(withQuery('/v3/export-job-items', { company_id: companyId, accounting_entry_id: accountingEntryIds[0] }));
      expect(found.body.data.exportJobId).toBe(third.body.data.id);
      const search = await mock.client.post<{ data: WireItem[] }>('/v3/export-job-items:search', { companyId, accountingEntryIds, statuses: ['abandoned'] });
      expect(search.body.data.map((item) => item.exportJobId)).toEqual([created.body.data.id, created.body.data.id]);
      const missing = await mock.client.get<ExceptionInfo>(withQuery('/v3/export-job-items', { company_id: companyId, accounting_entry_id: '11111111-2222-4333-8444-555555555599' }));
      expect([missing.status, missing.body.type]).toEqual([404, 'EXPORT_ENTRY_NOT_FOUND']);
    } finally {
      await mock.close();
    }
  });

  it('refuses an entry listed twice', async () => {
    const mock = await startMock();
    try {
      const id = '11111111-2222-4333-8444-555555555501';
      const refused = await mock.client.post<ExceptionInfo>('/v3/export-jobs', { companyId: 'abcdef01-2345-4678-89ab-cdef01234567', accountingEntryIds: [id, id.toUpperCase()] });
      expect([refused.status, refused.body.type]).toEqual([400, 'INVALID_REQUEST_BODY']);
      expect(refused.body.message).toMatch(/accountingEntryIds\[1\].*more than once/);
    } finally {
      await mock.close();
    }
  });
});
