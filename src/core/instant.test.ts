import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, formatNullableInstant, parseInstant } from './instant.js';

describe('instants on the wire', () => {
  it.each([
    [Date.UTC(2026, 3, 22, 10, 8, 56), '2026-04-22T10:08:56Z'],
    [Date.UTC(2026, 3, 22, 10, 8, 56, 7), '2026-04-22T10:08:56.007Z'],
  ])('formats %d as %s', (ms, text) => {
    expect(formatInstant(ms)).toBe(text);
    expect(parseInstant(text)).toBe(ms);
  });

  it('formats null as null', () => {
    expect(formatNullableInstant(null)).toBeNull();
  });

  it('parses offsets and fractions the spec\'s date-time admits', () => {
    expect(parseInstant('2026-04-22T12:08:56+02:00')).toBe(Date.UTC(2026, 3, 22, 10, 8, 56));
    expect(parseInstant('2026-04-22T10:08:56.5Z')).toBe(Date.UTC(2026, 3, 22, 10, 8, 56, 500));
  });

  it.each(['2026-04-22', '2026-04-22 10:08:56Z', 'yesterday', '2026-13-40T99:99:99Z', '2026-04-22T10:08:56'])('refuses %s', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('parses the same whatever came before (a repeat answers from the last parse)', () => {
    const texts = fc.constantFrom('2026-04-22T10:08:56Z', '2026-04-22T12:08:56+02:00', 'yesterday', '2026-04-22T10:08:56.5Z', '');
    const expected = new Map([
      ['2026-04-22T10:08:56Z', Date.UTC(2026, 3, 22, 10, 8, 56)],
      ['2026-04-22T12:08:56+02:00', Date.UTC(2026, 3, 22, 10, 8, 56)],
      ['2026-04-22T10:08:56.5Z', Date.UTC(2026, 3, 22, 10, 8, 56, 500)],
    ]);
    fc.assert(
      fc.property(fc.array(texts, { maxLength: 20 }), (sequence) => {
        for (const text of sequence) expect(parseInstant(text)).toBe(expected.get(text));
      }),
    );
  });

  it('formats the same as without its cache, whatever came before (repeats and slot collisions included)', () => {
    const uncached = (ms: number) => {
      const iso = new Date(ms).toISOString();
      return ms % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
    };
    const base = Date.UTC(2026, 3, 22, 10, 8, 56);
    // Near a few bases, so values repeat and share cache slots (one slot per second, 256 slots).
    const instant = fc.oneof(
      fc.integer({ min: -4, max: 4 }).map((k) => base + k * 256_000),
      fc.integer({ min: 0, max: 3_000 }).map((ms) => base + ms),
      fc.constantFrom(0, -0, -1, 1, -1000, 999, 1.5, -8.64e15, 8.64e15),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
    );
    fc.assert(fc.property(fc.array(instant, { maxLength: 50 }), (sequence) => {
      for (const ms of sequence) expect(formatInstant(ms)).toBe(uncached(ms));
    }));
  });

  it('still refuses what Date cannot represent, cached or not', () => {
    for (const ms of [Number.NaN, 8.64e15 + 1, Number.POSITIVE_INFINITY]) {
      expect(() => formatInstant(ms)).toThrow(RangeError);
      expect(() => formatInstant(ms)).toThrow(RangeError);
    }
  });

  it('round-trips every millisecond instant between 1970 and 2100', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => { expect(parseInstant(formatInstant(ms))).toBe(ms); }));
  });
});
