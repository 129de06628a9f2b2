/**
 * Types of `reference-integration.mjs`, for TypeScript code (tests, the contract suite) that runs
 * the reference integration in-process. The program itself is plain JavaScript with JSDoc types.
 */

/** One line of an accounting entry; `account` is null when no account is mapped. */
export interface AccountingEntryLine {
  readonly accountingEntryLineId: string;
  readonly lineAmount: { readonly currency: string; readonly value: number };
  readonly account?: { readonly id: string; readonly name: string; readonly code?: string | null } | null;
}

/** The accounting payload of one entry (`ExportItemV3`), as far as the program reads it. */
export interface ExportItem {
  readonly accountingEntryId: string;
  readonly companyId: string;
  readonly date: string;
  readonly type: string;
  readonly accountingEntryLines: readonly AccountingEntryLine[];
  readonly [field: string]: unknown;
}

/** What the ERP answers for a booked entry. */
export interface Booking {
  readonly externalId: string;
  readonly externalUrl?: string;
}

/**
 * Books one entry in the ERP. Throw to refuse the entry (reported `failed`, with the error's
 * `failureReasonType` when it has one), or throw a `JobFailure` to fail the whole job.
 */
export type BookFunction = (exportItem: ExportItem) => Booking | Promise<Booking>;

export type Logger = (line: string) => void;

/** How one job ended for a run. */
export interface JobOutcome {
  readonly jobId: string;
  /** `skipped`: another worker claimed it first; `stopped`: it expired or vanished mid-export. */
  readonly outcome: 'completed' | 'completed_with_errors' | 'failed' | 'skipped' | 'stopped';
  readonly successful: number;
  readonly failed: number;
}

export interface RunExportOptions {
  readonly baseUrl: string;
  readonly token: string;
  readonly log?: Logger;
  readonly book?: BookFunction;
}

/** Exports every in_progress job (resumed), then every pending job, oldest first. */
export function runExport(options: RunExportOptions): Promise<{ jobs: JobOutcome[] }>;

/** A fake ERP: vouchers `V-1001`, `V-1002`, ... with a link each. */
export function createFakeErp(options?: { firstVoucher?: number; url?: string }): { book: BookFunction };

/** A 4xx answer from the API, with its ExceptionInfo. */
export class ApiError extends Error {
  constructor(status: number, type: string, message: string);
  readonly status: number;
  readonly type: string;
}

/** Thrown by `book()` when the whole job cannot be exported. */
export class JobFailure extends Error {
  constructor(failureReasonType: string, message: string);
  readonly failureReasonType: string;
}
