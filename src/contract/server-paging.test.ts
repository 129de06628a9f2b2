import { describe, expect, it } from 'vitest';
import {
  backwardWalkFindings,
  firstDifference,
  forwardWalkFindings,
  readPage,
  samePageFindings,
  walkKeys,
  walkPages,
  type FetchedPage,
  type PageFetch,
  type PageView,
  type Walk,
} from './server-paging.js';

const KEYS = Array.from({ length: 12 }, (_, index) => `row-${String(index + 1).padStart(2, '0')}`);
const LIMIT = 5;

function view(keys: readonly string[], flags: Partial<PageView> = {}): PageView {
  return {
    rows: keys.map((id) => ({ id })),
    keys,
    hasNextPage: false,
    hasPreviousPage: false,
    startCursor: keys.length === 0 ? undefined : `c:${keys[0] ?? ''}`,
    endCursor: keys.length === 0 ? undefined : `c:${keys[keys.length - 1] ?? ''}`,
    total: KEYS.length,
    ...flags,
  };
}

/** How a simulated list server gets keyset paging wrong (nothing: it gets it right). */
interface Quirks {
  /** `after` resumes this many rows later than it should (negative: repeats rows). */
  readonly afterShift?: number;
  /** `before` pages come back in reverse order. */
  readonly reversedBefore?: boolean;
  /** total on pages fetched with a cursor. */
  readonly laterTotal?: number;
  readonly firstHasPrevious?: boolean;
}

/** A list of KEYS served page by page; refs are request labels. */
function listServer(quirks: Quirks = {}) {
  let requests = 0;
  const indexOf = (cursor: string): number => KEYS.indexOf(cursor.slice(2));
  const respond = (keys: readonly string[], flags: Partial<PageView>): PageFetch<string> => ({ ok: true, ref: `request ${++requests}`, page: view(keys, flags) });
  return {
    forward: (cursor: string | undefined): Promise<PageFetch<string>> => {
      const start = cursor === undefined ? 0 : indexOf(cursor) + 1 + (quirks.afterShift ?? 0);
      const keys = KEYS.slice(start, start + LIMIT);
      return Promise.resolve(
        respond(keys, {
          hasNextPage: start + LIMIT < KEYS.length,
          hasPreviousPage: cursor === undefined ? (quirks.firstHasPrevious ?? false) : start > 0,
          ...(cursor === undefined || quirks.laterTotal === undefined ? {} : { total: quirks.laterTotal }),
        }),
      );
    },
    backward: (cursor: string | undefined): Promise<PageFetch<string>> => {
      const end = cursor === undefined ? KEYS.length : indexOf(cursor);
      const start = Math.max(0, end - LIMIT);
      const keys = KEYS.slice(start, end);
      const flags = { hasNextPage: true, hasPreviousPage: start > 0 };
      // Reversed rows, but cursors still named in list order: only the order of the rows is wrong.
      if (quirks.reversedBefore === true) return Promise.resolve(respond([...keys].reverse(), { ...flags, startCursor: `c:${keys[0] ?? ''}`, endCursor: `c:${keys[keys.length - 1] ?? ''}` }));
      return Promise.resolve(respond(keys, flags));
    },
  };
}

async function forwardWalk(quirks: Quirks = {}, maxPages = 50): Promise<Walk<string>> {
  return walkPages(listServer(quirks).forward, { direction: 'forward', maxPages, what: 'the rows' });
}

async function backwardWalkFrom(forward: Walk<string>, quirks: Quirks = {}): Promise<Walk<string>> {
  const last = forward.pages[forward.pages.length - 1];
  return walkPages(listServer(quirks).backward, { direction: 'backward', from: last?.page.startCursor, maxPages: 50, what: 'the rows (walking back)' });
}

describe('readPage', () => {
  const pagination = { hasNextPage: true, hasPreviousPage: false, startCursor: 'A', endCursor: 'B', total: 7, currentRequestPagination: {} };

  it('reads a CursorPaginatedResponse into rows, keys and page facts', () => {
    expect(readPage({ data: [{ id: 'a', status: 'pending' }, { id: 'b' }], pagination }, 'id')).toEqual({
      rows: [{ id: 'a', status: 'pending' }, { id: 'b' }],
      keys: ['a', 'b'],
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: 'A',
      endCursor: 'B',
      total: 7,
    });
  });

  it('accepts a page without cursors or total (an empty page has no cursors)', () => {
    expect(readPage({ data: [], pagination: { hasNextPage: false, hasPreviousPage: false } }, 'id')).toMatchObject({ keys: [], startCursor: undefined, total: undefined });
  });

  it.each([
    ['a body that is not an object', [1, 2], /the body is not an object/],
    ['data that is not an array', { data: {}, pagination }, /data is not an array/],
    ['a row that is not an object', { data: ['x'], pagination }, /data\[0\] is not an object/],
    ['a row without its key', { data: [{ id: 'a' }, { name: 'b' }], pagination }, /data\[1\]\.id is not a non-empty string/],
    ['no pagination', { data: [] }, /pagination is not an object/],
    ['hasNextPage that is not a boolean', { data: [], pagination: { ...pagination, hasNextPage: 'yes' } }, /hasNextPage is not a boolean/],
    ['a cursor that is not a string', { data: [], pagination: { ...pagination, endCursor: 12 } }, /endCursor is not a string/],
    ['a negative total', { data: [], pagination: { ...pagination, total: -1 } }, /total is not a count/],
  ])('says what is wrong with %s', (_what, body, message) => {
    expect(readPage(body, 'id')).toMatch(message);
  });
});

describe('walkPages', () => {
  it('follows endCursor to the end of a correct list, visiting every row once', async () => {
    const walk = await forwardWalk();
    expect(walk).toMatchObject({ complete: true, capped: false, stopped: undefined });
    expect(walk.pages).toHaveLength(3);
    expect(walkKeys(walk)).toEqual(KEYS);
    expect(forwardWalkFindings(walk, LIMIT, 'the rows')).toEqual([]);
  });

  it('stops at the page cap without calling it a failure', async () => {
    const walk = await forwardWalk({}, 2);
    expect(walk).toMatchObject({ complete: false, capped: true, stopped: undefined });
    expect(walk.pages).toHaveLength(2);
  });

  it('stops when a page gives back the cursor that fetched an earlier page: it would loop forever', async () => {
    const page: PageView = view(['a', 'b'], { hasNextPage: true, startCursor: 'S', endCursor: 'E' });
    let requests = 0;
    const walk = await walkPages(() => Promise.resolve<PageFetch<string>>({ ok: true, ref: `request ${++requests}`, page }), { direction: 'forward', maxPages: 50, what: 'the rows' });
    expect(walk.pages).toHaveLength(2);
    expect(walk.complete).toBe(false);
    expect(walk.stopped?.problem).toBe('page 2 of the rows gives endCursor E, the cursor that fetched page 2: following it would loop forever');
    expect(walk.stopped?.refs).toEqual(['request 2']);
  });

  it('names both requests when the loop goes back further than the last page', async () => {
    const pages = [view(['a'], { hasNextPage: true, endCursor: 'E1' }), view(['b'], { hasNextPage: true, endCursor: 'E2' }), view(['c'], { hasNextPage: true, endCursor: 'E1' })];
    let index = 0;
    const walk = await walkPages(() => Promise.resolve<PageFetch<string>>({ ok: true, ref: `request ${index + 1}`, page: pages[index++] ?? view([]) }), { direction: 'forward', maxPages: 50, what: 'the rows' });
    expect(walk.stopped?.problem).toMatch(/page 3 of the rows gives endCursor E1, the cursor that fetched page 2/);
    expect(walk.stopped?.refs).toEqual(['request 2', 'request 3']);
  });

  it('stops when a page announces a next page without an endCursor', async () => {
    const walk = await walkPages(() => Promise.resolve<PageFetch<string>>({ ok: true, ref: 'request 1', page: view(['a'], { hasNextPage: true, endCursor: undefined }) }), { direction: 'forward', maxPages: 50, what: 'the rows' });
    expect(walk.stopped).toMatchObject({ problem: 'page 1 of the rows says hasNextPage: true but has no endCursor', refs: ['request 1'] });
  });

  it('stops at a failed fetch, with its problem', async () => {
    const walk = await walkPages(() => Promise.resolve<PageFetch<string>>({ ok: false, ref: 'request 1', problem: 'GET /x answered 500' }), { direction: 'forward', maxPages: 50, what: 'the rows' });
    expect(walk.pages).toEqual([]);
    expect(walk.stopped).toEqual({ problem: 'GET /x answered 500', expected: 'the first page of the rows', refs: ['request 1'] });
  });
});

describe('forwardWalkFindings', () => {
  it('finds rows repeated when after resumes too early', async () => {
    const findings = forwardWalkFindings(await forwardWalk({ afterShift: -1 }), LIMIT, 'the rows');
    expect(findings[0]).toEqual({
      problem: 'page 2 of the rows repeats 1 row(s) of earlier pages (first: row-05, already on page 1)',
      expected: 'each row exactly once when following endCursor',
      refs: ['request 1', 'request 2'],
    });
  });

  it('finds a gap when after skips a row: the count falls short of total', async () => {
    const findings = forwardWalkFindings(await forwardWalk({ afterShift: 1 }), LIMIT, 'the rows');
    expect(findings.map((finding) => finding.problem)).toEqual(['walking the rows to the end gave 10 distinct row(s), but total says 12']);
  });

  it('finds a total that changes from page to page', async () => {
    const findings = forwardWalkFindings(await forwardWalk({ laterTotal: 13 }), LIMIT, 'the rows');
    expect(findings.map((finding) => finding.problem)).toEqual(['page 2 of the rows says total 13, the first page said 12', 'page 3 of the rows says total 13, the first page said 12']);
  });

  it('finds a first page that claims a previous page', async () => {
    const findings = forwardWalkFindings(await forwardWalk({ firstHasPrevious: true }), LIMIT, 'the rows');
    expect(findings).toEqual([{ problem: 'the first page of the rows says hasPreviousPage: true', expected: 'hasPreviousPage: false on the first page', refs: ['request 1'] }]);
  });

  it('finds a page larger than the limit', async () => {
    const findings = forwardWalkFindings(await forwardWalk(), 4, 'the rows');
    expect(findings.map((finding) => finding.problem)).toEqual(['page 1 of the rows has 5 rows', 'page 2 of the rows has 5 rows']);
  });

  it('judges no count on a walk that stopped at the cap', async () => {
    expect(forwardWalkFindings(await forwardWalk({}, 2), LIMIT, 'the rows')).toEqual([]);
  });
});

describe('backwardWalkFindings', () => {
  it('finds nothing when before mirrors after', async () => {
    const forward = await forwardWalk();
    const backward = await backwardWalkFrom(forward);
    expect(backward.complete).toBe(true);
    expect(backward.pages.map(({ page }) => page.keys)).toEqual([KEYS.slice(5, 10), KEYS.slice(0, 5)]);
    expect(backwardWalkFindings(forward, backward, LIMIT, 'the rows (walking back)')).toEqual([]);
  });

  it('finds rows that come back in another order', async () => {
    const forward = await forwardWalk();
    const backward = await backwardWalkFrom(forward, { reversedBefore: true });
    const findings = backwardWalkFindings(forward, backward, LIMIT, 'the rows (walking back)');
    expect(findings).toHaveLength(1);
    expect(findings[0]?.problem).toBe("walking the rows (walking back) back with before from the last page's startCursor gives row-05 as row 1, where the forward walk had row-01");
    expect(findings[0]?.refs).toEqual(['request 3', 'request 2']);
  });

  it('finds rows missing when before stops short of the start', async () => {
    const forward = await forwardWalk();
    const short: Walk<string> = { direction: 'backward', pages: [{ ref: 'back 1', page: view(KEYS.slice(6, 10), { hasPreviousPage: false, hasNextPage: true }) }], complete: true, capped: false, stopped: undefined };
    const findings = backwardWalkFindings(forward, short, LIMIT, 'the rows');
    expect(findings[0]?.problem).toMatch(/gives row-07 as row 1, where the forward walk had row-01/);
  });

  it('compares a walk cut off at the cap with the rows just before the last page', async () => {
    const forward = await forwardWalk();
    const capped: Walk<string> = { direction: 'backward', pages: [{ ref: 'back 1', page: view(KEYS.slice(5, 10), { hasPreviousPage: true, hasNextPage: true }) }], complete: false, capped: true, stopped: undefined };
    expect(backwardWalkFindings(forward, capped, LIMIT, 'the rows')).toEqual([]);
  });
});

describe('samePageFindings', () => {
  const page = (keys: readonly string[], hasNextPage: boolean): FetchedPage<string> => ({ ref: 'replay', page: view(keys, { hasNextPage }) });

  it('accepts a page that starts the expected rows when it announces a next page (a clamped big page)', () => {
    expect(samePageFindings(['a', 'b', 'c'], page(['a', 'b'], true), 'walk', { what: 'one big page', expected: 'the walk' })).toEqual([]);
  });

  it('wants every expected row from a page that announces no next page', () => {
    expect(samePageFindings(['a', 'b', 'c'], page(['a', 'b'], false), 'walk', { what: 'one big page', expected: 'the walk' })).toEqual([
      { problem: 'one big page gives too few rows: row 3 is missing (expected had c)', expected: 'the walk', refs: ['walk', 'replay'] },
    ]);
  });

  it('wants exactly the expected rows when told to be exact (a replayed cursor)', () => {
    expect(samePageFindings(['a', 'b', 'c'], page(['a', 'b'], true), 'walk', { what: 'replay', expected: 'page 2 again', exact: true })).toHaveLength(1);
    expect(samePageFindings(['a', 'b'], page(['a', 'b', 'c'], false), 'walk', { what: 'replay', expected: 'page 2 again', exact: true })[0]?.problem).toBe(
      'replay gives too many rows: row 3 is c, past the end of expected',
    );
  });
});

describe('firstDifference', () => {
  it.each([
    [['a', 'b'], ['a', 'b'], undefined],
    [['a', 'b'], ['a', 'c'], { index: 1, expected: 'b', actual: 'c' }],
    [['a', 'b'], ['a'], { index: 1, expected: 'b', actual: undefined }],
    [[], ['x'], { index: 0, expected: undefined, actual: 'x' }],
  ])('%j against %j gives %j', (expected, actual, difference) => {
    expect(firstDifference(expected, actual)).toEqual(difference);
  });
});
