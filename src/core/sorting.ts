/**
 * Sort specifications for list operations: which keys a list can be sorted by, how the six
 * `PageOrder` values order values and nulls, and the total order (ties broken by row id) that
 * keyset pagination needs.
 *
 * Pleo documents no list of sorting keys and no null placement. We follow PostgreSQL, which
 * Pleo's cursors (timestamp + row UUID) suggest: plain `ASC` puts nulls last and plain `DESC`
 * puts them first; the `*_NULLS_*` orders say it explicitly.
 */
import { createHash } from 'node:crypto';
import { MockError } from './errors.js';

/** Values of the spec's `PageOrder`. */
export const PAGE_ORDERS = ['ASC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST'] as const;
export type PageOrder = (typeof PAGE_ORDERS)[number];

/** How a key's values are compared and carried inside cursors. */
export type SortKeyKind = 'instant' | 'text' | 'uuid' | 'integer';

/** A value a row has for a sort key: epoch ms or integer for numbers, text or uuid for strings. */
export type SortValue = number | string | null;

/** One sortable key of a list. */
export interface SortKeyDefinition<Row> {
  readonly kind: SortKeyKind;
  readonly value: (row: Row) => SortValue;
}

/** What a list can be sorted by, and how it is sorted when the request says nothing. */
export interface ListDefinition<Row> {
  /** A name that makes cursors of different lists distinct (e.g. `export-jobs`). */
  readonly name: string;
  readonly keys: Readonly<Record<string, SortKeyDefinition<Row>>>;
  /**
   * The order when `sorting_keys` is absent. Its key need not be public: item lists default to
   * the rows' internal creation time, which is not a field of the wire type.
   */
  readonly defaultTerm: { readonly kind: SortKeyKind; readonly value: (row: Row) => SortValue; readonly descending: boolean };
  /** The row id that breaks ties and ends every cursor. */
  readonly rowId: (row: Row) => string;
}

/** One resolved sort term. */
export interface SortTerm<Row> {
  readonly name: string;
  readonly kind: SortKeyKind;
  readonly value: (row: Row) => SortValue;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** A validated sort: its terms, and an identity that cursors carry when it is not the default. */
export interface ResolvedSort<Row> {
  readonly list: ListDefinition<Row>;
  readonly terms: readonly SortTerm<Row>[];
  /** True when the request chose this order; such cursors carry {@link fingerprint}. */
  readonly explicit: boolean;
  /** 4 bytes identifying list + terms, so a cursor of another order is recognised and refused. */
  readonly fingerprint: Uint8Array;
  /** A string identity of this sort, for caching indexes. */
  readonly id: string;
}

/** A row's position in a sort: its key values, then its row id. */
export type RowKey = readonly SortValue[];

const DEFAULT_TERM_NAME = '(default)';

/**
 * Validates `sorting_keys` / `sorting_order` against a list and resolves them.
 * Throws `INVALID_PAGINATION` for unknown or repeated keys and arrays of different lengths.
 */
export function resolveSort<Row>(
  list: ListDefinition<Row>,
  sortingKeys: readonly string[],
  sortingOrder: readonly PageOrder[],
): ResolvedSort<Row> {
  if (sortingKeys.length !== sortingOrder.length) {
    throw new MockError(
      'INVALID_PAGINATION',
      `sorting_order must have one entry per sorting_keys entry: got ${sortingKeys.length} sorting_keys and ${sortingOrder.length} sorting_order`,
    );
  }
  if (sortingKeys.length === 0) return defaultSort(list);
  const seen = new Set<string>();
  const terms = sortingKeys.map((name, index): SortTerm<Row> => {
    const definition = Object.hasOwn(list.keys, name) ? list.keys[name] : undefined;
    if (definition === undefined) {
      throw new MockError(
        'INVALID_PAGINATION',
        `sorting_keys: unknown key '${name}'; this list can be sorted by ${Object.keys(list.keys).join(', ')}`,
      );
    }
    if (seen.has(name)) throw new MockError('INVALID_PAGINATION', `sorting_keys: key '${name}' is given more than once`);
    seen.add(name);
    // Lengths are equal (checked above), so the order exists.
    const order = sortingOrder[index] ?? 'ASC';
    return { name, kind: definition.kind, value: definition.value, ...orderSemantics(order) };
  });
  return makeSort(list, terms, true);
}

/**
 * Each list's default sort, resolved once: most list requests send no sorting parameters, and
 * each of them built the sort's id string again, whose hash every cache keyed by it then computed.
 */
const defaultSorts = new WeakMap<object, unknown>();

/** The list's default order. */
export function defaultSort<Row>(list: ListDefinition<Row>): ResolvedSort<Row> {
  // The entry was made from this very list, so it is a sort of the list's rows.
  const known = defaultSorts.get(list) as ResolvedSort<Row> | undefined;
  if (known !== undefined) return known;
  const { kind, value, descending } = list.defaultTerm;
  const sort = makeSort(list, [{ name: DEFAULT_TERM_NAME, kind, value, descending, nullsFirst: descending }], false);
  defaultSorts.set(list, sort);
  return sort;
}

function makeSort<Row>(list: ListDefinition<Row>, terms: readonly SortTerm<Row>[], explicit: boolean): ResolvedSort<Row> {
  const id = `${list.name}|${terms.map((t) => `${t.name}:${t.descending ? 'D' : 'A'}${t.nullsFirst ? 'F' : 'L'}`).join(',')}`;
  return { list, terms, explicit, fingerprint: fingerprintOf(id), id };
}

/**
 * Fingerprints by sort id, so a list request does not hash. Sort ids are few (each list's keys,
 * each once, in four orders); the cap only bounds what a client sending every combination costs.
 */
const fingerprints = new Map<string, Uint8Array>();
const MAX_FINGERPRINTS = 4096;

function fingerprintOf(id: string): Uint8Array {
  const known = fingerprints.get(id);
  if (known !== undefined) return known;
  if (fingerprints.size >= MAX_FINGERPRINTS) fingerprints.clear();
  const fingerprint = Uint8Array.from(createHash('sha256').update(id).digest().subarray(0, 4));
  fingerprints.set(id, fingerprint);
  return fingerprint;
}

/** Direction and null placement of a `PageOrder` (PostgreSQL's defaults for the plain ones). */
export function orderSemantics(order: PageOrder): { descending: boolean; nullsFirst: boolean } {
  switch (order) {
    case 'ASC':
    case 'ASC_NULLS_LAST':
      return { descending: false, nullsFirst: false };
    case 'ASC_NULLS_FIRST':
      return { descending: false, nullsFirst: true };
    case 'DESC':
    case 'DESC_NULLS_FIRST':
      return { descending: true, nullsFirst: true };
    case 'DESC_NULLS_LAST':
      return { descending: true, nullsFirst: false };
  }
}

/** The key of a row under a sort. */
export function rowKey<Row>(sort: ResolvedSort<Row>, row: Row): RowKey {
  const key: SortValue[] = sort.terms.map((term) => term.value(row));
  key.push(sort.list.rowId(row));
  return key;
}

/**
 * The total order of row keys under a sort. Ties on every term are broken by row id, in the
 * direction of the last term, so that no two rows are ever equal and keyset paging is exact.
 */
export function keyComparator<Row>(sort: ResolvedSort<Row>): (a: RowKey, b: RowKey) => number {
  const { terms } = sort;
  const lastDescending = terms[terms.length - 1]?.descending ?? false;
  return (a, b) => {
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i];
      if (term === undefined) break;
      const order = compareValues(a[i] ?? null, b[i] ?? null, term.descending, term.nullsFirst);
      if (order !== 0) return order;
    }
    const idOrder = compareNonNull(a[terms.length] ?? '', b[terms.length] ?? '');
    return lastDescending ? -idOrder : idOrder;
  };
}

function compareValues(a: SortValue, b: SortValue, descending: boolean, nullsFirst: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  const order = compareNonNull(a, b);
  return descending ? -order : order;
}

// Code-unit order for strings (not locale order): deterministic everywhere, and equal to byte
// order for the lowercase uuids and ASCII enum values the lists sort by.
function compareNonNull(a: number | string, b: number | string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
