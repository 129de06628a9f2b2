import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Page, PageRequest } from '../core/pagination.js';
import { PAGE_ORDERS, type PageOrder } from '../core/sorting.js';
import { jsonNumber, jsonStringArray } from './json-text.js';
import { cursorPageInfoJson } from './list-page.js';

/**
 * The `CursorPageInfo` object of a page, field by field in the schema's order; JSON.stringify
 * leaves out the fields that are undefined, as the server leaves out parameters not sent.
 */
function cursorPageInfo(page: Omit<Page<unknown>, 'rows'>, request: PageRequest, parameters: Record<string, readonly string[]>, sortingKeys: string[], sortingOrder: PageOrder[]) {
  return {
    hasPreviousPage: page.hasPreviousPage,
    hasNextPage: page.hasNextPage,
    currentRequestPagination: {
      after: request.after,
      before: request.before,
      limit: request.limit === undefined ? undefined : page.limit,
      offset: request.offset,
      parameters,
      sortingKeys,
      sortingOrder,
    },
    startCursor: page.startCursor,
    endCursor: page.endCursor,
    total: page.total,
  };
}

// Any text, lone surrogates and characters JSON escapes included.
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\n', '\u2028', '\ud83d', 'ABC2DEF='));
const optionalText = fc.option(anyText, { nil: undefined });
const optionalInteger = fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined });

describe('cursorPageInfoJson', () => {
  it('writes exactly what JSON.stringify writes of the CursorPageInfo', () => {
    fc.assert(
      fc.property(
        fc.record({
          hasPreviousPage: fc.boolean(),
          hasNextPage: fc.boolean(),
          startCursor: optionalText,
          endCursor: optionalText,
          total: fc.nat(),
          limit: fc.nat({ max: 100 }),
        }),
        fc.record({ after: optionalText, before: optionalText, offset: optionalInteger, limit: optionalInteger }),
        fc.dictionary(anyText, fc.array(anyText, { maxLength: 3 }), { maxKeys: 4 }),
        fc.array(anyText, { maxLength: 3 }),
        fc.array(fc.constantFrom(...PAGE_ORDERS), { maxLength: 3 }),
        (page, request, parameters, sortingKeys, sortingOrder) => {
          const json = cursorPageInfoJson(page, { page: request, sortingKeys, sortingOrder }, parameters);
          expect(json).toBe(JSON.stringify(cursorPageInfo(page, request, parameters, sortingKeys, sortingOrder)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps parameter names in insertion order, index-like names first, as objects do', () => {
    const parameters = { status: ['failed'], '2': ['x'], jobId: ['j'], '10': [] };
    const json = cursorPageInfoJson({ hasPreviousPage: false, hasNextPage: false, startCursor: undefined, endCursor: undefined, total: 0, limit: 20 }, { page: {}, sortingKeys: [], sortingOrder: [] }, parameters);
    expect(JSON.parse(json)).toEqual({ hasPreviousPage: false, hasNextPage: false, currentRequestPagination: { parameters, sortingKeys: [], sortingOrder: [] }, total: 0 });
    expect(json).toContain('"parameters":{"2":["x"],"10":[],"status":["failed"],"jobId":["j"]}');
  });
});

describe('jsonNumber and jsonStringArray', () => {
  it('write numbers and string arrays as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.double(), fc.array(anyText, { maxLength: 4 }), (value, values) => {
        expect(jsonNumber(value)).toBe(JSON.stringify(value));
        expect(jsonStringArray(values)).toBe(JSON.stringify(values));
      }),
      { numRuns: 2000 },
    );
    expect(jsonNumber(-0)).toBe('0');
  });
});
