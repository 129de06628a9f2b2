import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { RequestJournal, type JournalRecord } from './journal.js';

const record = (path: string, operationId: string | null = 'getExportJobsListV3', bodies: { bodyText?: string; responseText?: string } = {}): JournalRecord => ({
  receivedAt: 0,
  wallTime: 0,
  responseHeaders: {},
  method: 'GET',
  path,
  query: '',
  headers: {},
  bodyText: bodies.bodyText ?? null,
  operationId,
  status: 200,
  responseText: bodies.responseText ?? '{}',
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
    expect(() => new RequestJournal(5, 2 ** 40)).toThrow(RangeError);
  });

  it('reads a body back as JSON, or as its text when the mock refused it as JSON', () => {
    const journal = new RequestJournal(5);
    const deep = `${'['.repeat(1000)}${']'.repeat(1000)}`;
    journal.record(record('/json', null, { bodyText: '[{"status":"successful","note":"Łódź"}]' }));
    journal.record(record('/malformed', null, { bodyText: '{"status": ' }));
    journal.record(record('/deep', null, { bodyText: deep }));
    journal.record(record('/poisoned', null, { bodyText: '{"__proto__":{"x":1}}' }));
    journal.record(record('/none', null));
    expect(journal.entries().map((e) => [e.body, e.bodyKept])).toEqual([
      [[{ status: 'successful', note: 'Łódź' }], true],
      ['{"status": ', true],
      [deep, true],
      ['{"__proto__":{"x":1}}', true],
      [null, true],
    ]);
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
      // 20 bytes of request and 80 of response each: the third starts a new lap of the 250 bytes.
      for (let i = 1; i <= 4; i++) journal.record(record(`/${i}`, 'getExportJobsListV3', { bodyText: `"${text(18)}"`, responseText: text(80) }));
      const entries = journal.entries();
      expect(entries.map((e) => e.path)).toEqual(['/1', '/2', '/3', '/4']);
      expect(entries.map((e) => [e.bodyKept, e.responseText !== null])).toEqual([[false, false], [false, false], [true, true], [true, true]]);
      expect(entries[0]?.body).toBeNull();
      expect(entries[3]?.body).toBe(text(18));
      expect(entries[3]?.responseText).toBe(text(80));
      expect(journal.droppedBodies).toBe(2);
    });

    it('never keeps more than the budget, drops the oldest bodies first, and keeps the newest when it fits', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 400 }), fc.array(fc.tuple(fc.nat(120), fc.nat(120)), { maxLength: 40 }), (capacity, budget, sizes) => {
          const journal = new RequestJournal(capacity, budget);
          sizes.forEach(([bodyLength, responseLength], index) => {
            journal.record(record(`/${index}`, null, { ...(bodyLength > 0 ? { bodyText: text(bodyLength) } : {}), responseText: text(responseLength) }));
          });
          // Each entry's recorded sizes, found by its path.
          const sizeOf = (path: string) => (sizes[Number(path.slice(1))] ?? [0, 0]).reduce((a, b) => a + b, 0);
          const entries = journal.entries();
          const keptEntries = entries.filter((e) => e.responseText !== null);
          expect(keptEntries.every((e) => e.bodyKept && e.responseText === text(sizes[Number(e.path.slice(1))]?.[1] ?? 0))).toBe(true);
          expect(keptEntries.reduce((total, e) => total + sizeOf(e.path), 0)).toBeLessThanOrEqual(budget);
          // Bodies that fit the budget were lost oldest first: none kept is older than one lost
          // (bodies larger than the whole budget are dropped alone, at once).
          const lost = entries.map((e) => e.responseText === null && sizeOf(e.path) <= budget);
          const kept = entries.map((e) => e.responseText !== null);
          expect(kept.slice(0, lost.lastIndexOf(true) + 1).some(Boolean)).toBe(false);
          const newest = entries.at(-1);
          if (newest !== undefined) expect(newest.responseText !== null).toBe(sizeOf(newest.path) <= budget);
        }),
      );
    });

    it("keeps bodies outside V8's heap, in at most the budget's bytes", () => {
      // gc() without starting vitest under --expose-gc: the flag can be set at run time.
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const budget = 32 * 2 ** 20;
      const journal = new RequestJournal(10_000, budget);
      gc();
      const before = process.memoryUsage();
      // 40 MB of distinct responses: kept as strings, 32 MB of them would stay on the heap.
      for (let i = 0; i < 2000; i++) journal.record(record(`/${i}`, null, { responseText: `${text(20_000)}${i}` }));
      gc();
      const after = process.memoryUsage();
      expect(after.heapUsed - before.heapUsed).toBeLessThan(8 * 2 ** 20);
      expect(after.arrayBuffers - before.arrayBuffers).toBeGreaterThan(30 * 2 ** 20);
      expect(journal.allocatedBytes).toBe(budget);
      expect(journal.entries().at(-1)?.responseText).toBe(`${text(20_000)}1999`);
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
