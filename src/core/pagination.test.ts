import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MockError } from './errors.js';
import { assertExclusivePagination, effectiveLimit, paginate, type Page, type PageSizeConfig } from './pagination.js';
import { IndexedCollection, type RowFilter } from './sorted-collection.js';
import { PAGE_ORDERS, resolveSort, type ListDefinition, type PageOrder, type ResolvedSort } from './sorting.js';

interface Row {
  readonly id: string;
  readonly createdAt: number;
  readonly doneAt: number | null;
  readonly status: 'a' | 'b' | 'c';
  readonly size: number;
}

const LIST: ListDefinition<Row> = {
  name: 'rows',
  keys: {
    createdAt: { kind: 'instant', value: (r) => r.createdAt },
    doneAt: { kind: 'instant', value: (r) => r.doneAt },
    status: { kind: 'text', value: (r) => r.status },
    size: { kind: 'integer', value: (r) => r.size },
    id: { kind: 'uuid', value: (r) => r.id },
  },
  defaultTerm: { kind: 'instant', value: (r) => r.createdAt, descending: true },
  rowId: (r) => r.id,
};
const KEY_NAMES = ['createdAt', 'doneAt', 'status', 'size', 'id'] as const;
const CONFIG: PageSizeConfig = { defaultLimit: 20, maxLimit: 50 };

// Small value ranges on purpose: many ties and nulls, which is where keyset paging breaks.
const rowArb = fc.record({
  id: fc.uuid(),
  createdAt: fc.integer({ min: 0, max: 5 }).map((n) => 1_700_000_000_000 + n * 1000),
  doneAt: fc.option(fc.integer({ min: 0, max: 3 }).map((n) => 1_700_000_000_000 + n), { nil: null }),
  status: fc.constantFrom('a' as const, 'b' as const, 'c' as const),
  size: fc.integer({ min: -2, max: 2 }),
});
const rowsArb = fc.uniqueArray(rowArb, { selector: (r) => r.id, maxLength: 60 });
const sortArb = fc
  .uniqueArray(fc.constantFrom(...KEY_NAMES), { maxLength: 3 })
  .chain((keys) => fc.tuple(fc.constant(keys), fc.array(fc.constantFrom(...PAGE_ORDERS), { minLength: keys.length, maxLength: keys.length })));
const filterArb = fc.constantFrom<RowFilter<Row> | undefined>(undefined, { id: 'status=a', matches: (r) => r.status === 'a' }, { id: 'size>=0', matches: (r) => r.size >= 0 });

/** An oracle written independently of sorting.ts: PostgreSQL's null placement, ties by id. */
function referenceOrder(rows: readonly Row[], keys: readonly string[], orders: readonly PageOrder[]): Row[] {
  const terms = keys.length === 0 ? [{ get: (r: Row) => r.createdAt as number | string | null, desc: true, nullsFirst: true }] : keys.map((key, i) => {
    const order = orders[i] ?? 'ASC';
    const desc = order.startsWith('DESC');
    const nullsFirst = order.endsWith('NULLS_FIRST') || (order === 'DESC');
    return { get: (r: Row) => r[key as keyof Row], desc, nullsFirst };
  });
  const lastDesc = terms[terms.length - 1]?.desc ?? false;
  return [...rows].sort((x, y) => {
    for (const t of terms) {
      const a = t.get(x);
      const b = t.get(y);
      if (a === b) continue;
      if (a === null) return t.nullsFirst ? -1 : 1;
      if (b === null) return t.nullsFirst ? 1 : -1;
      return (a < b ? -1 : 1) * (t.desc ? -1 : 1);
    }
    return (x.id < y.id ? -1 : 1) * (lastDesc ? -1 : 1);
  });
}

function walkForward(view: ReturnType<IndexedCollection<Row>['view']>, limit: number): { rows: Row[]; pages: Page<Row>[] } {
  const pages: Page<Row>[] = [paginate(view, { limit }, CONFIG)];
  for (let page = pages[0]; page?.hasNextPage === true; ) {
    page = paginate(view, { after: page.endCursor, limit }, CONFIG);
    pages.push(page);
    // Each page holds at least one row, so more pages than rows means a cursor did not advance.
    if (pages.length > view.size + 1) throw new Error('paging does not end: a cursor did not advance');
  }
  return { rows: pages.flatMap((p) => p.rows), pages };
}

function setup(rows: readonly Row[], keys: readonly string[], orders: readonly PageOrder[], filter?: RowFilter<Row>) {
  const collection = new IndexedCollection(LIST, rows);
  const sort: ResolvedSort<Row> = resolveSort(LIST, keys, orders);
  const view = collection.view(filter ?? { id: '*', matches: () => true }, sort);
  const expected = referenceOrder(rows.filter((r) => filter?.matches(r) ?? true), keys, orders);
  return { collection, sort, view, expected };
}

describe('keyset pagination', () => {
  it('following endCursor visits every row exactly once, in order, for any data, sort and page size', () => {
    fc.assert(
      fc.property(rowsArb, sortArb, filterArb, fc.integer({ min: 1, max: 7 }), (rows, [keys, orders], filter, limit) => {
        const { view, expected } = setup(rows, keys, orders, filter);
        const { rows: seen, pages } = walkForward(view, limit);
        expect(seen.map((r) => r.id)).toEqual(expected.map((r) => r.id));
        for (const [index, page] of pages.entries()) {
          expect(page.total).toBe(expected.length);
          expect(page.hasPreviousPage).toBe(index > 0 && expected.length > 0);
          expect(page.rows.length).toBeLessThanOrEqual(limit);
        }
      }),
    );
  });

  it('following startCursor backwards from the last page visits every row exactly once', () => {
    fc.assert(
      fc.property(rowsArb, sortArb, fc.integer({ min: 1, max: 7 }), (rows, [keys, orders], limit) => {
        const { view, expected } = setup(rows, keys, orders);
        const forward = walkForward(view, limit);
        const last = forward.pages[forward.pages.length - 1];
        if (last === undefined) throw new Error('no page');
        const collected = [...last.rows];
        for (let page = last; page.hasPreviousPage; ) {
          page = paginate(view, { before: page.startCursor, limit }, CONFIG);
          expect(page.hasNextPage).toBe(true);
          collected.unshift(...page.rows);
        }
        expect(collected.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      }),
    );
  });

  it('offset pages are slices of the sorted rows', () => {
    fc.assert(
      fc.property(rowsArb, sortArb, fc.nat(70), fc.integer({ min: 0, max: 9 }), (rows, [keys, orders], offset, limit) => {
        const { view, expected } = setup(rows, keys, orders);
        const page = paginate(view, { offset, limit }, CONFIG);
        expect(page.rows.map((r) => r.id)).toEqual(expected.slice(offset, offset + limit).map((r) => r.id));
        expect(page.hasNextPage).toBe(offset + page.rows.length < expected.length);
        expect(page.hasPreviousPage).toBe(offset > 0 && expected.length > 0);
      }),
    );
  });

  it('sees every row that exists throughout exactly once while rows are added, removed and changed between pages', () => {
    fc.assert(
      fc.property(rowsArb, rowsArb, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1_000 }), (rows, extra, limit, salt) => {
        // Default order (createdAt): a status change does not move a row.
        const { collection, view } = setup(rows, [], []);
        const stable = new Set(rows.filter((_, i) => (i + salt) % 3 !== 0).map((r) => r.id));
        const seen: string[] = [];
        let page = paginate(view, { limit }, CONFIG);
        let step = 0;
        for (;;) {
          seen.push(...page.rows.map((r) => r.id));
          // Between requests: remove an unstable row, add a new one, change a stable row's status.
          const victim = rows.find((r, i) => !stable.has(r.id) && i % 5 === step % 5);
          if (victim !== undefined) collection.delete(victim.id);
          const added = extra[step];
          if (added !== undefined && collection.get(added.id) === undefined) collection.put(added);
          const changed = rows[(step + salt) % Math.max(rows.length, 1)];
          if (changed !== undefined && stable.has(changed.id)) collection.put({ ...changed, status: 'c' });
          step++;
          if (!page.hasNextPage) break;
          if (step > rows.length + extra.length + 1) throw new Error('paging does not end: a cursor did not advance');
          page = paginate(view, { after: page.endCursor, limit }, CONFIG);
        }
        for (const id of stable) expect(seen.filter((s) => s === id)).toHaveLength(1);
        expect(new Set(seen).size).toBe(seen.length);
      }),
    );
  });

  it('refuses a cursor whose row is not in the list, when the list says which rows are its own', () => {
    const rows: Row[] = [
      { id: '00000000-0000-4000-8000-000000000001', createdAt: 1, doneAt: null, status: 'a', size: 1 },
      { id: '00000000-0000-4000-8000-000000000002', createdAt: 2, doneAt: null, status: 'a', size: 1 },
    ];
    const { view } = setup(rows, [], []);
    const cursor = paginate(view, { limit: 1 }, CONFIG).endCursor;
    const own = (id: string) => rows.some((r) => r.id === id);
    expect(paginate(view, { after: cursor, limit: 1 }, CONFIG, own).rows).toHaveLength(1);
    expect(() => paginate(view, { after: cursor }, CONFIG, () => false)).toThrow(/after: '.*' is not a cursor of this list: it names a row of another list/);
    expect(() => paginate(view, { before: cursor }, CONFIG, () => false)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }) as MockError);
  });

  it('answers hasNextPage/hasPreviousPage and no cursors for an empty page', () => {
    const { view } = setup([], [], []);
    const page = paginate(view, {}, CONFIG);
    expect(page).toMatchObject({ rows: [], hasNextPage: false, hasPreviousPage: false, startCursor: undefined, endCursor: undefined, total: 0 });
  });

  it('refuses a cursor issued for another sort order or list', () => {
    const rows: Row[] = [
      { id: '00000000-0000-4000-8000-000000000001', createdAt: 1, doneAt: null, status: 'a', size: 1 },
      { id: '00000000-0000-4000-8000-000000000002', createdAt: 2, doneAt: 5, status: 'b', size: 2 },
    ];
    const byDefault = setup(rows, [], []);
    const byStatus = setup(rows, ['status'], ['ASC']);
    const byStatusDesc = setup(rows, ['status'], ['DESC']);
    const byCreated = setup(rows, ['createdAt'], ['DESC']);
    const otherList = new IndexedCollection({ ...LIST, name: 'other' }, rows).view({ id: '*', matches: () => true }, resolveSort({ ...LIST, name: 'other' }, ['status'], ['ASC']));
    const statusCursor = paginate(byStatus.view, { limit: 1 }, CONFIG).endCursor;
    const defaultCursor = paginate(byDefault.view, { limit: 1 }, CONFIG).endCursor;
    for (const [view, cursor] of [
      [byStatusDesc.view, statusCursor],
      [byCreated.view, defaultCursor],
      [byDefault.view, statusCursor],
      [otherList, statusCursor],
    ] as const) {
      expect(() => paginate(view, { after: cursor }, CONFIG)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }) as MockError);
    }
    expect(() => paginate(byStatus.view, { before: 'AAAA' }, CONFIG)).toThrow(/before: 'AAAA' is not a cursor of this list/);
  });
});

describe('sort and page-size rules', () => {
  it.each([
    [['createdAt'], [], /one entry per sorting_keys entry: got 1 sorting_keys and 0 sorting_order/],
    [[], ['ASC'], /got 0 sorting_keys and 1 sorting_order/],
    [['nope'], ['ASC'], /unknown key 'nope'; this list can be sorted by createdAt, doneAt, status, size, id/],
    [['status', 'status'], ['ASC', 'DESC'], /key 'status' is given more than once/],
    [['__proto__'], ['ASC'], /unknown key '__proto__'/],
  ] as const)('refuses sorting_keys %j with sorting_order %j', (keys, orders, message) => {
    expect(() => resolveSort(LIST, keys, orders)).toThrow(message);
  });

  it('resolves the default sort of a list once, and of each list separately', () => {
    const other: ListDefinition<Row> = { ...LIST, name: 'other' };
    const sort = resolveSort(LIST, [], []);
    expect(resolveSort(LIST, [], [])).toBe(sort);
    expect(sort.explicit).toBe(false);
    expect(resolveSort(other, [], [])).not.toBe(sort);
    expect(resolveSort(other, [], []).id).not.toBe(sort.id);
    expect(resolveSort(LIST, ['status'], ['ASC'])).not.toBe(resolveSort(LIST, ['status'], ['ASC']));
  });

  it.each([
    [{ before: 'A', after: 'B' }, 'before and after cannot be used together'],
    [{ after: 'B', offset: 0 }, 'after and offset cannot be used together'],
    [{ before: 'A', after: 'B', offset: 3 }, 'before and after and offset cannot be used together'],
  ])('refuses %j', (request, message) => {
    expect(() => { assertExclusivePagination(request); }).toThrow(message);
  });

  it('defaults and clamps the page size', () => {
    expect(effectiveLimit(undefined, CONFIG)).toBe(20);
    expect(effectiveLimit(7, CONFIG)).toBe(7);
    expect(effectiveLimit(500, CONFIG)).toBe(50);
    expect(effectiveLimit(0, CONFIG)).toBe(0);
  });
});
