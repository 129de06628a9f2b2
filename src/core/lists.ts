/**
 * The sortable lists of the API and their documented sorting keys. Pleo documents no list of
 * keys; these are the record fields a client can sensibly order by (README: "Sorting").
 */
import type { ItemRecord, JobRecord } from './model.js';
import type { ListDefinition } from './sorting.js';

/** GET /v*\/export-jobs: newest first by default, like Pleo's example cursors. */
export const EXPORT_JOB_LIST: ListDefinition<JobRecord> = {
  name: 'export-jobs',
  keys: {
    createdAt: { kind: 'instant', value: (job) => job.createdAt },
    lastUpdatedAt: { kind: 'instant', value: (job) => job.lastUpdatedAt },
    startedAt: { kind: 'instant', value: (job) => job.startedAt },
    completedAt: { kind: 'instant', value: (job) => job.completedAt },
    expiredAt: { kind: 'instant', value: (job) => job.expiredAt },
    status: { kind: 'text', value: (job) => job.status },
    numberOfItems: { kind: 'integer', value: (job) => job.numberOfItems },
  },
  defaultTerm: { kind: 'instant', value: (job) => job.createdAt, descending: true },
  rowId: (job) => job.id,
};

/**
 * GET /v*\/export-jobs/{jobId}/items: by default newest row first, by the rows' internal
 * creation time (not a wire field), ties by internal row id, as Pleo's cursors show.
 */
export const EXPORT_JOB_ITEM_LIST: ListDefinition<ItemRecord> = {
  name: 'export-job-items',
  keys: {
    accountingEntryId: { kind: 'uuid', value: (item) => item.accountingEntryId },
    status: { kind: 'text', value: (item) => item.status },
    exportedAt: { kind: 'instant', value: (item) => item.exportedAt },
  },
  defaultTerm: { kind: 'instant', value: (item) => item.createdAt, descending: true },
  rowId: (item) => item.rowId,
};

/**
 * GET /v*\/export-items: one export item per job item, in the same default order; sortable by
 * accountingEntryId only, since the payload's own fields are generated on read, not indexed.
 */
export const EXPORT_ITEM_LIST: ListDefinition<ItemRecord> = {
  ...EXPORT_JOB_ITEM_LIST,
  name: 'export-items',
  keys: { accountingEntryId: { kind: 'uuid', value: (item) => item.accountingEntryId } },
};
