/**
 * Shared pieces of the HTTP tests: the wire types the tests read (bodies already passed the spec
 * client's schema validation, so these interfaces only narrow them for the compiler), query
 * building, page walks, and a small builder of hand-made states for exact paging tests.
 */
import type { CompanyRecord, ItemRecord, JobRecord, StateSnapshot } from '../../src/core/model.js';
import type { SpecClient } from '../support/spec-client.js';

/** `ExportJobV3` (and v2's `ExportJob`). */
export interface WireJob {
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

/** `ExportJobItemV3` (and v1's `ExportJobItem`). */
export interface WireItem {
  readonly exportJobId: string;
  readonly accountingEntryId: string;
  readonly status: string;
  readonly externalId: string | null;
  readonly externalUrl: string | null;
  readonly failureReasonType: string | null;
  readonly failureReason: string | null;
  readonly exportedAt: string | null;
}

/** `CursorPageCurrentRequestInfo`. */
export interface RequestEcho {
  readonly after?: string;
  readonly before?: string;
  readonly limit?: number;
  readonly offset?: number;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly sortingKeys?: readonly string[];
  readonly sortingOrder?: readonly string[];
}

/** `CursorPageInfo`. */
export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor?: string;
  readonly endCursor?: string;
  readonly total?: number;
  readonly currentRequestPagination: RequestEcho;
}

/** `CursorPaginatedResponse*`. */
export interface Page<T> {
  readonly data: readonly T[];
  readonly pagination: PageInfo;
}

/** `{data: T}`. */
export interface DataResponse<T> {
  readonly data: T;
}

/** `ExceptionInfo`. */
export interface ExceptionInfo {
  readonly type: string;
  readonly message: string;
}

/** `ExportJobItemUpdateError`. */
export interface ItemUpdateError {
  readonly accountingEntryId: string;
  readonly type: string;
  readonly message: string;
}

/** `ExportJobItemUpdate` (v1 PUT response). */
export interface ItemUpdateResponse {
  readonly data: readonly WireItem[];
  readonly errors: readonly ItemUpdateError[];
}

/** The cursor grammar of the spec's `before`/`after` parameters. */
export const CURSOR_PATTERN = /^[A-Z2-7=~]+$/;

/** A uuid that names nothing in any state these tests use. */
export const UNKNOWN_UUID = '00000000-0000-4000-8000-00000000dead';

/** Query values: arrays repeat the key, undefined is left out. */
export type QueryValue = string | number | readonly string[] | undefined;

/** `path?k=v&k=v2…` with proper encoding; repeated keys for arrays. */
export function withQuery(path: string, query: Readonly<Record<string, QueryValue>> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') search.append(name, String(value));
    else for (const entry of value) search.append(name, entry);
  }
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Every page of a list, following `endCursor` from the first page until `hasNextPage` is false. */
export async function walkForward<T>(client: SpecClient, path: string, query: Readonly<Record<string, QueryValue>>, headers: Readonly<Record<string, string>> = {}): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const response = await client.get<Page<T>>(withQuery(path, { ...query, after }), { headers });
    expect200(response.status, path);
    pages.push(response.body);
    if (!response.body.pagination.hasNextPage) return pages;
    after = response.body.pagination.endCursor;
    if (after === undefined) throw new Error(`${path}: hasNextPage is true but there is no endCursor`);
  }
  throw new Error(`${path}: more than 10000 pages`);
}

/** Every page before `before`, following `startCursor` until `hasPreviousPage` is false; pages in the order fetched (last first). */
export async function walkBackward<T>(client: SpecClient, path: string, query: Readonly<Record<string, QueryValue>>, before: string): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor = before;
  for (let guard = 0; guard < 10_000; guard++) {
    const response = await client.get<Page<T>>(withQuery(path, { ...query, before: cursor }));
    expect200(response.status, path);
    pages.push(response.body);
    if (!response.body.pagination.hasPreviousPage) return pages;
    const start = response.body.pagination.startCursor;
    if (start === undefined) throw new Error(`${path}: hasPreviousPage is true but there is no startCursor`);
    cursor = start;
  }
  throw new Error(`${path}: more than 10000 pages`);
}

/** Every item of a job through GET /v3/export-jobs/{jobId}/items, in the list's default order (as the tenant of `headers`). */
export async function readAllItems(client: SpecClient, jobId: string, headers: Readonly<Record<string, string>> = {}): Promise<WireItem[]> {
  const pages = await walkForward<WireItem>(client, `/v3/export-jobs/${jobId}/items`, { limit: 100 }, headers);
  return pages.flatMap((page) => page.data);
}

function expect200(status: number, path: string): void {
  if (status !== 200) throw new Error(`${path}: expected 200 while walking pages, got ${status}`);
}

/** The values that occur more than once. */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}

/** Sorted copy, for comparing sets of ids. */
export function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** Epoch ms as the wire writes it (`YYYY-MM-DDTHH:mm:ssZ` for whole seconds). */
export function wireTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return epochMs % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

// ---------------------------------------------------------------------------------------------
// Hand-built states.

/** A deterministic lowercase uuid: `kind` (1 hex digit) and a serial number. */
export function testUuid(kind: number, serial: number): string {
  return `${kind.toString(16)}0000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`;
}

const T0 = Date.UTC(2025, 11, 1, 8, 0, 0);

/**
 * When the active jobs of {@link buildState} were created. Start a mock of that state shortly
 * after (`startTime: BUILT_STATE_NOW`), or its active jobs will already have expired.
 */
export const BUILT_STATE_NOW = T0 + 30 * 86_400_000 + 60_000;

/** A job record with sensible defaults for a finished, completed job. */
export function makeJob(serial: number, fields: Partial<JobRecord> & Pick<JobRecord, 'companyId'>): JobRecord {
  const createdAt = fields.createdAt ?? T0 + serial * 60_000;
  return {
    id: testUuid(2, serial),
    createdAt,
    createdBy: null,
    expiresIn: 3600,
    isInteractive: false,
    vendorBasedBookkeeping: false,
    status: 'completed',
    startedAt: createdAt + 5_000,
    completedAt: createdAt + 30_000,
    expiredAt: null,
    lastUpdatedAt: createdAt + 30_000,
    failureReason: null,
    failureReasonType: null,
    numberOfItems: 0,
    ...fields,
  };
}

/** `count` pending items of a job, all created with the job (as the seeded scenario does). */
export function makeItems(job: JobRecord, count: number, firstSerial: number): ItemRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    rowId: testUuid(3, firstSerial + index),
    createdAt: job.createdAt,
    exportJobId: job.id,
    accountingEntryId: testUuid(4, firstSerial + index),
    status: 'pending',
    exportedAt: null,
    externalId: null,
    externalUrl: null,
    failureReason: null,
    failureReasonType: null,
  }));
}

/** A company record. */
export function makeCompany(serial: number): CompanyRecord {
  return { id: testUuid(1, serial), name: `Company ${serial}`, currency: 'DKK', country: 'DK' };
}

/**
 * A state of `companies` companies and `jobsPerCompany` finished jobs each, plus one active job
 * (pending for even companies, in_progress for odd) with `itemsPerActiveJob` pending items.
 * Jobs are created in groups of `tie` sharing one `createdAt`, so paging must break ties.
 */
export function buildState(options: { companies: number; jobsPerCompany: number; itemsPerActiveJob: number; tie: number }): StateSnapshot {
  const companies = Array.from({ length: options.companies }, (_, index) => makeCompany(index + 1));
  const jobs: JobRecord[] = [];
  const items: ItemRecord[] = [];
  let serial = 0;
  let itemSerial = 0;
  for (const company of companies) {
    for (let index = 0; index < options.jobsPerCompany; index++) {
      serial++;
      const createdAt = T0 + Math.floor(serial / options.tie) * 3_600_000;
      jobs.push(makeJob(serial, { companyId: company.id, createdAt }));
    }
  }
  companies.forEach((company, index) => {
    serial++;
    const createdAt = T0 + 30 * 86_400_000 + index * 1000;
    const active = index % 2 === 0
      ? makeJob(serial, { companyId: company.id, createdAt, status: 'pending', startedAt: null, completedAt: null, lastUpdatedAt: null, numberOfItems: options.itemsPerActiveJob })
      : makeJob(serial, { companyId: company.id, createdAt, status: 'in_progress', completedAt: null, lastUpdatedAt: createdAt + 10_000, numberOfItems: options.itemsPerActiveJob });
    jobs.push(active);
    items.push(...makeItems(active, options.itemsPerActiveJob, itemSerial));
    itemSerial += options.itemsPerActiveJob;
  });
  return { companies, jobs, items };
}
