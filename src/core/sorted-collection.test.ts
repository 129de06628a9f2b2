import { describe, expect, it } from 'vitest';
import { IndexedCollection, type RowFilter } from './sorted-collection.js';
import { resolveSort, type ListDefinition } from './sorting.js';

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
