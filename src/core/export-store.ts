/**
 * The in-memory state of one mock: companies, jobs and their items, with the sorted views that
 * list operations page through. Every API version reads and writes this one store, so v1, v2
 * and v3 are views of the same state.
 */
import { exportNotFound } from './errors.js';
import { applyItemResult, assertItemsUpdatable, entryNotInJob, touchJob, type ItemResult, type ItemUpdateError } from './lifecycle.js';
import { EXPORT_JOB_ITEM_LIST, EXPORT_JOB_LIST } from './lists.js';
import type { CompanyRecord, ExportJobItemStatus, ExportJobStatus, ItemRecord, JobRecord, StateSnapshot } from './model.js';
import { allRows, IndexedCollection, type RowFilter, type SortedView } from './sorted-collection.js';
import type { RowMembership } from './pagination.js';
import type { ResolvedSort } from './sorting.js';

/** Filters of the job list. */
export interface JobFilter {
  readonly companyId?: string | undefined;
  readonly statuses?: readonly ExportJobStatus[] | undefined;
}

/** A list to page: its sorted view and the test of whether a cursor's row belongs to the list. */
export interface ListSource<Row> {
  readonly view: SortedView<Row>;
  readonly isListRow: RowMembership;
}

/** Result of an item update: the items as updated, in request order, and the refused entries. */
export interface ItemUpdateOutcome {
  readonly updated: readonly ItemRecord[];
  readonly errors: readonly ItemUpdateError[];
}

/** A job's items, indexed by row id (for paging) and by accountingEntryId (for updates). */
interface JobItems {
  readonly rows: IndexedCollection<ItemRecord>;
  readonly rowIdByEntry: Map<string, string>;
}

/** The state of one mock server. */
export class ExportStore {
  private readonly companies: Map<string, CompanyRecord>;
  private readonly jobs: IndexedCollection<JobRecord>;
  private readonly itemsByJob = new Map<string, JobItems>();

  constructor(snapshot: StateSnapshot) {
    this.companies = new Map(snapshot.companies.map((company) => [company.id, company]));
    this.jobs = new IndexedCollection(EXPORT_JOB_LIST, snapshot.jobs);
    const grouped = new Map<string, ItemRecord[]>();
    for (const item of snapshot.items) {
      const list = grouped.get(item.exportJobId);
      if (list === undefined) grouped.set(item.exportJobId, [item]);
      else list.push(item);
    }
    for (const job of snapshot.jobs) this.itemsByJob.set(job.id, indexItems(grouped.get(job.id) ?? []));
  }

  /** The job with this id. */
  getJob(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  /** The job with this id, or EXPORT_NOT_FOUND. */
  requireJob(jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw exportNotFound();
    return job;
  }

  /** The sorted, filtered jobs that a list request pages through. */
  jobList(filter: JobFilter, sort: ResolvedSort<JobRecord>): ListSource<JobRecord> {
    return { view: this.jobs.view(jobRowFilter(filter), sort), isListRow: (rowId) => this.jobs.has(rowId) };
  }

  /** The sorted items of one job, optionally of one status. Throws EXPORT_NOT_FOUND. */
  itemList(jobId: string, status: ExportJobItemStatus | undefined, sort: ResolvedSort<ItemRecord>): ListSource<ItemRecord> {
    this.requireJob(jobId);
    const rows = this.jobItems(jobId).rows;
    const filter: RowFilter<ItemRecord> = status === undefined ? allRows() : { id: `status=${status}`, matches: (item) => item.status === status };
    // Membership is the job's items, not the filtered view: a row that changed status stays a valid position.
    return { view: rows.view(filter, sort), isListRow: (rowId) => rows.has(rowId) };
  }

  /**
   * Applies a batch of item results to a job (at most 100 entries: enforced by the caller from
   * the spec). Entries not in the job are refused one by one; the rest apply.
   */
  updateItems(jobId: string, results: readonly ItemResult[], now: number): ItemUpdateOutcome {
    const job = this.requireJob(jobId);
    assertItemsUpdatable(job);
    const { rows, rowIdByEntry } = this.jobItems(jobId);
    const updated: ItemRecord[] = [];
    const errors: ItemUpdateError[] = [];
    for (const result of results) {
      const rowId = rowIdByEntry.get(result.accountingEntryId);
      const item = rowId === undefined ? undefined : rows.get(rowId);
      if (item === undefined) {
        errors.push(entryNotInJob(result.accountingEntryId, jobId));
        continue;
      }
      const outcome = applyItemResult(item, result, now);
      if ('type' in outcome) {
        errors.push(outcome);
        continue;
      }
      rows.put(outcome);
      updated.push(outcome);
    }
    if (updated.length > 0) this.jobs.put(touchJob(job, now));
    return { updated, errors };
  }

  /** The whole state, as plain records. */
  snapshot(): StateSnapshot {
    const jobs = [...this.jobs.values()];
    return {
      companies: [...this.companies.values()],
      jobs,
      items: jobs.flatMap((job) => [...this.jobItems(job.id).rows.values()]),
    };
  }

  private jobItems(jobId: string): JobItems {
    let items = this.itemsByJob.get(jobId);
    if (items === undefined) {
      items = indexItems([]);
      this.itemsByJob.set(jobId, items);
    }
    return items;
  }
}

function indexItems(items: readonly ItemRecord[]): JobItems {
  return {
    rows: new IndexedCollection(EXPORT_JOB_ITEM_LIST, items),
    rowIdByEntry: new Map(items.map((item) => [item.accountingEntryId, item.rowId])),
  };
}

function jobRowFilter(filter: JobFilter): RowFilter<JobRecord> {
  const { companyId } = filter;
  const statuses = filter.statuses === undefined || filter.statuses.length === 0 ? undefined : [...new Set(filter.statuses)].sort();
  if (companyId === undefined && statuses === undefined) return allRows();
  return {
    id: `company=${companyId ?? '*'};statuses=${statuses?.join(',') ?? '*'}`,
    matches: (job) => (companyId === undefined || job.companyId === companyId) && (statuses === undefined || statuses.includes(job.status)),
  };
}
