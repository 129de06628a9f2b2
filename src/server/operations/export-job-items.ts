/** Export job items: list, report results (v1, v2, v3), and the item look-ups of v3. */
import { MockError } from '../../core/errors.js';
import type { ItemResult } from '../../core/lifecycle.js';
import { EXPORT_JOB_ITEM_LIST } from '../../core/lists.js';
import { EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3, EXPORT_JOB_ITEM_STATUSES, type ItemRecord } from '../../core/model.js';
import { parseInstant } from '../../core/instant.js';
import { paginate } from '../../core/pagination.js';
import { cachedText, dataResponse } from '../json-text.js';
import { echoParameters, pageResponse, readListQuery } from '../list-page.js';
import { canonicalUuid, oneOf, optionalString, requiredString, stringArray } from '../params.js';
import { exportJobItemJson, exportJobItemV3Json, toExportJobItemV3 } from '../views.js';
import { ok, type OperationContext, type OperationResult } from './context.js';
import { asObject, jobIdOf } from './export-jobs.js';

function listItems({ request, store, pageSize }: OperationContext, renderJson: (item: ItemRecord) => string): OperationResult {
  const jobId = jobIdOf(request);
  const statusParam = optionalString(request.query, 'status');
  const status = statusParam === undefined ? undefined : oneOf(EXPORT_JOB_ITEM_STATUSES, statusParam, 'status');
  const query = readListQuery(EXPORT_JOB_ITEM_LIST, request.query);
  const list = store.itemList(jobId, status, query.sort);
  const page = paginate(list.view, query.page, pageSize, list.isListRow);
  return ok(pageResponse(page, query, echoParameters({ jobId, status }), renderJson));
}

/** GET /v3/export-jobs/{jobId}/items */
export function getExportJobItemsV3(context: OperationContext): OperationResult {
  return listItems(context, exportJobItemV3Text);
}

// Items are the rows clients page through most: their JSON is rendered once per record.
const exportJobItemV3Text = cachedText(exportJobItemV3Json);
const exportJobItemText = cachedText(exportJobItemJson);

/** GET /v2/export-jobs/{jobId}/items */
export function getExportJobItemsV2(context: OperationContext): OperationResult {
  return listItems(context, exportJobItemText);
}

function updateItems({ request, store }: OperationContext, renderJson: (item: ItemRecord) => string): OperationResult {
  const jobId = jobIdOf(request);
  const results = readItemResults(request.body);
  const outcome = store.updateItems(jobId, results);
  // Rendered through the same caches as the lists: the next page read finds these items rendered.
  // A batch without refused entries (the usual one) skips JSON.stringify, which costs about 3 µs
  // a call inside the server even for these 13 characters (timed around the call).
  const errorsJson = outcome.errors.length === 0 ? '{"errors":[]}' : JSON.stringify({ errors: outcome.errors });
  return ok(dataResponse(outcome.updated.map(renderJson), errorsJson));
}

/** PUT /v3/export-jobs/{jobId}/items */
export function updateExportJobItemsV3(context: OperationContext): OperationResult {
  return updateItems(context, exportJobItemV3Text);
}

/** PUT /v2/export-jobs/{jobId}/items */
export function updateExportJobItemsV2(context: OperationContext): OperationResult {
  return updateItems(context, exportJobItemText);
}

/** PUT /v1/export-jobs/{jobId}/items (deprecated in Pleo's spec, still served). */
export function updateExportJobItemsV1(context: OperationContext): OperationResult {
  return updateItems(context, exportJobItemText);
}

/** GET /v3/export-job-items: the most recent job item of an accounting entry in a company. */
export function getExportJobItemV3({ request, store }: OperationContext): OperationResult {
  const companyId = canonicalUuid(requiredString(request.query, 'company_id'));
  const accountingEntryId = canonicalUuid(requiredString(request.query, 'accounting_entry_id'));
  const [latest] = store.jobItemsForEntry(companyId, accountingEntryId);
  if (latest === undefined) {
    throw new MockError('EXPORT_ENTRY_NOT_FOUND', `No export job item for accounting entry ${accountingEntryId} in company ${companyId}.`);
  }
  return ok({ data: toExportJobItemV3(latest) });
}

/**
 * POST /v3/export-job-items:search: for each of up to 100 accounting entries of a company, its
 * job item from the most recent job among those matching `statuses` (any status when empty).
 * Entries with no match are left out; results follow the request order.
 */
export function searchExportJobItemsV3({ request, store }: OperationContext): OperationResult {
  const body = asObject(request.body);
  const companyId = canonicalUuid(requiredString(body, 'companyId'));
  const entries = stringArray(body, 'accountingEntryIds').map(canonicalUuid);
  const statuses = new Set(stringArray(body, 'statuses'));
  const matches = (item: ItemRecord) => statuses.size === 0 || statuses.has(item.status);
  const items = [...new Set(entries)].flatMap((entry) => store.jobItemsForEntry(companyId, entry).filter(matches).slice(0, 1));
  return ok({ data: items.map(toExportJobItemV3) });
}

/**
 * The body is a bare array of item results (already checked against the spec, the 100-item cap
 * included). Pleo's spec does not mark the body required; an absent one is refused here rather
 * than read as an empty batch, which would hide a client bug.
 */
function readItemResults(body: unknown): ItemResult[] {
  if (!Array.isArray(body)) throw new MockError('INVALID_REQUEST_BODY', 'body: expected a JSON array of items to update');
  return body.map((entry: unknown, index) => readItemResult(entry, index));
}

function readItemResult(entry: unknown, index: number): ItemResult {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new MockError('INVALID_REQUEST_BODY', `body[${index}]: expected a JSON object`);
  }
  // Fields are read by name here, not through a helper taking the name: with the name a constant
  // at each read, every item of a batch (one hidden class, from JSON.parse) is read by a
  // monomorphic load. Through `optionalString(fields, name)` the reads were keyed loads by a
  // variable name, and reading a batch of 100 cost about twice as much. Messages are built only
  // for an error.
  const fields = entry as Readonly<Record<string, unknown>>;
  const exportedAtText = itemString(fields['exportedAt'], index, 'exportedAt');
  const exportedAt = exportedAtText === undefined ? undefined : parseInstant(exportedAtText);
  if (exportedAtText !== undefined && exportedAt === undefined) {
    throw new MockError('INVALID_REQUEST_BODY', `body[${index}].exportedAt: '${exportedAtText}' is not a valid date-time`);
  }
  const accountingEntryId = itemString(fields['accountingEntryId'], index, 'accountingEntryId');
  const status = itemString(fields['status'], index, 'status');
  if (accountingEntryId === undefined) throw new MockError('INVALID_PARAMETER', `body[${index}].accountingEntryId is required`);
  if (status === undefined) throw new MockError('INVALID_PARAMETER', `body[${index}].status is required`);
  const failureReasonType = itemString(fields['failureReasonType'], index, 'failureReasonType');
  return {
    accountingEntryId: canonicalUuid(accountingEntryId),
    status: itemMember(EXPORT_JOB_ITEM_STATUSES, status, index, 'status'),
    exportedAt,
    externalId: itemString(fields['externalId'], index, 'externalId'),
    externalUrl: itemString(fields['externalUrl'], index, 'externalUrl'),
    failureReason: itemString(fields['failureReason'], index, 'failureReason'),
    failureReasonType: failureReasonType === undefined ? undefined : itemMember(EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3, failureReasonType, index, 'failureReasonType'),
  };
}

/** A string field of an item result (already checked against the spec), or undefined when absent. */
function itemString(value: unknown, index: number, name: string): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new MockError('INVALID_PARAMETER', `body[${index}].${name}: expected a single value`);
}

/** An enum field of an item result; {@link oneOf} (and its message) only for a value not in the enum. */
function itemMember<T extends string>(allowed: readonly T[], value: string, index: number, name: string): T {
  return allowed[(allowed as readonly string[]).indexOf(value)] ?? oneOf(allowed, value, `body[${index}].${name}`);
}
