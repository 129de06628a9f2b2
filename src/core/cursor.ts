/**
 * Cursor codec in Pleo's shape (api-notes.md section 5).
 *
 * Pleo's cursor `AAAAAADJ3YT4YKWVVLYA=AFRDZIJCOBE2JLCIOQDPOKFVZY` is two unpadded RFC 4648
 * base32 segments joined by `=`: 12 bytes of timestamp (8-byte big-endian epoch seconds, 4-byte
 * big-endian nanoseconds), then the 16 bytes of a row UUID. We generalise that grammar without
 * leaving the spec's `^[A-Z2-7=~]+$`:
 *
 *   cursor  = segment *( "=" segment )
 *   segment = 1*base32char   ; one value, unpadded base32 of its bytes
 *           / "~"            ; a null value (the spec's pattern admits `~`; we read it as null)
 *
 * What the segments mean (which sort key, which list) is pagination's business; this module
 * only turns segments into bytes and bytes into values, and rejects anything malformed.
 */
import { base32 } from 'rfc4648';

/** One decoded segment: the value's bytes, or null for `~`. */
export type CursorSegment = Uint8Array | null;

/** A cursor that is not one this server could have issued. */
export class CursorDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CursorDecodeError';
  }
}

const SEGMENT_SEPARATOR = '=';
const NULL_SEGMENT = '~';
const BASE32_SEGMENT = /^[A-Z2-7]+$/;

/** Joins segments into a cursor string. */
export function encodeCursor(segments: readonly CursorSegment[]): string {
  return segments
    .map((segment) => (segment === null ? NULL_SEGMENT : base32.stringify(segment, { pad: false })))
    .join(SEGMENT_SEPARATOR);
}

/** Splits a cursor string into segments; throws {@link CursorDecodeError} when malformed. */
export function decodeCursor(cursor: string): CursorSegment[] {
  if (cursor.length === 0) throw new CursorDecodeError('the cursor is empty');
  return cursor.split(SEGMENT_SEPARATOR).map((text, index) => decodeSegment(text, index));
}

function decodeSegment(text: string, index: number): CursorSegment {
  if (text === NULL_SEGMENT) return null;
  if (!BASE32_SEGMENT.test(text)) throw new CursorDecodeError(`segment ${index + 1} is not unpadded base32`);
  try {
    // loose: accept the unpadded form Pleo uses; the regex above already rejects lowercase.
    const bytes = base32.parse(text, { loose: true });
    // Reject non-canonical spellings (extra trailing bits): one cursor, one string.
    if (base32.stringify(bytes, { pad: false }) !== text) throw new CursorDecodeError(`segment ${index + 1} is not canonical base32`);
    return bytes;
  } catch (error) {
    if (error instanceof CursorDecodeError) throw error;
    throw new CursorDecodeError(`segment ${index + 1} is not valid base32`);
  }
}

const INSTANT_BYTES = 12;
const NANOS_PER_MILLI = 1_000_000;

/** An instant (epoch ms) as Pleo's 12 bytes: big-endian epoch seconds (8) and nanoseconds (4). */
export function encodeInstant(epochMs: number): Uint8Array {
  const bytes = new Uint8Array(INSTANT_BYTES);
  const view = new DataView(bytes.buffer);
  const seconds = Math.floor(epochMs / 1000);
  // The 64-bit seconds as two 32-bit halves (no BigInt per cursor): exact for any safe integer,
  // negative ones in two's complement, as setBigInt64 would write them.
  const high = Math.floor(seconds / 2 ** 32);
  view.setInt32(0, high);
  view.setUint32(4, seconds - high * 2 ** 32);
  view.setUint32(8, (epochMs - seconds * 1000) * NANOS_PER_MILLI);
  return bytes;
}

/** Reads {@link encodeInstant}'s bytes back to epoch ms; rejects what it cannot have written. */
export function decodeInstant(bytes: Uint8Array): number {
  if (bytes.length !== INSTANT_BYTES) throw new CursorDecodeError(`a timestamp takes ${INSTANT_BYTES} bytes, not ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seconds = view.getBigInt64(0);
  const nanos = view.getUint32(8);
  // This server keeps millisecond precision, so any other nanosecond value is not its cursor.
  if (nanos >= 1_000_000_000 || nanos % NANOS_PER_MILLI !== 0) throw new CursorDecodeError('the timestamp\'s nanoseconds are out of range');
  const epochMs = Number(seconds) * 1000 + nanos / NANOS_PER_MILLI;
  if (!Number.isSafeInteger(epochMs)) throw new CursorDecodeError('the timestamp is out of range');
  return epochMs;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A lowercase UUID string as its 16 bytes. */
export function encodeUuid(uuid: string): Uint8Array {
  if (!UUID.test(uuid)) throw new RangeError(`not a lowercase uuid: ${uuid}`);
  // Read pairwise from the string (two per page on every list request): no intermediate strings.
  const bytes = new Uint8Array(16);
  let position = 0;
  for (let index = 0; index < 16; index++) {
    if (position === 8 || position === 13 || position === 18 || position === 23) position++;
    bytes[index] = (hexValue(uuid.charCodeAt(position)) << 4) | hexValue(uuid.charCodeAt(position + 1));
    position += 2;
  }
  return bytes;
}

/** A lowercase hex digit's value (the caller has checked the string). */
function hexValue(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

/** 16 bytes back to a lowercase UUID string. */
export function decodeUuid(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new CursorDecodeError(`a uuid takes 16 bytes, not ${bytes.length}`);
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

/** A non-empty string as UTF-8 bytes (an empty one would encode to an empty, invalid segment). */
export function encodeText(text: string): Uint8Array {
  if (text.length === 0) throw new RangeError('empty text cannot be a cursor value');
  return new TextEncoder().encode(text);
}

/** UTF-8 bytes back to a string; rejects invalid UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return textDecoder.decode(bytes);
  } catch {
    throw new CursorDecodeError('a text value is not valid UTF-8');
  }
}

/** A safe integer as 8 big-endian bytes. */
export function encodeInteger(value: number): Uint8Array {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(value));
  return bytes;
}

/** 8 big-endian bytes back to a safe integer. */
export function decodeInteger(bytes: Uint8Array): number {
  if (bytes.length !== 8) throw new CursorDecodeError(`an integer takes 8 bytes, not ${bytes.length}`);
  const value = Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigInt64(0));
  if (!Number.isSafeInteger(value)) throw new CursorDecodeError('an integer value is out of range');
  return value;
}
