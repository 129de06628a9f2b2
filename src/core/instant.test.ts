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

  it('round-trips every millisecond instant between 1970 and 2100', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => { expect(parseInstant(formatInstant(ms))).toBe(ms); }));
  });
});
