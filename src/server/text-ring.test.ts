import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextRing, type KeptTexts } from './text-ring.js';

const bytesOf = (texts: readonly string[]) => texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);

describe('TextRing', () => {
  it('reads back what it wrote, ASCII or not', () => {
    const ring = new TextRing(1024);
    const kept = ring.write(['{"a":1}', 'Łódź – naïve ✓ 😀', '']);
    expect(kept?.parts).toEqual([
      { bytes: 7, ascii: true },
      { bytes: Buffer.byteLength('Łódź – naïve ✓ 😀'), ascii: false },
      { bytes: 0, ascii: true },
    ]);
    expect(kept === null ? null : ring.read(kept)).toEqual(['{"a":1}', 'Łódź – naïve ✓ 😀', '']);
  });

  it('writes and reads one text alone, as write and read do', () => {
    const ring = new TextRing(40);
    const ascii = ring.writeOne('{"a":1}');
    const other = ring.writeOne('Łódź ✓');
    expect(ascii).toEqual({ start: 0, bytes: 7, ascii: true });
    expect(other).toEqual({ start: 7, bytes: Buffer.byteLength('Łódź ✓'), ascii: false });
    if (ascii === null || other === null) throw new Error('unexpected refusal');
    expect([ring.readOne(ascii), ring.readOne(other)]).toEqual(['{"a":1}', 'Łódź ✓']);
    expect(ring.writeOne('x'.repeat(41))).toBeNull();
    ring.writeOne('y'.repeat(30));
    expect(ring.readOne(ascii)).toBeNull();
    expect(ring.readOne(other)).toBeNull();
  });

  it('refuses texts larger than its capacity, and writes nothing for them', () => {
    const ring = new TextRing(10);
    const small = ring.write(['12345']);
    expect(ring.write(['12345', '678901'])).toBeNull();
    expect(small === null ? null : ring.read(small)).toEqual(['12345']);
    expect(new TextRing(0).write(['x'])).toBeNull();
    const empty = new TextRing(0).write(['']);
    expect(empty?.parts).toEqual([{ bytes: 0, ascii: true }]);
  });

  it('wraps without splitting a slot: one that does not fit before the end starts the next lap', () => {
    const ring = new TextRing(10);
    const first = ring.write(['aaaa']);
    const second = ring.write(['bbbb']);
    const third = ring.write(['cccc']);
    if (first === null || second === null || third === null) throw new Error('unexpected refusal');
    expect([first.start, second.start, third.start]).toEqual([0, 4, 10]);
    expect(ring.read(first)).toBeNull();
    expect(ring.read(second)).toEqual(['bbbb']);
    expect(ring.read(third)).toEqual(['cccc']);
  });

  it('grows its buffer with use, never beyond its capacity', () => {
    const ring = new TextRing(200_000);
    expect(ring.allocatedBytes).toBe(0);
    ring.write(['x'.repeat(100)]);
    expect(ring.allocatedBytes).toBe(64 * 1024);
    for (let i = 0; i < 10; i++) ring.write(['y'.repeat(30_000)]);
    expect(ring.allocatedBytes).toBe(200_000);
    ring.clear();
    expect(ring.allocatedBytes).toBe(0);
  });

  it('keeps exactly the newest slots that fit, byte for byte, and nothing beyond its capacity', () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.array(fc.array(text, { maxLength: 3 }), { maxLength: 60 }), (capacity, writes) => {
        const ring = new TextRing(capacity);
        const slots: { texts: string[]; kept: KeptTexts }[] = [];
        for (const texts of writes) {
          const kept = ring.write(texts);
          expect(kept === null).toBe(bytesOf(texts) > capacity);
          if (kept !== null) slots.push({ texts, kept });
          // The newest slot always reads back.
          if (kept !== null) expect(ring.read(kept)).toEqual(texts);
        }
        const held = slots.filter(({ kept }) => ring.holds(kept));
        // Whatever is held reads back exactly, and what is held fits in the capacity.
        for (const { texts, kept } of held) expect(ring.read(kept)).toEqual(texts);
        expect(bytesOf(held.flatMap(({ texts }) => texts))).toBeLessThanOrEqual(capacity);
        // What was lost is the oldest: no held slot is older than a lost one.
        const lost = slots.map(({ kept }) => !ring.holds(kept));
        expect(lost.slice(0, lost.lastIndexOf(true) + 1).every(Boolean)).toBe(true);
      }),
    );
  });
});
