/**
 * The internal row id of an item (the uuid ending every item cursor) is derived from its job and
 * accounting entry, not drawn at random: a state written out as a fixture document (which has no
 * row ids) and loaded again has the same row ids, so the cursors a client holds stay valid.
 */
import { hash128, uuidFromWords } from './word-hash.js';

/** A v4-shaped uuid derived from the item's job and accounting entry. */
export function itemRowId(jobId: string, accountingEntryId: string): string {
  const [a, b, c, d] = hash128(`${jobId}/${accountingEntryId}`);
  return uuidFromWords(a, b, c, d);
}
