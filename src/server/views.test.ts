import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3, EXPORT_JOB_ITEM_STATUSES, type ItemRecord } from '../core/model.js';
import { exportJobItemJson, exportJobItemV3Json, toExportJobItem, toExportJobItemV3 } from './views.js';

/** Any text a client could send, lone surrogates, quotes, backslashes and controls included. */
const anyText = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('"', '\\', '\u0000\u001f', '\ud800', 'a\udc00b', '😀', '\u2028'));
const nullable = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null });

const anyItem: fc.Arbitrary<ItemRecord> = fc.record({
  rowId: fc.uuid(),
  createdAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  exportJobId: fc.oneof(fc.uuid(), anyText),
  accountingEntryId: fc.oneof(fc.uuid(), anyText),
  status: fc.constantFrom(...EXPORT_JOB_ITEM_STATUSES),
  exportedAt: nullable(fc.integer({ min: 0, max: 4_102_444_800_000 })),
  externalId: nullable(anyText),
  externalUrl: nullable(anyText),
  failureReason: nullable(anyText),
  failureReasonType: nullable(fc.constantFrom(...EXPORT_JOB_ITEM_FAILURE_REASON_TYPES_V3)),
});

describe('item views written directly', () => {
  it('are, byte for byte, JSON.stringify of the v3 and v1 views, whatever the strings hold', () => {
    fc.assert(
      fc.property(anyItem, (item) => {
        expect(exportJobItemV3Json(item)).toBe(JSON.stringify(toExportJobItemV3(item)));
        expect(exportJobItemJson(item)).toBe(JSON.stringify(toExportJobItem(item)));
      }),
      { numRuns: 2000 },
    );
  });

  it('map a v3-only failure reason as the v1 view does', () => {
    const item: ItemRecord = {
      rowId: '00000000-0000-4000-8000-000000000001',
      createdAt: 0,
      exportJobId: '00000000-0000-4000-8000-000000000002',
      accountingEntryId: '00000000-0000-4000-8000-000000000003',
      status: 'failed',
      exportedAt: null,
      externalId: null,
      externalUrl: null,
      failureReason: null,
      failureReasonType: 'vendor_unknown',
    };
    expect(JSON.parse(exportJobItemJson(item))).toMatchObject({ failureReasonType: 'validation_failure', failureReason: 'vendor_unknown' });
    expect(JSON.parse(exportJobItemV3Json(item))).toMatchObject({ failureReasonType: 'vendor_unknown', failureReason: null });
  });
});
