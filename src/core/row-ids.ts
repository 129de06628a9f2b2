/**
 * The internal row id of an item (the uuid ending every item cursor) is derived from its job and
 * accounting entry, not drawn at random: a state written out as a fixture document (which has no
 * row ids) and loaded again has the same row ids, so the cursors a client holds stay valid.
 */
import { createHash } from 'node:crypto';
import { decodeUuid } from './cursor.js';

/** A v4-shaped uuid derived from the item's job and accounting entry. */
export function itemRowId(jobId: string, accountingEntryId: string): string {
  const bytes = createHash('sha256').update(`${jobId}/${accountingEntryId}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  return decodeUuid(bytes);
}
