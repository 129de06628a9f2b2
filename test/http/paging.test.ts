/**
 * Cursor and offset paging over HTTP: walking the big pending job of the default scenario
 * forwards and backwards, stability while rows change between requests, and the 400s of
 * malformed or mismatched paging parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord, StateSnapshot } from '../../src/core/model.js';
import { startMock, type TestMock } from '../support/mock.js';
import {
  BUILT_STATE_NOW,
  CURSOR_PATTERN,
  buildState,
  duplicates,
  sorted,
  walkBackward,
  walkForward,
  withQuery,
  type ExceptionInfo,
  type ItemUpdateResponse,
  type Page,
  type QueryValue,
  type WireItem,
  type WireJob,
} from './http-helpers.js';

const LIMITS = [1, 7, 20, 100] as const;

let mock: TestMock;
let state: StateSnapshot;
let bigJob: JobRecord;
let bigJobEntries: string[];
let itemsPath: string;

beforeAll(async () => {
  mock = await startMock();
  state = mock.server.store.snapshot();
  const job = state.jobs.find((candidate) => candidate.status === 'pending' && candidate.numberOfItems > 150);
  if (job === undefined) throw new Error('the default scenario has no pending job with more than 150 items');
  bigJob = job;
  bigJobEntries = state.items.filter((item) => item.exportJobId === job.id).map((item) => item.accountingEntryId);
  itemsPath = `/v3/export-jobs/${job.id}/items`;
});
afterAll(() => mock.close());

/** Forward walks of the big job's items in the default order, by limit; read-only, so shared between tests. */
const forwardWalks = new Map<number, Promise<Page<WireItem>[]>>();
function forwardWalk(limit: number): Promise<Page<WireItem>[]> {
  let walk = forwardWalks.get(limit);
  if (walk === undefined) {
    walk = walkForward<WireItem>(mock.client, itemsPath, { limit });
    forwardWalks.set(limit, walk);
  }
  return walk;
}

function entriesOf(pages: readonly Page<WireItem>[]): string[] {
  return pages.flatMap((page) => page.data.map((item) => item.accountingEntryId));
}

async function expectError(client: TestMock['client'], path: string, status: number, type: string, message: RegExp): Promise<void> {
  const response = await client.get<ExceptionInfo>(path);
  expect({ status: response.status, type: response.body.type }).toEqual({ status, type });
  expect(response.body.message).toMatch(message);
}

describe('cursor paging through the items of a job with more than 150 items', () => {
  it('has a job whose item count matches numberOfItems', () => {
    expect(bigJobEntries.length).toBe(bigJob.numberOfItems);
    expect(bigJobEntries.length).toBeGreaterThan(150);
  });

  it.each(LIMITS)('forwards with limit=%i via after=endCursor: every item once, no gaps, correct flags and cursors', async (limit) => {
    const pages = await forwardWalk(limit);
    const total = bigJobEntries.length;
    expect(pages).toHaveLength(Math.ceil(total / limit));
    const seen = entriesOf(pages);
    expect(duplicates(seen)).toEqual([]);
    expect(sorted(seen)).toEqual(sorted(bigJobEntries));
    pages.forEach((page, index) => {
      const first = index === 0;
      const last = index === pages.length - 1;
      expect(page.pagination.total).toBe(total);
      expect(page.data.length).toBe(last ? total - limit * (pages.length - 1) : limit);
      expect(page.pagination.hasPreviousPage, `page ${index} hasPreviousPage`).toBe(!first);
      expect(page.pagination.hasNextPage, `page ${index} hasNextPage`).toBe(!last);
      expect(page.pagination.startCursor).toMatch(CURSOR_PATTERN);
      expect(page.pagination.endCursor).toMatch(CURSOR_PATTERN);
      expect(page.pagination.currentRequestPagination.limit).toBe(limit);
      expect(page.pagination.currentRequestPagination.parameters).toEqual({ jobId: [bigJob.id] });
      expect(page.data.every((item) => item.exportJobId === bigJob.id)).toBe(true);
      if (limit === 1) expect(page.pagination.startCursor).toBe(page.pagination.endCursor);
      if (!first) expect(page.pagination.currentRequestPagination.after).toBe(pages[index - 1]?.pagination.endCursor);
    });
  });

  it.each(LIMITS)('backwards with limit=%i via before=startCursor from the last page: the same rows in the same order', async (limit) => {
    const forward = await forwardWalk(limit);
    const lastPage = forward[forward.length - 1];
    const start = lastPage?.pagination.startCursor;
    if (lastPage === undefined || start === undefined) throw new Error('no last page');
    const backward = await walkBackward<WireItem>(mock.client, itemsPath, { limit }, start);
    // Fetched last-first; put them back in list order and add the last page itself.
    const inOrder = [...backward].reverse();
    const seen = [...entriesOf(inOrder), ...lastPage.data.map((item) => item.accountingEntryId)];
    expect(duplicates(seen)).toEqual([]);
    expect(seen).toEqual(entriesOf(forward));
    backward.forEach((page, index) => {
      const first = index === backward.length - 1;
      expect(page.pagination.total).toBe(bigJobEntries.length);
      expect(page.pagination.hasNextPage, `backward page ${index} hasNextPage`).toBe(true);
      expect(page.pagination.hasPreviousPage, `backward page ${index} hasPreviousPage`).toBe(!first);
      expect(page.pagination.startCursor).toMatch(CURSOR_PATTERN);
      expect(page.pagination.endCursor).toMatch(CURSOR_PATTERN);
    });
  });

  it('answers an empty page past the end (after the last endCursor) and before the start (before the first startCursor)', async () => {
    const forward = await forwardWalk(100);
    const end = forward[forward.length - 1]?.pagination.endCursor;
    const start = forward[0]?.pagination.startCursor;
    if (end === undefined || start === undefined) throw new Error('no cursors');
    const past = await mock.client.get<Page<WireItem>>(withQuery(itemsPath, { after: end }));
    expect(past.body.data).toEqual([]);
    expect(past.body.pagination).toMatchObject({ hasNextPage: false, hasPreviousPage: true, total: bigJobEntries.length });
    expect(past.body.pagination.startCursor).toBeUndefined();
    expect(past.body.pagination.endCursor).toBeUndefined();
    const before = await mock.client.get<Page<WireItem>>(withQuery(itemsPath, { before: start }));
    expect(before.body.data).toEqual([]);
    expect(before.body.pagination).toMatchObject({ hasNextPage: true, hasPreviousPage: false, total: bigJobEntries.length });
  });

  it.each([7, 20])('offset paging (limit=%i) gives the same order as cursor paging', async (limit) => {
    const cursorOrder = entriesOf(await forwardWalk(100));
    const offsetOrder: string[] = [];
    for (let offset = 0; offset < cursorOrder.length; offset += limit) {
      const response = await mock.client.get<Page<WireItem>>(withQuery(itemsPath, { offset, limit }));
      const { pagination } = response.body;
      expect(pagination.total).toBe(cursorOrder.length);
      expect(pagination.hasPreviousPage).toBe(offset > 0);
      expect(pagination.hasNextPage).toBe(offset + limit < cursorOrder.length);
      expect(pagination.currentRequestPagination.offset).toBe(offset);
      offsetOrder.push(...response.body.data.map((item) => item.accountingEntryId));
    }
    expect(offsetOrder).toEqual(cursorOrder);
  });

  it('answers an empty page with the total for an offset past the end', async () => {
    const response = await mock.client.get<Page<WireItem>>(withQuery(itemsPath, { offset: 10_000, limit: 5 }));
    expect(response.body.data).toEqual([]);
    expect(response.body.pagination).toMatchObject({ total: bigJobEntries.length, hasNextPage: false });
  });

  it('allows limit=0: no rows, no cursors, the total still given', async () => {
    const response = await mock.client.get<Page<WireItem>>(withQuery(itemsPath, { limit: 0 }));
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([]);
    expect(response.body.pagination.total).toBe(bigJobEntries.length);
    expect(response.body.pagination.hasNextPage).toBe(true);
    expect(response.body.pagination.startCursor).toBeUndefined();
    expect(response.body.pagination.currentRequestPagination.limit).toBe(0);
  });
});

describe('the status filter on items', () => {
  it.each(['pending', 'successful', 'failed', 'in_progress', 'abandoned'])('?status=%s returns exactly the items of that status, paged', async (status) => {
    const job = state.jobs.find((candidate) => candidate.status === 'in_progress');
    if (job === undefined) throw new Error('no in_progress job');
    const expected = state.items.filter((item) => item.exportJobId === job.id && item.status === status).map((item) => item.accountingEntryId);
    const path = `/v3/export-jobs/${job.id}/items`;
    const pages = await walkForward<WireItem>(mock.client, path, { status, limit: 3 });
    const seen = entriesOf(pages);
    expect(duplicates(seen)).toEqual([]);
    expect(sorted(seen)).toEqual(sorted(expected));
    expect(pages.flatMap((page) => page.data).every((item) => item.status === status)).toBe(true);
    for (const page of pages) {
      expect(page.pagination.total).toBe(expected.length);
      expect(page.pagination.currentRequestPagination.parameters).toEqual({ jobId: [job.id], status: [status] });
    }
  });

  it('the in_progress job has successful, failed and pending items (so the filter is exercised)', () => {
    const job = state.jobs.find((candidate) => candidate.status === 'in_progress');
    const statuses = new Set(state.items.filter((item) => item.exportJobId === job?.id).map((item) => item.status));
    expect([...statuses].sort()).toEqual(['failed', 'pending', 'successful']);
  });
});

describe('cursor paging of the jobs list under every sort', () => {
  const keys = ['createdAt', 'lastUpdatedAt', 'startedAt', 'completedAt', 'expiredAt', 'status', 'numberOfItems'];
  const orders = ['ASC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST'];
  it.each(keys)('walking %s in every order with limit=4 (across null values) equals the single-page order', async (key) => {
    for (const order of orders) {
      const query: Record<string, QueryValue> = { sorting_keys: key, sorting_order: order };
      const single = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { ...query, limit: 100 }));
      const expected = single.body.data.map((job) => job.id);
      const pages = await walkForward<WireJob>(mock.client, '/v3/export-jobs', { ...query, limit: 4 });
      expect(pages.flatMap((page) => page.data.map((job) => job.id)), `${key} ${order} forwards`).toEqual(expected);
      const last = pages[pages.length - 1]?.pagination.startCursor;
      if (last === undefined) throw new Error('no last page');
      const backward = await walkBackward<WireJob>(mock.client, '/v3/export-jobs', { ...query, limit: 4 }, last);
      const backwardIds = [...backward].reverse().flatMap((page) => page.data.map((job) => job.id));
      expect([...backwardIds, ...(pages[pages.length - 1]?.data.map((job) => job.id) ?? [])], `${key} ${order} backwards`).toEqual(expected);
      for (const page of pages) {
        expect(page.pagination.startCursor).toMatch(CURSOR_PATTERN);
        expect(page.pagination.endCursor).toMatch(CURSOR_PATTERN);
      }
    }
  });
});

describe('cursor paging of an items list under every sort', () => {
  const orders = ['ASC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST'];
  it.each(['accountingEntryId', 'status', 'exportedAt'])('walking %s in every order with limit=7 equals the single-page order', async (key) => {
    const job = state.jobs.find((candidate) => candidate.status === 'in_progress');
    if (job === undefined) throw new Error('no in_progress job');
    const path = `/v3/export-jobs/${job.id}/items`;
    for (const order of orders) {
      const query: Record<string, QueryValue> = { sorting_keys: key, sorting_order: order };
      const single = await mock.client.get<Page<WireItem>>(withQuery(path, { ...query, limit: 100 }));
      expect(single.body.data).toHaveLength(job.numberOfItems);
      const expected = single.body.data.map((item) => item.accountingEntryId);
      const pages = await walkForward<WireItem>(mock.client, path, { ...query, limit: 7 });
      expect(entriesOf(pages), `${key} ${order}`).toEqual(expected);
    }
  });

  it('sorts items by exportedAt with nulls where the order puts them', async () => {
    const job = state.jobs.find((candidate) => candidate.status === 'in_progress');
    if (job === undefined) throw new Error('no in_progress job');
    const path = `/v3/export-jobs/${job.id}/items`;
    const asc = await mock.client.get<Page<WireItem>>(withQuery(path, { sorting_keys: 'exportedAt', sorting_order: 'ASC', limit: 100 }));
    const values = asc.body.data.map((item) => item.exportedAt);
    const firstNull = values.indexOf(null);
    expect(firstNull).toBeGreaterThan(0);
    expect(values.slice(firstNull).every((value) => value === null)).toBe(true);
    const times = values.slice(0, firstNull).map((value) => Date.parse(value ?? ''));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const desc = await mock.client.get<Page<WireItem>>(withQuery(path, { sorting_keys: 'exportedAt', sorting_order: 'DESC', limit: 100 }));
    expect(desc.body.data[0]?.exportedAt).toBeNull();
    expect(desc.body.data[desc.body.data.length - 1]?.exportedAt).not.toBeNull();
  });

  it('accepts cursors sent as they are, without percent-encoding their = and ~', async () => {
    const first = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { sorting_keys: 'startedAt', sorting_order: 'ASC_NULLS_FIRST', limit: 1 }));
    const cursor = first.body.pagination.endCursor;
    if (cursor === undefined) throw new Error('no cursor');
    // The first row under nulls-first has a null startedAt: its cursor carries the null marker.
    expect(first.body.data[0]?.startedAt).toBeNull();
    expect(cursor).toContain('~');
    expect(cursor).toContain('=');
    const raw = await mock.client.get<Page<WireJob>>(`/v3/export-jobs?sorting_keys=startedAt&sorting_order=ASC_NULLS_FIRST&limit=3&after=${cursor}`);
    const encoded = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { sorting_keys: 'startedAt', sorting_order: 'ASC_NULLS_FIRST', limit: 3, after: cursor }));
    expect(raw.status).toBe(200);
    expect(raw.body.data.map((job) => job.id)).toEqual(encoded.body.data.map((job) => job.id));
    expect(raw.body.data).toHaveLength(3);
    expect(raw.body.pagination.currentRequestPagination.after).toBe(cursor);
  });
});

describe('stability while rows change between pages', () => {
  // Each test mutates a fresh server of the same (default) seed, so bigJob and itemsPath name the same job there.
  it('marking items of a job through v1 while paging them in the default order neither repeats nor skips an item', async () => {
    const own = await startMock();
    try {
      const seen: string[] = [];
      let after: string | undefined;
      let round = 0;
      for (;;) {
        const response = await own.client.get<Page<WireItem>>(withQuery(itemsPath, { limit: 10, after }));
        const page = response.body;
        expect(page.pagination.total).toBe(bigJobEntries.length);
        seen.push(...page.data.map((item) => item.accountingEntryId));
        // Change rows behind the cursor (just read) and ahead of it (not read yet).
        const ahead = bigJobEntries.filter((entry) => !seen.includes(entry)).slice(round * 3, round * 3 + 3);
        const body = [...page.data.slice(0, 5).map((item) => item.accountingEntryId), ...ahead].map((accountingEntryId, index) => ({
          accountingEntryId,
          status: index % 2 === 0 ? 'successful' : 'failed',
        }));
        const update = await own.client.put<ItemUpdateResponse>(`/v1/export-jobs/${bigJob.id}/items`, body);
        expect(update.status).toBe(200);
        expect(update.body.errors).toEqual([]);
        round++;
        if (!page.pagination.hasNextPage) break;
        after = page.pagination.endCursor;
      }
      expect(duplicates(seen)).toEqual([]);
      expect(sorted(seen)).toEqual(sorted(bigJobEntries));
    } finally {
      await own.close();
    }
  });

  it('paging ?status=pending while marking each page successful visits every pending item exactly once', async () => {
    const own = await startMock();
    try {
      const seen: string[] = [];
      const totals: number[] = [];
      let after: string | undefined;
      for (;;) {
        const response = await own.client.get<Page<WireItem>>(withQuery(itemsPath, { status: 'pending', limit: 25, after }));
        const page = response.body;
        totals.push(page.pagination.total ?? -1);
        expect(page.data.every((item) => item.status === 'pending')).toBe(true);
        seen.push(...page.data.map((item) => item.accountingEntryId));
        if (page.data.length > 0) {
          const update = await own.client.put<ItemUpdateResponse>(
            `/v1/export-jobs/${bigJob.id}/items`,
            page.data.map((item) => ({ accountingEntryId: item.accountingEntryId, status: 'successful' })),
          );
          expect(update.body.data).toHaveLength(page.data.length);
        }
        if (!page.pagination.hasNextPage) break;
        after = page.pagination.endCursor;
      }
      expect(duplicates(seen)).toEqual([]);
      expect(sorted(seen)).toEqual(sorted(bigJobEntries));
      // total counts the rows matching now: it shrinks as pages are marked.
      expect(totals[0]).toBe(bigJobEntries.length);
      expect(totals[1]).toBe(bigJobEntries.length - 25);
      const after2 = await own.client.get<Page<WireItem>>(withQuery(itemsPath, { status: 'pending' }));
      expect(after2.body.data).toEqual([]);
      expect(after2.body.pagination.total).toBe(0);
    } finally {
      await own.close();
    }
  });

  it('paging a jobs list with many same-time jobs while their lastUpdatedAt changes neither repeats nor skips a job', async () => {
    const built = buildState({ companies: 4, jobsPerCompany: 12, itemsPerActiveJob: 5, tie: 5 });
    const own = await startMock({ state: built, startTime: BUILT_STATE_NOW });
    try {
      const active = built.jobs.filter((job) => job.status === 'pending' || job.status === 'in_progress');
      expect(active).toHaveLength(4);
      const seen: string[] = [];
      let after: string | undefined;
      let round = 0;
      for (;;) {
        const response = await own.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { limit: 3, after }));
        const page = response.body;
        expect(page.pagination.total).toBe(built.jobs.length);
        seen.push(...page.data.map((job) => job.id));
        const target = active[round % active.length];
        const entry = built.items.find((item) => item.exportJobId === target?.id);
        if (target === undefined || entry === undefined) throw new Error('no active job item');
        const update = await own.client.put<ItemUpdateResponse>(`/v1/export-jobs/${target.id}/items`, [
          { accountingEntryId: entry.accountingEntryId, status: 'in_progress' },
        ]);
        expect(update.body.data).toHaveLength(1);
        round++;
        if (!page.pagination.hasNextPage) break;
        after = page.pagination.endCursor;
      }
      expect(duplicates(seen)).toEqual([]);
      expect(sorted(seen)).toEqual(sorted(built.jobs.map((job) => job.id)));
      const times = seen.map((id) => built.jobs.find((job) => job.id === id)?.createdAt ?? Number.NaN);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    } finally {
      await own.close();
    }
  });
});

describe('invalid paging parameters', () => {
  let cursor: string;
  beforeAll(async () => {
    const response = await mock.client.get<Page<WireItem>>(withQuery(itemsPath, { limit: 2 }));
    const end = response.body.pagination.endCursor;
    if (end === undefined) throw new Error('no cursor');
    cursor = end;
  });

  it.each([
    ['before and after', (c: string) => ({ before: c, after: c }), /before.*after/],
    ['after and offset', (c: string) => ({ after: c, offset: 2 }), /after.*offset/],
    ['before and offset', (c: string) => ({ before: c, offset: 2 }), /before.*offset/],
    ['before, after and offset', (c: string) => ({ before: c, after: c, offset: 0 }), /before.*after.*offset/],
  ])('refuses %s together with 400 INVALID_PAGINATION', async (_name, query, message) => {
    await expectError(mock.client, withQuery(itemsPath, query(cursor)), 400, 'INVALID_PAGINATION', message);
    await expectError(mock.client, withQuery('/v3/export-jobs', query(cursor)), 400, 'INVALID_PAGINATION', message);
  });

  it('refuses sorting_keys without an equal-length sorting_order with 400 INVALID_PAGINATION', async () => {
    await expectError(mock.client, withQuery('/v3/export-jobs', { sorting_keys: 'status' }), 400, 'INVALID_PAGINATION', /sorting_order/);
    await expectError(mock.client, withQuery('/v3/export-jobs', { sorting_keys: ['status', 'createdAt'], sorting_order: 'ASC' }), 400, 'INVALID_PAGINATION', /sorting_order/);
    await expectError(mock.client, withQuery('/v3/export-jobs', { sorting_order: 'ASC' }), 400, 'INVALID_PAGINATION', /sorting_order/);
    await expectError(mock.client, withQuery(itemsPath, { sorting_keys: 'status', sorting_order: ['ASC', 'DESC'] }), 400, 'INVALID_PAGINATION', /sorting_order/);
  });

  it('refuses an unknown sorting key with 400 INVALID_PAGINATION naming the key', async () => {
    await expectError(mock.client, withQuery('/v3/export-jobs', { sorting_keys: 'colour', sorting_order: 'ASC' }), 400, 'INVALID_PAGINATION', /colour/);
    // createdAt sorts jobs, but is not a sorting key of items.
    await expectError(mock.client, withQuery(itemsPath, { sorting_keys: 'createdAt', sorting_order: 'ASC' }), 400, 'INVALID_PAGINATION', /createdAt/);
  });

  it('refuses an unknown sorting_order value with 400 naming sorting_order', async () => {
    const response = await mock.client.get<ExceptionInfo>(withQuery('/v3/export-jobs', { sorting_keys: 'status', sorting_order: 'UP' }));
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/sorting_order/);
  });

  it.each(['after', 'before'])('refuses a garbage %s cursor (AAAA) with 400 INVALID_CURSOR naming the parameter', async (name) => {
    await expectError(mock.client, withQuery(itemsPath, { [name]: 'AAAA' }), 400, 'INVALID_CURSOR', new RegExp(`^${name}\\b`));
    await expectError(mock.client, withQuery('/v3/export-jobs', { [name]: 'AAAA' }), 400, 'INVALID_CURSOR', new RegExp(`^${name}\\b`));
  });

  it('refuses a lowercase cursor with 400 INVALID_CURSOR', async () => {
    await expectError(mock.client, withQuery(itemsPath, { after: cursor.toLowerCase() }), 400, 'INVALID_CURSOR', /after/);
  });

  it('refuses a cursor of another sort order (status ASC used with status DESC, or with the default order)', async () => {
    const asc = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { sorting_keys: 'status', sorting_order: 'ASC', limit: 2 }));
    const ascCursor = asc.body.pagination.endCursor;
    if (ascCursor === undefined) throw new Error('no cursor');
    await expectError(mock.client, withQuery('/v3/export-jobs', { sorting_keys: 'status', sorting_order: 'DESC', after: ascCursor }), 400, 'INVALID_CURSOR', /after/);
    await expectError(mock.client, withQuery('/v3/export-jobs', { after: ascCursor }), 400, 'INVALID_CURSOR', /after/);
    await expectError(mock.client, withQuery('/v3/export-jobs', { sorting_keys: 'createdAt', sorting_order: 'DESC', before: ascCursor }), 400, 'INVALID_CURSOR', /before/);
    const plain = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { limit: 2 }));
    const plainCursor = plain.body.pagination.endCursor;
    if (plainCursor === undefined) throw new Error('no cursor');
    await expectError(mock.client, withQuery('/v3/export-jobs', { sorting_keys: 'status', sorting_order: 'ASC', after: plainCursor }), 400, 'INVALID_CURSOR', /after/);
  });

  it('refuses a jobs-list cursor on an items list under the same explicit sort (status ASC)', async () => {
    const jobs = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { sorting_keys: 'status', sorting_order: 'ASC', limit: 2 }));
    const jobCursor = jobs.body.pagination.endCursor;
    if (jobCursor === undefined) throw new Error('no cursor');
    await expectError(mock.client, withQuery(itemsPath, { sorting_keys: 'status', sorting_order: 'ASC', after: jobCursor }), 400, 'INVALID_CURSOR', /after/);
  });

  // Server bug (see report): in the default order, jobs-list and items-list cursors have the same
  // shape (timestamp + uuid) and nothing ties them to their list, so a jobs cursor is accepted on
  // an items list and silently lands somewhere in it.
  it('refuses a jobs-list cursor (default order) on an items list with 400 INVALID_CURSOR', async () => {
    const jobs = await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { limit: 1 }));
    const jobCursor = jobs.body.pagination.endCursor;
    if (jobCursor === undefined) throw new Error('no cursor');
    expect(jobCursor).toMatch(CURSOR_PATTERN);
    await expectError(mock.client, withQuery(itemsPath, { after: jobCursor }), 400, 'INVALID_CURSOR', /after/);
  });

  it.each([
    ['limit', '-1'],
    ['limit', 'abc'],
    ['limit', '1.5'],
    ['offset', '-1'],
    ['offset', 'abc'],
  ])('refuses %s=%s with 400 INVALID_PARAMETER naming the parameter', async (name, value) => {
    await expectError(mock.client, `${itemsPath}?${name}=${value}`, 400, 'INVALID_PARAMETER', new RegExp(`^${name}\\b`));
    await expectError(mock.client, `/v3/export-jobs?${name}=${value}`, 400, 'INVALID_PARAMETER', new RegExp(`^${name}\\b`));
  });

  it('answers 404 EXPORT_NOT_FOUND for the items of an unknown job', async () => {
    await expectError(mock.client, '/v3/export-jobs/00000000-0000-4000-8000-00000000dead/items', 404, 'EXPORT_NOT_FOUND', /^Export job not found\.$/);
  });
});
