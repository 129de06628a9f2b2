import { describe, expect, it } from 'vitest';
import { MockError } from '../core/errors.js';
import { canonicalUuid, oneOf, optionalInteger, optionalString, requiredString, stringArray } from './params.js';

const STATUSES = ['pending', 'in_progress', 'successful'] as const;

function thrown(run: () => unknown): MockError {
  try {
    run();
  } catch (error) {
    if (error instanceof MockError) return error;
    throw error;
  }
  throw new Error('expected a MockError');
}

describe('oneOf', () => {
  it.each(STATUSES)('returns the member %j', (status) => {
    expect(oneOf(STATUSES, status, 'status')).toBe(status);
  });

  // Names an array has (methods, indexes, its length) are not members.
  it.each(['', 'Pending', 'pending ', 'length', '0', 'constructor', 'toString', 'indexOf'])('refuses %j, naming it and the members', (value) => {
    const error = thrown(() => oneOf(STATUSES, value, 'body[3].status'));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toBe(`body[3].status: '${value}' is not one of pending, in_progress, successful`);
  });
});

describe('typed reads', () => {
  it('reads strings, integers and arrays as validated', () => {
    const values = { a: 'x', n: 20, list: ['p', 'q'], one: 'p' };
    expect(optionalString(values, 'a')).toBe('x');
    expect(optionalString(values, 'missing')).toBeUndefined();
    expect(requiredString(values, 'a')).toBe('x');
    expect(optionalInteger(values, 'n')).toBe(20);
    expect(stringArray(values, 'list')).toEqual(['p', 'q']);
    expect(stringArray(values, 'one')).toEqual(['p']);
    expect(stringArray(values, 'missing')).toEqual([]);
  });

  it('fails loudly on a value validation should have refused', () => {
    expect(thrown(() => optionalString({ a: ['x', 'y'] }, 'a')).message).toBe('a: expected a single value');
    expect(thrown(() => requiredString({}, 'jobId')).message).toBe('jobId is required');
    expect(thrown(() => optionalInteger({ n: 1.5 }, 'n')).message).toBe('n: expected an integer');
    expect(thrown(() => optionalInteger({ n: 2 ** 60 }, 'n')).message).toBe(`n: ${2 ** 60} is out of range`);
    expect(thrown(() => stringArray({ list: ['p', 3] }, 'list')).message).toBe('list: expected string values');
  });

  it('writes uuids in the lowercase form responses use', () => {
    expect(canonicalUuid('0ADF6463-36AA-4C3B-8C87-207A367FEDFC')).toBe('0adf6463-36aa-4c3b-8c87-207a367fedfc');
  });
});
