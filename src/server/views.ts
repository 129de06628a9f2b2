/**
 * Wire views of the store's records, one per schema of the spec. Type names equal the spec's
 * schema names; every response the tests receive is validated against `openapi/`, so a field
 * that drifts from the spec fails a test.
 */
import { formatInstant, formatNullableInstant } from '../core/instant.js';
import { EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V1, type ItemRecord, type JobRecord } from '../core/model.js';
import { jsonNullableString, jsonString } from './json-text.js';

/** `ExportJobV3` (and, field for field, v2's `ExportJob`, whose enums are inline). */
export interface ExportJobV3 {
  readonly id: string;
  readonly companyId: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly expiresIn: number;
  readonly isInteractive: boolean;
  readonly vendorBasedBookkeeping: boolean;
  readonly status: string;
  readonly numberOfItems: number;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly expiredAt: string | null;
  readonly lastUpdatedAt: string | null;
  readonly failureReason: string | null;
  readonly failureReasonType: string | null;
}

/** v2's `ExportJob`: the same fields as ExportJobV3. */
export type ExportJob = ExportJobV3;

/** Renders a job for v2 (`ExportJob`). */
export const toExportJob: (job: JobRecord) => ExportJob = toExportJobV3;

/** `ExportJobItemV3` (and v1's `ExportJobItem`). */
export interface ExportJobItemV3 {
  readonly exportJobId: string;
  readonly accountingEntryId: string;
  readonly status: string;
  readonly externalId: string | null;
  readonly externalUrl: string | null;
  readonly failureReasonType: string | null;
  readonly failureReason: string | null;
  readonly exportedAt: string | null;
}

/** v1's `ExportJobItem`. */
export type ExportJobItem = ExportJobItemV3;

/** Renders a job for v2 and v3 (the schemas differ only in how they declare their enums). */
export function toExportJobV3(job: JobRecord): ExportJobV3 {
  return {
    id: job.id,
    companyId: job.companyId,
    createdAt: formatInstant(job.createdAt),
    createdBy: job.createdBy,
    expiresIn: job.expiresIn,
    isInteractive: job.isInteractive,
    vendorBasedBookkeeping: job.vendorBasedBookkeeping,
    status: job.status,
    numberOfItems: job.numberOfItems,
    startedAt: formatNullableInstant(job.startedAt),
    completedAt: formatNullableInstant(job.completedAt),
    expiredAt: formatNullableInstant(job.expiredAt),
    lastUpdatedAt: formatNullableInstant(job.lastUpdatedAt),
    failureReason: job.failureReason,
    failureReasonType: job.failureReasonType,
  };
}

/** Field order as in Pleo's how-to example (seed 002). */
export function toExportJobItemV3(item: ItemRecord): ExportJobItemV3 {
  return {
    exportJobId: item.exportJobId,
    accountingEntryId: item.accountingEntryId,
    status: item.status,
    externalId: item.externalId,
    externalUrl: item.externalUrl,
    failureReasonType: item.failureReasonType,
    failureReason: item.failureReason,
    exportedAt: formatNullableInstant(item.exportedAt),
  };
}

const V1_REASONS: readonly string[] = EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V1;

/** v1's failure reason for an item: v3's own, unless v1's enum lacks it (see {@link toExportJobItem}). */
function v1Failure(item: ItemRecord): { readonly failureReasonType: string | null; readonly failureReason: string | null } {
  if (item.failureReasonType === null || V1_REASONS.includes(item.failureReasonType)) return item;
  return { failureReasonType: 'validation_failure', failureReason: item.failureReason ?? item.failureReasonType };
}

/**
 * v1's item view. v1's failure-reason enum lacks v3's four `*_unknown` values; an item failed
 * through v3 with one of them shows in v1 as `validation_failure` (the closest v1 reason: the
 * ERP refused a reference), with the original reason kept in `failureReason`.
 */
export function toExportJobItem(item: ItemRecord): ExportJobItem {
  const view = toExportJobItemV3(item);
  const { failureReasonType, failureReason } = v1Failure(item);
  return failureReasonType === view.failureReasonType ? view : { ...view, failureReasonType, failureReason };
}

/**
 * The JSON of {@link toExportJobItemV3}, byte for byte, written directly: item views are the rows
 * written most (every changed item of a PUT is rendered anew), and JSON.stringify of the view
 * object took about 1.5 µs against 1.1 µs for this, whose text is also flat (see json-text.ts).
 */
export function exportJobItemV3Json(item: ItemRecord): string {
  return itemJson(item, item.failureReasonType, item.failureReason);
}

/** The JSON of {@link toExportJobItem} (v1), written like {@link exportJobItemV3Json}. */
export function exportJobItemJson(item: ItemRecord): string {
  const { failureReasonType, failureReason } = v1Failure(item);
  return itemJson(item, failureReasonType, failureReason);
}

/**
 * Enum members and formatted instants are quoted as they are (none holds a character JSON
 * escapes); every other string goes through jsonString.
 */
function itemJson(item: ItemRecord, failureReasonType: string | null, failureReason: string | null): string {
  const exportedAt = formatNullableInstant(item.exportedAt);
  return [
    '{"exportJobId":',
    jsonString(item.exportJobId),
    ',"accountingEntryId":',
    jsonString(item.accountingEntryId),
    ',"status":"',
    item.status,
    '","externalId":',
    jsonNullableString(item.externalId),
    ',"externalUrl":',
    jsonNullableString(item.externalUrl),
    ',"failureReasonType":',
    failureReasonType === null ? 'null' : `"${failureReasonType}"`,
    ',"failureReason":',
    jsonNullableString(failureReason),
    ',"exportedAt":',
    exportedAt === null ? 'null' : `"${exportedAt}"`,
    '}',
  ].join('');
}
