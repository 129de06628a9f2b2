/**
 * Walking a cursor-paged list and judging the walk, with no HTTP in sight: pages come from a
 * fetch function, and every finding cites the pages it is about by an opaque reference (the
 * exchange, in server mode; a number, in unit tests).
 *
 * The rules are the ones an integration relies on (api-notes section 5): following endCursor
 * visits every row once, `total` does not change from page to page, the first page has no
 * previous page, walking back with `before` gives the same rows in the same order, and a cursor
 * used again gives the same page.
 */
import { isRecord, shortJson } from './server-wire.js';

/** One page of a list as the probes read it. */
export interface PageView {
  /** The rows, as sent. */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** Each row's identity (a job's `id`, an item's `accountingEntryId`), in page order. */
  readonly keys: readonly string[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | undefined;
  readonly endCursor: string | undefined;
  readonly total: number | undefined;
}

/** A page and the request it came from. */
export interface FetchedPage<Ref> {
  readonly ref: Ref;
  readonly page: PageView;
}

/** What a fetch of one page gives: the page, or why there is none. */
export type PageFetch<Ref> = ({ readonly ok: true } & FetchedPage<Ref>) | { readonly ok: false; readonly ref: Ref; readonly problem: string };

/** Something wrong, what was expected instead, and the requests that show it (oldest first). */
export interface Finding<Ref> {
  readonly problem: string;
  readonly expected: string;
  readonly refs: readonly Ref[];
}

/** Which way a walk follows cursors: `after` = endCursor while hasNextPage, or `before` = startCursor while hasPreviousPage. */
export type WalkDirection = 'forward' | 'backward';

/** The pages a walk visited, in the order fetched, and how it ended. */
export interface Walk<Ref> {
  readonly direction: WalkDirection;
  readonly pages: readonly FetchedPage<Ref>[];
  /** It reached the end of the list: a page without a next page (forward) or previous page (backward). */
  readonly complete: boolean;
  /** It stopped at the page cap with more pages announced. */
  readonly capped: boolean;
  /** Why it stopped early: a failed fetch, a missing cursor, a cursor that loops. */
  readonly stopped: Finding<Ref> | undefined;
}

/**
 * Reads a CursorPaginatedResponse body; a string says why it is not one.
 * @example readPage({ data: [{ id: 'a' }], pagination: { hasNextPage: false, hasPreviousPage: false } }, 'id')
 */
export function readPage(body: unknown, keyField: string): PageView | string {
  if (!isRecord(body)) return `the body is not an object: ${shortJson(body)}`;
  const { data, pagination } = body;
  if (!Array.isArray(data)) return `data is not an array: ${shortJson(data)}`;
  const rows: Readonly<Record<string, unknown>>[] = [];
  const keys: string[] = [];
  for (const [index, row] of (data as unknown[]).entries()) {
    if (!isRecord(row)) return `data[${index}] is not an object: ${shortJson(row)}`;
    const key = row[keyField];
    if (typeof key !== 'string' || key === '') return `data[${index}].${keyField} is not a non-empty string: ${shortJson(key)}`;
    rows.push(row);
    keys.push(key);
  }
  if (!isRecord(pagination)) return `pagination is not an object: ${shortJson(pagination)}`;
  const { hasNextPage, hasPreviousPage, startCursor, endCursor, total } = pagination;
  if (typeof hasNextPage !== 'boolean') return `pagination.hasNextPage is not a boolean: ${shortJson(hasNextPage)}`;
  if (typeof hasPreviousPage !== 'boolean') return `pagination.hasPreviousPage is not a boolean: ${shortJson(hasPreviousPage)}`;
  if (startCursor !== undefined && typeof startCursor !== 'string') return `pagination.startCursor is not a string: ${shortJson(startCursor)}`;
  if (endCursor !== undefined && typeof endCursor !== 'string') return `pagination.endCursor is not a string: ${shortJson(endCursor)}`;
  if (total !== undefined && !(typeof total === 'number' && Number.isInteger(total) && total >= 0)) return `pagination.total is not a count: ${shortJson(total)}`;
  return { rows, keys, hasNextPage, hasPreviousPage, startCursor, endCursor, total };
}

/** Options of {@link walkPages}. */
export interface WalkOptions {
  readonly direction: WalkDirection;
  /** The cursor to start from; none: the first page (forward only). */
  readonly from?: string | undefined;
  /** Stop after this many pages, even if more are announced. */
  readonly maxPages: number;
  /** How the list reads in a problem, e.g. `the export jobs`. */
  readonly what: string;
}

/**
 * Follows cursors page by page until the list ends, a fetch fails, a cursor is missing or
 * repeats (the walk would never end), or `maxPages` pages were read.
 * @example
 * const walk = await walkPages((cursor) => fetchJobs(cursor), { direction: 'forward', maxPages: 50 });
 */
export async function walkPages<Ref>(fetchPage: (cursor: string | undefined) => Promise<PageFetch<Ref>>, options: WalkOptions): Promise<Walk<Ref>> {
  const forward = options.direction === 'forward';
  const pages: FetchedPage<Ref>[] = [];
  const used = new Map<string, number>();
  let cursor = options.from;
  const end = (complete: boolean, capped: boolean, stopped?: Finding<Ref>): Walk<Ref> => ({ direction: options.direction, pages, complete, capped, stopped });
  for (;;) {
    if (cursor !== undefined) used.set(cursor, pages.length);
    const fetched = await fetchPage(cursor);
    if (!fetched.ok) {
      const which = pages.length === 0 && options.from === undefined ? 'the first page' : `page ${pages.length + 1}, ${forward ? 'after' : 'before'} the previous one`;
      return end(false, false, { problem: fetched.problem, expected: `${which} of ${options.what}`, refs: [fetched.ref] });
    }
    pages.push({ ref: fetched.ref, page: fetched.page });
    const { page } = fetched;
    const more = forward ? page.hasNextPage : page.hasPreviousPage;
    if (!more) return end(true, false);
    const next = forward ? page.endCursor : page.startCursor;
    const flag = forward ? 'hasNextPage' : 'hasPreviousPage';
    const cursorName = forward ? 'endCursor' : 'startCursor';
    if (next === undefined) {
      return end(false, false, { problem: `page ${pages.length} of ${options.what} says ${flag}: true but has no ${cursorName}`, expected: `a ${cursorName} to continue from whenever ${flag} is true`, refs: [fetched.ref] });
    }
    const seenAt = used.get(next);
    if (seenAt !== undefined) {
      const earlier = pages[seenAt];
      return end(false, false, {
        problem: `page ${pages.length} of ${options.what} gives ${cursorName} ${next}, the cursor that fetched page ${seenAt + 1}: following it would loop forever`,
        expected: `each ${cursorName} to lead further ${forward ? 'forward' : 'back'} until ${flag} is false`,
        refs: earlier === undefined || seenAt === pages.length - 1 ? [fetched.ref] : [earlier.ref, fetched.ref],
      });
    }
    if (pages.length >= options.maxPages) return end(false, true);
    cursor = next;
  }
}

/** Every key of a walk's pages, in the order fetched. */
export function walkKeys<Ref>(walk: Walk<Ref>): string[] {
  return walk.pages.flatMap(({ page }) => page.keys);
}

/**
 * Findings about a forward walk from the first page: duplicates across pages, pages larger than
 * the limit, a first page with a previous page, a total that changes, a count that differs from
 * the total, and why the walk stopped early.
 */
export function forwardWalkFindings<Ref>(walk: Walk<Ref>, limit: number, what: string): Finding<Ref>[] {
  const findings: Finding<Ref>[] = [];
  const first = walk.pages[0];
  if (first?.page.hasPreviousPage === true) {
    findings.push({ problem: `the first page of ${what} says hasPreviousPage: true`, expected: 'hasPreviousPage: false on the first page', refs: [first.ref] });
  }
  findings.push(...pageSizeFindings(walk, limit, what), ...totalFindings(walk.pages, first, what));
  const seen = new Map<string, number>();
  walk.pages.forEach(({ ref, page }, index) => {
    const repeated = page.keys.filter((key) => seen.has(key));
    const firstRepeat = repeated[0];
    if (firstRepeat !== undefined) {
      const earlier = seen.get(firstRepeat) ?? 0;
      const earlierRef = walk.pages[earlier]?.ref;
      findings.push({
        problem: `page ${index + 1} of ${what} repeats ${repeated.length} row(s) of earlier pages (first: ${firstRepeat}, already on page ${earlier + 1})`,
        expected: 'each row exactly once when following endCursor',
        refs: earlierRef === undefined || earlier === index ? [ref] : [earlierRef, ref],
      });
    }
    for (const key of page.keys) if (!seen.has(key)) seen.set(key, index);
  });
  if (walk.stopped !== undefined) findings.push(walk.stopped);
  const last = walk.pages[walk.pages.length - 1];
  if (walk.complete && last !== undefined && first?.page.total !== undefined && seen.size !== first.page.total) {
    findings.push({
      problem: `walking ${what} to the end gave ${seen.size} distinct row(s), but total says ${first.page.total}`,
      expected: 'as many rows as total: no gap and no extra row',
      refs: [first.ref, last.ref],
    });
  }
  return findings;
}

/**
 * Findings about a backward walk: starting with `before` = the last forward page's startCursor,
 * the pages read back to front must give exactly the rows the forward walk had before that page,
 * in the same order, with the same total.
 */
export function backwardWalkFindings<Ref>(forward: Walk<Ref>, backward: Walk<Ref>, limit: number, what: string): Finding<Ref>[] {
  const findings: Finding<Ref>[] = [...pageSizeFindings(backward, limit, what), ...totalFindings(backward.pages, forward.pages[0], what)];
  if (backward.stopped !== undefined) findings.push(backward.stopped);
  const lastForward = forward.pages[forward.pages.length - 1];
  if (lastForward === undefined) return findings;
  const expectedAll = forward.pages.slice(0, -1).flatMap(({ page }) => page.keys);
  // Back to front: the last page fetched holds the list's first rows.
  const inOrder = [...backward.pages].reverse();
  const actual = inOrder.flatMap(({ page }) => page.keys);
  const pageOf = inOrder.flatMap(({ ref, page }) => page.keys.map(() => ref));
  // A walk that did not reach the start can only be compared with the rows just before the page.
  const expected = backward.complete ? expectedAll : expectedAll.slice(Math.max(0, expectedAll.length - actual.length));
  const difference = firstDifference(expected, actual);
  if (difference !== undefined) {
    const ref = pageOf[Math.min(difference.index, pageOf.length - 1)];
    findings.push({
      problem: `walking ${what} back with before from the last page's startCursor gives ${describeDifference(difference, 'the forward walk')}`,
      expected: 'the rows the forward walk had before its last page, in the same order',
      refs: ref === undefined ? [lastForward.ref] : [lastForward.ref, ref],
    });
  }
  if (backward.complete && backward.pages.length > 0 && inOrder[0]?.page.hasPreviousPage === true) {
    const start = inOrder[0];
    findings.push({ problem: `the first rows of ${what}, reached backward, say hasPreviousPage: true`, expected: 'hasPreviousPage: false at the start of the list', refs: [start.ref] });
  }
  return findings;
}

/** How {@link samePageFindings} names the page and what it should have been. */
export interface SamePageDescription {
  /** How the page reads in a problem. */
  readonly what: string;
  readonly expected: string;
  /**
   * The page must hold exactly `expected` (a replayed page). Otherwise a page that announces a
   * next page need only start with `expected`'s first rows: the server may clamp a big limit.
   */
  readonly exact?: boolean;
}

/**
 * Findings about a page whose rows are known in advance (a cursor used again, one big page of a
 * list already walked, a filtered list): the same rows in the same order.
 */
export function samePageFindings<Ref>(expected: readonly string[], actual: FetchedPage<Ref>, reference: Ref, description: SamePageDescription): Finding<Ref>[] {
  const keys = actual.page.keys;
  const compared = actual.page.hasNextPage && description.exact !== true ? expected.slice(0, keys.length) : expected;
  const difference = firstDifference(compared, keys);
  if (difference === undefined) return [];
  return [{ problem: `${description.what} gives ${describeDifference(difference, 'expected')}`, expected: description.expected, refs: [reference, actual.ref] }];
}

/** Where two key sequences first differ. */
export interface Difference {
  readonly index: number;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
}

/** The first position where two sequences differ (one ending early counts); undefined when equal. */
export function firstDifference(expected: readonly string[], actual: readonly string[]): Difference | undefined {
  const length = Math.max(expected.length, actual.length);
  for (let index = 0; index < length; index++) {
    if (expected[index] !== actual[index]) return { index, expected: expected[index], actual: actual[index] };
  }
  return undefined;
}

function describeDifference(difference: Difference, other: string): string {
  const position = `row ${difference.index + 1}`;
  if (difference.actual === undefined) return `too few rows: ${position} is missing (${other} had ${difference.expected ?? '?'})`;
  if (difference.expected === undefined) return `too many rows: ${position} is ${difference.actual}, past the end of ${other}`;
  return `${difference.actual} as ${position}, where ${other} had ${difference.expected}`;
}

function pageSizeFindings<Ref>(walk: Walk<Ref>, limit: number, what: string): Finding<Ref>[] {
  return walk.pages.flatMap(({ ref, page }, index) =>
    page.keys.length > limit ? [{ problem: `page ${index + 1} of ${what} has ${page.keys.length} rows`, expected: `at most limit=${limit} rows per page`, refs: [ref] }] : [],
  );
}

function totalFindings<Ref>(pages: readonly FetchedPage<Ref>[], first: FetchedPage<Ref> | undefined, what: string): Finding<Ref>[] {
  if (first === undefined) return [];
  const total = first.page.total;
  return pages.flatMap(({ ref, page }, index) =>
    page.total === total || ref === first.ref
      ? []
      : [{ problem: `page ${index + 1} of ${what} says total ${page.total ?? 'absent'}, the first page said ${total ?? 'absent'}`, expected: 'the same total on every page', refs: [first.ref, ref] }],
  );
}
