/** Handlers of the admin API (`openapi/admin-api.yaml`), by operationId. */
import { MockError } from '../core/errors.js';
import { formatInstant, parseInstant } from '../core/instant.js';
import type { MockClock } from './clock.js';
import type { ValidatedRequest } from './spec-validator.js';
import type { Tenant } from './tenants.js';
import { ok, type OperationResult } from './operations/context.js';
import { asObject } from './operations/export-jobs.js';

/** What an admin handler works with: the request and the caller's tenant. */
export interface AdminContext {
  readonly request: ValidatedRequest;
  readonly tenant: Tenant;
}

/** An admin handler. */
export type AdminHandler = (context: AdminContext) => OperationResult;

function clockView(clock: MockClock): { now: string; frozen: boolean } {
  return { now: formatInstant(clock.now()), frozen: clock.frozen };
}

/** GET /__admin/clock */
function getClock({ tenant }: AdminContext): OperationResult {
  return ok(clockView(tenant.clock));
}

/** POST /__admin/clock: forward by `advanceSeconds`, or to `to`. */
function moveClock({ request, tenant }: AdminContext): OperationResult {
  const { clock } = tenant;
  const body = asObject(request.body);
  if (typeof body.advanceSeconds === 'number') {
    clock.advance(Math.round(body.advanceSeconds * 1000));
    return ok(clockView(clock));
  }
  const to = typeof body.to === 'string' ? parseInstant(body.to) : undefined;
  if (to === undefined) throw new MockError('INVALID_REQUEST_BODY', 'body: send advanceSeconds (a number) or to (a date-time)');
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

/** Admin handlers by operationId. */
export const ADMIN_OPERATIONS: Readonly<Record<string, AdminHandler>> = { getClock, moveClock, resetState };
