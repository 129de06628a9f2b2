/**
 * Fault injection on the wire (rules in faults.ts): status answers, latency, dropped connections
 * and cut-off bodies, drawn per request from the rate limit, the `x-mock-fault` header and the
 * tenant's rules.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MockError, type ErrorCode } from '../core/errors.js';
import { JSON_CONTENT_TYPE, sendError } from './error-handler.js';
import { describeAction, FaultSyntaxError, parseFaultAction, type FaultAction } from './faults.js';
import { jsonTextOf } from './json-text.js';
import type { OperationResult } from './operations.js';
import type { Recorder } from './request-recorder.js';
import type { Tenant } from './tenants.js';

/**
 * Applies the fault (if any) a request draws: 'answered' when the fault already answered or
 * dropped it, 'truncate' when the response must be cut after processing, 'none' to go on.
 */
export type FaultInjector = (request: FastifyRequest, reply: FastifyReply, operationId: string, tenant: Tenant) => Promise<'none' | 'answered' | 'truncate'>;

const FAULT_HEADER = 'x-mock-fault';

/** The ExceptionInfo of an injected status. */
const FAULT_ERRORS: Readonly<Record<429 | 500 | 502 | 503, { code: ErrorCode; message: string }>> = {
  429: { code: 'RATE_LIMITED', message: 'Too many requests; retry after the time in Retry-After.' },
  500: { code: 'INTERNAL_ERROR', message: 'Injected fault: internal error. The request was not processed.' },
  502: { code: 'BAD_GATEWAY', message: 'Injected fault: bad gateway. The request was not processed.' },
  503: { code: 'SERVICE_UNAVAILABLE', message: 'Injected fault: service unavailable. The request was not processed.' },
};

/** The fault a request draws: the rate limit first (every request counts), then its header, then the tenant's rules. */
function drawFault(request: FastifyRequest, operationId: string, tenant: Tenant, now: number): { action: FaultAction; description: string } | undefined {
  const limited = tenant.faults.limiter?.take(now);
  if (limited !== undefined && !limited.allowed) {
    return { action: { kind: 'status', status: 429, retryAfterSeconds: limited.retryAfterSeconds }, description: `rate limit (${tenant.faults.rateLimitPerMinute ?? 0}/min)` };
  }
  // Rules count every request they match, even one whose header overrides them, so a
  // schedule's positions do not depend on which requests carried the header.
  const drawn = tenant.faults.schedule.decide(operationId);
  const header = request.headers[FAULT_HEADER];
  if (typeof header === 'string') {
    try {
      const action = parseFaultAction(header);
      return { action, description: `${describeAction(action)} (${FAULT_HEADER} header)` };
    } catch (error) {
      if (error instanceof FaultSyntaxError) throw new MockError('INVALID_PARAMETER', `${FAULT_HEADER}: ${error.message}`);
      throw error;
    }
  }
  return drawn === undefined ? undefined : { action: drawn.action, description: `${describeAction(drawn.action)} (rule ${drawn.rule + 1})` };
}

export async function injectTenantFault(
  request: FastifyRequest,
  reply: FastifyReply,
  operationId: string,
  tenant: Tenant,
  recorder: Recorder,
  wallClock: () => number,
): Promise<'none' | 'answered' | 'truncate'> {
  const fault = drawFault(request, operationId, tenant, wallClock());
  if (fault === undefined) return 'none';
  recorder.noteFault(request, fault.description);
  const { action } = fault;
  switch (action.kind) {
    case 'status': {
      const { code, message } = FAULT_ERRORS[action.status];
      const headers: Record<string, string> = action.retryAfterSeconds === undefined ? {} : { 'retry-after': String(action.retryAfterSeconds) };
      if (action.status === 429 && headers['retry-after'] === undefined) headers['retry-after'] = '1';
      await sendError(reply, new MockError(code, message), headers);
      return 'answered';
    }
    case 'latency':
      await new Promise((resolve) => setTimeout(resolve, action.ms));
      return 'none';
    case 'reset':
      // Dropped before processing: like a connection lost on the way in.
      reply.hijack();
      recorder.record(request, 0, null, reply.elapsedTime);
      request.raw.socket.destroy();
      return 'answered';
    case 'truncate':
      return 'truncate';
  }
}

/** Processed, then cut: headers promise the whole body, half of it arrives, the connection drops. */
export function sendTruncated(request: FastifyRequest, reply: FastifyReply, result: OperationResult, recorder: Recorder): void {
  const text = result.body === undefined ? '' : jsonTextOf(result.body);
  reply.hijack();
  recorder.record(request, result.status, text, reply.elapsedTime);
  const raw = reply.raw;
  raw.writeHead(result.status, { 'content-type': JSON_CONTENT_TYPE, 'content-length': String(Math.max(Buffer.byteLength(text), 1)) });
  raw.write(text.slice(0, Math.floor(text.length / 2)), () => {
    request.raw.socket.destroy();
  });
}
