/**
 * Typed helpers over the admin API (`openapi/admin-api.yaml`) of a running mock, for tests that
 * set up and inspect a tenant: load fixtures, move its clock, reset it, set faults, read its
 * request journal.
 * Uses Node's built-in fetch, so it adds no dependency.
 *
 * @example
 * const mock = await createMockServer();
 * const admin = mock.admin('worker-1');           // the tenant of `Bearer worker-1`
 * await admin.loadState({ jobs: [{ status: 'in_progress', itemCount: 250 }] });
 * await admin.setFaults({ rules: [{ operationId: 'getExportItemsV3', when: { kind: 'nth', n: 2 }, action: { kind: 'status', status: 503 } }] });
 * await admin.advanceClock(3600);                // idle jobs of that tenant expire
 * const { data } = await admin.requests({ operationId: 'updateExportJobItemsV3' });
 */
import type { FixtureDocument } from './fixtures/fixture-document.js';
import type { FaultRule } from './server/faults.js';

/** `Clock` of the admin API. */
export interface MockClockState {
  readonly now: string;
  readonly frozen: boolean;
}

/** `JournalEntry` of the admin API. */
export interface JournalEntryView {
  readonly sequence: number;
  readonly receivedAt: string;
  /** Real time of arrival, with milliseconds (the mock clock may be frozen). */
  readonly wallTime: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The request body as JSON, or the text that arrived when the mock refused it as JSON; null without one. */
  readonly body: unknown;
  /** False when the request body was dropped for the journal's byte budget. */
  readonly bodyKept: boolean;
  readonly operationId: string | null;
  readonly status: number;
  readonly responseBody: unknown;
  readonly responseBodyKept: boolean;
  /** Response headers as sent (empty for a dropped or cut-off response). */
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly durationMs: number;
  readonly fault: string | null;
}

/** `Journal` of the admin API. */
export interface JournalView {
  readonly data: readonly JournalEntryView[];
  readonly total: number;
  readonly capacity: number;
  /** Bytes of bodies the journal keeps (`--journal-bytes`). */
  readonly byteBudget: number;
  /** Entries whose bodies were dropped for that budget since the journal was emptied. */
  readonly droppedBodies: number;
}

/** `Faults` of the admin API. */
export interface FaultsView {
  readonly rules: readonly FaultRule[];
  readonly rateLimitPerMinute?: number | null;
}

/** An admin call that did not succeed; carries the mock's ExceptionInfo. */
export class MockAdminError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(`${status} ${type}: ${message}`);
    this.name = 'MockAdminError';
  }
}

/** The admin API of one tenant. */
export interface MockAdminClient {
  clock(): Promise<MockClockState>;
  /** Moves the tenant's clock forward by `seconds`. */
  advanceClock(seconds: number): Promise<MockClockState>;
  /** Moves the tenant's clock to an instant (ISO 8601), never backward. */
  moveClockTo(instant: string): Promise<MockClockState>;
  /** Back to the startup state, start time and startup faults, with an empty journal. */
  reset(): Promise<void>;
  /** The tenant's state as a fixture document (untouched items counted, unless `explicitItems`). */
  state(options?: { readonly explicitItems?: boolean; readonly explicitFields?: boolean }): Promise<FixtureDocument>;
  /** Replaces the tenant's state with a fixture document (omitted fields get seeded defaults); returns it as loaded. */
  loadState(document: FixtureDocument): Promise<FixtureDocument>;
  requests(filter?: { readonly operationId?: string }): Promise<JournalView>;
  clearRequests(): Promise<void>;
  faults(): Promise<FaultsView>;
  setFaults(faults: FaultsView): Promise<FaultsView>;
  clearFaults(): Promise<void>;
}

/** Admin helpers for the tenant of `credential` (a bearer token or API key; none for the default tenant), sending the admin token when the mock has one. */
export function adminClient(baseUrl: string, credential?: string, adminToken?: string): MockAdminClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = credential === undefined ? {} : { authorization: `Bearer ${credential}` };
    if (adminToken !== undefined) headers['x-mock-admin-token'] = adminToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      const info = typeof parsed === 'object' && parsed !== null ? (parsed as { type?: unknown; message?: unknown }) : {};
      throw new MockAdminError(response.status, typeof info.type === 'string' ? info.type : 'UNKNOWN', typeof info.message === 'string' ? info.message : text);
    }
    return parsed as T;
  };
  return {
    clock: () => call('GET', '/__admin/clock'),
    advanceClock: (seconds) => call('POST', '/__admin/clock', { advanceSeconds: seconds }),
    moveClockTo: (instant) => call('POST', '/__admin/clock', { to: instant }),
    reset: () => call('POST', '/__admin/reset'),
    state: (options = {}) => {
      const query = new URLSearchParams();
      if (options.explicitItems === true) query.set('explicitItems', 'true');
      if (options.explicitFields === true) query.set('explicitFields', 'true');
      return call('GET', `/__admin/state${query.size === 0 ? '' : `?${query.toString()}`}`);
    },
    loadState: (document) => call('PUT', '/__admin/state', document),
    requests: (filter = {}) => call('GET', `/__admin/requests${filter.operationId === undefined ? '' : `?operationId=${encodeURIComponent(filter.operationId)}`}`),
    clearRequests: () => call('DELETE', '/__admin/requests'),
    faults: () => call('GET', '/__admin/faults'),
    setFaults: (faults) => call('PUT', '/__admin/faults', faults),
    clearFaults: () => call('DELETE', '/__admin/faults'),
  };
}
