import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { allRows, IndexedCollection, SortedView, type RowFilter } from './sorted-collection.js';
import { resolveSort, type ListDefinition, type ResolvedSort } from './sorting.js';

interface Row { readonly id: string; readonly n: number }
const LIST: ListDefinition<Row> = {
  name: 'rows',
  keys: { n: { kind: 'integer', value: (r) => r.n } },
  defaultTerm: { kind: 'integer', value: (r) => r.n, descending: true },
  rowId: (r) => r.id,
};
const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const even: RowFilter<Row> = { id: 'even', matches: (r) => r.n % 2 === 0 };
const ids = (rows: Iterable<[unknown, Row]>) => [...rows].map(([, row]) => row.n);

describe('IndexedCollection', () => {
  it('keeps every view in step with puts, replacements and deletes', () => {
    const collection = new IndexedCollection(LIST, [1, 2, 3, 4].map((n) => ({ id: id(n), n })));
    const asc = resolveSort(LIST, ['n'], ['ASC']);
    const evenAsc = collection.view(even, asc);
    expect(ids(evenAsc.tree.entries())).toEqual([2, 4]);
    collection.put({ id: id(1), n: 6 }); // row 1 changes its value and now passes the filter
    collection.put({ id: id(9), n: 0 });
    collection.delete(id(4));
    expect(ids(evenAsc.tree.entries())).toEqual([0, 2, 6]);
    expect(ids(collection.view({ id: '*', matches: () => true }, resolveSort(LIST, [], [])).tree.entries())).toEqual([6, 3, 2, 0]);
    expect(collection.size).toBe(4);
  });

  it('reuses a view for the same filter and sort, and evicts the least recently used beyond its bound', () => {
    const collection = new IndexedCollection(LIST, [{ id: id(1), n: 1 }], 2);
    const asc = resolveSort(LIST, ['n'], ['ASC']);
    const first = collection.view(even, asc);
    expect(collection.view(even, asc)).toBe(first);
    collection.view({ id: 'a', matches: () => true }, asc);
    collection.view(even, asc); // touch: `even` is now the most recently used
    collection.view({ id: 'b', matches: () => true }, asc); // evicts `a`
    expect(collection.view(even, asc)).toBe(first);
  });
});

/** A row like an item: a creation time that never changes, and a status and number that do. */
interface Item { readonly id: string; readonly createdAt: number; readonly status: string; readonly n: number | null }
const ITEMS: ListDefinition<Item> = {
  name: 'items',
  keys: {
    status: { kind: 'text', value: (r) => r.status },
    n: { kind: 'integer', value: (r) => r.n },
  },
  defaultTerm: { kind: 'instant', value: (r) => r.createdAt, descending: true },
  rowId: (r) => r.id,
};
const STATUSES = ['pending', 'successful', 'failed'] as const;
const statusIs = (status: string): RowFilter<Item> => ({ id: `status=${status}`, matches: (r) => r.status === status });
const item = (i: number, status: string, n: number | null = null): Item => ({ id: id(i), createdAt: 1000 + (i % 3), status, n });

/** A view's entries as [row key, row] pairs, rows compared by identity. */
const entriesOf = (view: SortedView<Item>) => [...view.tree.entries()];

/** The view the collection should hold: built from scratch from its current rows. */
const rebuilt = (collection: IndexedCollection<Item>, view: SortedView<Item>) => new SortedView(view.filter, view.sort, collection.values());

describe('IndexedCollection.put of a new version of a row', () => {
  it('overwrites the row in place in every view whose key and membership are unchanged', () => {
    const collection = new IndexedCollection(ITEMS, [item(1, 'pending'), item(2, 'failed'), item(3, 'pending'), item(4, 'pending')]);
    const byDefault = collection.view(allRows(), resolveSort(ITEMS, [], []));
    const pending = collection.view(statusIs('pending'), resolveSort(ITEMS, [], []));
    const byStatus = collection.view(allRows(), resolveSort(ITEMS, ['status'], ['DESC']));
    const views = [byDefault, pending, byStatus];
    const before = views.map((view) => entriesOf(view).map(([key]) => key));
    const deletes = views.map((view) => vi.spyOn(view.tree, 'delete'));

    const next = item(3, 'pending', 42); // a new record, same status and creation time
    collection.put(next);

    // Same keys in the same order, and the new record is what every view now holds.
    expect(views.map((view) => entriesOf(view).map(([key]) => key))).toEqual(before);
    for (const view of views) expect(entriesOf(view).find(([, row]) => row.id === next.id)?.[1]).toBe(next);
    // In place: no view deleted anything.
    for (const spy of deletes) expect(spy).not.toHaveBeenCalled();
    for (const view of views) expect(entriesOf(view)).toEqual(entriesOf(rebuilt(collection, view)));
  });

  it('moves a row between filtered views, and within a view sorted by what changed', () => {
    const collection = new IndexedCollection(ITEMS, [item(1, 'pending'), item(2, 'failed'), item(3, 'pending')]);
    const pending = collection.view(statusIs('pending'), resolveSort(ITEMS, [], []));
    const successful = collection.view(statusIs('successful'), resolveSort(ITEMS, [], []));
    const byStatus = collection.view(allRows(), resolveSort(ITEMS, ['status'], ['ASC']));

    collection.put(item(1, 'successful'));

    expect(entriesOf(pending).map(([, row]) => row.id)).toEqual([id(3)]);
    expect(entriesOf(successful).map(([, row]) => row.id)).toEqual([id(1)]);
    expect(entriesOf(byStatus).map(([, row]) => row.status)).toEqual(['failed', 'pending', 'successful']);
    for (const view of [pending, successful, byStatus]) expect(entriesOf(view)).toEqual(entriesOf(rebuilt(collection, view)));
  });

  it('leaves every view as if rebuilt from scratch, after any sequence of puts and deletes', () => {
    const sorts: ResolvedSort<Item>[] = [
      resolveSort(ITEMS, [], []),
      resolveSort(ITEMS, ['status'], ['ASC']),
      resolveSort(ITEMS, ['n', 'status'], ['DESC_NULLS_LAST', 'ASC']),
      resolveSort(ITEMS, ['n'], ['ASC_NULLS_FIRST']),
    ];
    const filters: RowFilter<Item>[] = [allRows(), ...STATUSES.map(statusIs), { id: 'n>2', matches: (r) => r.n !== null && r.n > 2 }];
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), row: fc.nat(12), status: fc.constantFrom(...STATUSES), n: fc.option(fc.nat(4)) }),
      fc.record({ kind: fc.constant('delete' as const), row: fc.nat(12) }),
      // A view first used part-way through: built from the rows as they are then.
      fc.record({ kind: fc.constant('view' as const), filter: fc.nat(filters.length - 1), sort: fc.nat(sorts.length - 1) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        // Room for every filter and sort, so no view is evicted and each is checked.
        const collection = new IndexedCollection(ITEMS, [item(0, 'pending'), item(1, 'failed', 3)], filters.length * sorts.length);
        const views: SortedView<Item>[] = [collection.view(allRows(), resolveSort(ITEMS, [], []))];
        for (const op of operations) {
          if (op.kind === 'put') collection.put(item(op.row, op.status, op.n));
          else if (op.kind === 'delete') collection.delete(id(op.row));
          else views.push(collection.view(filters[op.filter] ?? allRows(), sorts[op.sort] ?? resolveSort(ITEMS, [], [])));
        }
        for (const view of views) {
          view.tree.checkValid();
          expect(entriesOf(view)).toEqual(entriesOf(rebuilt(collection, view)));
          for (const [, row] of view.tree.entries()) expect(row).toBe(collection.get(row.id));
        }
      }),
    );
  });
});

describe('IndexedCollection.clone', () => {
  const sorts = [resolveSort(ITEMS, [], []), resolveSort(ITEMS, ['status'], ['ASC']), resolveSort(ITEMS, ['n'], ['DESC_NULLS_LAST'])];
  const filters = [allRows<Item>(), statusIs('pending'), statusIs('failed')];
  const operation = fc.oneof(
    fc.record({ kind: fc.constant('put' as const), i: fc.nat(11), status: fc.constantFrom(...STATUSES), n: fc.option(fc.integer({ min: -3, max: 3 })) }),
    fc.record({ kind: fc.constant('delete' as const), i: fc.nat(11) }),
  );
  const apply = (collection: IndexedCollection<Item>, op: { kind: 'put'; i: number; status: string; n: number | null } | { kind: 'delete'; i: number }) => {
    if (op.kind === 'put') collection.put(item(op.i, op.status, op.n));
    else collection.delete(id(op.i));
  };
  /** Every view's rows, in order, as the collection would build them from scratch. */
  const state = (collection: IndexedCollection<Item>) =>
    filters.flatMap((filter) => sorts.map((sort) => {
      const view = collection.view(filter, sort);
      expect(entriesOf(view)).toEqual(entriesOf(rebuilt(collection, view)));
      view.tree.checkValid();
      return entriesOf(view).map(([, row]) => row);
    }));

  it('is independent of its source: writes to either never show in the other', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), fc.array(operation, { maxLength: 12 }), fc.array(operation, { maxLength: 12 }), (setup, onSource, onClone) => {
        const source = new IndexedCollection(ITEMS, Array.from({ length: 8 }, (_, i) => item(i, STATUSES[i % 3] ?? 'pending', i % 4)));
        for (const op of setup) apply(source, op);
        state(source); // builds every view before cloning, so the clone shares them
        const expectedSource = new IndexedCollection(ITEMS, source.values());
        const clone = source.clone();
        const expectedClone = new IndexedCollection(ITEMS, source.values());
        for (const op of onSource) { apply(source, op); apply(expectedSource, op); }
        for (const op of onClone) { apply(clone, op); apply(expectedClone, op); }
        expect(state(source)).toEqual(state(expectedSource));
        expect(state(clone)).toEqual(state(expectedClone));
      }),
    );
  });
});
