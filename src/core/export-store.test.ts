import { describe, expect, it } from 'vitest';
import { generateDefaultScenario } from '../fixtures/default-scenario.js';
import { ExportStore } from './export-store.js';
import { EXPORT_JOB_ITEM_LIST, EXPORT_JOB_LIST } from './lists.js';
import { defaultSort } from './sorting.js';

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const scenario = generateDefaultScenario({ seed: 3, now: NOW });

function activeJob(store: ExportStore) {
  const job = store.snapshot().jobs.find((candidate) => candidate.status === 'pending' || candidate.status === 'in_progress');
  if (job === undefined) throw new Error('the scenario has no active job');
  return job;
}

describe('ExportStore', () => {
  it('loads a snapshot and gives it back unchanged', () => {
    const store = new ExportStore(scenario);
    const snapshot = store.snapshot();
    expect(snapshot.companies).toEqual(scenario.companies);
    expect(new Set(snapshot.jobs.map((j) => j.id))).toEqual(new Set(scenario.jobs.map((j) => j.id)));
    expect(snapshot.items).toHaveLength(scenario.items.length);
  });

  it('filters jobs by company and status, counting only matching rows', () => {
    const store = new ExportStore(scenario);
    const companyId = scenario.jobs[0]?.companyId;
    const { view } = store.jobList({ companyId, statuses: ['completed', 'completed_with_errors'] }, defaultSort(EXPORT_JOB_LIST));
    const expected = scenario.jobs.filter((j) => j.companyId === companyId && (j.status === 'completed' || j.status === 'completed_with_errors'));
    expect(view.size).toBe(expected.length);
  });

  it('applies a batch, refusing entries that are not in the job and keeping the rest', () => {
    const store = new ExportStore(scenario);
    const job = activeJob(store);
    const item = scenario.items.find((candidate) => candidate.exportJobId === job.id && candidate.status === 'pending');
    if (item === undefined) throw new Error('no pending item');
    const stranger = '00000000-0000-4000-8000-000000000000';
    const outcome = store.updateItems(job.id, [
      { accountingEntryId: stranger, status: 'successful' },
      { accountingEntryId: item.accountingEntryId, status: 'successful', externalId: 'V-9' },
    ], NOW + 1000);
    expect(outcome.errors).toEqual([expect.objectContaining({ accountingEntryId: stranger, type: 'ACCOUNTING_ENTRY_DOES_NOT_EXIST' })]);
    expect(outcome.updated).toEqual([expect.objectContaining({ accountingEntryId: item.accountingEntryId, status: 'successful', exportedAt: NOW + 1000, externalId: 'V-9' })]);
    expect(store.getJob(job.id)?.lastUpdatedAt).toBe(NOW + 1000);
    const successful = store.itemList(job.id, 'successful', defaultSort(EXPORT_JOB_ITEM_LIST)).view;
    expect([...successful.tree.values()].map((i) => i.accountingEntryId)).toContain(item.accountingEntryId);
  });

  it('does not touch the job when nothing in the batch applied', () => {
    const store = new ExportStore(scenario);
    const job = activeJob(store);
    store.updateItems(job.id, [{ accountingEntryId: '00000000-0000-4000-8000-000000000000', status: 'failed' }], NOW + 5000);
    expect(store.getJob(job.id)).toEqual(job);
  });

  it('refuses updates to finished jobs and unknown jobs', () => {
    const store = new ExportStore(scenario);
    const finished = scenario.jobs.find((j) => j.status === 'completed');
    if (finished === undefined) throw new Error('no completed job');
    expect(() => store.updateItems(finished.id, [], NOW)).toThrow(expect.objectContaining({ code: 'EXPORT_JOB_STATUS_UNPROCESSABLE' }) as Error);
    expect(() => store.updateItems('00000000-0000-4000-8000-000000000000', [], NOW)).toThrow(expect.objectContaining({ code: 'EXPORT_NOT_FOUND' }) as Error);
    expect(() => store.itemList('00000000-0000-4000-8000-000000000000', undefined, defaultSort(EXPORT_JOB_ITEM_LIST))).toThrow('Export job not found.');
  });
});
