/**
 * The JSON of export items, kept a while. A payload is generated on read (deterministic from the
 * seed, the company, the job and the entry; see src/fixtures/export-item-payload.ts), which cost
 * about 60 µs an item: a page of 100 took 6 ms, and an integration reads every item of a job.
 * Payloads read again (a page re-read, a retried walk, several integrations on one state) are
 * served from here instead.
 *
 * A payload's JSON is about 2 KB. Kept as strings, such texts outlive the young generation and
 * die in the old one, whose pages V8 then keeps (the journal's lesson, BENCHMARKS.md): so the
 * texts are kept as bytes in a {@link TextRing} outside V8's heap, and only a small slot per
 * item stays on the heap. A slot whose bytes the ring has since overwritten is a miss.
 */
import { GenerationalCache } from '../core/identity-cache.js';
import type { CompanyRecord, ItemRecord, JobRecord } from '../core/model.js';
import type { ExportItemSource } from './operations/context.js';
import { TextRing } from './text-ring.js';

/** Bytes of payload JSON kept: about 2,000 payloads (20 pages of 100), allocated as they come. */
export const DEFAULT_EXPORT_ITEM_CACHE_BYTES = 4 * 1024 * 1024;

/** Items whose slots are kept per generation (see GenerationalCache). */
const SLOTS_PER_GENERATION = 2048;

/** Where an entry's payload is, and everything else it was generated from. */
interface Slot {
  readonly company: CompanyRecord;
  readonly bookedBefore: number;
  readonly vendorBasedBookkeeping: boolean;
  readonly defects: ItemRecord['exportItemDefects'];
  /** Where the JSON is in the ring: inline, so a slot is one object on the heap. */
  readonly start: number;
  readonly bytes: number;
  readonly ascii: boolean;
}

export class ExportItemJsonCache {
  private readonly ring: TextRing;
  /**
   * By accounting entry id rather than by item record: a slot then keeps no record alive (a
   * replaced state's records go with it), and what else the payload depends on is in the slot.
   */
  private readonly slots = new GenerationalCache<string, Slot>(SLOTS_PER_GENERATION);

  constructor(
    private readonly source: ExportItemSource,
    capacityBytes: number = DEFAULT_EXPORT_ITEM_CACHE_BYTES,
  ) {
    this.ring = new TextRing(capacityBytes);
  }

  /**
   * The JSON of an item's export item in its job and company. A payload is a function of the
   * entry id, the company, the job's `createdAt` and `vendorBasedBookkeeping`, and the item's
   * defects: a slot is used only when all of them are those it was generated from (the company
   * and the defects by identity, so a state with another record of the same company is never
   * served a stale payload).
   */
  json(item: ItemRecord, job: JobRecord, company: CompanyRecord): string {
    const slot = this.slots.find(item.accountingEntryId);
    if (
      slot !== undefined &&
      slot.company === company &&
      slot.bookedBefore === job.createdAt &&
      slot.vendorBasedBookkeeping === job.vendorBasedBookkeeping &&
      slot.defects === item.exportItemDefects
    ) {
      const text = this.ring.readOne(slot);
      if (text !== null) return text;
    }
    const text = JSON.stringify(
      this.source.build({
        company,
        accountingEntryId: item.accountingEntryId,
        bookedBefore: job.createdAt,
        vendorBasedBookkeeping: job.vendorBasedBookkeeping,
        defects: item.exportItemDefects,
      }),
    );
    const kept = this.ring.writeOne(text);
    if (kept !== null) {
      const { start, bytes, ascii } = kept;
      this.slots.set(item.accountingEntryId, { company, bookedBefore: job.createdAt, vendorBasedBookkeeping: job.vendorBasedBookkeeping, defects: item.exportItemDefects, start, bytes, ascii });
    }
    return text;
  }

  /** Bytes the cache holds in memory now (at most its capacity). */
  get allocatedBytes(): number {
    return this.ring.allocatedBytes;
  }
}
