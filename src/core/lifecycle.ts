/**
 * Lifecycle rules of jobs and items, as pure functions of a record, a request and a time.
 * Nothing here reads a clock or touches the store.
 */
import { MockError } from './errors.js';
import {
  FINISHED_JOB_STATUSES,
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
  return {
    ...item,
    status: result.status,
    exportedAt: result.exportedAt ?? (result.status === 'successful' ? now : null),
    externalId: result.externalId ?? null,
    externalUrl: result.externalUrl ?? null,
    failureReason: result.failureReason ?? null,
    failureReasonType: result.failureReasonType ?? null,
  };
}

/** The error for an entry that is not part of the job. */
export function entryNotInJob(accountingEntryId: string, jobId: string): ItemUpdateError {
  return {
    accountingEntryId,
    type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST',
    message: `Accounting entry ${accountingEntryId} is not part of export job ${jobId}.`,
  };
}

/** A job after an action on it: the last action time moves, which restarts its expiry. */
export function touchJob(job: JobRecord, now: number): JobRecord {
  return { ...job, lastUpdatedAt: now };
}
