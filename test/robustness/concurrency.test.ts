/**
 * Many clients at once on the same job and the same lists: exactly one `started` (and one
 * completion) wins, parallel item batches serialise without losing an update, and a client
 * paging through a list while others add jobs and change item statuses sees every row that
 * existed throughout exactly once. Each scenario runs in its own tenant (Bearer token), and a
 * bystander tenant holding the same ids checks that none of it leaks across.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureDocument } from '../../src/index.js';
import { duplicates, readAllItems, sorted, testUuid, walkForward, withQuery, type DataResponse, type ExceptionInfo, type ItemUpdateResponse, type Page, type WireItem, type WireJob } from '../http/http-helpers.js';
import { startMock, type TestMock } from '../support/mock.js';
import type { SpecResponse } from '../support/spec-client.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

async function loadState(token: string, document: FixtureDocument): Promise<void> {
  const response = await mock.client.put('/__admin/state', document, { headers: bearer(token) });
  expect(response.status).toBe(200);
}

async function jobs(token: string, query: Record<string, string | number> = {}): Promise<WireJob[]> {
  const pages = await walkForward<WireJob>(mock.client, '/v3/export-jobs', { limit: 100, ...query }, bearer(token));
  return pages.flatMap((page) => page.data);
}

async function job(token: string, id: string): Promise<WireJob> {
  const response = await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${id}`, { headers: bearer(token) });
  expect(response.status).toBe(200);
  return response.body.data;
}

/** Statuses of responses, counted. */
function countStatuses(responses: readonly SpecResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
}

describe('parallel events on one job', () => {
  it('20 parallel `started` events on a pending job: exactly one 202, 19 × 422, the job in_progress once', async () => {
    const token = 'concurrency-started';
    const [pending] = await jobs(token, { statuses: 'pending' });
    if (pending === undefined) throw new Error('the default scenario has no pending job');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        mock.client.post<ExceptionInfo | undefined>(`/${index % 2 === 0 ? 'v3' : 'v2'}/export-job-events`, { jobId: pending.id, event: 'started' }, { headers: bearer(token) }),
      ),
    );
    expect(countStatuses(responses)).toEqual({ 202: 1, 422: 19 });
    for (const response of responses.filter((candidate) => candidate.status === 422)) expect(response.body?.type).toBe('INVALID_EXPORT_JOB_STATUS_CHANGE');
    const after = await job(token, pending.id);
    expect(after.status).toBe('in_progress');
    expect(after.startedAt).not.toBeNull();
    // The journal agrees: one accepted start, recorded once.
    const journal = await mock.client.get<{ data: { status: number; operationId: string | null }[] }>('/__admin/requests', { headers: bearer(token) });
    const events = journal.body.data.filter((entry) => entry.operationId?.startsWith('createExportJobEvent') === true);
    expect(events.length).toBe(20);
    expect(events.filter((entry) => entry.status === 202).length).toBe(1);
    // Another tenant, and the default one, still see the job pending.
    expect((await job('concurrency-started-bystander', pending.id)).status).toBe('pending');
    expect((await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${pending.id}`)).body.data.status).toBe('pending');
  });

  it('20 parallel completion events on an in_progress job: exactly one wins, and the job ends in the winner\'s status', async () => {
    const token = 'concurrency-completion';
    const [active] = await jobs(token, { statuses: 'in_progress' });
    if (active === undefined) throw new Error('the default scenario has no in_progress job');
    const events = Array.from({ length: 20 }, (_, index) => (index % 3 === 0 ? 'completed_with_errors' : index % 3 === 1 ? 'completed' : 'failed'));
    const responses = await Promise.all(
      events.map((event, index) => mock.client.post(`/${index % 2 === 0 ? 'v3' : 'v2'}/export-job-events`, { jobId: active.id, event, failureReasonType: 'validation_failure', failureReason: `writer ${index}` }, { headers: bearer(token) })),
    );
    expect(countStatuses(responses)).toEqual({ 202: 1, 422: 19 });
    const winner = responses.findIndex((response) => response.status === 202);
    const after = await job(token, active.id);
    expect(after.status).toBe(events[winner]);
    if (after.status === 'failed') expect(after.failureReason).toBe(`writer ${winner}`);
    else expect(after.failureReason).toBeNull();
    expect((await job('concurrency-completion-bystander', active.id)).status).toBe('in_progress');
  });

  it('20 parallel job creations for one new company: exactly one 201, the others 409 EXPORT_ALREADY_IN_PROGRESS', async () => {
    const token = 'concurrency-create';
    const companyId = testUuid(9, 1);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        mock.client.post<DataResponse<WireJob> | ExceptionInfo>(`/${index % 2 === 0 ? 'v3' : 'v2'}/export-jobs`, { companyId, accountingEntryIds: [testUuid(8, index)] }, { headers: bearer(token) }),
      ),
    );
    expect(countStatuses(responses)).toEqual({ 201: 1, 409: 19 });
    for (const response of responses) if (response.status === 409) expect((response.body as ExceptionInfo).type).toBe('EXPORT_ALREADY_IN_PROGRESS');
    expect((await jobs(token, { company_id: companyId })).length).toBe(1);
    expect((await jobs('concurrency-create-bystander', { company_id: companyId })).length).toBe(0);
  });
});

describe('parallel item batches on one job', () => {
  it('16 writers with overlapping batches: every PUT answers 200 with its own values, the final state is one serial order of the writers, nothing is lost', async () => {
    const token = 'concurrency-items';
    await loadState(token, { jobs: [{ status: 'in_progress', itemCount: 150 }] });
    const [active] = await jobs(token);
    if (active === undefined) throw new Error('no job loaded');
    const entries = (await readAllItems(mock.client, active.id, bearer(token))).map((item) => item.accountingEntryId);
    expect(entries.length).toBe(150);

    // Writer w reports 60 consecutive entries from 9w (wrapping), so neighbours overlap heavily
    // and some entries (those no window covers) stay untouched.
    const WRITERS = 16;
    const batches = Array.from({ length: WRITERS }, (_, writer) => Array.from({ length: 60 }, (_, offset) => entries[(writer * 9 + offset) % 140] ?? ''));
    const valueOf = (writer: number, entry: string): ItemUpdate => ({
      accountingEntryId: entry,
      status: writer % 2 === 0 ? 'successful' : 'failed',
      externalId: `w${writer}:${entry.slice(0, 8)}`,
      ...(writer % 2 === 0 ? { exportedAt: `2026-01-05T08:${String(10 + writer).padStart(2, '0')}:00Z` } : { failureReasonType: 'validation_failure', failureReason: `writer ${writer}` }),
    });
    const versions = ['v3', 'v2', 'v1'] as const;
    const responses = await Promise.all(
      batches.map((batch, writer) => mock.client.put<ItemUpdateResponse>(`/${versions[writer % 3] ?? 'v3'}/export-jobs/${active.id}/items`, batch.map((entry) => valueOf(writer, entry)), { headers: bearer(token) })),
    );

    // Each answer is 200 and shows exactly what its writer wrote, in request order.
    responses.forEach((response, writer) => {
      expect(response.status).toBe(200);
      expect(response.body.errors).toEqual([]);
      expect(response.body.data.map((item) => [item.accountingEntryId, item.status, item.externalId])).toEqual(batches[writer]?.map((entry) => [entry, valueOf(writer, entry).status, valueOf(writer, entry).externalId]));
    });

    const final = new Map((await readAllItems(mock.client, active.id, bearer(token))).map((item) => [item.accountingEntryId, item]));
    const writersOf = new Map<string, number[]>();
    batches.forEach((batch, writer) => {
      for (const entry of batch) writersOf.set(entry, [...(writersOf.get(entry) ?? []), writer]);
    });
    // Precedence: the writer whose value an item holds came after every other writer of that item.
    const after = new Map<number, Set<number>>(Array.from({ length: WRITERS }, (_, writer) => [writer, new Set<number>()]));
    for (const entry of entries) {
      const item = final.get(entry);
      if (item === undefined) throw new Error(`item ${entry} disappeared`);
      const writers = writersOf.get(entry) ?? [];
      if (writers.length === 0) {
        expect(item.status, `untouched ${entry}`).toBe('pending');
        expect(item.externalId).toBeNull();
        continue;
      }
      const winner = writers.find((writer) => valueOf(writer, entry).externalId === item.externalId);
      expect(winner, `${entry} holds ${String(item.externalId)}, which none of its writers ${writers.join(',')} wrote`).toBeDefined();
      if (winner === undefined) continue;
      // No torn write: every field comes from the same writer.
      const expected = valueOf(winner, entry);
      expect(item.status).toBe(expected.status);
      expect(item.failureReason ?? undefined).toBe(expected.failureReason);
      if (expected.exportedAt !== undefined) expect(item.exportedAt).toBe(expected.exportedAt);
      for (const other of writers) if (other !== winner) after.get(winner)?.add(other);
    }
    const order = topologicalOrder(after);
    expect(order, 'the final values admit no serial order of the writers').toBeDefined();
    // In that order, each PUT's answer holds in the final state wherever no later writer touched the item.
    const position = new Map((order ?? []).map((writer, index) => [writer, index]));
    responses.forEach((response, writer) => {
      for (const item of response.body.data) {
        const later = (writersOf.get(item.accountingEntryId) ?? []).some((other) => (position.get(other) ?? -1) > (position.get(writer) ?? -1));
        if (!later) expect(final.get(item.accountingEntryId)?.externalId, `${item.accountingEntryId} after writer ${writer}`).toBe(item.externalId);
      }
    });

    // Every request was recorded once, and the job stayed in_progress.
    const journal = await mock.client.get<{ data: { operationId: string | null; status: number }[] }>('/__admin/requests', { headers: bearer(token) });
    expect(journal.body.data.filter((entry) => entry.operationId?.startsWith('updateExportJobItems') === true).map((entry) => entry.status)).toEqual(Array.from({ length: WRITERS }, () => 200));
    expect((await job(token, active.id)).status).toBe('in_progress');
    // A bystander holding the same fixture (same ids) sees none of it.
    await loadState(`${token}-bystander`, { jobs: [{ status: 'in_progress', itemCount: 150 }] });
    const bystander = await readAllItems(mock.client, active.id, bearer(`${token}-bystander`));
    expect(bystander.length).toBe(150);
    expect(bystander.every((item) => item.status === 'pending' && item.externalId === null)).toBe(true);
  });
});

/** One entry of an item update (`UpdateExportJobItemV3`). */
interface ItemUpdate {
  readonly accountingEntryId: string;
  readonly status: string;
  readonly externalId: string;
  readonly exportedAt?: string;
  readonly failureReasonType?: string;
  readonly failureReason?: string;
}

/** A topological order of "must come before" edges (key after every member of its set), or undefined when there is a cycle. */
function topologicalOrder(after: ReadonlyMap<number, ReadonlySet<number>>): number[] | undefined {
  const order: number[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (node: number): boolean => {
    if (state.get(node) === 'done') return true;
    if (state.get(node) === 'visiting') return false;
    state.set(node, 'visiting');
    for (const before of after.get(node) ?? []) if (!visit(before)) return false;
    state.set(node, 'done');
    order.push(node);
    return true;
  };
  for (const node of after.keys()) if (!visit(node)) return undefined;
  return order;
}

describe('paging while others write', () => {
  const companies = Array.from({ length: 30 }, (_, index) => ({ id: testUuid(1, index + 1), name: `Paging Co ${index + 1}`, currency: 'EUR', country: 'DE' }));
  // 30 companies, each with two finished jobs; the first has the 300-item in_progress job, eight
  // others a pending job that the writers start while the list is being paged.
  const document: FixtureDocument = {
    companies,
    jobs: [
      ...companies.flatMap((company) => [{ companyId: company.id, status: 'completed' as const }, { companyId: company.id, status: 'completed_with_errors' as const }]),
      { companyId: companies[0]?.id ?? '', status: 'in_progress', itemCount: 300 },
      ...companies.slice(1, 9).map((company) => ({ companyId: company.id, status: 'pending' as const, itemCount: 3 })),
    ],
  };
  const token = 'concurrency-paging';
  const bystanderToken = 'concurrency-paging-bystander';

  it('a walk of limit 7 sees every job and item that existed throughout exactly once, and the bystander tenant sees no change', async () => {
    await loadState(token, document);
    await loadState(bystanderToken, document);
    const jobsBefore = await jobs(token);
    const big = jobsBefore.find((candidate) => candidate.numberOfItems === 300);
    if (big === undefined) throw new Error('no 300-item job');
    const itemsBefore = await readAllItems(mock.client, big.id, bearer(token));
    const pendingJobs = jobsBefore.filter((candidate) => candidate.status === 'pending');
    const bystanderJobsBefore = await jobs(bystanderToken);
    const bystanderItemsBefore = await readAllItems(mock.client, big.id, bearer(bystanderToken));

    let walking = 0;
    const walk = async <T>(path: string, query: Record<string, string | number>): Promise<T[]> => {
      walking++;
      try {
        return (await walkForward<T>(mock.client, path, { limit: 7, ...query }, bearer(token))).flatMap((page) => page.data);
      } finally {
        walking--;
      }
    };
    const writes = { created: 0, started: 0, itemBatches: 0 };
    // Writers keep going while any walk is running (and at least a few rounds), one request at a time each.
    const keepWriting = async (round: (index: number) => Promise<void>): Promise<void> => {
      for (let index = 0; (walking > 0 || index < 5) && index < 400; index++) await round(index);
    };
    const walks = Promise.all([
      walk<WireJob>('/v3/export-jobs', {}),
      walk<WireJob>('/v3/export-jobs', { sorting_keys: 'createdAt', sorting_order: 'ASC' }),
      walk<WireItem>(`/v3/export-jobs/${big.id}/items`, {}),
      walk<WireItem>(`/v3/export-jobs/${big.id}/items`, { sorting_keys: 'accountingEntryId', sorting_order: 'DESC' }),
    ]);
    const writers = Promise.all([
      keepWriting(async (index) => {
        const response = await mock.client.post('/v3/export-jobs', { companyId: testUuid(5, 1000 + index), accountingEntryIds: [testUuid(6, index)] }, { headers: bearer(token) });
        expect(response.status).toBe(201);
        writes.created++;
      }),
      keepWriting(async (index) => {
        const pending = pendingJobs[index];
        if (pending === undefined) return;
        const response = await mock.client.post('/v3/export-job-events', { jobId: pending.id, event: 'started' }, { headers: bearer(token) });
        expect(response.status).toBe(202);
        writes.started++;
      }),
      keepWriting(async (index) => {
        const batch = Array.from({ length: 25 }, (_, offset) => itemsBefore[(index * 37 + offset * 11) % itemsBefore.length]?.accountingEntryId ?? '');
        const status = index % 3 === 0 ? 'failed' : index % 3 === 1 ? 'successful' : 'in_progress';
        const response = await mock.client.put(`/v3/export-jobs/${big.id}/items`, [...new Set(batch)].map((accountingEntryId) => ({ accountingEntryId, status, ...(status === 'failed' ? { failureReasonType: 'account_unknown' } : {}) })), { headers: bearer(token) });
        expect(response.status).toBe(200);
        writes.itemBatches++;
      }),
    ]);
    const [[jobsByDefault, jobsByCreatedAsc, itemsByDefault, itemsByEntryDesc]] = await Promise.all([walks, writers]);
    // The writers really wrote while the walks ran: jobs were added, jobs started, items changed.
    expect(writes.created).toBeGreaterThanOrEqual(5);
    expect(writes.started).toBe(pendingJobs.length);
    expect(writes.itemBatches).toBeGreaterThanOrEqual(5);

    const jobsAfter = await jobs(token);
    const itemsAfter = await readAllItems(mock.client, big.id, bearer(token));
    expect(jobsAfter.length).toBe(jobsBefore.length + writes.created);
    expect(itemsAfter.filter((item) => item.status !== 'pending').length).toBeGreaterThan(0);

    const checkWalk = (label: string, seen: readonly string[], before: readonly string[], after: readonly string[]) => {
      expect(duplicates(seen), `${label}: rows seen twice`).toEqual([]);
      const seenSet = new Set(seen);
      expect(before.filter((id) => !seenSet.has(id)), `${label}: rows that existed throughout but were not seen`).toEqual([]);
      const afterSet = new Set(after);
      expect(seen.filter((id) => !afterSet.has(id)), `${label}: rows seen that do not exist`).toEqual([]);
    };
    checkWalk('jobs, default order', jobsByDefault.map((row) => row.id), jobsBefore.map((row) => row.id), jobsAfter.map((row) => row.id));
    checkWalk('jobs, createdAt ASC', jobsByCreatedAsc.map((row) => row.id), jobsBefore.map((row) => row.id), jobsAfter.map((row) => row.id));
    checkWalk('items, default order', itemsByDefault.map((row) => row.accountingEntryId), itemsBefore.map((row) => row.accountingEntryId), itemsAfter.map((row) => row.accountingEntryId));
    checkWalk('items, accountingEntryId DESC', itemsByEntryDesc.map((row) => row.accountingEntryId), itemsBefore.map((row) => row.accountingEntryId), itemsAfter.map((row) => row.accountingEntryId));
    // The ascending walk keeps reading while jobs are appended at its end: it may see some, never one twice.
    expect(jobsByCreatedAsc.length).toBeGreaterThanOrEqual(jobsBefore.length);

    // The bystander tenant, holding the same ids, sees exactly what it had.
    expect(await jobs(bystanderToken)).toEqual(bystanderJobsBefore);
    expect(await readAllItems(mock.client, big.id, bearer(bystanderToken))).toEqual(bystanderItemsBefore);
    expect(sorted(bystanderJobsBefore.map((row) => row.id))).toEqual(sorted(jobsBefore.map((row) => row.id)));
  });

  it('a walk sorted by item status while statuses change sees every row whose status stayed put exactly once', async () => {
    // Keyset paging follows a position in the sort order, so a row whose sort key changes during
    // the walk may move behind or ahead of the cursor (be missed, or be seen again). Every other
    // row must still be seen exactly once, and nothing that does not exist.
    const statusToken = `${token}-by-status`;
    await loadState(statusToken, document);
    const [big] = await jobs(statusToken, { statuses: 'in_progress' });
    if (big === undefined) throw new Error('no in_progress job');
    const items = await readAllItems(mock.client, big.id, bearer(statusToken));
    const changed = new Set<string>();
    const walk = { done: false };
    const walker = (async () => {
      try {
        const pages = await walkForward<WireItem>(mock.client, `/v3/export-jobs/${big.id}/items`, { limit: 7, sorting_keys: 'status', sorting_order: 'ASC' }, bearer(statusToken));
        return pages.flatMap((page) => page.data.map((item) => item.accountingEntryId));
      } finally {
        walk.done = true;
      }
    })();
    const writer = (async () => {
      for (let index = 0; !walk.done && index < 400; index++) {
        const entry = items[(index * 7) % items.length]?.accountingEntryId ?? '';
        changed.add(entry);
        const response = await mock.client.put(`/v3/export-jobs/${big.id}/items`, [{ accountingEntryId: entry, status: index % 2 === 0 ? 'successful' : 'in_progress' }], { headers: bearer(statusToken) });
        expect(response.status).toBe(200);
      }
    })();
    const [seen] = await Promise.all([walker, writer]);
    expect(changed.size).toBeGreaterThan(0);
    const steady = items.map((item) => item.accountingEntryId).filter((id) => !changed.has(id));
    const counts = new Map<string, number>();
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(steady.filter((id) => counts.get(id) !== 1), 'rows whose status never changed, not seen exactly once').toEqual([]);
    const known = new Set(items.map((item) => item.accountingEntryId));
    expect(seen.filter((id) => !known.has(id))).toEqual([]);
  });
});

describe('the default tenant after all of it', () => {
  it('is untouched by every scenario above', async () => {
    const fresh = await startMock();
    try {
      const expected = (await fresh.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { limit: 100 }))).body.data;
      const actual = (await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { limit: 100 }))).body.data;
      expect(actual).toEqual(expected);
    } finally {
      await fresh.close();
    }
  });
});
