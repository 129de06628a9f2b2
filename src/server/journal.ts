/**
 * The request journal of a tenant: what each request was and what it got, newest last, so a
 * test can check what a client actually sent. Bounded twice, so a long-running server does not
 * grow: a ring of `capacity` entries, the oldest dropped first; and a budget of bytes for the
 * bodies the entries keep (request and response), the oldest entries' bodies dropped first (the
 * entries themselves stay, saying so). Response bodies are kept as text and headers as they came,
 * both turned into their wire form only when the journal is read: recording does no JSON work.
 */

/** Headers as Node and Fastify hold them. */
export type RawHeaders = Readonly<Record<string, string | number | readonly string[] | undefined>>;

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
  /** The request headers, as received (not copied: Node gives each request its own object). */
  readonly headers: RawHeaders;
  readonly body: unknown;
  /** Size of the request body in bytes (its Content-Length); 0 without one. */
  readonly bodyBytes: number;
  /** The spec operation the request matched; null for unknown routes and methods. */
  readonly operationId: string | null;
  readonly status: number;
  /** The response body as sent; null when larger than the journal keeps. */
  readonly responseText: string | null;
  /** The response headers (e.g. Retry-After); empty for a dropped or cut-off response. */
  readonly responseHeaders: RawHeaders;
  readonly durationMs: number;
  /** The fault injected into this request, if any. */
  readonly fault: string | null;
}

/** A recorded request as read back, with its sequence number (1 for the tenant's first request). */
export interface JournalEntry {
  readonly sequence: number;
  readonly receivedAt: number;
  readonly wallTime: number;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The request body; null when there was none or it was dropped ({@link bodyKept}). */
  readonly body: unknown;
  /** False when the request body was dropped to keep the journal within its byte budget. */
  readonly bodyKept: boolean;
  readonly operationId: string | null;
  readonly status: number;
  /** The response body; null when larger than one entry keeps or dropped for the budget. */
  readonly responseText: string | null;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly durationMs: number;
  readonly fault: string | null;
}

/** Bodies larger than this are not kept (the entry says so). */
export const MAX_KEPT_RESPONSE_BYTES = 256 * 1024;

/**
 * Bytes of bodies a journal keeps by default (`--journal-bytes`): the last few hundred ordinary
 * responses. Kept small on purpose: every kept body outlives V8's young generation and is copied
 * to the old one, and with 4 MiB that copying cost a list page 15% more CPU than with 1 MiB.
 */
export const DEFAULT_JOURNAL_BYTES = 1024 * 1024;

/**
 * An entry as stored. Its bodies may be dropped later, so they are held here, apart from the
 * record (which is kept without them): dropping must release the memory, not just hide it.
 */
interface StoredEntry {
  readonly sequence: number;
  readonly record: Omit<JournalRecord, 'body' | 'responseText'>;
  body: unknown;
  responseText: string | null;
  /** Bytes of the bodies still kept (0 once dropped or when there were none). */
  keptBytes: number;
  bodiesDropped: boolean;
}

/** A bounded journal. */
export class RequestJournal {
  private readonly ring: (StoredEntry | undefined)[];
  private next = 0;
  private recorded = 0;
  private keptBytes = 0;
  /** Entries with a sequence below this have had their bodies dropped (or had none). */
  private bodyFloor = 1;
  private dropped = 0;

  constructor(
    readonly capacity: number,
    readonly byteBudget: number = DEFAULT_JOURNAL_BYTES,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('a journal keeps at least one entry');
    if (!Number.isSafeInteger(byteBudget) || byteBudget < 0) throw new RangeError('a journal byte budget is a whole number of bytes, 0 or more');
    this.ring = new Array<StoredEntry | undefined>(capacity);
  }

  /** Records a request; the oldest entry goes when the journal is full, the oldest bodies when over budget. */
  record(record: JournalRecord): void {
    this.recorded++;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.keptBytes -= evicted.keptBytes;
    const { body, responseText, ...rest } = record;
    const keptBytes = record.bodyBytes + (responseText?.length ?? 0);
    this.ring[this.next] = { sequence: this.recorded, record: rest, body, responseText, keptBytes, bodiesDropped: false };
    this.next = (this.next + 1) % this.capacity;
    this.keptBytes += keptBytes;
    this.dropBodiesOverBudget();
  }

  /** Entries, oldest first, optionally of one operation. */
  entries(operationId?: string): JournalEntry[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)].filter((entry): entry is StoredEntry => entry !== undefined);
    return (operationId === undefined ? ordered : ordered.filter((entry) => entry.record.operationId === operationId)).map(readBack);
  }

  /** How many requests were recorded since the last clear, including dropped ones. */
  get total(): number {
    return this.recorded;
  }

  /** How many entries had their bodies dropped for the byte budget since the last clear. */
  get droppedBodies(): number {
    return this.dropped;
  }

  /** Forgets everything. */
  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.recorded = 0;
    this.keptBytes = 0;
    this.bodyFloor = 1;
    this.dropped = 0;
  }

  /** Bodies go oldest first; each entry is visited once over the journal's life (amortized O(1)). */
  private dropBodiesOverBudget(): void {
    const oldestInRing = Math.max(1, this.recorded - this.capacity + 1);
    if (this.bodyFloor < oldestInRing) this.bodyFloor = oldestInRing;
    while (this.keptBytes > this.byteBudget && this.bodyFloor <= this.recorded) {
      const entry = this.ring[(this.bodyFloor - 1) % this.capacity];
      this.bodyFloor++;
      if (entry === undefined || entry.keptBytes === 0) continue;
      this.keptBytes -= entry.keptBytes;
      entry.keptBytes = 0;
      entry.body = null;
      entry.responseText = null;
      entry.bodiesDropped = true;
      this.dropped++;
    }
  }
}

function readBack({ sequence, record, body, responseText, bodiesDropped }: StoredEntry): JournalEntry {
  return {
    sequence,
    receivedAt: record.receivedAt,
    wallTime: record.wallTime,
    method: record.method,
    path: record.path,
    query: record.query,
    headers: flatHeaders(record.headers),
    body,
    bodyKept: !bodiesDropped || record.bodyBytes === 0,
    operationId: record.operationId,
    status: record.status,
    responseText,
    responseHeaders: flatHeaders(record.responseHeaders),
    durationMs: record.durationMs,
    fault: record.fault,
  };
}

/** Headers as single strings (the journal's wire shape). */
export function flatHeaders(headers: RawHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = typeof value === 'object' ? value.join(', ') : String(value);
  return result;
}
