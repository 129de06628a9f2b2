/**
 * A fixed budget of bytes for texts kept a while (the journal's request and response bodies),
 * outside V8's heap. Kept as strings, each body outlived the young generation, was copied to the
 * old one and died there: over 100,000 requests the old generation's committed size grew from 73
 * to 182 MiB around 54 MiB of live objects. Here a body is encoded once into one buffer, reused
 * in a ring, and decoded only when the journal is read.
 *
 * Positions are absolute byte counts since the last clear; a position's place in the buffer is
 * the position modulo the capacity. A write never straddles the end: when it does not fit before
 * the end, the rest of the lap is skipped and counted as written. So a kept slot is intact exactly
 * while fewer than `capacity` bytes have been written since it began.
 */
import { Buffer, constants } from 'node:buffer';

/** One text of a slot: its encoded length, and whether it was all ASCII (then stored one byte per char). */
export interface KeptPart {
  readonly bytes: number;
  readonly ascii: boolean;
}

/** Texts written together: where they begin, and each one's encoding. */
export interface KeptTexts {
  readonly start: number;
  readonly parts: readonly KeptPart[];
}

/** One text written alone: where it begins, and its encoding. */
export interface KeptText extends KeptPart {
  readonly start: number;
}

/** The buffer's first size: most journals keep a few small bodies; it doubles up to the capacity. */
const INITIAL_BYTES = 64 * 1024;

export class TextRing {
  private buffer = Buffer.alloc(0);
  /** Absolute position of the next byte to write. */
  private head = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0 || capacity > constants.MAX_LENGTH) {
      throw new RangeError(`a text ring holds 0 to ${constants.MAX_LENGTH} bytes, not ${capacity}`);
    }
  }

  /**
   * Writes texts one after the other; null (nothing written) when together they are larger than
   * the capacity. Older slots the write reaches are no longer {@link holds held}.
   */
  write(texts: readonly string[]): KeptTexts | null {
    const parts = texts.map(partOf);
    const total = parts.reduce((sum, part) => sum + part.bytes, 0);
    if (total > this.capacity) return null;
    if (total === 0) return { start: this.head, parts };
    let offset = this.head % this.capacity;
    if (offset + total > this.capacity) {
      this.head += this.capacity - offset;
      offset = 0;
    }
    this.reserve(offset + total);
    const start = this.head;
    texts.forEach((text, index) => {
      // One byte per char for ASCII: a plain copy, several times faster than UTF-8 encoding.
      offset += parts[index]?.ascii === true ? this.buffer.write(text, offset, 'latin1') : this.buffer.write(text, offset, 'utf8');
    });
    this.head += total;
    return { start, parts };
  }

  /**
   * Writes one text; where it is, or null when it is larger than the capacity. For callers that
   * keep many single texts: the answer is one small object, where {@link write}'s holds a list.
   */
  writeOne(text: string): KeptText | null {
    const kept = this.write([text]);
    const part = kept?.parts[0];
    return kept === null || part === undefined ? null : { start: kept.start, bytes: part.bytes, ascii: part.ascii };
  }

  /** The text written by {@link writeOne}; null once overwritten. */
  readOne({ start, bytes, ascii }: KeptText): string | null {
    return this.read({ start, parts: [{ bytes, ascii }] })?.[0] ?? null;
  }

  /** Whether a slot's bytes are still intact. */
  holds(kept: KeptTexts): boolean {
    return this.head - kept.start <= this.capacity;
  }

  /** The texts of a slot as written; null once overwritten. */
  read(kept: KeptTexts): string[] | null {
    if (!this.holds(kept)) return null;
    let offset = this.capacity === 0 ? 0 : kept.start % this.capacity;
    return kept.parts.map(({ bytes, ascii }) => {
      const text = this.buffer.toString(ascii ? 'latin1' : 'utf8', offset, offset + bytes);
      offset += bytes;
      return text;
    });
  }

  /** Forgets every slot (the caller forgets them too) and gives the buffer back. */
  clear(): void {
    this.buffer = Buffer.alloc(0);
    this.head = 0;
  }

  /** Bytes the ring holds in memory now: grows with use, never beyond the capacity. */
  get allocatedBytes(): number {
    return this.buffer.length;
  }

  /** Grows the buffer (by doubling, up to the capacity) until `end` fits; places are kept. */
  private reserve(end: number): void {
    if (end <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.min(this.capacity, Math.max(end, this.buffer.length * 2, INITIAL_BYTES)));
    this.buffer.copy(grown, 0, 0, this.buffer.length);
    this.buffer = grown;
  }
}

function partOf(text: string): KeptPart {
  const bytes = Buffer.byteLength(text, 'utf8');
  // A non-ASCII char takes two or more UTF-8 bytes, so equal lengths mean all ASCII.
  return { bytes, ascii: bytes === text.length };
}
