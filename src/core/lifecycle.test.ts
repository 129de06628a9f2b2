import { describe, expect, it } from 'vitest';
import { applyItemResult, assertItemsUpdatable, entryNotInJob, isFinished, touchJob } from './lifecycle.js';
import { EXPORT_JOB_ITEM_STATUSES, EXPORT_JOB_STATUSES, type ItemRecord, type JobRecord } from './model.js';

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

  it('names the entry and the job when the entry is not part of the job', () => {
    expect(entryNotInJob('e', 'j')).toEqual({ accountingEntryId: 'e', type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST', message: 'Accounting entry e is not part of export job j.' });
  });

  it('an action moves the job\'s lastUpdatedAt and nothing else', () => {
    expect(touchJob(JOB, NOW)).toEqual({ ...JOB, lastUpdatedAt: NOW });
  });
});
