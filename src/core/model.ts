/**
 * The mock's internal, version-neutral records. v1, v2 and v3 wire types are views of these
 * (see src/server/views.ts), so one store serves every API version.
 *
 * Times are epoch milliseconds (integers): cheap to compare and sort, and formatted to the
 * wire's `YYYY-MM-DDTHH:mm:ssZ` only at the edge.
 */

/** Values of the spec's `ExportJobStatus`. */
export const EXPORT_JOB_STATUSES = ['pending', 'in_progress', 'failed', 'completed', 'completed_with_errors'] as const;
export type ExportJobStatus = (typeof EXPORT_JOB_STATUSES)[number];

/** Values of the spec's `ExportJobItemStatus`. */
export const EXPORT_JOB_ITEM_STATUSES = ['pending', 'in_progress', 'failed', 'successful', 'abandoned'] as const;
export type ExportJobItemStatus = (typeof EXPORT_JOB_ITEM_STATUSES)[number];

/** Job statuses after which nothing about the job or its items may change. */
export const FINISHED_JOB_STATUSES: readonly ExportJobStatus[] = ['completed', 'completed_with_errors', 'failed'];

/**
 * Values of v2's inline `ExportJob.failureReasonType` enum (v3 types the field as a free string
 * that "can be one of ExportJobFailureReasonType values": the same list).
 */
export const EXPORT_JOB_FAILURE_REASON_TYPES = [
  'invalid_configuration',
  'missing_configuration',
  'authentication_failure',
  'accounting_system_authentication_failure',
  'pleo_rate_limit',
  'accounting_system_rate_limit',
  'service_unreachable',
  'accounting_system_unreachable',
  'validation_failure',
  'authorization_failure',
  'integration_unusable',
  'job_expired',
  'service_timeout',
  'accounting_system_timeout',
  'canceled_by_user',
] as const;
export type ExportJobFailureReasonType = (typeof EXPORT_JOB_FAILURE_REASON_TYPES)[number];

/** v1/v2 item failure reasons (seed 004's `UpdateExportJobItem.failureReasonType`). */
export const EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V1 = [
  'receipt_upload_failure',
  'receipt_download_failure',
  'receipt_file_size_limit_exceeded',
  'receipt_conversion_failure',
  'unexpected_failure',
  'invalid_configuration',
  'missing_configuration',
  'accounting_system_authentication_failure',
  'accounting_system_rate_limit',
  'accounting_system_unreachable',
  'validation_failure',
  'accounting_system_validation_failure',
  'authorization_failure',
  'accounting_system_timeout',
] as const;

/** v3 adds four `*_unknown` reasons to the v1 list (api-notes.md section 2). */
export const EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3 = [
  ...EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V1,
  'vendor_unknown',
  'account_unknown',
  'tax_code_unknown',
  'tag_unknown',
] as const;
export type ExportJobItemFailureReasonType = (typeof EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3)[number];

/** Pleo's documented expiry window: a job expires this many seconds after its last action. */
export const DEFAULT_EXPIRES_IN_SECONDS = 3600;

/** A company known to the mock. Pleo exposes no company resource; fixtures need one to group jobs. */
export interface CompanyRecord {
  readonly id: string;
  readonly name: string;
  /** ISO 4217 code of the company's wallet currency. */
  readonly currency: string;
  /** ISO 3166-1 alpha-2 country code. */
  readonly country: string;
  /**
   * Whether the company's contra accounts are mapped in Pleo. When false, creating a job and
   * reading export items answer 400 MISSING_CONTRA_ACCOUNTS. Absent means mapped.
   */
  readonly contraAccountsMapped?: boolean;
}

/** One export job. Records are immutable: a change replaces the record (indexes rely on it). */
export interface JobRecord {
  readonly id: string;
  readonly companyId: string;
  readonly createdAt: number;
  readonly createdBy: string | null;
  readonly expiresIn: number;
  readonly isInteractive: boolean;
  readonly vendorBasedBookkeeping: boolean;
  readonly status: ExportJobStatus;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly expiredAt: number | null;
  readonly lastUpdatedAt: number | null;
  readonly failureReason: string | null;
  readonly failureReasonType: ExportJobFailureReasonType | null;
  readonly numberOfItems: number;
}

/**
 * Flaws a fixture can put into an item's accounting data (its export item), for testing that an
 * integration checks what Pleo asks it to check before booking:
 * - `missing_account`: the entry's lines have no account mapped (`account: null`).
 */
export const EXPORT_ITEM_DEFECTS = ['missing_account'] as const;
export type ExportItemDefect = (typeof EXPORT_ITEM_DEFECTS)[number];

/** One export job item: the export state of one accounting entry inside one job. */
export interface ItemRecord {
  /**
   * Internal row id. Pleo's cursors carry a row UUID that is not the accountingEntryId
   * (api-notes.md section 5); this is ours. Never serialised except inside cursors.
   */
  readonly rowId: string;
  /** Internal creation time of the row: the default sort key of item lists. Not on the wire. */
  readonly createdAt: number;
  readonly exportJobId: string;
  readonly accountingEntryId: string;
  readonly status: ExportJobItemStatus;
  readonly exportedAt: number | null;
  readonly externalId: string | null;
  readonly externalUrl: string | null;
  readonly failureReason: string | null;
  readonly failureReasonType: ExportJobItemFailureReasonType | null;
  /** Flaws of the item's export item (fixtures only; absent or empty: none). Not on the wire. */
  readonly exportItemDefects?: readonly ExportItemDefect[];
}

/** A whole state: what fixtures produce and the store loads. */
export interface StateSnapshot {
  readonly companies: readonly CompanyRecord[];
  readonly jobs: readonly JobRecord[];
  /** Items of every job, in creation order. */
  readonly items: readonly ItemRecord[];
}
