/**
 * A collection of immutable rows with sorted indexes ("views") for keyset pagination.
 *
 * A view holds the rows that pass one filter, ordered by one sort, in a B+ tree keyed by the
 * row key (sort values + row id). Views are built on first use and then maintained on every
 * write, so a page costs O(log n + page size) however deep it is, and never a scan of the store.
 * The default view (no filter, default sort) always exists; other views are kept in a small
 * LRU so that a client trying many filter/sort combinations cannot grow memory without bound.
 */
import { createRequire } from 'node:module';
import type * as SortedBtree from 'sorted-btree';
import type * as SortedBtreeBulkLoad from 'sorted-btree/extended/bulkLoad.js';
import { defaultSort, keyComparator, rowKey, type ListDefinition, type ResolvedSort, type RowKey } from './sorting.js';

// sorted-btree is CommonJS with an ES-style `default` export, which Node's ESM loader and
// Vite's interop unwrap differently; `require` sees the same module.exports in both.
const { bulkLoad } = createRequire(import.meta.url)('sorted-btree/extended/bulkLoad.js') as typeof SortedBtreeBulkLoad;
type Tree<Row> = SortedBtree.default<RowKey, Row>;

/** A row predicate with an identity (equal ids must mean equal predicates: views are cached by it). */
export interface RowFilter<Row> {
  readonly id: string;
  readonly matches: (row: Row) => boolean;
}

/** The filter that keeps every row. */
export function allRows<Row>(): RowFilter<Row> {
  return { id: '*', matches: () => true };
}

/** Branching factor of the views' trees (sorted-btree's own default). */
const BTREE_NODE_SIZE = 64;

/** The rows passing one filter, in one sort order. */
export class SortedView<Row> {
  readonly tree: Tree<Row>;
  /** The total order of this view's row keys. */
  readonly compare: (a: RowKey, b: RowKey) => number;

  /** Builds the view of `rows`; or, given `tree`, wraps that tree (a clone's). */
  constructor(
    readonly filter: RowFilter<Row>,
    readonly sort: ResolvedSort<Row>,
    rows: Iterable<Row>,
    tree?: Tree<Row>,
  ) {
    this.compare = keyComparator(sort);
    if (tree !== undefined) {
      this.tree = tree;
      return;
    }
    // Sorted once, then loaded bottom-up: for a million rows about five times faster than
    // inserting them one by one, and a fuller tree. Row keys end in the row id, so none repeat.
    const entries: [RowKey, Row][] = [];
    for (const row of rows) if (filter.matches(row)) entries.push([rowKey(sort, row), row]);
    entries.sort((a, b) => this.compare(a[0], b[0]));
    this.tree = bulkLoad(
      entries.map((entry) => entry[0]),
      entries.map((entry) => entry[1]),
      BTREE_NODE_SIZE,
      this.compare,
    );
  }

  /** Number of rows in the view. */
  get size(): number {
    return this.tree.size;
  }

  /**
   * An independent copy in O(1): sorted-btree's clone shares the nodes and copies a node only
   * when either tree writes to it.
   */
  clone(): SortedView<Row> {
    return new SortedView(this.filter, this.sort, [], this.tree.clone());
  }

  /** Adds the row if it passes the filter. */
  add(row: Row): void {
    if (this.filter.matches(row)) this.tree.set(rowKey(this.sort, row), row);
  }

  /** Removes the row (as it was when added). */
  remove(row: Row): void {
    if (this.filter.matches(row)) this.tree.delete(rowKey(this.sort, row));
  }

  /**
   * Replaces `previous` (as it was when added) by `row`, a new version of the same row (same row
   * id). When both pass the filter and have the same key, the entry is overwritten in place: one
   * tree descent instead of a delete and an insert, each with its rebalancing. That is the common
   * case of a write: an item result never changes the default order's key (creation time and row
   * id), nor, unless the status changes, a status-filtered view's membership.
   */
  replace(previous: Row, row: Row): void {
    const wasIn = this.filter.matches(previous);
    const isIn = this.filter.matches(row);
    if (!wasIn) {
      if (isIn) this.tree.set(rowKey(this.sort, row), row);
      return;
    }
    if (!isIn) {
      this.tree.delete(rowKey(this.sort, previous));
      return;
    }
    if (sameSortValues(this.sort, previous, row)) {
      // The key compares equal to the entry's, so `set` finds that entry and overwrites it.
      this.tree.set(rowKey(this.sort, row), row, true);
      return;
    }
    this.tree.delete(rowKey(this.sort, previous));
    this.tree.set(rowKey(this.sort, row), row);
  }
}

/**
 * Whether two versions of a row (same row id) have the same key under a sort: every term's value
 * identical. Identical values compare equal under any order, so the keys do too; the converse
 * fails only for NaN, which then takes the delete + insert path, as before. Compares values
 * rather than building two key arrays, since this runs once per view for every write.
 */
function sameSortValues<Row>(sort: ResolvedSort<Row>, previous: Row, row: Row): boolean {
  for (const term of sort.terms) if (term.value(previous) !== term.value(row)) return false;
  return true;
}

const DEFAULT_MAX_VIEWS = 16;

/** Rows by id, plus the sorted views pagination reads. */
export class IndexedCollection<Row> {
  private rows: Map<string, Row> = new Map();
  /**
   * Whether `rows` is shared with a clone (or the collection cloned from): then the first write
   * on either side copies it. A tenant that only reads a million-item state never pays the copy.
   */
  private rowsShared = false;
  private readonly defaultView: SortedView<Row>;
  /** Extra views, least recently used first. */
  private readonly views = new Map<string, SortedView<Row>>();

  constructor(
    readonly list: ListDefinition<Row>,
    rows: Iterable<Row> = [],
    private readonly maxViews: number = DEFAULT_MAX_VIEWS,
    /** For {@link clone}: the collection to copy instead of building from `rows`. */
    source?: IndexedCollection<Row>,
  ) {
    if (source !== undefined) {
      this.rows = source.rows;
      this.rowsShared = true;
      source.rowsShared = true;
      this.defaultView = source.defaultView.clone();
      for (const [id, view] of source.views) this.views.set(id, view.clone());
      return;
    }
    for (const row of rows) this.rows.set(list.rowId(row), row);
    this.defaultView = new SortedView(allRows<Row>(), defaultSort(list), this.rows.values());
  }

  /**
   * An independent copy in O(number of views): the rows map is shared and copied by whichever
   * side writes first, and the views' trees share their nodes the same way. Rows are immutable,
   * so sharing them is safe.
   */
  clone(): IndexedCollection<Row> {
    return new IndexedCollection(this.list, [], this.maxViews, this);
  }

  /** Number of rows. */
  get size(): number {
    return this.rows.size;
  }

  /** Whether a row with this id is in the collection. */
  has(rowId: string): boolean {
    return this.rows.has(rowId);
  }

  /** The row with this id. */
  get(rowId: string): Row | undefined {
    return this.rows.get(rowId);
  }

  /** All rows, in insertion order. */
  values(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** Inserts a row, or replaces the row with the same id, keeping every view in step. */
  put(row: Row): void {
    const id = this.list.rowId(row);
    const previous = this.rows.get(id);
    this.ownRows().set(id, row);
    // Plain loops rather than a callback per view: this runs for every row of every write.
    if (previous === undefined) {
      this.defaultView.add(row);
      for (const view of this.views.values()) view.add(row);
    } else {
      this.defaultView.replace(previous, row);
      for (const view of this.views.values()) view.replace(previous, row);
    }
  }

  /** Removes the row with this id, if any. */
  delete(rowId: string): void {
    const previous = this.rows.get(rowId);
    if (previous === undefined) return;
    this.ownRows().delete(rowId);
    this.defaultView.remove(previous);
    for (const view of this.views.values()) view.remove(previous);
  }

  /** The rows map, made this collection's own before a write. */
  private ownRows(): Map<string, Row> {
    if (this.rowsShared) {
      this.rows = new Map(this.rows);
      this.rowsShared = false;
    }
    return this.rows;
  }

  /** The view for a filter and sort, built on first use. */
  view(filter: RowFilter<Row>, sort: ResolvedSort<Row>): SortedView<Row> {
    if (filter.id === this.defaultView.filter.id && sort.id === this.defaultView.sort.id) return this.defaultView;
    const id = `${filter.id}\u0000${sort.id}`;
    const cached = this.views.get(id);
    if (cached !== undefined) {
      // Re-insert to mark as most recently used.
      this.views.delete(id);
      this.views.set(id, cached);
      return cached;
    }
    const view = new SortedView(filter, sort, this.rows.values());
    this.views.set(id, view);
    if (this.views.size > this.maxViews) {
      const oldest = this.views.keys().next();
      if (oldest.done !== true) this.views.delete(oldest.value);
    }
    return view;
  }
}
