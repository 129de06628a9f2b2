/**
 * What the contract suite observes of a client run, as the mock's admin API returns it: the
 * tenant's request journal, and its state before and after (fixture documents with every item
 * listed). Only the fields the checks read are typed here; the admin API's own description
 * (openapi/admin-api.yaml) is the full shape. Plus small pure helpers the checks share.
 */
import type { JournalEntryView } from '../admin-client.js';
import type { RequestSummary } from './report.js';

/**
 * A journal entry (`JournalEntry` of the admin API), the fields the checks read. The type is the
 * admin client's: one definition of the wire shape, which the contract only reads over HTTP.
 */
export type ObservedRequest = Pick<
  JournalEntryView,
  'sequence' | 'wallTime' | 'method' | 'path' | 'query' | 'headers' | 'body' | 'operationId' | 'status' | 'responseBody' | 'responseBodyKept' | 'responseHeaders' | 'fault'
>;

/** An item of a state document (every item listed). */
export interface ObservedItem {
  readonly accountingEntryId: string;
  readonly status: string;
  readonly failureReason?: string | null;
  readonly failureReasonType?: string | null;
  readonly exportItemDefects?: readonly string[];
}

/** A job of a state document. */
export interface ObservedJob {
  readonly id: string;
  readonly companyId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly failureReason: string | null;
  readonly failureReasonType: string | null;
  readonly itemCount: number;
  readonly items?: readonly ObservedItem[];
}

/** A state document (`GET /__admin/state?explicitItems=true`). */
export interface ObservedState {
  readonly companies?: readonly { readonly id: string; readonly contraAccountsMapped?: boolean }[];
  readonly jobs?: readonly ObservedJob[];
}

/** The final events of a job (`CreateExportJobEvent.event`). */
export const FINAL_EVENTS: readonly string[] = ['completed', 'completed_with_errors', 'failed'];

/** Operations that write (the search POST only reads). */
const WRITE_OPERATIONS = new Set([
  'createExportJobV3',
  'createExportJobV2',
  'createExportJobEventV3',
  'createExportJobEventV2',
  'updateExportJobItemsV3',
  'updateExportJobItemsV2',
  'updateExportJobItemsV1',
]);

/** Whether a request was a write (unknown routes count when they are not GET/HEAD). */
export function isWrite(request: ObservedRequest): boolean {
  if (request.operationId === null) return request.method !== 'GET' && request.method !== 'HEAD';
  return WRITE_OPERATIONS.has(request.operationId);
}

/** The event body of an accepted or refused job event request, if it is one. */
export function eventOf(request: ObservedRequest): { jobId: string; event: string; failureReason?: unknown; failureReasonType?: unknown } | undefined {
  if (request.operationId !== 'createExportJobEventV3' && request.operationId !== 'createExportJobEventV2') return undefined;
  const body = asRecord(request.body);
  if (typeof body.jobId !== 'string' || typeof body.event !== 'string') return undefined;
  return { jobId: body.jobId.toLowerCase(), event: body.event, failureReason: body.failureReason, failureReasonType: body.failureReasonType };
}

/** The job id in the path of a job-scoped request (`/v3/export-jobs/{jobId}/items`), lowercase. */
export function pathJobId(request: ObservedRequest): string | undefined {
  const match = /^\/v\d\/export-jobs\/([0-9a-fA-F-]{36})(\/|$)/.exec(request.path);
  return match?.[1]?.toLowerCase();
}

/** The job id of an export-items request (`?job_id=`), lowercase. */
export function queryJobId(request: ObservedRequest): string | undefined {
  return request.query.job_id?.[0]?.toLowerCase();
}

/** Whether a request is an item update (any version). */
export function isItemUpdate(request: ObservedRequest): boolean {
  return request.operationId === 'updateExportJobItemsV3' || request.operationId === 'updateExportJobItemsV2' || request.operationId === 'updateExportJobItemsV1';
}

/** The entries of an item update's body (a bare array), or none. */
export function updateEntries(request: ObservedRequest): { accountingEntryId: string; status: string }[] {
  if (!Array.isArray(request.body)) return [];
  return request.body.flatMap((entry: unknown) => {
    const record = asRecord(entry);
    return typeof record.accountingEntryId === 'string' && typeof record.status === 'string' ? [{ accountingEntryId: record.accountingEntryId.toLowerCase(), status: record.status }] : [];
  });
}

/** The ids an item update's 200 answer reports in `errors[]`. */
export function refusedEntries(request: ObservedRequest): Set<string> {
  const errors = asRecord(request.responseBody).errors;
  const ids = new Set<string>();
  if (Array.isArray(errors)) {
    for (const error of errors) {
      const id = asRecord(error).accountingEntryId;
      if (typeof id === 'string') ids.add(id.toLowerCase());
    }
  }
  return ids;
}

/** `type` of an ExceptionInfo answer. */
export function errorType(request: ObservedRequest): string | undefined {
  const type = asRecord(request.responseBody).type;
  return typeof type === 'string' ? type : undefined;
}

/** The `pagination` of a page answer, if the body was kept and is a page. */
export function pageInfo(request: ObservedRequest): { hasNextPage: boolean; endCursor?: string; data: readonly unknown[] } | undefined {
  const body = asRecord(request.responseBody);
  const pagination = asRecord(body.pagination);
  if (!Array.isArray(body.data) || typeof pagination.hasNextPage !== 'boolean') return undefined;
  return { hasNextPage: pagination.hasNextPage, ...(typeof pagination.endCursor === 'string' ? { endCursor: pagination.endCursor } : {}), data: body.data };
}

/** A request as evidence shows it. */
export function summarize(request: ObservedRequest, options: { body?: boolean; response?: boolean } = {}): RequestSummary {
  const search = new URLSearchParams();
  for (const [name, values] of Object.entries(request.query)) for (const value of values) search.append(name, value);
  const query = search.toString();
  return {
    sequence: request.sequence,
    method: request.method,
    url: query === '' ? request.path : `${request.path}?${query}`,
    status: request.status,
    at: request.wallTime,
    ...(options.body === true && request.body !== null ? { body: excerpt(request.body) } : {}),
    ...(options.response === true && request.responseBody !== null ? { response: excerpt(request.responseBody) } : {}),
  };
}

/** Real time of a request, epoch ms. */
export function wallMs(request: ObservedRequest): number {
  return Date.parse(request.wallTime);
}

/** Whether a request failed in a way a client should retry: 429, 5xx, a dropped connection, or a cut-off body. */
export function isRetryableFailure(request: ObservedRequest): boolean {
  return request.status === 0 || request.status === 429 || request.status >= 500 || request.fault?.startsWith('truncate') === true;
}

/** Two requests are the same attempt when method, path, query and body are equal. */
export function attemptKey(request: ObservedRequest): string {
  return `${request.method} ${summarize(request).url} ${JSON.stringify(request.body)}`;
}

/** The jobs of a state by id. */
export function jobsById(state: ObservedState): Map<string, ObservedJob> {
  return new Map((state.jobs ?? []).map((job) => [job.id.toLowerCase(), job]));
}

/** A value in at most 160 characters of JSON. */
export function excerpt(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** An object's fields, or none when it is not an object. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
