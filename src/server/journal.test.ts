import { describe, expect, it } from 'vitest';
import { RequestJournal, type JournalRecord } from './journal.js';

const record = (path: string, operationId: string | null = 'getExportJobsListV3'): JournalRecord => ({
  receivedAt: 0,
  wallTime: 0,
  responseHeaders: {},
  method: 'GET',
  path,
  query: '',
  headers: {},
  body: null,
  operationId,
  status: 200,
  responseText: '{}',
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

  it('refuses a capacity below one', () => {
    expect(() => new RequestJournal(0)).toThrow(RangeError);
  });
});
