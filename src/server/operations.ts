/**
 * Handlers of the Export API, keyed by the spec's operationIds. They hold no state: each reads
 * the validated request, calls the store, and renders the spec's wire type.
 */
import { MockError } from '../core/errors.js';
import type { ExportStore } from '../core/export-store.js';
import { parseInstant } from '../core/instant.js';
import type { ItemResult } from '../core/lifecycle.js';
import { EXPORT_JOB_ITEM_LIST, EXPORT_JOB_LIST } from '../core/lists.js';
import {
  EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3,
  EXPORT_JOB_ITEM_STATUSES,
  EXPORT_JOB_STATUSES,
  type ItemRecord,
} from '../core/model.js';
import { paginate, type PageSizeConfig } from '../core/pagination.js';
import type { Clock } from './clock.js';
import { echoParameters, pageResponse, readListQuery } from './list-page.js';
import { canonicalUuid, oneOf, optionalString, requiredString, stringArray } from './params.js';
import type { ValidatedRequest } from './spec-validator.js';
import { toExportJob, toExportJobItem, toExportJobItemV3, toExportJobV3 } from './views.js';

/** What a handler works with. */
export interface OperationContext {
  readonly request: ValidatedRequest;
  readonly store: ExportStore;
  readonly clock: Clock;
  readonly pageSize: PageSizeConfig;
}

/** A handler's answer: a status and a JSON body. */
export interface OperationResult {
  readonly status: number;
  readonly body: unknown;
}

/** A handler of one operation. */
export type OperationHandler = (context: OperationContext) => OperationResult;

const ok = (body: unknown): OperationResult => ({ status: 200, body });

function jobIdOf(request: ValidatedRequest): string {
  return canonicalUuid(requiredString(request.params, 'jobId'));
}

/** GET /v3/export-jobs */
function getExportJobsListV3({ request, store, pageSize }: OperationContext): OperationResult {
  const companyParam = optionalString(request.query, 'company_id');
  const companyId = companyParam === undefined ? undefined : canonicalUuid(companyParam);
  const statuses = stringArray(request.query, 'statuses').map((status) => oneOf(EXPORT_JOB_STATUSES, status, 'statuses'));
  const query = readListQuery(EXPORT_JOB_LIST, request.query);
  const list = store.jobList({ companyId, statuses }, query.sort);
  const page = paginate(list.view, query.page, pageSize, list.isListRow);
  return ok(pageResponse(page, query, echoParameters({ company_id: companyId, statuses }), toExportJobV3));
}

/** GET /v3/export-jobs/{jobId} */
function getExportJobByIdV3({ request, store }: OperationContext): OperationResult {
  return ok({ data: toExportJobV3(store.requireJob(jobIdOf(request))) });
}

/** GET /v2/export-jobs/{jobId} */
function getExportJobByIdV2({ request, store }: OperationContext): OperationResult {
  return ok({ data: toExportJob(store.requireJob(jobIdOf(request))) });
}

/** GET /v3/export-jobs/{jobId}/items */
function getExportJobItemsV3({ request, store, pageSize }: OperationContext): OperationResult {
  const jobId = jobIdOf(request);
  const statusParam = optionalString(request.query, 'status');
  const status = statusParam === undefined ? undefined : oneOf(EXPORT_JOB_ITEM_STATUSES, statusParam, 'status');
  const query = readListQuery(EXPORT_JOB_ITEM_LIST, request.query);
  const list = store.itemList(jobId, status, query.sort);
  const page = paginate(list.view, query.page, pageSize, list.isListRow);
  return ok(pageResponse(page, query, echoParameters({ jobId, status }), toExportJobItemV3));
}

/** PUT /v1/export-jobs/{jobId}/items (deprecated in Pleo's spec, still served). */
function updateExportJobItemsV1(context: OperationContext): OperationResult {
  return updateItems(context, toExportJobItem);
}

function updateItems({ request, store, clock }: OperationContext, render: (item: ItemRecord) => unknown): OperationResult {
  const jobId = jobIdOf(request);
  const results = readItemResults(request.body);
  const outcome = store.updateItems(jobId, results, clock.now());
  return ok({ data: outcome.updated.map(render), errors: outcome.errors });
}

/**
 * The body is a bare array of `UpdateExportJobItem` (already checked against the spec, the
 * 100-item cap included). Pleo's spec does not mark the body required; an absent one is refused
 * here rather than read as an empty batch, which would hide a client bug.
 */
function readItemResults(body: unknown): ItemResult[] {
  if (!Array.isArray(body)) throw new MockError('INVALID_REQUEST_BODY', 'body: expected a JSON array of items to update');
  return body.map((entry: unknown, index) => readItemResult(entry, index));
}

function readItemResult(entry: unknown, index: number): ItemResult {
  if (typeof entry !== 'object' || entry === null) throw new MockError('INVALID_REQUEST_BODY', `body[${index}]: expected an object`);
  const fields = entry as Readonly<Record<string, unknown>>;
  const where = (name: string) => `body[${index}].${name}`;
  const exportedAtText = optionalString(fields, 'exportedAt');
  const exportedAt = exportedAtText === undefined ? undefined : parseInstant(exportedAtText);
  if (exportedAtText !== undefined && exportedAt === undefined) {
    throw new MockError('INVALID_REQUEST_BODY', `${where('exportedAt')}: '${exportedAtText}' is not a valid date-time`);
  }
  const failureReasonType = optionalString(fields, 'failureReasonType');
  return {
    accountingEntryId: canonicalUuid(requiredString(fields, 'accountingEntryId')),
    status: oneOf(EXPORT_JOB_ITEM_STATUSES, requiredString(fields, 'status'), where('status')),
    exportedAt,
    externalId: optionalString(fields, 'externalId'),
    externalUrl: optionalString(fields, 'externalUrl'),
    failureReason: optionalString(fields, 'failureReason'),
    failureReasonType: failureReasonType === undefined ? undefined : oneOf(EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3, failureReasonType, where('failureReasonType')),
  };
}

/** Every operation the mock serves, by operationId. The app refuses to start if the spec and this table differ. */
export const OPERATIONS: Readonly<Record<string, OperationHandler>> = {
  getExportJobsListV3,
  getExportJobByIdV3,
  getExportJobByIdV2,
  getExportJobItemsV3,
  updateExportJobItemsV1,
};
