/**
 * The shared shape of every list operation: reading `before/after/offset/limit/sorting_*` from a
 * validated query, and writing `CursorPaginatedResponse*` with its `CursorPageInfo`.
 */
import { assertExclusivePagination, type Page, type PageRequest, type PageSizeConfig } from '../core/pagination.js';
import { PAGE_ORDERS, resolveSort, type ListDefinition, type PageOrder, type ResolvedSort } from '../core/sorting.js';
import { dataResponse, jsonNumber, jsonString, jsonStringArray, type JsonText } from './json-text.js';
import { oneOf, optionalInteger, optionalString, stringArray } from './params.js';

/** What a list request asked for. */
export interface ListQuery<Row> {
  readonly sort: ResolvedSort<Row>;
  readonly page: PageRequest;
  readonly sortingKeys: readonly string[];
  readonly sortingOrder: readonly PageOrder[];
}

/** Reads and checks the pagination and sorting parameters of a list request. */
export function readListQuery<Row>(list: ListDefinition<Row>, query: Readonly<Record<string, unknown>>): ListQuery<Row> {
  const page: PageRequest = {
    before: optionalString(query, 'before'),
    after: optionalString(query, 'after'),
    offset: optionalInteger(query, 'offset'),
    limit: optionalInteger(query, 'limit'),
  };
  assertExclusivePagination(page);
  const sortingKeys = stringArray(query, 'sorting_keys');
  const sortingOrder = stringArray(query, 'sorting_order').map((order) => oneOf(PAGE_ORDERS, order, 'sorting_order'));
  return { sort: resolveSort(list, sortingKeys, sortingOrder), page, sortingKeys, sortingOrder };
}

/**
 * The response of a list page, as `CursorPaginatedResponse` text: rows are given as their JSON
 * (see json-text.ts), so a page costs no serialization of rows already rendered, and the
 * `CursorPageInfo` is written by {@link cursorPageInfoJson}.
 */
export function pageResponse<Row>(
  page: Page<Row>,
  query: ListQuery<Row>,
  parameters: Readonly<Record<string, readonly string[]>>,
  renderJson: (row: Row) => string,
): JsonText {
  return dataResponse(page.rows.map(renderJson), `{"pagination":${cursorPageInfoJson(page, query, parameters)}}`);
}

/**
 * The JSON of a page's `CursorPageInfo`, written directly, byte for byte what JSON.stringify
 * writes of it (a property test checks that). `currentRequestPagination` echoes the request:
 * the pagination parameters that were sent (`limit` as actually applied, after clamping), every
 * filter and path parameter that was sent, and the sorting arrays, always present.
 *
 * Why not JSON.stringify: inside the server, stringifying this small object (about 340
 * characters) took 5.8 µs on average (timed around the call), more than the rest of the
 * operation costs in a micro-benchmark. Written here it takes about 1.6 µs in the server (V8's
 * tick profiler: the page of 20's list request went from 7.7 to 3.5 µs of native time under
 * `dataResponse` and this function).
 */
export function cursorPageInfoJson(
  page: Omit<Page<unknown>, 'rows'>,
  query: Pick<ListQuery<unknown>, 'page' | 'sortingKeys' | 'sortingOrder'>,
  parameters: Readonly<Record<string, readonly string[]>>,
): string {
  const { before, after, offset, limit } = query.page;
  const pieces = ['{"hasPreviousPage":', String(page.hasPreviousPage), ',"hasNextPage":', String(page.hasNextPage), ',"currentRequestPagination":{'];
  if (after !== undefined) pieces.push('"after":', jsonString(after), ',');
  if (before !== undefined) pieces.push('"before":', jsonString(before), ',');
  if (limit !== undefined) pieces.push('"limit":', jsonNumber(page.limit), ',');
  if (offset !== undefined) pieces.push('"offset":', jsonNumber(offset), ',');
  // Object.keys: the order JSON.stringify writes an object's names in.
  const named = Object.keys(parameters).map((name) => `${jsonString(name)}:${jsonStringArray(parameters[name] ?? [])}`);
  pieces.push('"parameters":{', named.join(','), '},"sortingKeys":', jsonStringArray(query.sortingKeys), ',"sortingOrder":', jsonStringArray(query.sortingOrder), '}');
  if (page.startCursor !== undefined) pieces.push(',"startCursor":', jsonString(page.startCursor));
  if (page.endCursor !== undefined) pieces.push(',"endCursor":', jsonString(page.endCursor));
  pieces.push(',"total":', jsonNumber(page.total), '}');
  return pieces.join('');
}

/** The `parameters` map: each given filter or path parameter with its values. */
export function echoParameters(entries: Readonly<Record<string, string | readonly string[] | undefined>>): Record<string, readonly string[]> {
  const parameters: Record<string, readonly string[]> = {};
  for (const [name, value] of Object.entries(entries)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' ? [value] : value;
    if (values.length > 0) parameters[name] = values;
  }
  return parameters;
}

/** Re-exported so handlers need one import for the page-size settings. */
export type { PageSizeConfig };
