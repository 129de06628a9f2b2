/**
 * Lifecycle rules of jobs and items, as pure functions of a record, a request and a time.
 * Nothing here reads a clock or touches the store.
 */
import { MockError } from './errors.js';
import {
  DEFAULT_EXPIRES_IN_SECONDS,
  FINISHED_JOB_STATUSES,
  type ExportJobFailureReasonType,
  type ExportJobStatus,
  type ExportJobItemFailureReasonType,
  type ExportJobItemStatus,
  type ItemRecord,
  type JobRecord,
} from './model.js';

/** One entry of an item update (`UpdateExportJobItem`), times already parsed. */
export interface ItemResult {
  readonly accountingEntryId: string;
  readonly status: ExportJobItemStatus;
  readonly exportedAt?: number | undefined;
  readonly externalId?: string | undefined;
  readonly externalUrl?: string | undefined;
  readonly failureReason?: string | undefined;
  readonly failureReasonType?: ExportJobItemFailureReasonType | undefined;
}

/** The per-item error types Pleo documents for item updates (`ExportJobItemUpdateError.type`). */
export type ItemUpdateErrorType = 'ACCOUNTING_ENTRY_DOES_NOT_EXIST' | 'EXPORT_ENTRY_STATUS_UPDATE_FAILED' | 'ACCOUNTING_ENTRY_UPDATE_FAILED';

/** One refused entry of an item update; the rest of the batch still applies. */
export interface ItemUpdateError {
  readonly accountingEntryId: string;
  readonly type: ItemUpdateErrorType;
  readonly message: string;
}

/** Whether a job can no longer change. */
export function isFinished(job: JobRecord): boolean {
  return FINISHED_JOB_STATUSES.includes(job.status);
}

/** Item results may be reported only while the job is unfinished (Pleo answers 422 after). */
export function assertItemsUpdatable(job: JobRecord): void {
  if (isFinished(job)) {
    throw new MockError(
      'EXPORT_JOB_STATUS_UNPROCESSABLE',
      `Export job ${job.id} is ${job.status}: its items can no longer be updated.`,
    );
  }
}

/**
 * Statuses an integration may report. `pending` is where items start and `abandoned` is set by
 * Pleo when a job fails or expires; neither is an export result (api-notes.md section 4).
 */
export const REPORTABLE_ITEM_STATUSES: readonly ExportJobItemStatus[] = ['in_progress', 'successful', 'failed'];

/**
 * Applies one reported result to an item. The entry replaces the item's export result: fields
 * it omits become null, so a retried item does not keep a stale failure reason. A `successful`
 * result without `exportedAt` is stamped with `now`.
 */
export function applyItemResult(item: ItemRecord, result: ItemResult, now: number): ItemRecord | ItemUpdateError {
  if (!REPORTABLE_ITEM_STATUSES.includes(result.status)) {
    return {
      accountingEntryId: result.accountingEntryId,
      type: 'EXPORT_ENTRY_STATUS_UPDATE_FAILED',
      message: `status ${result.status} cannot be reported; report one of ${REPORTABLE_ITEM_STATUSES.join(', ')}.`,
    };
  }
  const exportedAt = result.exportedAt ?? (result.status === 'successful' ? now : null);
  const externalId = result.externalId ?? null;
  const externalUrl = result.externalUrl ?? null;
  const failureReason = result.failureReason ?? null;
  const failureReasonType = result.failureReasonType ?? null;
  // A result that changes nothing (a batch sent again, e.g. after a timeout) keeps the record
  // itself: nothing to re-index, and its rendered JSON and cursors stay cached.
  if (
    item.status === result.status &&
    item.exportedAt === exportedAt &&
    item.externalId === externalId &&
    item.externalUrl === externalUrl &&
    item.failureReason === failureReason &&
    item.failureReasonType === failureReasonType
  ) {
    return item;
  }
  // A literal naming every field, not `{ ...item, overrides }`: this runs for every entry of every
  // update, and a spread followed by overrides measured about 25 times slower. The field order is
  // that of newPendingItem, so updated records share the shape of created ones.
  const updated: ItemRecord = {
    rowId: item.rowId,
    createdAt: item.createdAt,
    exportJobId: item.exportJobId,
    accountingEntryId: item.accountingEntryId,
    status: result.status,
    exportedAt,
    externalId,
    externalUrl,
    failureReason,
    failureReasonType,
  };
  // The only optional field: kept exactly when the item has it, as the spread did.
  return Object.hasOwn(item, 'exportItemDefects') ? { ...updated, exportItemDefects: item.exportItemDefects } : updated;
}

/** The error for an entry that is not part of the job. */
export function entryNotInJob(accountingEntryId: string, jobId: string): ItemUpdateError {
  return {
    accountingEntryId,
    type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST',
    message: `Accounting entry ${accountingEntryId} is not part of export job ${jobId}.`,
  };
}

/**
 * A job after an action on it: the last action time moves, which restarts its expiry. The job
 * itself when that time is already `now` (nothing changes, so nothing is re-indexed and its
 * rendered JSON stays cached). A literal naming every field, for the reason given in
 * applyItemResult, with the fields in the order JobRecord declares them.
 */
export function touchJob(job: JobRecord, now: number): JobRecord {
  if (job.lastUpdatedAt === now) return job;
  return {
    id: job.id,
    companyId: job.companyId,
    createdAt: job.createdAt,
    createdBy: job.createdBy,
    expiresIn: job.expiresIn,
    isInteractive: job.isInteractive,
    vendorBasedBookkeeping: job.vendorBasedBookkeeping,
    status: job.status,
    startedAt: job.startedAt,
    completedAt: job.completedAt,
    expiredAt: job.expiredAt,
    lastUpdatedAt: now,
    failureReason: job.failureReason,
    failureReasonType: job.failureReasonType,
    numberOfItems: job.numberOfItems,
  };
}

/** Values of `CreateExportJobEvent.event`. */
export const EXPORT_JOB_EVENT_TYPES = ['started', 'failed', 'completed', 'completed_with_errors'] as const;
export type ExportJobEventType = (typeof EXPORT_JOB_EVENT_TYPES)[number];

/** An event sent to a job (`CreateExportJobEvent` without its jobId). */
export interface JobEvent {
  readonly event: ExportJobEventType;
  readonly failureReason?: string | undefined;
  readonly failureReasonType?: ExportJobFailureReasonType | undefined;
}

/**
 * Which event each status allows, and the status it leads to (api-notes.md section 4):
 * pending --started--> in_progress --completed | completed_with_errors | failed--> finished,
 * and pending --failed--> failed (pre-export validation fails before claiming). Pleo sets the
 * final status to the event sent; it does not derive it from the items.
 */
export const JOB_TRANSITIONS: Readonly<Record<ExportJobStatus, Partial<Record<ExportJobEventType, ExportJobStatus>>>> = {
  pending: { started: 'in_progress', failed: 'failed' },
  in_progress: { completed: 'completed', completed_with_errors: 'completed_with_errors', failed: 'failed' },
  completed: {},
  completed_with_errors: {},
  failed: {},
};

/**
 * A job after an event. `startedAt` is set by `started`, `completedAt` by the completion events,
 * the failure fields by `failed`; every event is an action, so `lastUpdatedAt` moves. Failure
 * fields sent with another event are ignored, as a lenient server would.
 * Throws INVALID_EXPORT_JOB_STATUS_CHANGE for an event the status does not allow.
 */
export function applyJobEvent(job: JobRecord, event: JobEvent, now: number): JobRecord {
  const next = JOB_TRANSITIONS[job.status][event.event];
  if (next === undefined) {
    const allowed = Object.keys(JOB_TRANSITIONS[job.status]);
    throw new MockError(
      'INVALID_EXPORT_JOB_STATUS_CHANGE',
      `Export job ${job.id} is ${job.status}: the event ${event.event} is not allowed${allowed.length > 0 ? `; allowed: ${allowed.join(', ')}` : ' (the job is finished)'}.`,
    );
  }
  const touched: JobRecord = { ...job, status: next, lastUpdatedAt: now };
  switch (event.event) {
    case 'started':
      return { ...touched, startedAt: now };
    case 'completed':
    case 'completed_with_errors':
      return { ...touched, completedAt: now };
    case 'failed':
      return { ...touched, failureReason: event.failureReason ?? null, failureReasonType: event.failureReasonType ?? null };
  }
}

/** When an active job expires: `expiresIn` seconds after its last action (or creation). Null once finished. */
export function expiryDeadline(job: JobRecord): number | null {
  if (isFinished(job)) return null;
  return (job.lastUpdatedAt ?? job.createdAt) + job.expiresIn * 1000;
}

/** Whether the job has expired by `now` (and has not been marked yet). */
export function isDue(job: JobRecord, now: number): boolean {
  const deadline = expiryDeadline(job);
  return deadline !== null && now >= deadline;
}

/**
 * An expired job: failed with `job_expired`, `expiredAt` at the deadline itself (not when someone
 * noticed), so the result does not depend on when it was read.
 */
export function expireJob(job: JobRecord): JobRecord {
  const deadline = expiryDeadline(job);
  if (deadline === null) return job;
  return {
    ...job,
    status: 'failed',
    expiredAt: deadline,
    failureReasonType: 'job_expired',
    failureReason: `The export job expired: no action for ${job.expiresIn} seconds.`,
  };
}

/** An unfinished item of a job that failed or expired becomes `abandoned`; finished ones stay. */
export function abandonItem(item: ItemRecord): ItemRecord {
  return item.status === 'pending' || item.status === 'in_progress' ? { ...item, status: 'abandoned' } : item;
}

/** A job as it is created: pending, no action yet, one item per entry. */
export function newPendingJob(fields: Pick<JobRecord, 'id' | 'companyId' | 'createdAt' | 'createdBy' | 'isInteractive' | 'vendorBasedBookkeeping' | 'numberOfItems'>): JobRecord {
  return {
    ...fields,
    expiresIn: DEFAULT_EXPIRES_IN_SECONDS,
    status: 'pending',
    startedAt: null,
    completedAt: null,
    expiredAt: null,
    lastUpdatedAt: null,
    failureReason: null,
    failureReasonType: null,
  };
}

/** An item as it is created with its job: pending, no export result. */
export function newPendingItem(fields: Pick<ItemRecord, 'rowId' | 'createdAt' | 'exportJobId' | 'accountingEntryId'>): ItemRecord {
  return { ...fields, status: 'pending', exportedAt: null, externalId: null, externalUrl: null, failureReason: null, failureReasonType: null };
}
