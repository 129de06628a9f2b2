/**
 * The request journal of a tenant: what each request was and what it got, newest last, so a
 * test can check what a client actually sent. Bounded twice, so a long-running server does not
 * grow: a ring of `capacity` entries, the oldest dropped first; and a budget of bytes for the
 * bodies the entries keep (request and response), kept in a {@link TextRing} of that many bytes
 * outside V8's heap, where the newest bodies overwrite the oldest (the entries themselves stay,
 * saying so). Bodies are kept as text and headers as they came, both turned into their wire form
 * only when the journal is read: recording does no JSON work.
 */
import { parseJsonBody } from './json-body.js';
import { TextRing, type KeptTexts } from './text-ring.js';

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
  /** The request body's text as received; null without one. */
  readonly bodyText: string | null;
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
  /**
   * The request body: its JSON, or its text when the mock refused it as JSON; null when there was
   * none or it was dropped ({@link bodyKept}).
   */
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

/** Bytes of bodies a journal keeps by default (`--journal-bytes`): the last few hundred ordinary responses. */
export const DEFAULT_JOURNAL_BYTES = 1024 * 1024;

/**
 * An entry as stored: the record's fields without its bodies, and where the bodies are in the
 * ring. One flat object per request, written field by field: the journal keeps a thousand of
 * them, so each outlives the young generation, and an object spread with a rest (the record minus
 * its bodies) cost a second object and V8's slow copying path on every request.
 */
interface StoredEntry extends Omit<JournalRecord, 'bodyText' | 'responseText'> {
  readonly sequence: number;
  readonly hasBody: boolean;
  readonly hasResponseText: boolean;
  /** The bodies that were present (request, then response); null once dropped or with none. */
  kept: KeptTexts | null;
}

/** A bounded journal. */
export class RequestJournal {
  private readonly ring: (StoredEntry | undefined)[];
  private readonly texts: TextRing;
  private next = 0;
  private recorded = 0;
  /** Entries with a sequence below this have had their bodies dropped (or had none). */
  private bodyFloor = 1;
  private dropped = 0;

  constructor(
    readonly capacity: number,
    readonly byteBudget: number = DEFAULT_JOURNAL_BYTES,
  ) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('a journal keeps at least one entry');
    this.ring = new Array<StoredEntry | undefined>(capacity);
    this.texts = new TextRing(byteBudget);
  }

  /** Records a request; the oldest entry goes when the journal is full, the oldest bodies when their bytes are needed. */
  record(record: JournalRecord): void {
    this.recorded++;
    const { bodyText, responseText } = record;
    const kept = this.keepBodies(bodyText, responseText);
    // Bodies larger than the whole budget are dropped at once.
    if (kept === null && (bodyText !== null || responseText !== null)) this.dropped++;
    this.ring[this.next] = {
      sequence: this.recorded,
      receivedAt: record.receivedAt,
      wallTime: record.wallTime,
      method: record.method,
      path: record.path,
      query: record.query,
      headers: record.headers,
      operationId: record.operationId,
      status: record.status,
      responseHeaders: record.responseHeaders,
      durationMs: record.durationMs,
      fault: record.fault,
      hasBody: bodyText !== null,
      hasResponseText: responseText !== null,
      kept,
    };
    this.next = (this.next + 1) % this.capacity;
    this.forgetOverwrittenBodies();
  }

  /** Writes the bodies present into the ring, request first; null with none or when they do not fit. */
  private keepBodies(bodyText: string | null, responseText: string | null): KeptTexts | null {
    if (bodyText === null) return responseText === null ? null : this.texts.write([responseText]);
    return this.texts.write(responseText === null ? [bodyText] : [bodyText, responseText]);
  }

  /** Entries, oldest first, optionally of one operation. */
  entries(operationId?: string): JournalEntry[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)].filter((entry): entry is StoredEntry => entry !== undefined);
    return (operationId === undefined ? ordered : ordered.filter((entry) => entry.operationId === operationId)).map((entry) => this.readBack(entry));
  }

  /** How many requests were recorded since the last clear, including dropped ones. */
  get total(): number {
    return this.recorded;
  }

  /** How many entries had their bodies dropped for the byte budget since the last clear. */
  get droppedBodies(): number {
    return this.dropped;
  }

  /** Bytes the journal's bodies take in memory now (at most the byte budget). */
  get allocatedBytes(): number {
    return this.texts.allocatedBytes;
  }

  /** Forgets everything. */
  clear(): void {
    this.ring.fill(undefined);
    this.texts.clear();
    this.next = 0;
    this.recorded = 0;
    this.bodyFloor = 1;
    this.dropped = 0;
  }

  /**
   * Counts and forgets the bodies newer writes overwrote. They go oldest first, so each entry is
   * visited once over the journal's life (amortized O(1)).
   */
  private forgetOverwrittenBodies(): void {
    const oldestInRing = Math.max(1, this.recorded - this.capacity + 1);
    if (this.bodyFloor < oldestInRing) this.bodyFloor = oldestInRing;
    for (; this.bodyFloor <= this.recorded; this.bodyFloor++) {
      const entry = this.ring[(this.bodyFloor - 1) % this.capacity];
      if (entry === undefined || entry.kept === null) continue;
      if (this.texts.holds(entry.kept)) return;
      entry.kept = null;
      this.dropped++;
    }
  }

  private readBack(entry: StoredEntry): JournalEntry {
    const { hasBody, hasResponseText, kept } = entry;
    const texts = kept === null ? null : this.texts.read(kept);
    const bodyText = hasBody ? (texts?.[0] ?? null) : null;
    const responseText = hasResponseText ? (texts?.[hasBody ? 1 : 0] ?? null) : null;
    return {
      sequence: entry.sequence,
      receivedAt: entry.receivedAt,
      wallTime: entry.wallTime,
      method: entry.method,
      path: entry.path,
      query: entry.query,
      headers: flatHeaders(entry.headers),
      body: bodyText === null ? null : jsonOrText(bodyText),
      bodyKept: !hasBody || bodyText !== null,
      operationId: entry.operationId,
      status: entry.status,
      responseText,
      responseHeaders: flatHeaders(entry.responseHeaders),
      durationMs: entry.durationMs,
      fault: entry.fault,
    };
  }
}

/**
 * A body as the journal shows it: its JSON, or the text itself when the mock refused it as JSON
 * (malformed, nested too deep, a prototype key): what the client sent, safe to serialize again.
 */
function jsonOrText(text: string): unknown {
  try {
    return parseJsonBody(text);
  } catch {
    return text;
  }
}

/** Headers as single strings (the journal's wire shape). */
export function flatHeaders(headers: RawHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = typeof value === 'object' ? value.join(', ') : String(value);
  return result;
}
