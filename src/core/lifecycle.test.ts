import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  abandonItem,
  applyItemResult,
  applyJobEvent,
  assertItemsUpdatable,
  entryNotInJob,
  expireJob,
  expiryDeadline,
  EXPORT_JOB_EVENT_TYPES,
  isDue,
  isFinished,
  touchJob,
  type ExportJobEventType,
} from './lifecycle.js';
import {
  EXPORT_ITEM_DEFECTS,
  EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3,
  EXPORT_JOB_ITEM_STATUSES,
  EXPORT_JOB_STATUSES,
  type ExportJobStatus,
  type ItemRecord,
  type JobRecord,
} from './model.js';

const NOW = Date.UTC(2026, 0, 5, 9, 30, 0);
const JOB: JobRecord = {
  id: '3f0e5bde-6a51-4c8e-9d0e-8d2b1c7a4e21',
  companyId: '9a2c4f1e-0b7d-4e3a-8c5f-1d6e2b3a4c5d',
  createdAt: NOW - 60_000,
  createdBy: null,
  expiresIn: 3600,
  isInteractive: true,
  vendorBasedBookkeeping: false,
  status: 'in_progress',
  startedAt: NOW - 30_000,
  completedAt: null,
  expiredAt: null,
  lastUpdatedAt: NOW - 30_000,
  failureReason: null,
  failureReasonType: null,
  numberOfItems: 1,
};
const ITEM: ItemRecord = {
  rowId: '00000000-0000-4000-8000-000000000001',
  createdAt: JOB.createdAt,
  exportJobId: JOB.id,
  accountingEntryId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
  status: 'failed',
  exportedAt: null,
  externalId: null,
  externalUrl: null,
  failureReason: 'Account 1234 is closed',
  failureReasonType: 'accounting_system_validation_failure',
};

describe('job finishing', () => {
  it.each(EXPORT_JOB_STATUSES.map((status) => [status, ['completed', 'completed_with_errors', 'failed'].includes(status)] as const))(
    'a %s job is finished: %s',
    (status, finished) => {
      const job = { ...JOB, status };
      expect(isFinished(job)).toBe(finished);
      if (finished) expect(() => { assertItemsUpdatable(job); }).toThrow(expect.objectContaining({ code: 'EXPORT_JOB_STATUS_UNPROCESSABLE' }) as Error);
      else expect(() => { assertItemsUpdatable(job); }).not.toThrow();
    },
  );
});

describe('applying an item result', () => {
  it.each(EXPORT_JOB_ITEM_STATUSES.map((status) => [status, ['in_progress', 'successful', 'failed'].includes(status)] as const))(
    'reporting %s is accepted: %s',
    (status, accepted) => {
      const outcome = applyItemResult(ITEM, { accountingEntryId: ITEM.accountingEntryId, status }, NOW);
      if (accepted) expect(outcome).toMatchObject({ status });
      else expect(outcome).toEqual({ accountingEntryId: ITEM.accountingEntryId, type: 'EXPORT_ENTRY_STATUS_UPDATE_FAILED', message: expect.stringContaining(status) as string });
    },
  );

  it('replaces the whole export result, so a retried item loses its stale failure', () => {
    const outcome = applyItemResult(ITEM, { accountingEntryId: ITEM.accountingEntryId, status: 'successful', externalId: 'V-1' }, NOW);
    expect(outcome).toEqual({ ...ITEM, status: 'successful', exportedAt: NOW, externalId: 'V-1', externalUrl: null, failureReason: null, failureReasonType: null });
  });

  it('keeps the exportedAt the client sent, and stamps none on a non-successful result', () => {
    expect(applyItemResult(ITEM, { accountingEntryId: ITEM.accountingEntryId, status: 'successful', exportedAt: NOW - 5 }, NOW)).toMatchObject({ exportedAt: NOW - 5 });
    expect(applyItemResult(ITEM, { accountingEntryId: ITEM.accountingEntryId, status: 'in_progress' }, NOW)).toMatchObject({ exportedAt: null });
  });

  it('never changes the record it was given', () => {
    const before = structuredClone(ITEM);
    applyItemResult(ITEM, { accountingEntryId: ITEM.accountingEntryId, status: 'successful' }, NOW);
    expect(ITEM).toEqual(before);
  });

  it('keeps the item\'s export item defects, and adds no such field to an item without them', () => {
    const flawed: ItemRecord = { ...ITEM, exportItemDefects: ['missing_account'] };
    const outcome = applyItemResult(flawed, { accountingEntryId: ITEM.accountingEntryId, status: 'successful' }, NOW);
    expect(outcome).toHaveProperty('exportItemDefects', flawed.exportItemDefects);
    expect(Object.keys(applyItemResult(ITEM, { accountingEntryId: ITEM.accountingEntryId, status: 'successful' }, NOW))).not.toContain('exportItemDefects');
  });

  it('gives exactly what spreading the item and overriding its export result gives', () => {
    // The spread is the definition; the function builds the record field by field for speed.
    const reference = (item: ItemRecord, result: Parameters<typeof applyItemResult>[1], now: number): ItemRecord => ({
      ...item,
      status: result.status,
      exportedAt: result.exportedAt ?? (result.status === 'successful' ? now : null),
      externalId: result.externalId ?? null,
      externalUrl: result.externalUrl ?? null,
      failureReason: result.failureReason ?? null,
      failureReasonType: result.failureReasonType ?? null,
    });
    const optional = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
    const items = fc.record(
      {
        rowId: fc.uuid(),
        createdAt: fc.nat(),
        exportJobId: fc.uuid(),
        accountingEntryId: fc.uuid(),
        status: fc.constantFrom(...EXPORT_JOB_ITEM_STATUSES),
        exportedAt: fc.option(fc.nat()),
        externalId: fc.option(fc.string()),
        externalUrl: fc.option(fc.string()),
        failureReason: fc.option(fc.string()),
        failureReasonType: fc.option(fc.constantFrom(...EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3)),
        // Absent, present, and present but undefined: the result must have the key exactly when the item does.
        exportItemDefects: optional(fc.subarray([...EXPORT_ITEM_DEFECTS])),
      },
      { requiredKeys: ['rowId', 'createdAt', 'exportJobId', 'accountingEntryId', 'status', 'exportedAt', 'externalId', 'externalUrl', 'failureReason', 'failureReasonType'] },
    );
    const results = fc.record({
      accountingEntryId: fc.uuid(),
      status: fc.constantFrom('in_progress', 'successful', 'failed' as const),
      exportedAt: optional(fc.nat()),
      externalId: optional(fc.string()),
      externalUrl: optional(fc.string()),
      failureReason: optional(fc.string()),
      failureReasonType: optional(fc.constantFrom(...EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3)),
    });
    fc.assert(
      fc.property(items, results, fc.nat(), (item, result, now) => {
        const outcome = applyItemResult(item, result, now);
        expect(outcome).toStrictEqual(reference(item, result, now));
        expect(Object.keys(outcome).sort()).toEqual(Object.keys(reference(item, result, now)).sort());
      }),
    );
  });

  it('keeps the record itself when the result changes nothing, and only then', () => {
    const done = applyItemResult(ITEM, { accountingEntryId: ITEM.accountingEntryId, status: 'successful', externalId: 'V-1' }, NOW);
    if ('type' in done) throw new Error('refused');
    // The same batch sent again, at the same clock: nothing changes, nothing is copied.
    expect(applyItemResult(done, { accountingEntryId: ITEM.accountingEntryId, status: 'successful', externalId: 'V-1' }, NOW)).toBe(done);
    // Any difference makes a new record: a later stamp, another id, another status.
    expect(applyItemResult(done, { accountingEntryId: ITEM.accountingEntryId, status: 'successful', externalId: 'V-1' }, NOW + 1)).not.toBe(done);
    expect(applyItemResult(done, { accountingEntryId: ITEM.accountingEntryId, status: 'successful', externalId: 'V-2' }, NOW)).not.toBe(done);
    expect(applyItemResult(done, { accountingEntryId: ITEM.accountingEntryId, status: 'successful', externalId: 'V-1', externalUrl: 'https://erp.example/V-1' }, NOW)).not.toBe(done);
    expect(applyItemResult(done, { accountingEntryId: ITEM.accountingEntryId, status: 'failed', failureReasonType: 'validation_failure' }, NOW)).not.toBe(done);
  });

  it('names the entry and the job when the entry is not part of the job', () => {
    expect(entryNotInJob('e', 'j')).toEqual({ accountingEntryId: 'e', type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST', message: 'Accounting entry e is not part of export job j.' });
  });

  it('an action moves the job\'s lastUpdatedAt and nothing else', () => {
    const touched = touchJob(JOB, NOW);
    expect(touched).toEqual({ ...JOB, lastUpdatedAt: NOW });
    expect(Object.keys(touched)).toEqual(Object.keys(JOB));
    // Already touched at this instant: the same record, so nothing is re-indexed or re-rendered.
    expect(touchJob(touched, NOW)).toBe(touched);
    expect(touchJob(touched, NOW + 1)).toEqual({ ...JOB, lastUpdatedAt: NOW + 1 });
  });
});

/** Every (status, event) pair and its outcome: the status it leads to, or null for a 422. */
const TRANSITION_TABLE: readonly (readonly [ExportJobStatus, ExportJobEventType, ExportJobStatus | null])[] = [
  ['pending', 'started', 'in_progress'],
  ['pending', 'failed', 'failed'],
  ['pending', 'completed', null],
  ['pending', 'completed_with_errors', null],
  ['in_progress', 'started', null],
  ['in_progress', 'completed', 'completed'],
  ['in_progress', 'completed_with_errors', 'completed_with_errors'],
  ['in_progress', 'failed', 'failed'],
  ...(['completed', 'completed_with_errors', 'failed'] as const).flatMap((status) => EXPORT_JOB_EVENT_TYPES.map((event) => [status, event, null] as const)),
];

describe('job events', () => {
  it('the table covers every status and event exactly once', () => {
    expect(TRANSITION_TABLE).toHaveLength(EXPORT_JOB_STATUSES.length * EXPORT_JOB_EVENT_TYPES.length);
    expect(new Set(TRANSITION_TABLE.map(([status, event]) => `${status}/${event}`)).size).toBe(TRANSITION_TABLE.length);
  });

  it.each(TRANSITION_TABLE)('%s --%s--> %s', (status, event, next) => {
    const job: JobRecord = { ...JOB, status, startedAt: status === 'pending' ? null : JOB.startedAt };
    if (next === null) {
      expect(() => applyJobEvent(job, { event }, NOW)).toThrow(expect.objectContaining({ code: 'INVALID_EXPORT_JOB_STATUS_CHANGE', message: expect.stringContaining(`${status}: the event ${event} is not allowed`) as string }) as Error);
      return;
    }
    const after = applyJobEvent(job, { event, failureReason: 'Token revoked', failureReasonType: 'authentication_failure' }, NOW);
    expect(after.status).toBe(next);
    expect(after.lastUpdatedAt).toBe(NOW);
    expect(after.startedAt).toBe(event === 'started' ? NOW : job.startedAt);
    expect(after.completedAt).toBe(event === 'completed' || event === 'completed_with_errors' ? NOW : null);
    expect([after.failureReason, after.failureReasonType]).toEqual(event === 'failed' ? ['Token revoked', 'authentication_failure'] : [null, null]);
  });
});

describe('expiry', () => {
  const pending: JobRecord = { ...JOB, status: 'pending', startedAt: null, lastUpdatedAt: null };

  it('counts from the last action, or from creation before any action', () => {
    expect(expiryDeadline(pending)).toBe(pending.createdAt + 3_600_000);
    expect(expiryDeadline(JOB)).toBe((JOB.lastUpdatedAt ?? 0) + 3_600_000);
    expect(expiryDeadline({ ...JOB, status: 'completed' })).toBeNull();
  });

  it('is due exactly at the deadline, not a millisecond before', () => {
    const deadline = expiryDeadline(JOB) ?? 0;
    expect(isDue(JOB, deadline - 1)).toBe(false);
    expect(isDue(JOB, deadline)).toBe(true);
    expect(isDue({ ...JOB, status: 'failed' }, deadline + 10_000)).toBe(false);
  });

  it('fails the job with job_expired and expiredAt at the deadline itself', () => {
    const expired = expireJob(JOB);
    expect(expired).toMatchObject({ status: 'failed', failureReasonType: 'job_expired', expiredAt: expiryDeadline(JOB), lastUpdatedAt: JOB.lastUpdatedAt, completedAt: null });
    expect(expired.failureReason).toMatch(/3600 seconds/);
    expect(expireJob({ ...JOB, status: 'completed' })).toEqual({ ...JOB, status: 'completed' });
  });

  it.each(EXPORT_JOB_ITEM_STATUSES.map((status) => [status, status === 'pending' || status === 'in_progress' ? 'abandoned' : status] as const))(
    'abandons a %s item as %s',
    (status, after) => {
      expect(abandonItem({ ...ITEM, status }).status).toBe(after);
    },
  );
});
