import { describe, expect, it } from 'vitest';
import { newPendingItem, newPendingJob } from '../core/lifecycle.js';
import type { CompanyRecord, ItemRecord } from '../core/model.js';
import { ExportItemJsonCache } from './export-item-cache.js';
import type { ExportItemSource } from './operations/context.js';

const COMPANY: CompanyRecord = { id: '00000000-0000-4000-8000-0000000000c1', name: 'Kaffe ApS', currency: 'DKK', country: 'DK' };
const JOB = newPendingJob({
  id: '00000000-0000-4000-8000-0000000000a1',
  companyId: COMPANY.id,
  createdAt: 1_767_600_000_000,
  createdBy: null,
  isInteractive: true,
  vendorBasedBookkeeping: false,
  numberOfItems: 5,
});

function item(entry: number): ItemRecord {
  const serial = String(entry).padStart(12, '0');
  return newPendingItem({ rowId: `00000000-0000-4000-8000-${serial}`, createdAt: 0, exportJobId: JOB.id, accountingEntryId: `00000000-0000-4000-9000-${serial}` });
}

/** A source whose payload names every input, counting its builds; `pad` makes payloads larger. */
function countingSource(pad = 0) {
  const built: string[] = [];
  const source: ExportItemSource = {
    build(input) {
      built.push(input.accountingEntryId);
      return { ...input, company: `${input.company.name}/${input.company.currency}`, note: 'ø'.repeat(pad) };
    },
  };
  return { built, source };
}

describe('ExportItemJsonCache', () => {
  it('gives the JSON of the built payload, building each item once while kept', () => {
    const { built, source } = countingSource();
    const cache = new ExportItemJsonCache(source);
    const first = item(1);
    const expected = JSON.stringify(source.build({ company: COMPANY, accountingEntryId: first.accountingEntryId, bookedBefore: JOB.createdAt, vendorBasedBookkeeping: false, defects: undefined }));
    built.length = 0;
    expect(cache.json(first, JOB, COMPANY)).toBe(expected);
    expect(cache.json(first, JOB, COMPANY)).toBe(expected);
    expect(cache.json(item(2), JOB, COMPANY)).not.toBe(expected);
    expect(built).toEqual([first.accountingEntryId, item(2).accountingEntryId]);
  });

  it('builds again for another company record, other job fields or other defects', () => {
    const { built, source } = countingSource();
    const cache = new ExportItemJsonCache(source);
    const record = item(1);
    cache.json(record, JOB, COMPANY);
    const renamed = { ...COMPANY, currency: 'EUR' };
    expect(JSON.parse(cache.json(record, JOB, renamed))).toMatchObject({ company: 'Kaffe ApS/EUR' });
    expect(JSON.parse(cache.json(record, { ...JOB, vendorBasedBookkeeping: true }, renamed))).toMatchObject({ vendorBasedBookkeeping: true });
    expect(JSON.parse(cache.json(record, { ...JOB, createdAt: 5 }, renamed))).toMatchObject({ bookedBefore: 5 });
    // A replaced record of the same entry, inputs unchanged: the same payload, not built again.
    cache.json({ ...record, status: 'successful' }, { ...JOB, createdAt: 5 }, renamed);
    expect(built).toHaveLength(4);
    // Other defects are another payload.
    expect(JSON.parse(cache.json({ ...record, exportItemDefects: ['missing_account'] }, { ...JOB, createdAt: 5 }, renamed))).toMatchObject({ defects: ['missing_account'] });
    expect(built).toHaveLength(5);
  });

  it('stays within its bytes: overwritten payloads are built again, non-ASCII intact', () => {
    const { built, source } = countingSource(100);
    // Room for about three payloads of about 400 bytes.
    const cache = new ExportItemJsonCache(source, 1200);
    const items = [1, 2, 3, 4, 5].map(item);
    const texts = items.map((each) => cache.json(each, JOB, COMPANY));
    expect(cache.allocatedBytes).toBeLessThanOrEqual(1200);
    built.length = 0;
    expect(cache.json(items[4] as ItemRecord, JOB, COMPANY)).toBe(texts[4]);
    expect(cache.json(items[0] as ItemRecord, JOB, COMPANY)).toBe(texts[0]);
    expect(built).toEqual([items[0]?.accountingEntryId]);
    expect(JSON.parse(texts[0] ?? '')).toMatchObject({ note: 'ø'.repeat(100) });
  });

  it('answers a payload larger than its whole budget without keeping it', () => {
    const { built, source } = countingSource(1000);
    const cache = new ExportItemJsonCache(source, 100);
    const record = item(1);
    const text = cache.json(record, JOB, COMPANY);
    expect(cache.json(record, JOB, COMPANY)).toBe(text);
    expect(built).toHaveLength(2);
  });
});
