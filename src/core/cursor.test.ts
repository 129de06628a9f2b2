import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CursorDecodeError,
  decodeCursor,
  decodeInstant,
  decodeInteger,
  decodeText,
  decodeUuid,
  encodeCursor,
  encodeInstant,
  encodeInteger,
  encodeText,
  encodeUuid,
} from './cursor.js';

const CURSOR_PATTERN = /^[A-Z2-7=~]+$/;
// The start cursor of Pleo's own example page (seed 002).
const PLEO_EXAMPLE = 'AAAAAADJ3YT4YKWVVLYA=AFRDZIJCOBE2JLCIOQDPOKFVZY';

describe('cursor codec', () => {
  it('reads Pleo\'s example cursor as a 12-byte timestamp and a 16-byte uuid', () => {
    const [timestamp, rowId] = decodeCursor(PLEO_EXAMPLE);
    expect(timestamp?.length).toBe(12);
    expect(decodeUuid(rowId ?? new Uint8Array())).toBe('01623ca1-2270-49a4-ac48-7406f728b5ce');
    // 1776166860 s = 2026-04-14T11:41:00Z; its nanoseconds (718646000) are finer than this
    // server's milliseconds, so it is recognised as a timestamp it could not have issued.
    expect(() => decodeInstant(timestamp ?? new Uint8Array())).toThrow(CursorDecodeError);
  });

  it('writes timestamps and uuids in Pleo\'s shape (expected value computed with Python\'s base64.b32encode)', () => {
    const cursor = encodeCursor([encodeInstant(Date.UTC(2026, 3, 14, 11, 41, 0, 718)), encodeUuid('01623ca1-2270-49a4-ac48-7406f728b5ce')]);
    expect(cursor).toBe('AAAAAADJ3YT4YKWLZ6AA=AFRDZIJCOBE2JLCIOQDPOKFVZY');
    expect(cursor).toMatch(CURSOR_PATTERN);
  });

  it('round-trips any mix of segments and nulls, always matching the spec pattern', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }), { nil: null }), { minLength: 1, maxLength: 6 }), (segments) => {
        const cursor = encodeCursor(segments);
        expect(cursor).toMatch(CURSOR_PATTERN);
        expect(decodeCursor(cursor)).toEqual(segments);
      }),
    );
  });

  it('round-trips instants, uuids, integers and text', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        expect(decodeInstant(encodeInstant(ms))).toBe(ms);
      }),
    );
    fc.assert(fc.property(fc.uuid(), (uuid) => { expect(decodeUuid(encodeUuid(uuid))).toBe(uuid); }));
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => { expect(decodeInteger(encodeInteger(n))).toBe(n); }));
    fc.assert(fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (text) => { expect(decodeText(encodeText(text))).toBe(text); }));
  });

  it('writes the same bytes as the obvious encodings (BigInt seconds, hex of the uuid)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        const reference = new DataView(new ArrayBuffer(12));
        const seconds = Math.floor(ms / 1000);
        reference.setBigInt64(0, BigInt(seconds));
        reference.setUint32(8, (ms - seconds * 1000) * 1_000_000);
        expect(encodeInstant(ms)).toEqual(new Uint8Array(reference.buffer));
      }),
    );
    fc.assert(fc.property(fc.uuid(), (uuid) => { expect(encodeUuid(uuid)).toEqual(Uint8Array.from(Buffer.from(uuid.replaceAll('-', ''), 'hex'))); }));
  });

  it('keeps the order of instants in their byte order, so cursors compare like their times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 4_102_444_800_000 }), (a, b) => {
        const order = Buffer.compare(Buffer.from(encodeInstant(a)), Buffer.from(encodeInstant(b)));
        expect(Math.sign(order)).toBe(Math.sign(a - b));
      }),
    );
  });

  it.each([
    ['an empty string', ''],
    ['lowercase base32', 'aaaaaa'],
    ['padding inside a segment', 'AAAAAAAA==AA'],
    ['an empty segment', 'AAAA==AAAA'],
    ['a base32 length no byte count has', 'A'],
    ['non-canonical trailing bits', 'AB'],
    ['characters outside the alphabet', 'AAAA-BBBB'],
  ])('rejects %s', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(CursorDecodeError);
  });

  it.each([
    ['a timestamp of the wrong length', () => decodeInstant(new Uint8Array(11))],
    ['nanoseconds over one second', () => decodeInstant(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 1, 0x3b, 0x9a, 0xca, 0x00]))],
    ['a uuid of the wrong length', () => decodeUuid(new Uint8Array(15))],
    ['invalid UTF-8 text', () => decodeText(Uint8Array.from([0xff, 0xfe]))],
    ['an integer of the wrong length', () => decodeInteger(new Uint8Array(4))],
  ])('rejects %s', (_label, decode) => {
    expect(decode).toThrow(CursorDecodeError);
  });
});
