import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemRowId } from './row-ids.js';

describe('item row ids', () => {
  it('are lowercase v4 uuids, the same for the same job and entry, different otherwise', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.uuid(), (job, entry, other) => {
        const id = itemRowId(job, entry);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(itemRowId(job, entry)).toBe(id);
        if (other !== entry) expect(itemRowId(job, other)).not.toBe(id);
        if (other !== job) expect(itemRowId(other, entry)).not.toBe(id);
      }),
    );
  });
});
