/**
 * Fast, deterministic, non-cryptographic hashing into 32-bit words, and uuids made of such words.
 * Used where ids must be derived, not drawn (item row ids, the entry ids of generated fixture
 * items) and a million of them are made at once: a crypto hash costs over a microsecond a call in
 * Node, which dominated loading a million-item job. Nothing here needs to resist an adversary;
 * it needs to spread well and to be stable across versions (ids end up in cursors and files).
 */

/** Murmur3's finalizer: a bijection on 32-bit words that spreads every input bit. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The inverse of {@link fmix32}: `unfmix32(fmix32(x)) === x` for every 32-bit x. */
export function unfmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7ed1b41d);
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, 0xa5cb9243);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string under a seed (a multiply-xor pass, then the finalizer). */
export function hashString(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995) ^ (h >>> 15);
  return fmix32(h ^ text.length);
}

/**
 * A 128-bit hash of a string as four words: four lanes with different multipliers in one pass,
 * crossed at the end so every word depends on every lane.
 */
export function hash128(text: string): [number, number, number, number] {
  let a = 0x9747b28c;
  let b = 0x85ebca6b;
  let c = 0xc2b2ae35;
  let d = 0x27d4eb2f;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x5bd1e995) ^ (a >>> 15);
    b = Math.imul(b ^ code, 0x1b873593) ^ (b >>> 13);
    c = Math.imul(c ^ code, 0xcc9e2d51) ^ (c >>> 16);
    d = Math.imul(d ^ code, 0x2545f491) ^ (d >>> 14);
  }
  a = fmix32(a ^ text.length);
  b = fmix32(b ^ a);
  c = fmix32(c ^ b);
  d = fmix32(d ^ c);
  return [fmix32(a ^ d), b, c, d];
}

const HEX = new TextEncoder().encode('0123456789abcdef');
/** Reused for every uuid: writing ASCII into bytes and decoding once gives a flat 36-byte string. */
const UUID_BYTES = Buffer.alloc(36);

/**
 * A lowercase v4-shaped uuid made of four words (the version and variant bits overwritten).
 * Built in one buffer and decoded once: a string concatenated from pieces stays a rope of
 * hundreds of bytes until flattened, which for a million ids is hundreds of megabytes.
 */
export function uuidFromWords(a: number, b: number, c: number, d: number): string {
  const words = [a >>> 0, ((b & 0xffff0fff) | 0x00004000) >>> 0, ((c & 0x3fffffff) | 0x80000000) >>> 0, d >>> 0];
  let position = 0;
  for (let nibble = 0; nibble < 32; nibble++) {
    if (nibble === 8 || nibble === 12 || nibble === 16 || nibble === 20) UUID_BYTES[position++] = 0x2d; // '-'
    const word = words[nibble >> 3] ?? 0;
    UUID_BYTES[position++] = HEX[(word >>> (28 - (nibble & 7) * 4)) & 0xf] ?? 0x30;
  }
  return UUID_BYTES.toString('latin1');
}
