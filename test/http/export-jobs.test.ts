/**
 * GET /v3/export-jobs (filters, default order, sorting, the request echo) and the single-job
 * look-ups GET /v3/export-jobs/{jobId} and GET /v2/export-jobs/{jobId}, over HTTP against the
 * seeded default scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord, StateSnapshot } from '../../src/core/model.js';
import { startMock, type TestMock } from '../support/mock.js';
import {
  UNKNOWN_UUID,
  sorted,
  withQuery,
  walkForward,
  type DataResponse,
  type ExceptionInfo,
  type Page,
  type WireJob,
} from './http-helpers.js';

const LIST = '/v3/export-jobs';
const JOB_STATUSES = ['pending', 'in_progress', 'failed', 'completed', 'completed_with_errors'] as const;
const PAGE_ORDERS = ['ASC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST'] as const;
type PageOrder = (typeof PAGE_ORDERS)[number];
const INSTANT_KEYS = ['createdAt', 'lastUpdatedAt', 'startedAt', 'completedAt', 'expiredAt'] as const;
const SORT_KEYS = [...INSTANT_KEYS, 'status', 'numberOfItems'] as const;
type SortKey = (typeof SORT_KEYS)[number];
type SortValue = number | string | null;

let mock: TestMock;
let state: StateSnapshot;

beforeAll(async () => {
  mock = await startMock();
  state = mock.server.store.snapshot();
});
afterAll(() => mock.close());

async function list(query: Parameters<typeof withQuery>[1]): Promise<Page<WireJob>> {
  const response = await mock.client.get<Page<WireJob>>(withQuery(LIST, query));
  expect(response.status).toBe(200);
  return response.body;
}

function idsOf(jobs: readonly { id: string }[]): string[] {
  return sorted(jobs.map((job) => job.id));
}

/** A job's value for a sort key, as comparable numbers (epoch ms) or strings. */
function valueOf(job: WireJob, key: SortKey): SortValue {
  switch (key) {
    case 'status':
      return job.status;
    case 'numberOfItems':
      return job.numberOfItems;
    default: {
      const text = job[key];
      return text === null ? null : Date.parse(text);
    }
  }
}

/** The documented semantics of PageOrder: ASC = nulls last, DESC = nulls first, explicit otherwise. */
function semantics(order: PageOrder): { descending: boolean; nullsFirst: boolean } {
  return {
    descending: order.startsWith('DESC'),
    nullsFirst: order === 'ASC_NULLS_FIRST' || order === 'DESC' || order === 'DESC_NULLS_FIRST',
  };
}

function compare(a: SortValue, b: SortValue, order: PageOrder): number {
  const { descending, nullsFirst } = semantics(order);
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  const plain = a < b ? -1 : a > b ? 1 : 0;
  return descending ? -plain : plain;
}

describe('GET /v3/export-jobs', () => {
  it('lists every job newest first (createdAt descending) by default, with total = number of jobs', async () => {
    const page = await list({ limit: 100 });
    expect(page.data).toHaveLength(state.jobs.length);
    expect(page.pagination.total).toBe(state.jobs.length);
    expect(idsOf(page.data)).toEqual(sorted(state.jobs.map((job) => job.id)));
    const times = page.data.map((job) => Date.parse(job.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBe(Math.max(...state.jobs.map((job) => job.createdAt)));
    expect(page.pagination.hasNextPage).toBe(false);
    expect(page.pagination.hasPreviousPage).toBe(false);
  });

  it('returns only the jobs of the company given as company_id, and echoes the filter', async () => {
    expect(state.companies.length).toBeGreaterThanOrEqual(2);
    for (const company of state.companies) {
      const expected = state.jobs.filter((job) => job.companyId === company.id);
      const page = await list({ company_id: company.id, limit: 100 });
      expect(page.data.every((job) => job.companyId === company.id)).toBe(true);
      expect(idsOf(page.data)).toEqual(idsOf(expected));
      expect(page.pagination.total).toBe(expected.length);
      expect(page.pagination.currentRequestPagination.parameters).toEqual({ company_id: [company.id] });
    }
  });

  it('accepts repeated statuses (?statuses=pending&statuses=in_progress) and returns jobs of any of them', async () => {
    const expected = state.jobs.filter((job) => job.status === 'pending' || job.status === 'in_progress');
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const page = await list({ statuses: ['pending', 'in_progress'], limit: 100 });
    expect(idsOf(page.data)).toEqual(idsOf(expected));
    expect(new Set(page.data.map((job) => job.status))).toEqual(new Set(['pending', 'in_progress']));
    expect(page.pagination.total).toBe(expected.length);
    expect(page.pagination.currentRequestPagination.parameters).toEqual({ statuses: ['pending', 'in_progress'] });
  });

  it.each(JOB_STATUSES)('accepts a single status (?statuses=%s)', async (status) => {
    const expected = state.jobs.filter((job) => job.status === status);
    expect(expected.length).toBeGreaterThan(0);
    const page = await list({ statuses: status, limit: 100 });
    expect(page.data.map((job) => job.status)).toEqual(expected.map(() => status));
    expect(idsOf(page.data)).toEqual(idsOf(expected));
    expect(page.pagination.total).toBe(expected.length);
    expect(page.pagination.currentRequestPagination.parameters).toEqual({ statuses: [status] });
  });

  it('combines company_id and statuses (both must match)', async () => {
    const company = state.companies[0];
    if (company === undefined) throw new Error('no company in the seeded state');
    const statuses = ['completed', 'failed'];
    const expected = state.jobs.filter((job) => job.companyId === company.id && statuses.includes(job.status));
    const page = await list({ company_id: company.id, statuses, limit: 100 });
    expect(idsOf(page.data)).toEqual(idsOf(expected));
    expect(page.pagination.total).toBe(expected.length);
    expect(page.pagination.currentRequestPagination.parameters).toEqual({ company_id: [company.id], statuses });
  });

  it('filters before paging: total is the filtered count and the pages hold exactly the filtered jobs', async () => {
    const statuses = ['completed', 'completed_with_errors'];
    const expected = state.jobs.filter((job) => statuses.includes(job.status));
    expect(expected.length).toBeGreaterThan(2);
    const pages = await walkForward<WireJob>(mock.client, LIST, { statuses, limit: 2 });
    expect(pages).toHaveLength(Math.ceil(expected.length / 2));
    for (const page of pages) {
      expect(page.pagination.total).toBe(expected.length);
      expect(page.data.length).toBeLessThanOrEqual(2);
    }
    expect(pages[0]?.data).toHaveLength(2);
    expect(pages[0]?.pagination.hasNextPage).toBe(true);
    const seen = pages.flatMap((page) => page.data);
    expect(seen.map((job) => job.id)).toHaveLength(expected.length);
    expect(idsOf(seen)).toEqual(idsOf(expected));
  });

  it('answers 200 with an empty list, total 0 and no cursors when nothing matches (unknown company)', async () => {
    const response = await mock.client.get<Page<WireJob>>(withQuery(LIST, { company_id: UNKNOWN_UUID }));
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([]);
    expect(response.body.pagination).toEqual({
      hasPreviousPage: false,
      hasNextPage: false,
      total: 0,
      currentRequestPagination: { parameters: { company_id: [UNKNOWN_UUID] }, sortingKeys: [], sortingOrder: [] },
    });
  });

  it('answers an empty list when a company has no job of the requested status', async () => {
    const company = state.companies.find((candidate) => !state.jobs.some((job) => job.companyId === candidate.id && job.status === 'pending'));
    if (company === undefined) throw new Error('every company has a pending job; the scenario changed');
    const page = await list({ company_id: company.id, statuses: 'pending' });
    expect(page.data).toEqual([]);
    expect(page.pagination.total).toBe(0);
    expect(page.pagination.startCursor).toBeUndefined();
    expect(page.pagination.endCursor).toBeUndefined();
  });

  it('echoes empty parameters and empty sorting arrays, and no limit, when the request sends none', async () => {
    const response = await mock.client.get<Page<WireJob>>(LIST);
    expect(response.body.pagination.currentRequestPagination).toEqual({ parameters: {}, sortingKeys: [], sortingOrder: [] });
  });

  it('echoes the limit as applied: as sent when within the maximum', async () => {
    const page = await list({ limit: 3 });
    expect(page.data).toHaveLength(3);
    expect(page.pagination.currentRequestPagination.limit).toBe(3);
    expect(page.pagination.hasNextPage).toBe(true);
  });

  it('echoes the limit as applied: clamped to the maximum page size (100) when larger', async () => {
    const page = await list({ limit: 5000 });
    expect(page.pagination.currentRequestPagination.limit).toBe(100);
    expect(page.data).toHaveLength(state.jobs.length);
  });

  it('echoes the sorting keys and orders that were sent', async () => {
    const page = await list({ sorting_keys: ['status', 'createdAt'], sorting_order: ['ASC', 'DESC_NULLS_LAST'] });
    expect(page.pagination.currentRequestPagination).toEqual({
      parameters: {},
      sortingKeys: ['status', 'createdAt'],
      sortingOrder: ['ASC', 'DESC_NULLS_LAST'],
    });
  });

  describe('sorting', () => {
    for (const key of SORT_KEYS) {
      it.each(PAGE_ORDERS)(`sorts by ${key} %s, nulls placed as the order says`, async (order) => {
        const page = await list({ sorting_keys: key, sorting_order: order, limit: 100 });
        expect(page.data).toHaveLength(state.jobs.length);
        const values = page.data.map((job) => valueOf(job, key));
        expect(values).toEqual([...values].sort((a, b) => compare(a, b, order)));
        expect(page.pagination.currentRequestPagination.sortingKeys).toEqual([key]);
        expect(page.pagination.currentRequestPagination.sortingOrder).toEqual([order]);
        const nulls = values.filter((value) => value === null).length;
        if (nulls > 0 && nulls < values.length) {
          // Nulls sit at the documented end, and the non-null values run the documented way.
          const nullsFirst = semantics(order).nullsFirst;
          expect(nullsFirst ? values[0] : values[values.length - 1]).toBeNull();
          expect(nullsFirst ? values[values.length - 1] : values[0]).not.toBeNull();
        }
        const nonNull = values.filter((value): value is number | string => value !== null);
        if (new Set(nonNull).size > 1) {
          const first = nonNull[0];
          const last = nonNull[nonNull.length - 1];
          if (first === undefined || last === undefined) throw new Error('unreachable');
          expect(semantics(order).descending ? first > last : first < last).toBe(true);
        }
      });
    }

    it('has nulls and non-nulls for every nullable key in the seeded state, so null placement is really exercised', () => {
      const nullable: (keyof JobRecord)[] = ['lastUpdatedAt', 'startedAt', 'completedAt', 'expiredAt'];
      for (const key of nullable) {
        const nulls = state.jobs.filter((job) => job[key] === null).length;
        expect(nulls, key).toBeGreaterThan(0);
        expect(nulls, key).toBeLessThan(state.jobs.length);
      }
    });

    it('sorts by several keys: status ascending, then createdAt descending within a status', async () => {
      const page = await list({ sorting_keys: ['status', 'createdAt'], sorting_order: ['ASC', 'DESC'], limit: 100 });
      const pairs = page.data.map((job) => [job.status, Date.parse(job.createdAt)] as const);
      const expected = [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : b[1] - a[1]));
      expect(pairs).toEqual(expected);
      expect(new Set(pairs.map(([status]) => status)).size).toBeGreaterThan(1);
    });

    it('sorts status by its text (code-unit order), not by lifecycle', async () => {
      const page = await list({ sorting_keys: 'status', sorting_order: 'ASC', limit: 100 });
      const order = [...new Set(page.data.map((job) => job.status))];
      expect(order).toEqual(['completed', 'completed_with_errors', 'failed', 'in_progress', 'pending']);
    });
  });
});

describe('page size settings', () => {
  let small: TestMock;
  beforeAll(async () => {
    small = await startMock({ defaultPageSize: 3, maxPageSize: 5 });
  });
  afterAll(() => small.close());

  it('uses defaultPageSize when no limit is sent, and echoes no limit', async () => {
    const response = await small.client.get<Page<WireJob>>(LIST);
    expect(response.body.data).toHaveLength(3);
    expect(response.body.pagination.hasNextPage).toBe(true);
    expect(response.body.pagination.currentRequestPagination).toEqual({ parameters: {}, sortingKeys: [], sortingOrder: [] });
  });

  it('clamps a larger limit to maxPageSize and echoes the clamped value', async () => {
    const response = await small.client.get<Page<WireJob>>(withQuery(LIST, { limit: 50 }));
    expect(response.body.data).toHaveLength(5);
    expect(response.body.pagination.currentRequestPagination.limit).toBe(5);
  });
});

describe('GET /v3/export-jobs/{jobId} and GET /v2/export-jobs/{jobId}', () => {
  it('return {data} equal to the job as listed, for every job, through both versions', async () => {
    const page = await list({ limit: 100 });
    expect(page.data.length).toBe(state.jobs.length);
    for (const job of page.data) {
      const v3 = await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${job.id}`);
      const v2 = await mock.client.get<DataResponse<WireJob>>(`/v2/export-jobs/${job.id}`);
      expect(v3.status).toBe(200);
      expect(v2.status).toBe(200);
      expect(v3.body).toEqual({ data: job });
      expect(v2.body).toEqual({ data: job });
    }
  });

  it('render the stored record: times as YYYY-MM-DDTHH:mm:ssZ, nulls as null', async () => {
    const record = state.jobs.find((job) => job.status === 'pending');
    if (record === undefined) throw new Error('no pending job in the seeded state');
    const response = await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${record.id}`);
    expect(response.body.data).toMatchObject({
      id: record.id,
      companyId: record.companyId,
      status: 'pending',
      numberOfItems: record.numberOfItems,
      expiresIn: 3600,
      startedAt: null,
      completedAt: null,
      lastUpdatedAt: null,
    });
    expect(response.body.data.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(response.body.data.createdAt)).toBe(record.createdAt);
  });

  it.each(['/v3/export-jobs/', '/v2/export-jobs/'])('%s{unknown uuid} answers 404 EXPORT_NOT_FOUND "Export job not found."', async (prefix) => {
    const response = await mock.client.get<ExceptionInfo>(`${prefix}${UNKNOWN_UUID}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' });
  });
});
