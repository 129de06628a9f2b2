/**
 * Judging a filtered page against the unfiltered list it was cut from: only matching rows, and,
 * when the unfiltered list was read to its end, the same rows in the same order and a total equal
 * to their count. Pure, like ./server-paging.ts.
 */
import { samePageFindings, type FetchedPage, type Finding } from './server-paging.js';
import { shortJson } from './server-wire.js';

/** What a filter asks for, and what the unfiltered list says it should give. */
export interface FilterExpectation<Ref> {
  /** How the filter reads in a problem, e.g. `statuses=pending`. */
  readonly label: string;
  /** The row field the filter selects on, and the values it admits. */
  readonly field: string;
  readonly values: readonly string[];
  /**
   * The keys of the unfiltered list's matching rows, in list order, when the unfiltered list was
   * read to its end (so totals and membership can be judged), with the request that shows it.
   */
  readonly expected?: { readonly keys: readonly string[]; readonly ref: Ref } | undefined;
}

/**
 * Findings about one filtered page.
 * @example filterFindings(page, { label: 'statuses=pending', field: 'status', values: ['pending'] })
 */
export function filterFindings<Ref>(fetched: FetchedPage<Ref>, filter: FilterExpectation<Ref>): Finding<Ref>[] {
  const findings: Finding<Ref>[] = [];
  const { page, ref } = fetched;
  const strays = page.rows.filter((row) => !filter.values.includes(String(row[filter.field])));
  const firstStray = strays[0];
  if (firstStray !== undefined) {
    const index = page.rows.indexOf(firstStray);
    findings.push({
      problem: `${filter.label} returned ${strays.length} row(s) with another ${filter.field} (first: ${page.keys[index] ?? '?'} has ${filter.field} ${shortJson(firstStray[filter.field])})`,
      expected: `only rows whose ${filter.field} is ${filter.values.join(' or ')}`,
      refs: [ref],
    });
  }
  const expected = filter.expected;
  if (expected === undefined) return findings;
  if (page.total !== undefined && page.total !== expected.keys.length) {
    findings.push({
      problem: `${filter.label} says total ${page.total}, but the unfiltered list has ${expected.keys.length} such row(s)`,
      expected: 'total = the number of matching rows of the unfiltered list',
      refs: [expected.ref, ref],
    });
  }
  // Stray rows are reported above; comparing membership again would only repeat them.
  if (firstStray === undefined) {
    findings.push(...samePageFindings(expected.keys, fetched, expected.ref, { what: filter.label, expected: 'the matching rows of the unfiltered list, in the same order' }));
  }
  return findings;
}
