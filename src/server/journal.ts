/**
 * The request journal of a tenant: what each request was and what it got, newest last, so a
 * test can check what a client actually sent. Bounded: a ring of `capacity` entries, the oldest
 * dropped first, so a long-running server does not grow. Response bodies are kept as text and
 * parsed only when the journal is read: recording costs no JSON work on the request path.
 */

/** What is recorded of one request. */
export interface JournalRecord {
  /** The mock clock's time when the request arrived (epoch ms). */
  readonly receivedAt: number;
  /**
   * Real time when the request arrived (epoch ms): what a client's waiting is measured in (a
   * Retry-After honoured or not), since the mock clock may be frozen or moved.
   */
  readonly wallTime: number;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The spec operation the request matched; null for unknown routes and methods. */
  readonly operationId: string | null;
  readonly status: number;
  /** The response body as sent; null when larger than the journal keeps. */
  readonly responseText: string | null;
  /** The response headers (e.g. Retry-After); empty for a dropped or cut-off response. */
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly durationMs: number;
  /** The fault injected into this request, if any. */
  readonly fault: string | null;
}

/** A recorded request with its sequence number (1 for the tenant's first request). */
export interface JournalEntry extends JournalRecord {
  readonly sequence: number;
}

/** Bodies larger than this are not kept (the entry says so). */
export const MAX_KEPT_RESPONSE_BYTES = 256 * 1024;

/** A bounded journal. */
export class RequestJournal {
  private readonly ring: (JournalEntry | undefined)[];
  private next = 0;
  private recorded = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('a journal keeps at least one entry');
    this.ring = new Array<JournalEntry | undefined>(capacity);
  }

  /** Records a request; the oldest entry goes when the journal is full. */
  record(record: JournalRecord): void {
    this.recorded++;
    this.ring[this.next] = { sequence: this.recorded, ...record };
    this.next = (this.next + 1) % this.capacity;
  }

  /** Entries, oldest first, optionally of one operation. */
  entries(operationId?: string): JournalEntry[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)].filter((entry): entry is JournalEntry => entry !== undefined);
    return operationId === undefined ? ordered : ordered.filter((entry) => entry.operationId === operationId);
  }

  /** How many requests were recorded since the last clear, including dropped ones. */
  get total(): number {
    return this.recorded;
  }

  /** Forgets everything. */
  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.recorded = 0;
  }
}
