import { describe, expect, it } from 'vitest';
import { generateDefaultScenario } from '../fixtures/default-scenario.js';
import { ExportStore, type JobFilter } from './export-store.js';
import { REPORTABLE_ITEM_STATUSES } from './lifecycle.js';
import { EXPORT_JOB_ITEM_LIST, EXPORT_JOB_LIST } from './lists.js';
import type { ExportJobItemStatus, ItemRecord, JobRecord } from './model.js';
import { defaultSort, keyComparator, resolveSort, rowKey, type ResolvedSort } from './sorting.js';

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const scenario = generateDefaultScenario({ seed: 3, now: NOW });

/** A store with a clock the test moves and counting ids. */
function storeAt(start = NOW) {
  const clock = { now: start };
  let next = 0;
  const store = new ExportStore(scenario, {
    now: () => clock.now,
    newId: () => `00000000-0000-4000-8000-${(next++).toString(16).padStart(12, '0')}`,
  });
  return { store, clock };
}

function activeJob(store: ExportStore) {
  const job = store.snapshot().jobs.find((candidate) => candidate.status === 'pending' || candidate.status === 'in_progress');
  if (job === undefined) throw new Error('the scenario has no active job');
  return job;
}

describe('ExportStore', () => {
  it('loads a snapshot and gives it back unchanged', () => {
    const { store } = storeAt();
    const snapshot = store.snapshot();
    expect(snapshot.companies).toEqual(scenario.companies);
    expect(new Set(snapshot.jobs.map((j) => j.id))).toEqual(new Set(scenario.jobs.map((j) => j.id)));
    expect(snapshot.items).toHaveLength(scenario.items.length);
  });

  it('filters jobs by company and status, counting only matching rows', () => {
    const { store } = storeAt();
    const companyId = scenario.jobs[0]?.companyId;
    const { view } = store.jobList({ companyId, statuses: ['completed', 'completed_with_errors'] }, defaultSort(EXPORT_JOB_LIST));
    const expected = scenario.jobs.filter((j) => j.companyId === companyId && (j.status === 'completed' || j.status === 'completed_with_errors'));
    expect(view.size).toBe(expected.length);
  });

  it('applies a batch, refusing entries that are not in the job and keeping the rest', () => {
    const { store, clock } = storeAt();
    const job = activeJob(store);
    const item = scenario.items.find((candidate) => candidate.exportJobId === job.id && candidate.status === 'pending');
    if (item === undefined) throw new Error('no pending item');
    const stranger = '99999999-0000-4000-8000-000000000000';
    clock.now = NOW + 1000;
    const outcome = store.updateItems(job.id, [
      { accountingEntryId: stranger, status: 'successful' },
      { accountingEntryId: item.accountingEntryId, status: 'successful', externalId: 'V-9' },
    ]);
    expect(outcome.errors).toEqual([expect.objectContaining({ accountingEntryId: stranger, type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST' })]);
    expect(outcome.updated).toEqual([expect.objectContaining({ accountingEntryId: item.accountingEntryId, status: 'successful', exportedAt: NOW + 1000, externalId: 'V-9' })]);
    expect(store.getJob(job.id)?.lastUpdatedAt).toBe(NOW + 1000);
    const successful = store.itemList(job.id, 'successful', defaultSort(EXPORT_JOB_ITEM_LIST)).view;
    expect([...successful.tree.values()].map((i) => i.accountingEntryId)).toContain(item.accountingEntryId);
  });

  it('keeps every item list in step with a batch, whether or not an item\'s status changes', () => {
    const { store, clock } = storeAt();
    const job = store.snapshot().jobs.find((j) => j.status === 'in_progress');
    if (job === undefined) throw new Error('no in_progress job');
    const items = store.snapshot().items.filter((i) => i.exportJobId === job.id);
    const lists: [ExportJobItemStatus | undefined, ResolvedSort<ItemRecord>][] = [
      [undefined, defaultSort(EXPORT_JOB_ITEM_LIST)],
      [undefined, resolveSort(EXPORT_JOB_ITEM_LIST, ['status', 'exportedAt'], ['DESC', 'ASC'])],
      ...(['pending', 'in_progress', 'successful', 'failed'] as const).map((status): [ExportJobItemStatus, ResolvedSort<ItemRecord>] => [status, defaultSort(EXPORT_JOB_ITEM_LIST)]),
    ];
    for (const [status, sort] of lists) store.itemList(job.id, status, sort); // the views exist before the batch
    // Job lists too: the batch touches the job, which keeps its status but moves its lastUpdatedAt.
    const jobLists: [JobFilter, ResolvedSort<JobRecord>][] = [
      [{ statuses: ['in_progress'] }, defaultSort(EXPORT_JOB_LIST)],
      [{}, resolveSort(EXPORT_JOB_LIST, ['lastUpdatedAt'], ['DESC'])],
    ];
    for (const [filter, sort] of jobLists) store.jobList(filter, sort);
    clock.now = NOW + 1000;
    // Every item reported, half with the status it already has (when it may be reported), half another.
    store.updateItems(job.id, items.map((i, index) => ({
      accountingEntryId: i.accountingEntryId,
      status: index % 2 === 0 && REPORTABLE_ITEM_STATUSES.includes(i.status) ? i.status : (REPORTABLE_ITEM_STATUSES[index % 3] ?? 'failed'),
      externalId: `V-${index}`,
    })));
    const after = store.snapshot().items.filter((i) => i.exportJobId === job.id);
    expect(after.some((i, index) => i.status !== items[index]?.status)).toBe(true);
    for (const [status, sort] of lists) {
      const compare = keyComparator(sort);
      const expected = after.filter((i) => status === undefined || i.status === status).sort((a, b) => compare(rowKey(sort, a), rowKey(sort, b)));
      expect([...store.itemList(job.id, status, sort).view.tree.values()]).toEqual(expected);
    }
    const jobs = store.snapshot().jobs;
    for (const [filter, sort] of jobLists) {
      const compare = keyComparator(sort);
      const expected = jobs.filter((j) => filter.statuses === undefined || filter.statuses.includes(j.status)).sort((a, b) => compare(rowKey(sort, a), rowKey(sort, b)));
      expect([...store.jobList(filter, sort).view.tree.values()]).toEqual(expected);
    }
    expect(store.getJob(job.id)?.lastUpdatedAt).toBe(NOW + 1000);
  });

  it('does not touch the job when nothing in the batch applied', () => {
    const { store, clock } = storeAt();
    const job = activeJob(store);
    clock.now = NOW + 5000;
    store.updateItems(job.id, [{ accountingEntryId: '99999999-0000-4000-8000-000000000000', status: 'failed' }]);
    expect(store.getJob(job.id)).toEqual(job);
  });

  it('refuses updates to finished jobs and unknown jobs', () => {
    const { store } = storeAt();
    const finished = scenario.jobs.find((j) => j.status === 'completed');
    if (finished === undefined) throw new Error('no completed job');
    expect(() => store.updateItems(finished.id, [])).toThrow(expect.objectContaining({ code: 'EXPORT_JOB_STATUS_UNPROCESSABLE' }) as Error);
    expect(() => store.updateItems('00000000-0000-4000-8000-000000000000', [])).toThrow(expect.objectContaining({ code: 'EXPORT_NOT_FOUND' }) as Error);
    expect(() => store.itemList('00000000-0000-4000-8000-000000000000', undefined, defaultSort(EXPORT_JOB_ITEM_LIST))).toThrow('Export job not found.');
  });

  it('creates a pending job with one pending item per entry, and refuses a second active job for the company', () => {
    const { store } = storeAt();
    const companyId = 'aaaaaaaa-0000-4000-8000-000000000000';
    const entries = ['bbbbbbbb-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002'];
    const job = store.createJob({ companyId, accountingEntryIds: entries, createdBy: null, isInteractive: false, vendorBasedBookkeeping: true });
    expect(job).toMatchObject({ companyId, status: 'pending', createdAt: NOW, numberOfItems: 2, isInteractive: false, vendorBasedBookkeeping: true, expiresIn: 3600, lastUpdatedAt: null });
    expect([...store.itemList(job.id, 'pending', defaultSort(EXPORT_JOB_ITEM_LIST)).view.tree.values()].map((i) => i.accountingEntryId).sort()).toEqual(entries);
    expect(store.getCompany(companyId)).toMatchObject({ id: companyId, currency: 'EUR' });
    expect(() => store.createJob({ companyId, accountingEntryIds: entries, createdBy: null, isInteractive: true, vendorBasedBookkeeping: false })).toThrow(
      expect.objectContaining({ code: 'EXPORT_ALREADY_IN_PROGRESS' }) as Error,
    );
    store.applyEvent(job.id, { event: 'failed', failureReasonType: 'validation_failure' });
    expect(store.createJob({ companyId, accountingEntryIds: entries, createdBy: null, isInteractive: true, vendorBasedBookkeeping: false }).status).toBe('pending');
  });

  it('abandons unfinished items when a job fails by event, keeping finished ones', () => {
    const { store } = storeAt();
    const job = store.snapshot().jobs.find((j) => j.status === 'in_progress');
    if (job === undefined) throw new Error('no in_progress job');
    const before = store.snapshot().items.filter((i) => i.exportJobId === job.id);
    store.applyEvent(job.id, { event: 'failed' });
    const after = store.snapshot().items.filter((i) => i.exportJobId === job.id);
    expect(after.map((i) => i.status)).toEqual(before.map((i) => (i.status === 'pending' || i.status === 'in_progress' ? 'abandoned' : i.status)));
  });

  it('expires an idle job on the first read after its deadline, with no timer', () => {
    const { store, clock } = storeAt();
    const job = activeJob(store);
    const deadline = (job.lastUpdatedAt ?? job.createdAt) + job.expiresIn * 1000;
    clock.now = deadline - 1;
    expect(store.getJob(job.id)?.status).toBe(job.status);
    clock.now = deadline + 60_000;
    expect(store.getJob(job.id)).toMatchObject({ status: 'failed', failureReasonType: 'job_expired', expiredAt: deadline });
    expect(store.snapshot().items.filter((i) => i.exportJobId === job.id).some((i) => i.status === 'pending' || i.status === 'in_progress')).toBe(false);
    expect(() => store.applyEvent(job.id, { event: 'completed' })).toThrow(expect.objectContaining({ code: 'INVALID_EXPORT_JOB_STATUS_CHANGE' }) as Error);
  });

  it('an action restarts the expiry window', () => {
    const { store, clock } = storeAt();
    const job = activeJob(store);
    const deadline = (job.lastUpdatedAt ?? job.createdAt) + job.expiresIn * 1000;
    clock.now = deadline - 1000;
    store.applyEvent(job.id, job.status === 'pending' ? { event: 'started' } : { event: 'completed' });
    clock.now = deadline + 1000;
    expect(store.getJob(job.id)?.failureReasonType).not.toBe('job_expired');
  });

  it('refuses export items of a finished job and of a company without contra accounts', () => {
    const { store } = storeAt();
    const finished = scenario.jobs.find((j) => j.status === 'completed');
    if (finished === undefined) throw new Error('no completed job');
    expect(() => store.exportItemList(finished.id, defaultSort(EXPORT_JOB_ITEM_LIST))).toThrow(expect.objectContaining({ code: 'EXPORT_JOB_STATUS_UNPROCESSABLE' }) as Error);
    const unmapped = new ExportStore(
      { ...scenario, companies: scenario.companies.map((c) => ({ ...c, contraAccountsMapped: false })) },
      { now: () => NOW, newId: () => '00000000-0000-4000-8000-000000000000' },
    );
    const job = activeJob(unmapped);
    expect(() => unmapped.exportItemList(job.id, defaultSort(EXPORT_JOB_ITEM_LIST))).toThrow(expect.objectContaining({ code: 'MISSING_CONTRA_ACCOUNTS' }) as Error);
  });

  it('finds the job items of an entry in its company, most recent job first', () => {
    const { store } = storeAt();
    const job = activeJob(store);
    const item = scenario.items.find((i) => i.exportJobId === job.id);
    if (item === undefined) throw new Error('no item');
    expect(store.jobItemsForEntry(job.companyId, item.accountingEntryId)).toEqual([item]);
    expect(store.jobItemsForEntry('aaaaaaaa-0000-4000-8000-000000000000', item.accountingEntryId)).toEqual([]);
  });

  it('keeps job creation times strictly increasing when the clock stands still', () => {
    const { store } = storeAt();
    const ids = ['cccccccc-0000-4000-8000-000000000001', 'cccccccc-0000-4000-8000-000000000002', 'cccccccc-0000-4000-8000-000000000003'];
    const created = ids.map((companyId) => store.createJob({ companyId, accountingEntryIds: ['dddddddd-0000-4000-8000-000000000001'], createdBy: null, isInteractive: true, vendorBasedBookkeeping: false }));
    expect(created.map((job) => job.createdAt)).toEqual([NOW, NOW + 1, NOW + 2]);
  });
});

describe('ExportStore.clone', () => {
  /** Every write a client can make, on the store's active job and a company without one. */
  function writeEverything(store: ExportStore) {
    const job = activeJob(store);
    const items = store.snapshot().items.filter((item) => item.exportJobId === job.id);
    if (job.status === 'pending') store.applyEvent(job.id, { event: 'started' });
    store.updateItems(job.id, items.slice(0, 5).map((item) => ({ accountingEntryId: item.accountingEntryId, status: 'successful' as const })));
    store.applyEvent(job.id, { event: 'completed' });
  }

  it('starts with the same state, lists included, and its own clock', () => {
    const { store } = storeAt();
    const before = store.snapshot();
    const copy = store.clone({ now: () => NOW, newId: () => '00000000-0000-4000-8000-00000000ffff' });
    const lists = (s: ExportStore) => JSON.stringify([...s.jobList({ statuses: [] }, defaultSort(EXPORT_JOB_LIST)).view.tree.keys()]);
    expect(lists(copy)).toBe(lists(store));
    expect(copy.snapshot()).toEqual(before);
    // A copy settles against its own clock: three days on, its active jobs have expired; the source's have not.
    const later = store.clone({ now: () => NOW + 3 * 24 * 3600 * 1000, newId: () => '00000000-0000-4000-8000-00000000fffe' });
    expect(later.snapshot().jobs.some((job) => job.failureReasonType === 'job_expired' && !before.jobs.some((b) => b.id === job.id && b.status === 'failed'))).toBe(true);
    expect(store.snapshot()).toEqual(before);
  });

  it('is independent: writes to the copy leave the source as it was, and the other way round', () => {
    const { store } = storeAt();
    const before = store.snapshot();
    const copy = store.clone({ now: () => NOW, newId: () => '00000000-0000-4000-8000-00000000ffff' });
    writeEverything(copy);
    expect(store.snapshot()).toEqual(before);
    expect(copy.snapshot()).not.toEqual(before);
    const copied = copy.snapshot();
    writeEverything(store);
    expect(copy.snapshot()).toEqual(copied);
  });

  it('copyFrom puts a store back to a copy of another', () => {
    const { store } = storeAt();
    const template = store.clone({ now: () => NOW, newId: () => '00000000-0000-4000-8000-00000000ffff' });
    const before = template.snapshot();
    writeEverything(store);
    store.copyFrom(template);
    expect(store.snapshot()).toEqual(before);
    writeEverything(store);
    expect(template.snapshot()).toEqual(before);
  });
});
