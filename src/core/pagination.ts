/**
 * Keyset pagination over a {@link SortedView}: `after`/`before` cursors, `offset`, `limit`, and
 * the CursorPageInfo facts (`hasNextPage`, `hasPreviousPage`, cursors, `total`).
 *
 * A cursor names a position in the sort's value space (the row's sort values and row id), not
 * an index, so following `endCursor` visits every row exactly once even while rows are added or
 * removed between requests, and locating it is a B+ tree descent, whatever the page's depth.
 *
 * Cursors of the default sort are exactly Pleo's two segments (timestamp, row uuid). Cursors of
 * a requested sort start with a 4-byte fingerprint of that sort, so a cursor from another order
 * or another list is refused with INVALID_CURSOR instead of silently landing somewhere else.
 */
import {
  CursorDecodeError,
  decodeCursor,
  decodeInstant,
  decodeInteger,
  decodeText,
  decodeUuid,
  encodeCursor,
  encodeInstant,
  encodeInteger,
  encodeText,
  encodeUuid,
  type CursorSegment,
} from './cursor.js';
import { MockError } from './errors.js';
import { GenerationalCache } from './identity-cache.js';
import type { SortedView } from './sorted-collection.js';
import { rowKey, type ResolvedSort, type RowKey, type SortKeyKind, type SortValue } from './sorting.js';

/** Page size settings: what `limit` means when absent, and its ceiling. */
export interface PageSizeConfig {
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

/** The pagination part of a list request, already validated as to types. */
export interface PageRequest {
  readonly before?: string | undefined;
  readonly after?: string | undefined;
  readonly offset?: number | undefined;
  readonly limit?: number | undefined;
}

/** One page of rows and its CursorPageInfo facts. */
export interface Page<Row> {
  readonly rows: readonly Row[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | undefined;
  readonly endCursor: string | undefined;
  readonly total: number;
  /** The page size actually used (the requested limit after defaulting and clamping). */
  readonly limit: number;
}

/** `before`, `after` and `offset` are mutually exclusive (Pleo's parameter descriptions). */
export function assertExclusivePagination(request: PageRequest): void {
  const given = (['before', 'after', 'offset'] as const).filter((name) => request[name] !== undefined);
  if (given.length > 1) {
    throw new MockError('INVALID_PAGINATION', `${given.join(' and ')} cannot be used together; send at most one of before, after and offset`);
  }
}

/** The effective page size: the default when absent, clamped to the maximum. */
export function effectiveLimit(requested: number | undefined, config: PageSizeConfig): number {
  if (requested === undefined) return config.defaultLimit;
  return Math.min(requested, config.maxLimit);
}

/**
 * Row cursors by sort id, then by record: every list page encodes two (its start and end), and
 * base32 of 28 bytes costs more than the rest of a page. A cursor is a pure function of the sort
 * and the record, and records are immutable. Sort ids are few; the cap bounds a client sending
 * every combination.
 */
const rowCursors = new Map<string, GenerationalCache<unknown, string>>();
const MAX_CACHED_SORTS = 16;
const CURSORS_PER_SORT = 1024;

function cachedRowCursor<Row>(sort: ResolvedSort<Row>, row: Row): string {
  let cache = rowCursors.get(sort.id);
  if (cache === undefined) {
    if (rowCursors.size >= MAX_CACHED_SORTS) rowCursors.clear();
    cache = new GenerationalCache(CURSORS_PER_SORT);
    rowCursors.set(sort.id, cache);
  }
  return cache.get(row, () => encodeRowCursor(sort, row));
}

/** The cursor of a row under a sort. */
export function encodeRowCursor<Row>(sort: ResolvedSort<Row>, row: Row): string {
  const key = rowKey(sort, row);
  const segments: CursorSegment[] = sort.explicit ? [sort.fingerprint] : [];
  sort.terms.forEach((term, index) => {
    segments.push(encodeValue(term.kind, key[index] ?? null));
  });
  segments.push(encodeUuid(sort.list.rowId(row)));
  return encodeCursor(segments);
}

/**
 * Reads a cursor back to the row key it names under this sort. Throws INVALID_CURSOR (naming
 * the parameter) for anything this server did not issue for this list and sort.
 */
export function decodeRowCursor<Row>(sort: ResolvedSort<Row>, cursor: string, parameter: string): RowKey {
  try {
    const segments = decodeCursor(cursor);
    const expected = (sort.explicit ? 1 : 0) + sort.terms.length + 1;
    if (segments.length !== expected) throw new CursorDecodeError('it was issued for another list or sort order');
    if (sort.explicit && !sameBytes(segments.shift() ?? null, sort.fingerprint)) {
      throw new CursorDecodeError('it was issued for another list or sort order');
    }
    const key: SortValue[] = sort.terms.map((term, index) => decodeValue(term.kind, segments[index] ?? null));
    const rowId = segments[sort.terms.length] ?? null;
    if (rowId === null) throw new CursorDecodeError('its row id is missing');
    key.push(decodeUuid(rowId));
    return key;
  } catch (error) {
    if (error instanceof CursorDecodeError) {
      throw new MockError('INVALID_CURSOR', `${parameter}: '${cursor}' is not a cursor of this list: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Tells whether a row id belongs to the list being paged. Default-order cursors of different
 * lists have the same shape (Pleo's timestamp + row uuid); this is how a cursor of another list
 * is still refused. The store's lists never delete rows, so a cursor stays valid for as long as
 * the state does.
 */
export type RowMembership = (rowId: string) => boolean;

/** One page of a view. The request must have passed {@link assertExclusivePagination}. */
export function paginate<Row>(view: SortedView<Row>, request: PageRequest, config: PageSizeConfig, isListRow?: RowMembership): Page<Row> {
  const limit = effectiveLimit(request.limit, config);
  if (request.after !== undefined) return pageAfter(view, decodeListCursor(view, request.after, 'after', isListRow), limit);
  if (request.before !== undefined) return pageBefore(view, decodeListCursor(view, request.before, 'before', isListRow), limit);
  return pageFromOffset(view, request.offset ?? 0, limit);
}

function decodeListCursor<Row>(view: SortedView<Row>, cursor: string, parameter: string, isListRow: RowMembership | undefined): RowKey {
  const key = decodeRowCursor(view.sort, cursor, parameter);
  const rowId = key[key.length - 1];
  if (isListRow !== undefined && (typeof rowId !== 'string' || !isListRow(rowId))) {
    throw new MockError('INVALID_CURSOR', `${parameter}: '${cursor}' is not a cursor of this list: it names a row of another list`);
  }
  return key;
}

function pageAfter<Row>(view: SortedView<Row>, position: RowKey, limit: number): Page<Row> {
  const { tree } = view;
  const rows: Row[] = [];
  let lastKey: RowKey | undefined;
  let firstKey: RowKey | undefined;
  if (limit > 0) {
    for (const [key, row] of tree.entries(position)) {
      if (view.compare(key, position) === 0) continue;
      firstKey ??= key;
      lastKey = key;
      rows.push(row);
      if (rows.length === limit) break;
    }
  }
  return finishPage(view, rows, limit, {
    hasNextPage: tree.nextHigherPair(lastKey ?? position) !== undefined,
    hasPreviousPage: firstKey === undefined ? tree.getPairOrNextLower(position) !== undefined : tree.nextLowerPair(firstKey) !== undefined,
  });
}

function pageBefore<Row>(view: SortedView<Row>, position: RowKey, limit: number): Page<Row> {
  const { tree } = view;
  const reversed: Row[] = [];
  let firstKey: RowKey | undefined;
  let lastKey: RowKey | undefined;
  if (limit > 0) {
    for (const [key, row] of tree.entriesReversed(position, undefined, true)) {
      lastKey ??= key;
      firstKey = key;
      reversed.push(row);
      if (reversed.length === limit) break;
    }
  }
  return finishPage(view, reversed.reverse(), limit, {
    hasNextPage: lastKey === undefined ? tree.getPairOrNextHigher(position) !== undefined : tree.nextHigherPair(lastKey) !== undefined,
    hasPreviousPage: tree.nextLowerPair(firstKey ?? position) !== undefined,
  });
}

// Offset paging walks `offset` rows: sorted-btree has no rank index. Cursor paging is the
// documented way through large lists; offset stays exact, just linear in the offset.
function pageFromOffset<Row>(view: SortedView<Row>, offset: number, limit: number): Page<Row> {
  const rows: Row[] = [];
  let index = 0;
  if (limit > 0) {
    for (const row of view.tree.values()) {
      if (index++ < offset) continue;
      rows.push(row);
      if (rows.length === limit) break;
    }
  }
  return finishPage(view, rows, limit, {
    hasNextPage: offset + rows.length < view.size,
    hasPreviousPage: offset > 0 && view.size > 0,
  });
}

function finishPage<Row>(
  view: SortedView<Row>,
  rows: readonly Row[],
  limit: number,
  flags: { hasNextPage: boolean; hasPreviousPage: boolean },
): Page<Row> {
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    ...flags,
    startCursor: first === undefined ? undefined : cachedRowCursor(view.sort, first),
    endCursor: last === undefined ? undefined : cachedRowCursor(view.sort, last),
    total: view.size,
    limit,
  };
}

function encodeValue(kind: SortKeyKind, value: SortValue): CursorSegment {
  if (value === null) return null;
  switch (kind) {
    case 'instant':
    case 'integer':
      if (typeof value !== 'number') throw new TypeError(`a ${kind} sort value must be a number`);
      return kind === 'instant' ? encodeInstant(value) : encodeInteger(value);
    case 'text':
    case 'uuid':
      if (typeof value !== 'string') throw new TypeError(`a ${kind} sort value must be a string`);
      return kind === 'text' ? encodeText(value) : encodeUuid(value);
  }
}

function decodeValue(kind: SortKeyKind, segment: CursorSegment): SortValue {
  if (segment === null) return null;
  switch (kind) {
    case 'instant':
      return decodeInstant(segment);
    case 'integer':
      return decodeInteger(segment);
    case 'text':
      return decodeText(segment);
    case 'uuid':
      return decodeUuid(segment);
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  return a !== null && a.length === b.length && a.every((byte, index) => byte === b[index]);
}
