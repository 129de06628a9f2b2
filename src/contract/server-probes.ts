/**
 * The read-only probes of server mode: GET requests only, so they are safe against a shared
 * environment such as Pleo's staging. They page through the export jobs and the items of a few
 * jobs (forward, backward, replayed, as one big page), cross-check the filters against the
 * unfiltered lists, and ask for unknown and malformed things to see the error answers.
 */
import { randomUUID } from 'node:crypto';
import { EXPORT_JOB_ITEM_STATUSES, EXPORT_JOB_STATUSES } from '../core/model.js';
import type { Exchange } from './server-http.js';
import { filterFindings, type FilterExpectation } from './server-filters.js';
import { backwardWalkFindings, forwardWalkFindings, samePageFindings, walkKeys, walkPages, type Finding, type Walk, type WalkDirection } from './server-paging.js';
import { fail, recordFindings, toPageFetch, withQuery, type ProbeContext } from './server-probe-context.js';
import { errorAnswerProblem } from './server-wire.js';

/** The list of export jobs. */
export const JOBS_PATH = '/v3/export-jobs';
/** Rows per page when walking the jobs: small, so even a short list spans several pages. */
export const JOB_PAGE_LIMIT = 5;
/** Rows per page when walking a job's items. */
export const ITEM_PAGE_LIMIT = 20;
/** A walk stops after this many pages; what it saw is still judged. */
export const MAX_PAGES = 50;
/** The "one big page" a short list is compared with (the mock's maximum; a server may clamp it lower). */
const BIG_PAGE_LIMIT = 100;
/** How many jobs' item lists are walked, and how many companies' filters are tried. */
const SAMPLED_JOBS = 3;
const SAMPLED_COMPANIES = 5;

/** The first request of a run: the first page of jobs, which also tells whether the server answers. */
export const FIRST_JOBS_PAGE = withQuery(JOBS_PATH, { limit: JOB_PAGE_LIMIT });

/** One list to walk. */
interface ListProbe {
  readonly path: string;
  readonly keyField: string;
  readonly limit: number;
  /** How the list reads in a problem, e.g. `the export jobs`. */
  readonly what: string;
  /** The first page, when already fetched. */
  readonly first?: Exchange | undefined;
}

/** What walking a list gave. */
interface ListRead {
  readonly walk: Walk<Exchange>;
  /** Distinct rows in list order. */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  readonly keys: readonly string[];
  /**
   * The walk reached the end and showed nothing wrong, so the filtered lists can be judged
   * against it (totals, membership, order). A broken walk would only make every filter fail too.
   */
  readonly trusted: boolean;
}

/**
 * Runs the read-only probes, recording into paging-consistent, filters-correct, not-found-shape
 * and bad-request-shape. `firstPage` is the answer to {@link FIRST_JOBS_PAGE}.
 */
export async function runReadOnlyProbes(context: ProbeContext, firstPage: Exchange): Promise<void> {
  const paging = context.check('paging-consistent');
  const filters = context.check('filters-correct');
  const jobs = await readList(context, { path: JOBS_PATH, keyField: 'id', limit: JOB_PAGE_LIMIT, what: 'the export jobs', first: firstPage });
  const jobsReadable = jobs.walk.pages.length > 0;

  const itemLists: { readonly jobId: string; readonly items: ListRead }[] = [];
  for (const job of sampleJobs(jobs.rows)) {
    const jobId = String(job.id);
    const items = await readList(context, { path: `${JOBS_PATH}/${encodeURIComponent(jobId)}/items`, keyField: 'accountingEntryId', limit: ITEM_PAGE_LIMIT, what: `the items of job ${jobId}` });
    itemLists.push({ jobId, items });
    recordFindings(paging, numberOfItemsFindings(job, items));
  }
  if (!paging.failed && jobsReadable && jobs.rows.length === 0) paging.skip('the server has no export jobs: there is nothing to page through');

  if (jobsReadable) {
    await probeJobFilters(context, jobs);
    for (const { jobId, items } of itemLists) await probeItemFilters(context, jobId, items);
  } else {
    filters.skip('the unfiltered list of export jobs could not be read (see paging-consistent), so there is nothing to compare filtered lists with');
  }

  await probeNotFound(context);
  const firstCursors = jobs.walk.pages[0]?.page;
  await probeBadRequests(context, firstCursors?.startCursor, firstCursors?.endCursor);
}

/** Walks a list forward to its end, then checks replay, one big page and the walk back. */
async function readList(context: ProbeContext, list: ListProbe): Promise<ListRead> {
  const { client } = context;
  const fetchPage = async (cursor: string | undefined, direction: WalkDirection) => {
    if (cursor === undefined && direction === 'forward' && list.first !== undefined) return toPageFetch(list.first, list.keyField);
    const cursorParameter = direction === 'forward' ? 'after' : 'before';
    return toPageFetch(await client.get(withQuery(list.path, { limit: list.limit, [cursorParameter]: cursor })), list.keyField);
  };
  const walk = await walkPages((cursor) => fetchPage(cursor, 'forward'), { direction: 'forward', maxPages: MAX_PAGES, what: list.what });
  const findings: Finding<Exchange>[] = forwardWalkFindings(walk, list.limit, list.what);
  const keys = walkKeys(walk);
  const [first, second] = walk.pages;

  if (first !== undefined && second !== undefined && first.page.endCursor !== undefined) {
    const replay = toPageFetch(await client.get(withQuery(list.path, { limit: list.limit, after: first.page.endCursor })), list.keyField);
    if (replay.ok) {
      findings.push(
        ...samePageFindings(second.page.keys, replay, second.ref, {
          what: `${list.what}: page 1's endCursor used as after a second time`,
          expected: 'exactly page 2 again: a cursor names a fixed position in the list',
          exact: true,
        }),
      );
    } else {
      findings.push({ problem: replay.problem, expected: "page 1's endCursor to be usable again as after", refs: [second.ref, replay.ref] });
    }
  }

  if (first !== undefined && walk.complete && walk.pages.length > 1) {
    const big = toPageFetch(await client.get(withQuery(list.path, { limit: BIG_PAGE_LIMIT })), list.keyField);
    if (big.ok) {
      findings.push(...samePageFindings(keys, big, first.ref, { what: `${list.what} as one page of limit=${BIG_PAGE_LIMIT}`, expected: 'the rows of the walk by endCursor, in the same order' }));
      if (big.page.total !== first.page.total) {
        findings.push({ problem: `${list.what} as one page says total ${big.page.total ?? 'absent'}, the walk's pages said ${first.page.total ?? 'absent'}`, expected: 'the same total whatever the page size', refs: [first.ref, big.ref] });
      }
    } else {
      findings.push({ problem: big.problem, expected: `limit=${BIG_PAGE_LIMIT} to be a valid page size`, refs: [big.ref] });
    }
  }

  const last = walk.pages[walk.pages.length - 1];
  if (walk.pages.length > 1 && last?.page.startCursor !== undefined) {
    const back = await walkPages((cursor) => fetchPage(cursor, 'backward'), { direction: 'backward', from: last.page.startCursor, maxPages: MAX_PAGES, what: `${list.what} (walking back)` });
    findings.push(...backwardWalkFindings(walk, back, list.limit, `${list.what} (walking back)`));
  }

  recordFindings(context.check('paging-consistent'), findings);
  const seen = new Set<string>();
  const rows: Readonly<Record<string, unknown>>[] = [];
  const distinctKeys: string[] = [];
  for (const { page } of walk.pages) {
    page.rows.forEach((row, index) => {
      const key = page.keys[index];
      if (key === undefined || seen.has(key)) return;
      seen.add(key);
      rows.push(row);
      distinctKeys.push(key);
    });
  }
  return { walk, rows, keys: distinctKeys, trusted: walk.complete && findings.length === 0 };
}

/** Up to {@link SAMPLED_JOBS} jobs whose items to walk: the largest, the smallest and a middle one. */
export function sampleJobs(rows: readonly Readonly<Record<string, unknown>>[]): Readonly<Record<string, unknown>>[] {
  const count = (row: Readonly<Record<string, unknown>>): number => (typeof row.numberOfItems === 'number' ? row.numberOfItems : 0);
  const candidates = rows.filter((row) => typeof row.id === 'string' && (typeof row.numberOfItems !== 'number' || row.numberOfItems > 0));
  const sorted = [...candidates].sort((a, b) => count(b) - count(a));
  const picks = [sorted[0], sorted[sorted.length - 1], sorted[Math.floor(sorted.length / 2)]];
  const chosen: Readonly<Record<string, unknown>>[] = [];
  for (const pick of picks) if (pick !== undefined && !chosen.includes(pick) && chosen.length < SAMPLED_JOBS) chosen.push(pick);
  return chosen;
}

/** A job's numberOfItems against its items list. */
function numberOfItemsFindings(job: Readonly<Record<string, unknown>>, items: ListRead): Finding<Exchange>[] {
  const first = items.walk.pages[0];
  if (typeof job.numberOfItems !== 'number' || first === undefined) return [];
  const counted = first.page.total ?? (items.walk.complete ? items.keys.length : undefined);
  if (counted === undefined || counted === job.numberOfItems) return [];
  return [{ problem: `job ${String(job.id)} says numberOfItems ${job.numberOfItems}, its items list has ${counted}`, expected: "numberOfItems = the number of the job's items", refs: [first.ref] }];
}

/** statuses (one, two, absent ones) and company_id (known companies, an unknown one) against the unfiltered jobs. */
async function probeJobFilters(context: ProbeContext, jobs: ListRead): Promise<void> {
  const firstRef = jobs.walk.pages[0]?.ref;
  const expectedFor = (predicate: (row: Readonly<Record<string, unknown>>) => boolean): FilterExpectation<Exchange>['expected'] =>
    jobs.trusted && firstRef !== undefined ? { keys: jobs.rows.filter(predicate).map((row) => String(row.id)), ref: firstRef } : undefined;

  const present = distinctStrings(jobs.rows.map((row) => row.status));
  // Statuses absent from a list read to its end must match nothing; otherwise only present ones are tried.
  const statuses = jobs.trusted ? [...present, ...EXPORT_JOB_STATUSES.filter((status) => !present.includes(status))] : present;
  for (const status of statuses) {
    await probeFilter(context, withQuery(JOBS_PATH, { statuses: status, limit: BIG_PAGE_LIMIT }), 'id', {
      label: `GET ${JOBS_PATH}?statuses=${status}`,
      field: 'status',
      values: [status],
      expected: expectedFor((row) => row.status === status),
    });
  }
  const [one, two] = present;
  if (one !== undefined && two !== undefined) {
    await probeFilter(context, withQuery(JOBS_PATH, { statuses: [one, two], limit: BIG_PAGE_LIMIT }), 'id', {
      label: `GET ${JOBS_PATH}?statuses=${one}&statuses=${two}`,
      field: 'status',
      values: [one, two],
      expected: expectedFor((row) => row.status === one || row.status === two),
    });
  }

  const companies = distinctStrings(jobs.rows.map((row) => row.companyId)).slice(0, SAMPLED_COMPANIES);
  for (const companyId of companies) {
    await probeFilter(context, withQuery(JOBS_PATH, { company_id: companyId, limit: BIG_PAGE_LIMIT }), 'id', {
      label: `GET ${JOBS_PATH}?company_id=${companyId}`,
      field: 'companyId',
      values: [companyId],
      expected: expectedFor((row) => row.companyId === companyId),
    });
  }
  // A company nobody has seen has no jobs, whatever the server holds: judgeable even on a list too long to read.
  const unknownCompany = randomUUID();
  const unknown = await context.client.get(withQuery(JOBS_PATH, { company_id: unknownCompany, limit: BIG_PAGE_LIMIT }));
  await probeFilter(context, unknown, 'id', {
    label: `GET ${JOBS_PATH}?company_id=<a random uuid>`,
    field: 'companyId',
    values: [unknownCompany],
    expected: { keys: [], ref: unknown },
  });
}

/** The items' status filter, and the jobId of every item row, against the unfiltered items. */
async function probeItemFilters(context: ProbeContext, jobId: string, items: ListRead): Promise<void> {
  const path = `${JOBS_PATH}/${encodeURIComponent(jobId)}/items`;
  for (const { ref, page } of items.walk.pages) {
    recordFindings(context.check('filters-correct'), filterFindings({ ref, page }, { label: `GET ${path}`, field: 'exportJobId', values: [jobId] }));
  }
  const firstRef = items.walk.pages[0]?.ref;
  const present = distinctStrings(items.rows.map((row) => row.status));
  const statuses = items.trusted ? [...present, ...EXPORT_JOB_ITEM_STATUSES.filter((status) => !present.includes(status))] : present;
  for (const status of statuses) {
    await probeFilter(context, withQuery(path, { status, limit: BIG_PAGE_LIMIT }), 'accountingEntryId', {
      label: `GET ${path}?status=${status}`,
      field: 'status',
      values: [status],
      expected: items.trusted && firstRef !== undefined ? { keys: items.rows.filter((row) => row.status === status).map((row) => String(row.accountingEntryId)), ref: firstRef } : undefined,
    });
  }
}

/** Fetches one filtered page (or takes the exchange given) and records what is wrong with it. */
async function probeFilter(context: ProbeContext, request: string | Exchange, keyField: string, filter: FilterExpectation<Exchange>): Promise<void> {
  const exchange = typeof request === 'string' ? await context.client.get(request) : request;
  const fetched = toPageFetch(exchange, keyField);
  const check = context.check('filters-correct');
  if (!fetched.ok) {
    fail(check, fetched.problem, `200 and a page of the rows matching ${filter.label.replace(/^GET /, '')}`, exchange);
    return;
  }
  recordFindings(check, filterFindings(fetched, filter));
}

/** GET of an unknown job and of its items: 404 EXPORT_NOT_FOUND. */
async function probeNotFound(context: ProbeContext): Promise<void> {
  const check = context.check('not-found-shape');
  const jobId = randomUUID();
  for (const url of [`${JOBS_PATH}/${jobId}`, `${JOBS_PATH}/${jobId}/items`]) {
    const exchange = await context.client.get(url);
    const problem = errorAnswerProblem(exchange, 404, 'EXPORT_NOT_FOUND');
    if (problem !== undefined) fail(check, problem, '404 with ExceptionInfo {"type": "EXPORT_NOT_FOUND", "message": …}: the jobId names no job', exchange);
  }
}

/**
 * A malformed jobId, a negative limit, and before with after: 400 ExceptionInfo. Before and after
 * are real cursors of the jobs list when there are some, so only their combination is wrong.
 */
async function probeBadRequests(context: ProbeContext, startCursor: string | undefined, endCursor: string | undefined): Promise<void> {
  const check = context.check('bad-request-shape');
  const requests = [
    { url: `${JOBS_PATH}/not-a-uuid`, why: 'the jobId is not a uuid' },
    { url: withQuery(JOBS_PATH, { limit: -1 }), why: 'limit is negative' },
    { url: withQuery(JOBS_PATH, { before: startCursor ?? 'X', after: endCursor ?? 'Y' }), why: 'before and after cannot be combined' },
  ];
  for (const { url, why } of requests) {
    const exchange = await context.client.get(url);
    const problem = errorAnswerProblem(exchange, 400);
    if (problem !== undefined) fail(check, problem, `400 with ExceptionInfo {type, message} (non-empty): ${why}`, exchange);
  }
}

function distinctStrings(values: readonly unknown[]): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === 'string'))];
}
