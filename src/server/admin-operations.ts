/** Handlers of the admin API (`openapi/admin-api.yaml`), by operationId. */
import { MockError } from '../core/errors.js';
import { FixtureDocumentError, loadFixtureDocument, toFixtureDocument } from '../fixtures/fixture-document.js';
import { formatInstant, parseInstant } from '../core/instant.js';
import type { MockClock } from './clock.js';
import { assertKnownOperations, FaultSyntaxError, validateFaultRules, type FaultRule } from './faults.js';
import type { JournalEntry } from './journal.js';
import { optionalString } from './params.js';
import type { ValidatedRequest } from './spec-validator.js';
import type { Tenant } from './tenants.js';
import { ok, type OperationResult } from './operations/context.js';
import { asObject } from './operations/export-jobs.js';

/** What an admin handler works with: the request and the caller's tenant. */
export interface AdminContext {
  readonly request: ValidatedRequest;
  readonly tenant: Tenant;
  /** The Export API's operationIds, which fault rules may name. */
  readonly operationIds: ReadonlySet<string>;
  /** The server's seed: defaults of fixture documents that carry none. */
  readonly seed: number;
}

/** An admin handler. */
export type AdminHandler = (context: AdminContext) => OperationResult;

function clockView(clock: MockClock): { now: string; frozen: boolean } {
  return { now: formatInstant(clock.now()), frozen: clock.frozen };
}

/** The latest time the clock may show: times are written as four-digit years (RFC 3339). */
const LATEST_CLOCK_TIME = Date.UTC(9999, 11, 31, 23, 59, 59);

/** GET /__admin/clock */
function getClock({ tenant }: AdminContext): OperationResult {
  return ok(clockView(tenant.clock));
}

/** POST /__admin/clock: forward by `advanceSeconds`, or to `to`. */
function moveClock({ request, tenant }: AdminContext): OperationResult {
  const { clock } = tenant;
  const body = asObject(request.body);
  if (typeof body.advanceSeconds === 'number') {
    const target = clock.now() + Math.round(body.advanceSeconds * 1000);
    if (!(target <= LATEST_CLOCK_TIME)) throw new MockError('INVALID_REQUEST_BODY', `body.advanceSeconds: ${body.advanceSeconds} would move the clock past ${formatInstant(LATEST_CLOCK_TIME)}, the latest time it can show`);
    clock.advance(Math.round(body.advanceSeconds * 1000));
    return ok(clockView(clock));
  }
  const to = typeof body.to === 'string' ? parseInstant(body.to) : undefined;
  if (to === undefined) throw new MockError('INVALID_REQUEST_BODY', 'body: send advanceSeconds (a number) or to (a date-time)');
  if (to > LATEST_CLOCK_TIME) throw new MockError('INVALID_REQUEST_BODY', `body.to: ${String(body.to)} is past ${formatInstant(LATEST_CLOCK_TIME)}, the latest time the clock can show`);
  if (to < clock.now()) {
    throw new MockError('INVALID_REQUEST_BODY', `body.to: ${String(body.to)} is before the mock's current time ${formatInstant(clock.now())}; the clock only moves forward`);
  }
  clock.moveTo(to);
  return ok(clockView(clock));
}

/** POST /__admin/reset: the caller's tenant back to the startup state and start time. */
function resetState({ tenant }: AdminContext): OperationResult {
  tenant.reset();
  return { status: 204, body: undefined };
}

/** GET /__admin/state: the caller's state as a fixture document (untouched items counted, unless explicitItems; explicitFields writes every item field). */
function getState({ request, tenant }: AdminContext): OperationResult {
  const explicitFields = request.query.explicitFields === true;
  return ok(toFixtureDocument(tenant.store.snapshot(), { explicitItems: explicitFields || request.query.explicitItems === true, explicitFields }));
}

/**
 * PUT /__admin/state: replaces the caller's state with a fixture document (a full replace).
 * Defaults are relative to the tenant's clock; a document that does not fit changes nothing.
 */
function replaceState({ request, tenant, seed }: AdminContext): OperationResult {
  let state;
  try {
    state = loadFixtureDocument(request.body, { seed, now: tenant.clock.now() });
  } catch (error) {
    if (error instanceof FixtureDocumentError) throw new MockError('INVALID_REQUEST_BODY', `${error.path === '' ? 'body' : `body.${error.path}`}: ${error.problem}`);
    throw error;
  }
  tenant.store.replace(state);
  return ok(toFixtureDocument(tenant.store.snapshot()));
}

/** GET /__admin/requests: the caller's journal, oldest first, optionally of one operationId. */
function getRequests({ request, tenant }: AdminContext): OperationResult {
  const { journal } = tenant;
  const operationId = optionalString(request.query, 'operationId');
  return ok({
    data: journal.entries(operationId).map(journalEntryView),
    total: journal.total,
    capacity: journal.capacity,
    byteBudget: journal.byteBudget,
    droppedBodies: journal.droppedBodies,
  });
}

/** DELETE /__admin/requests: empties the caller's journal. */
function clearRequests({ tenant }: AdminContext): OperationResult {
  tenant.journal.clear();
  return { status: 204, body: undefined };
}

/** The wire form of a journal entry (`JournalEntry` in admin-api.yaml). */
function journalEntryView(entry: JournalEntry): unknown {
  // A Map, then own properties: a client's `?constructor=1` must not meet Object.prototype.
  const values = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(entry.query)) values.set(name, [...(values.get(name) ?? []), value]);
  const query = Object.fromEntries(values);
  return {
    sequence: entry.sequence,
    receivedAt: formatInstant(entry.receivedAt),
    wallTime: new Date(entry.wallTime).toISOString(),
    method: entry.method,
    path: entry.path,
    query,
    headers: entry.headers,
    body: entry.body,
    bodyKept: entry.bodyKept,
    operationId: entry.operationId,
    status: entry.status,
    responseBody: parseKept(entry.responseText),
    responseBodyKept: entry.responseText !== null,
    responseHeaders: entry.responseHeaders,
    durationMs: Math.round(entry.durationMs * 1000) / 1000,
    fault: entry.fault,
  };
}

function parseKept(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function faultsView(tenant: Tenant): unknown {
  return { rules: tenant.faults.schedule.rules(), rateLimitPerMinute: tenant.faults.rateLimitPerMinute };
}

/** GET /__admin/faults */
function getFaults({ tenant }: AdminContext): OperationResult {
  return ok(faultsView(tenant));
}

/** PUT /__admin/faults: replaces the caller's rules and rate limit (a full replace). */
function setFaults({ request, tenant, operationIds }: AdminContext): OperationResult {
  const body = asObject(request.body);
  let parsed: FaultRule[];
  try {
    parsed = validateFaultRules(body.rules);
    assertKnownOperations(parsed, operationIds);
  } catch (error) {
    if (error instanceof FaultSyntaxError) throw new MockError('INVALID_REQUEST_BODY', `body.${error.message}`);
    throw error;
  }
  const rate = body.rateLimitPerMinute;
  tenant.faults.set(parsed, typeof rate === 'number' ? rate : null);
  return ok(faultsView(tenant));
}

/** DELETE /__admin/faults */
function clearFaults({ tenant }: AdminContext): OperationResult {
  tenant.faults.set([], null);
  return { status: 204, body: undefined };
}

/** Admin handlers by operationId. */
export const ADMIN_OPERATIONS: Readonly<Record<string, AdminHandler>> = {
  getState,
  replaceState,
  getClock,
  moveClock,
  resetState,
  getRequests,
  clearRequests,
  getFaults,
  setFaults,
  clearFaults,
};
