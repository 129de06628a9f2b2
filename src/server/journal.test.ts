import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { RequestJournal, type JournalRecord } from './journal.js';

const record = (path: string, operationId: string | null = 'getExportJobsListV3', sizes: { bodyBytes?: number; responseText?: string } = {}): JournalRecord => ({
  receivedAt: 0,
  wallTime: 0,
  responseHeaders: {},
  method: 'GET',
  path,
  query: '',
  headers: {},
  body: sizes.bodyBytes === undefined ? null : { size: sizes.bodyBytes },
  bodyBytes: sizes.bodyBytes ?? 0,
  operationId,
  status: 200,
  responseText: sizes.responseText ?? '{}',
  durationMs: 1,
  fault: null,
});

describe('RequestJournal', () => {
  it('keeps entries oldest first with their sequence numbers', () => {
    const journal = new RequestJournal(5);
    for (const path of ['/a', '/b', '/c']) journal.record(record(path));
    expect(journal.entries().map((e) => [e.sequence, e.path])).toEqual([[1, '/a'], [2, '/b'], [3, '/c']]);
  });

  it('stays bounded, dropping the oldest entries first, and still counts every request', () => {
    const journal = new RequestJournal(3);
    for (let i = 1; i <= 10; i++) journal.record(record(`/${i}`));
    expect(journal.entries().map((e) => e.path)).toEqual(['/8', '/9', '/10']);
    expect(journal.entries().map((e) => e.sequence)).toEqual([8, 9, 10]);
    expect(journal.total).toBe(10);
  });

  it('filters by operationId and clears', () => {
    const journal = new RequestJournal(10);
    journal.record(record('/x', 'getExportJobsListV3'));
    journal.record(record('/y', null));
    journal.record(record('/z', 'getExportJobByIdV3'));
    expect(journal.entries('getExportJobByIdV3').map((e) => e.path)).toEqual(['/z']);
    journal.clear();
    expect(journal.entries()).toEqual([]);
    expect(journal.total).toBe(0);
  });

  it('refuses a capacity below one and a byte budget that is not a whole number of bytes', () => {
    expect(() => new RequestJournal(0)).toThrow(RangeError);
    expect(() => new RequestJournal(5, -1)).toThrow(RangeError);
    expect(() => new RequestJournal(5, 1.5)).toThrow(RangeError);
  });

  it('flattens headers only when read back', () => {
    const journal = new RequestJournal(5);
    journal.record({ ...record('/h'), headers: { accept: ['a', 'b'], 'content-length': 3, absent: undefined }, responseHeaders: { 'retry-after': 1 } });
    const [entry] = journal.entries();
    expect(entry?.headers).toEqual({ accept: 'a, b', 'content-length': '3' });
    expect(entry?.responseHeaders).toEqual({ 'retry-after': '1' });
  });

  describe('byte budget', () => {
    const text = (length: number) => 'x'.repeat(length);

    it('drops the bodies of the oldest entries first and keeps the entries', () => {
      const journal = new RequestJournal(10, 250);
      for (let i = 1; i <= 4; i++) journal.record(record(`/${i}`, 'getExportJobsListV3', { bodyBytes: 20, responseText: text(80) }));
      const entries = journal.entries();
      expect(entries.map((e) => e.path)).toEqual(['/1', '/2', '/3', '/4']);
      expect(entries.map((e) => [e.bodyKept, e.responseText !== null])).toEqual([[false, false], [false, false], [true, true], [true, true]]);
      expect(entries[0]?.body).toBeNull();
      expect(entries[3]?.body).toEqual({ size: 20 });
      expect(journal.droppedBodies).toBe(2);
    });

    it('never keeps more than the budget, whatever the sizes, and always keeps the newest bodies that fit', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 400 }), fc.array(fc.tuple(fc.nat(120), fc.nat(120)), { maxLength: 40 }), (capacity, budget, sizes) => {
          const journal = new RequestJournal(capacity, budget);
          sizes.forEach(([bodyBytes, responseLength], index) => {
            journal.record(record(`/${index}`, null, { bodyBytes, responseText: text(responseLength) }));
          });
          // Each entry's recorded sizes, found by its path.
          const sizeOf = (path: string) => (sizes[Number(path.slice(1))] ?? [0, 0]).reduce((a, b) => a + b, 0);
          const entries = journal.entries();
          const kept = entries.filter((e) => e.responseText !== null).reduce((total, e) => total + sizeOf(e.path), 0);
          expect(kept).toBeLessThanOrEqual(budget);
          // What lost its bodies is a prefix: no entry with bodies is older than one that lost them.
          const lost = entries.map((e) => e.responseText === null);
          const newestLost = lost.lastIndexOf(true);
          expect(entries.slice(0, newestLost + 1).every((e) => e.responseText === null || sizeOf(e.path) === 0)).toBe(true);
        }),
      );
    });

    it('releases what it drops: the memory goes, not just the view of it', async () => {
      // gc() without starting vitest under --expose-gc: the flag can be set at run time.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const journal = new RequestJournal(10, 100);
      const released = (() => {
        const body = { payload: text(1000) };
        journal.record({ ...record('/first'), body, bodyBytes: 60 });
        return new WeakRef(body);
      })();
      journal.record(record('/second', null, { responseText: text(60) }));
      expect(journal.entries()[0]?.bodyKept).toBe(false);
      // A WeakRef's target stays alive until the current job ends.
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc();
      expect(released.deref()).toBeUndefined();
    });

    it('returns the budget an evicted entry held', () => {
      const journal = new RequestJournal(2, 200);
      for (let i = 1; i <= 6; i++) journal.record(record(`/${i}`, null, { responseText: text(100) }));
      expect(journal.entries().map((e) => e.responseText?.length ?? null)).toEqual([100, 100]);
      expect(journal.droppedBodies).toBe(0);
    });

    it('starts counting again after clear', () => {
      const journal = new RequestJournal(5, 10);
      journal.record(record('/big', null, { responseText: text(50) }));
      expect(journal.droppedBodies).toBe(1);
      journal.clear();
      journal.record(record('/small', null, { responseText: text(5) }));
      expect(journal.droppedBodies).toBe(0);
      expect(journal.entries()[0]?.responseText).toBe(text(5));
    });
  });
});
