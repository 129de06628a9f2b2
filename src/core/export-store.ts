/**
 * The in-memory state of one mock: companies, jobs and their items, with the sorted views that
 * list operations page through. Every API version reads and writes this one store, so v1, v2
 * and v3 are views of the same state.
 *
 * Time and ids are injected. Expiry needs no timer: every operation first settles the jobs whose
 * deadline has passed, taken in deadline order from an index of active jobs, so a read after the
 * deadline already sees the expired job and the work is proportional to what expired.
 */
import { createRequire } from 'node:module';
import type * as SortedBtree from 'sorted-btree';
import { exportNotFound, MockError } from './errors.js';
import {
  abandonItem,
  applyItemResult,
  applyJobEvent,
  assertItemsUpdatable,
  entryNotInJob,
  expireJob,
  expiryDeadline,
  isFinished,
  newPendingItem,
  newPendingJob,
  touchJob,
  type ItemResult,
  type ItemUpdateError,
  type JobEvent,
} from './lifecycle.js';
import { EXPORT_JOB_ITEM_LIST, EXPORT_JOB_LIST } from './lists.js';
import {
  type CompanyRecord,
  type ExportJobItemStatus,
  type ExportJobStatus,
  type ItemRecord,
  type JobRecord,
  type StateSnapshot,
} from './model.js';
import type { RowMembership } from './pagination.js';
import { itemRowId } from './row-ids.js';
import { allRows, IndexedCollection, type RowFilter, type SortedView } from './sorted-collection.js';
import { defaultSort, type ResolvedSort } from './sorting.js';

const { default: BTree } = createRequire(import.meta.url)('sorted-btree') as typeof SortedBtree.default;

const EMPTY_STATE: StateSnapshot = { companies: [], jobs: [], items: [] };

/** What the store needs from its server: the current time and fresh ids. */
export interface StoreEnvironment {
  /** The mock clock, epoch ms. */
  readonly now: () => number;
  /** A fresh lowercase uuid (seeded by the server, so runs repeat). */
  readonly newId: () => string;
}

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

/** A job to create (`CreateExportJob`). */
export interface NewJob {
  readonly companyId: string;
  readonly accountingEntryIds: readonly string[];
  readonly createdBy: string | null;
  readonly isInteractive: boolean;
  readonly vendorBasedBookkeeping: boolean;
}

/** A job's items, indexed by row id (for paging) and by accountingEntryId (for updates). */
interface JobItems {
  readonly rows: IndexedCollection<ItemRecord>;
  readonly rowIdByEntry: Map<string, string>;
}

type DeadlineKey = readonly [deadline: number, jobId: string];

/** The state of one mock server. */
export class ExportStore {
  private companies = new Map<string, CompanyRecord>();
  private jobs = new IndexedCollection(EXPORT_JOB_LIST);
  private itemsByJob = new Map<string, JobItems>();
  /** Active (pending or in_progress) jobs by expiry deadline. */
  private deadlines = new BTree<DeadlineKey, true>(undefined, (a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  /** The one active job of each company that has one (Pleo allows at most one). */
  private activeJobByCompany = new Map<string, string>();
  /** The latest createdAt of any job: creation times are kept strictly increasing. */
  private lastCreatedAt = Number.NEGATIVE_INFINITY;

  constructor(
    snapshot: StateSnapshot,
    private readonly env: StoreEnvironment,
  ) {
    this.replace(snapshot);
  }

  /** Replaces the whole state (a full replace: nothing of the previous state survives). */
  replace(snapshot: StateSnapshot): void {
    this.companies.clear();
    this.itemsByJob.clear();
    this.deadlines.clear();
    this.activeJobByCompany.clear();
    this.lastCreatedAt = Number.NEGATIVE_INFINITY;
    this.jobs = new IndexedCollection(EXPORT_JOB_LIST);
    for (const company of snapshot.companies) this.companies.set(company.id, company);
    const grouped = new Map<string, ItemRecord[]>();
    for (const item of snapshot.items) {
      const list = grouped.get(item.exportJobId);
      if (list === undefined) grouped.set(item.exportJobId, [item]);
      else list.push(item);
    }
    for (const job of snapshot.jobs) {
      this.itemsByJob.set(job.id, indexItems(grouped.get(job.id) ?? []));
      this.putJob(job);
    }
  }

  /**
   * A copy of this state working with another clock and id source: what a new tenant starts
   * from. Building a state sorts every row into its indexes (11 s for a million items); a copy
   * copies the row maps and clones the indexes copy-on-write, so it costs no sorting, and the
   * copies share index nodes until they write.
   */
  clone(env: StoreEnvironment): ExportStore {
    const copy = new ExportStore(EMPTY_STATE, env);
    copy.copyFrom(this);
    return copy;
  }

  /** Replaces the whole state by a copy of another store's (see {@link clone}). */
  copyFrom(source: ExportStore): void {
    this.companies = new Map(source.companies);
    this.jobs = source.jobs.clone();
    // A job's entry-to-row map is written only when the job is created, so copies share it.
    this.itemsByJob = new Map([...source.itemsByJob].map(([jobId, items]) => [jobId, { rows: items.rows.clone(), rowIdByEntry: items.rowIdByEntry }]));
    this.deadlines = source.deadlines.clone();
    this.activeJobByCompany = new Map(source.activeJobByCompany);
    this.lastCreatedAt = source.lastCreatedAt;
  }

  /** The job with this id, expiry applied. */
  getJob(jobId: string): JobRecord | undefined {
    this.settle();
    return this.jobs.get(jobId);
  }

  /** The job with this id, or EXPORT_NOT_FOUND. */
  requireJob(jobId: string): JobRecord {
    const job = this.getJob(jobId);
    if (job === undefined) throw exportNotFound();
    return job;
  }

  /** The company with this id. */
  getCompany(companyId: string): CompanyRecord | undefined {
    return this.companies.get(companyId);
  }

  /** The sorted, filtered jobs that a list request pages through. */
  jobList(filter: JobFilter, sort: ResolvedSort<JobRecord>): ListSource<JobRecord> {
    this.settle();
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
   * The job's entries whose accounting payload a client reads. Refused once the job is finished
   * (422) or while the company's contra accounts are not mapped (400), as Pleo does.
   */
  exportItemList(jobId: string, sort: ResolvedSort<ItemRecord>): ListSource<ItemRecord> & { readonly job: JobRecord } {
    const job = this.requireJob(jobId);
    if (isFinished(job)) {
      throw new MockError('EXPORT_JOB_STATUS_UNPROCESSABLE', `Export job ${job.id} is ${job.status}: its export items can no longer be read.`);
    }
    this.assertContraAccountsMapped(job.companyId);
    const rows = this.jobItems(jobId).rows;
    return { job, view: rows.view(allRows(), sort), isListRow: (rowId) => rows.has(rowId) };
  }

  /**
   * Creates a pending job with one pending item per accounting entry. Refused while the company
   * has an active job (409) or unmapped contra accounts (400). A company the mock has not seen
   * is registered on first use, so clients can bring their own company ids.
   */
  createJob(request: NewJob): JobRecord {
    const now = this.settle();
    const company = this.companies.get(request.companyId) ?? this.registerCompany(request.companyId);
    this.assertContraAccountsMapped(company.id);
    const active = this.activeJobByCompany.get(company.id);
    if (active !== undefined) {
      throw new MockError('EXPORT_ALREADY_IN_PROGRESS', `Company ${company.id} already has an active export job (${active}); finish it before creating another.`);
    }
    // Strictly increasing, like a database sequence: two jobs created in the same millisecond
    // (a frozen clock makes that common) still have a defined order, so "oldest first" and
    // "most recent job" never fall back to comparing random ids.
    const createdAt = Math.max(now, this.lastCreatedAt + 1);
    const job = newPendingJob({
      id: this.env.newId(),
      companyId: company.id,
      createdAt,
      createdBy: request.createdBy,
      isInteractive: request.isInteractive,
      vendorBasedBookkeeping: request.vendorBasedBookkeeping,
      numberOfItems: request.accountingEntryIds.length,
    });
    const items = request.accountingEntryIds.map((accountingEntryId) =>
      newPendingItem({ rowId: itemRowId(job.id, accountingEntryId), createdAt, exportJobId: job.id, accountingEntryId }),
    );
    this.itemsByJob.set(job.id, indexItems(items));
    this.putJob(job);
    return job;
  }

  /** Applies an event to a job; a failed job's unfinished items become abandoned. */
  applyEvent(jobId: string, event: JobEvent): JobRecord {
    const now = this.settle();
    const job = this.jobs.get(jobId);
    if (job === undefined) throw exportNotFound();
    const next = applyJobEvent(job, event, now);
    this.putJob(next);
    if (next.status === 'failed') this.abandonUnfinished(next.id);
    return next;
  }

  /**
   * Applies a batch of item results to a job (at most 100 entries: enforced by the caller from
   * the spec). Entries not in the job are refused one by one; the rest apply.
   */
  updateItems(jobId: string, results: readonly ItemResult[]): ItemUpdateOutcome {
    const now = this.settle();
    const job = this.jobs.get(jobId);
    if (job === undefined) throw exportNotFound();
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
      if (outcome !== item) rows.put(outcome);
      updated.push(outcome);
    }
    if (updated.length > 0) {
      const touched = touchJob(job, now);
      if (touched !== job) this.putJob(touched);
    }
    return { updated, errors };
  }

  /**
   * The job items of a company for one accounting entry, most recent job first (an entry may be
   * exported by several jobs over time). Cost: the company's jobs, not the store.
   */
  jobItemsForEntry(companyId: string, accountingEntryId: string): ItemRecord[] {
    this.settle();
    const found: ItemRecord[] = [];
    const companyJobs = this.jobs.view(jobRowFilter({ companyId }), defaultSort(EXPORT_JOB_LIST));
    for (const job of companyJobs.tree.values()) {
      const items = this.jobItems(job.id);
      const rowId = items.rowIdByEntry.get(accountingEntryId);
      const item = rowId === undefined ? undefined : items.rows.get(rowId);
      if (item !== undefined) found.push(item);
    }
    return found;
  }

  /** The whole state, as plain records. */
  snapshot(): StateSnapshot {
    this.settle();
    const jobs = [...this.jobs.values()];
    return {
      companies: [...this.companies.values()],
      jobs,
      items: jobs.flatMap((job) => [...this.jobItems(job.id).rows.values()]),
    };
  }

  /** Expires every active job whose deadline has passed; returns the current time. */
  private settle(): number {
    const now = this.env.now();
    for (let due = this.deadlines.minKey(); due !== undefined && due[0] <= now; due = this.deadlines.minKey()) {
      const job = this.jobs.get(due[1]);
      if (job === undefined) {
        this.deadlines.delete(due);
        continue;
      }
      this.putJob(expireJob(job));
      this.abandonUnfinished(job.id);
    }
    return now;
  }

  /** Stores a job record, keeping the deadline index and the one-active-job-per-company map in step. */
  private putJob(job: JobRecord): void {
    const previous = this.jobs.get(job.id);
    if (previous !== undefined) {
      const oldDeadline = expiryDeadline(previous);
      if (oldDeadline !== null) this.deadlines.delete([oldDeadline, previous.id]);
      if (this.activeJobByCompany.get(previous.companyId) === previous.id) this.activeJobByCompany.delete(previous.companyId);
    }
    this.jobs.put(job);
    this.lastCreatedAt = Math.max(this.lastCreatedAt, job.createdAt);
    const deadline = expiryDeadline(job);
    if (deadline !== null) {
      this.deadlines.set([deadline, job.id], true);
      this.activeJobByCompany.set(job.companyId, job.id);
    }
  }

  private abandonUnfinished(jobId: string): void {
    const { rows } = this.jobItems(jobId);
    for (const item of [...rows.values()]) {
      const abandoned = abandonItem(item);
      if (abandoned !== item) rows.put(abandoned);
    }
  }

  private assertContraAccountsMapped(companyId: string): void {
    if (this.companies.get(companyId)?.contraAccountsMapped === false) {
      throw new MockError('MISSING_CONTRA_ACCOUNTS', `Company ${companyId} has not mapped its contra accounts; its entries cannot be exported.`);
    }
  }

  private registerCompany(companyId: string): CompanyRecord {
    // Neutral defaults for a company a client brings: euro, Germany, a name from its id.
    const company: CompanyRecord = { id: companyId, name: `Company ${companyId.slice(0, 8)}`, currency: 'EUR', country: 'DE' };
    this.companies.set(companyId, company);
    return company;
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
