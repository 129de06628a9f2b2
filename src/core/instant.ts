/**
 * Wire format of times. Pleo writes `2026-04-22T10:08:56Z`: UTC, whole seconds, no fraction.
 * Internally times are epoch milliseconds; a value with milliseconds (only possible when a
 * client sends one, e.g. `exportedAt`) keeps them, so nothing a client sent is lost.
 */

/** Formats epoch ms as Pleo does: `YYYY-MM-DDTHH:mm:ssZ`, with `.SSS` only when not whole seconds. */
export function formatInstant(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return epochMs % 1000 === 0 ? `${iso.slice(0, 19)}Z` : iso;
}

/** Formats a nullable instant. */
export function formatNullableInstant(epochMs: number | null): string | null {
  return epochMs === null ? null : formatInstant(epochMs);
}

/**
 * Parses an RFC 3339 date-time (as the spec's `format: date-time` admits: any offset, optional
 * fraction) to epoch ms. Returns undefined for anything else.
 */
export function parseInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const epochMs = Date.parse(text);
  return Number.isNaN(epochMs) ? undefined : epochMs;
}
