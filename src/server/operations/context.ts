/**
 * What every operation handler works with, and what it answers. Handlers hold no state: each
 * reads the validated request, calls the store, and renders the spec's wire type.
 */
import type { ExportStore } from '../../core/export-store.js';
import type { CompanyRecord, ExportItemDefect, JobRecord } from '../../core/model.js';
import type { PageSizeConfig } from '../../core/pagination.js';
import type { Clock } from '../clock.js';
import type { ValidatedRequest } from '../spec-validator.js';

/** Builds the accounting payload of one entry (the seeded generator in src/fixtures). */
export interface ExportItemSource {
  build(input: { company: CompanyRecord; accountingEntryId: string; bookedBefore: number; vendorBasedBookkeeping: boolean; defects?: readonly ExportItemDefect[] | undefined }): unknown;
}

/** Things that happen because of a request, outside the response (the webhook). */
export interface OperationHooks {
  jobCreated(job: JobRecord): void;
}

/** What a handler works with. */
export interface OperationContext {
  readonly request: ValidatedRequest;
  readonly store: ExportStore;
  readonly clock: Clock;
  readonly pageSize: PageSizeConfig;
  readonly exportItems: ExportItemSource;
  readonly hooks: OperationHooks;
}

/** A handler's answer: a status and a JSON body (undefined for no body). */
export interface OperationResult {
  readonly status: number;
  readonly body: unknown;
}

/** A handler of one operation. */
export type OperationHandler = (context: OperationContext) => OperationResult;

/** 200 with a body. */
export function ok(body: unknown): OperationResult {
  return { status: 200, body };
}
