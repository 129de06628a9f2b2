import { describe, expect, it } from 'vitest';
import { filterFindings } from './server-filters.js';
import type { FetchedPage, PageView } from './server-paging.js';

function fetched(rows: readonly { id: string; status: string }[], flags: Partial<PageView> = {}): FetchedPage<string> {
  return {
    ref: 'filtered',
    page: { rows, keys: rows.map((row) => row.id), hasNextPage: false, hasPreviousPage: false, startCursor: undefined, endCursor: undefined, total: rows.length, ...flags },
  };
}

const PENDING = { label: 'statuses=pending', field: 'status', values: ['pending'] } as const;

describe('filterFindings', () => {
  it('accepts a page of matching rows equal to the matching rows of the unfiltered list', () => {
    const page = fetched([{ id: 'a', status: 'pending' }, { id: 'c', status: 'pending' }]);
    expect(filterFindings(page, { ...PENDING, expected: { keys: ['a', 'c'], ref: 'unfiltered' } })).toEqual([]);
  });

  it('finds rows that do not match, naming the first', () => {
    const page = fetched([{ id: 'a', status: 'pending' }, { id: 'b', status: 'failed' }, { id: 'c', status: 'completed' }]);
    expect(filterFindings(page, PENDING)).toEqual([
      { problem: 'statuses=pending returned 2 row(s) with another status (first: b has status "failed")', expected: 'only rows whose status is pending', refs: ['filtered'] },
    ]);
  });

  it('accepts any of several values', () => {
    const page = fetched([{ id: 'a', status: 'pending' }, { id: 'b', status: 'failed' }]);
    expect(filterFindings(page, { label: 'statuses=pending&statuses=failed', field: 'status', values: ['pending', 'failed'] })).toEqual([]);
  });

  it('finds a total that disagrees with the unfiltered list', () => {
    const page = fetched([{ id: 'a', status: 'pending' }], { total: 3 });
    expect(filterFindings(page, { ...PENDING, expected: { keys: ['a'], ref: 'unfiltered' } })).toEqual([
      { problem: 'statuses=pending says total 3, but the unfiltered list has 1 such row(s)', expected: 'total = the number of matching rows of the unfiltered list', refs: ['unfiltered', 'filtered'] },
    ]);
  });

  it('finds a matching row left out', () => {
    const page = fetched([{ id: 'a', status: 'pending' }], { total: undefined });
    expect(filterFindings(page, { ...PENDING, expected: { keys: ['a', 'c'], ref: 'unfiltered' } }).map((finding) => finding.problem)).toEqual([
      'statuses=pending gives too few rows: row 2 is missing (expected had c)',
    ]);
  });

  it('judges only the first rows of a filtered list longer than one page', () => {
    const page = fetched([{ id: 'a', status: 'pending' }], { hasNextPage: true, total: 2 });
    expect(filterFindings(page, { ...PENDING, expected: { keys: ['a', 'c'], ref: 'unfiltered' } })).toEqual([]);
  });

  it('finds rows for a value nothing has (an unknown company)', () => {
    const page = fetched([{ id: 'a', status: 'pending' }]);
    const findings = filterFindings(page, { label: 'company_id=<random>', field: 'status', values: ['nobody'], expected: { keys: [], ref: 'filtered' } });
    expect(findings.map((finding) => finding.problem)).toEqual([
      'company_id=<random> returned 1 row(s) with another status (first: a has status "pending")',
      'company_id=<random> says total 1, but the unfiltered list has 0 such row(s)',
    ]);
  });
});
