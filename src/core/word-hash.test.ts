import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemRowId } from './row-ids.js';
import { fmix32, hash128, hashString, unfmix32, uuidFromWords } from './word-hash.js';

const V4_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const word = fc.integer({ min: 0, max: 0xffff_ffff });

describe('fmix32', () => {
  it('is undone by unfmix32, both ways, for every word', () => {
    fc.assert(
      fc.property(word, (value) => {
        expect(unfmix32(fmix32(value))).toBe(value);
        expect(fmix32(unfmix32(value))).toBe(value);
      }),
    );
  });

  it('spreads a one-bit change of its input over about half of the output bits', () => {
    let flipped = 0;
    for (let value = 0; value < 10_000; value++) flipped += popcount(fmix32(value) ^ fmix32(value ^ 1));
    expect(flipped / 10_000).toBeGreaterThan(14);
    expect(flipped / 10_000).toBeLessThan(18);
  });
});

describe('uuidFromWords', () => {
  it('writes the four words as a v4-shaped lowercase uuid, first word verbatim', () => {
    fc.assert(
      fc.property(word, word, word, word, (a, b, c, d) => {
        const uuid = uuidFromWords(a, b, c, d);
        expect(uuid).toMatch(V4_UUID);
        expect(Number.parseInt(uuid.slice(0, 8), 16)).toBe(a);
        expect(uuid.slice(28)).toBe(d.toString(16).padStart(8, '0'));
      }),
    );
  });

  it('gives a new string each time, not a view of a reused buffer', () => {
    const first = uuidFromWords(1, 2, 3, 4);
    uuidFromWords(5, 6, 7, 8);
    expect(first).toBe('00000001-0000-4002-8000-000300000004');
  });
});

describe('hash128 and hashString', () => {
  it('are stable: ids derived from them end up in cursors and files', () => {
    expect(hash128('job/entry')).toEqual(hash128('job/entry'));
    expect(itemRowId('c0ffee00-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001')).toMatchInlineSnapshot(`"385692c2-08e9-48ec-b2c2-aef208a1e9ca"`);
    expect(hashString('abc', 1)).not.toBe(hashString('abc', 2));
  });

  it('give a million row ids of one job, from ids differing in a few characters, no collision', () => {
    const seen = new Set<string>();
    for (let serial = 0; serial < 1_000_000; serial++) seen.add(itemRowId('c0ffee00-0000-4000-8000-000000000001', `e0000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`));
    expect(seen.size).toBe(1_000_000);
  });
});

function popcount(value: number): number {
  let count = 0;
  for (let v = value >>> 0; v !== 0; v &= v - 1) count++;
  return count;
}
