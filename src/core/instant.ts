/**
 * Wire format of times. Pleo writes `2026-04-22T10:08:56Z`: UTC, whole seconds, no fraction.
 * Internally times are epoch milliseconds; a value with milliseconds (only possible when a
 * client sends one, e.g. `exportedAt`) keeps them, so nothing a client sent is lost.
 */
import { rememberLast } from './identity-cache.js';

/**
 * Recently formatted instants, direct-mapped by second: responses format many equal instants (a
 * frozen clock stamps a whole batch of items with one `exportedAt`; a job's times repeat on every
 * page), and a lookup costs about 1/50 of `toISOString`. Slots start as NaN, which equals nothing,
 * so an empty slot never matches; the texts are a pure function of the key, so the cache cannot
 * change a result.
 */
const CACHE_SLOTS = 256;
const cachedEpochMs = new Float64Array(CACHE_SLOTS).fill(Number.NaN);
const cachedTexts: string[] = new Array<string>(CACHE_SLOTS).fill('');

/** Formats epoch ms as Pleo does: `YYYY-MM-DDTHH:mm:ssZ`, with `.SSS` only when not whole seconds. */
export function formatInstant(epochMs: number): string {
  // `& (CACHE_SLOTS - 1)` wraps any number (fractional, negative, huge or not finite) to a slot.
  const slot = (epochMs / 1000) & (CACHE_SLOTS - 1);
  if (cachedEpochMs[slot] === epochMs) return cachedTexts[slot] ?? formatUncached(epochMs);
  const text = formatUncached(epochMs);
  cachedEpochMs[slot] = epochMs;
  cachedTexts[slot] = text;
  return text;
}

function formatUncached(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return epochMs % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

/** Formats a nullable instant. */
export function formatNullableInstant(epochMs: number | null): string | null {
  return epochMs === null ? null : formatInstant(epochMs);
}

/**
 * Parses an RFC 3339 date-time (as the spec's `format: date-time` admits: any offset, optional
 * fraction) to epoch ms. Returns undefined for anything else. The last answer is kept: a batch of
 * item results often stamps every item with one exportedAt.
 */
export const parseInstant: (text: string) => number | undefined = rememberLast(parseUncached);

function parseUncached(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const epochMs = Date.parse(text);
  return Number.isNaN(epochMs) ? undefined : epochMs;
}
