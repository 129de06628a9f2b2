/**
 * Routes from a spec: one Fastify route per path, answering every method, so a known path with
 * an undeclared method gets 405 (with `Allow`) and any other path 404. A request is gated
 * (authentication, faults), validated against the spec, then handled by its operation's handler.
 */
import type { FastifyInstance, FastifyReply, HTTPMethods } from 'fastify';
import { MockError } from '../core/errors.js';
import { sendError, sendJson } from './error-handler.js';
import { sendTruncated, type FaultInjector } from './fault-injection.js';
import { DeferredBodyError } from './json-body.js';
import { jsonTextOf } from './json-text.js';
import type { OperationResult } from './operations.js';
import { noteMatchedOperation, queryOf, tenantOf } from './request-context.js';
import type { Recorder } from './request-recorder.js';
import type { SpecOperation, SpecValidator, ValidatedRequest } from './spec-validator.js';
import type { Tenant, TenantRegistry } from './tenants.js';

/** Runs an operation once its request is validated, for the tenant of its credential. */
export type Dispatch = (operationId: string, request: ValidatedRequest, tenant: Tenant) => OperationResult;

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** What the routes of one spec need. */
export interface SpecRoutesOptions {
  readonly tenants: TenantRegistry;
  readonly validator: SpecValidator;
  /** For the Export API: authentication and faults, after routing and before validation. Absent for the admin API. */
  readonly gate?: FaultInjector | undefined;
  readonly recorder: Recorder;
  readonly dispatch: Dispatch;
  /**
   * Called after an operation that changed the tenant's state, before the answer is sent; the
   * answer waits for the promise (--state-file: an acknowledged change is on disk).
   */
  readonly persist?: ((operationId: string, tenant: Tenant) => Promise<void> | undefined) | undefined;
  /** Largest body the routes accept, bytes (the server's default otherwise). */
  readonly bodyLimit?: number | undefined;
}

/** Registers the routes of a spec. */
export function registerSpecRoutes(app: FastifyInstance, options: SpecRoutesOptions): void {
  const { tenants, validator, gate, recorder, dispatch, persist, bodyLimit } = options;
  for (const [path, operations] of groupByPath(validator.operations())) {
    const methods = operations.map((operation) => operation.method);
    // HEAD is GET without a body (RFC 9110); Fastify drops the body of HEAD responses.
    const allowed = (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
    app.route<{ Params: Record<string, string> }>({
      method: ALL_METHODS,
      url: toFastifyPath(path),
      schema: { hide: true },
      ...(bodyLimit === undefined ? {} : { bodyLimit }),
      handler: async (request, reply) => {
        const method = request.method === 'HEAD' ? 'GET' : request.method;
        const operation = operations.find((candidate) => candidate.method === method);
        if (operation === undefined) {
          return sendError(reply, new MockError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; allowed: ${allowed}.`), { allow: allowed });
        }
        // Recorded before validation: an invalid request is exactly what a journal reader looks for.
        noteMatchedOperation(request, operation.operationId);
        if (request.body instanceof DeferredBodyError) throw request.body.error;
        const tenant = tenantOf(request, tenants);
        const fault = gate === undefined ? 'none' : await gate(request, reply, operation.operationId, tenant);
        if (fault === 'answered') return reply;
        const validated = validator.validateRequest(operation.operationId, {
          params: request.params,
          query: queryOf(request.url),
          headers: request.headers,
          body: request.body,
        });
        const result = dispatch(operation.operationId, validated, tenant);
        await persist?.(operation.operationId, tenant);
        if (fault === 'truncate') {
          sendTruncated(request, reply, result, recorder);
          return reply;
        }
        return send(reply, result);
      },
    });
  }
}

function send(reply: FastifyReply, result: OperationResult): FastifyReply {
  // 202 from the event operations has no body, as the spec declares.
  if (result.body === undefined) return reply.code(result.status).send();
  return sendJson(reply, result.status, jsonTextOf(result.body));
}

function groupByPath(operations: readonly SpecOperation[]): Map<string, SpecOperation[]> {
  const byPath = new Map<string, SpecOperation[]>();
  for (const operation of operations) {
    const list = byPath.get(operation.path);
    if (list === undefined) byPath.set(operation.path, [operation]);
    else list.push(operation);
  }
  return byPath;
}

/** `/v3/export-jobs/{jobId}/items` -> `/v3/export-jobs/:jobId/items`; a literal `:` (as in `items:search`) is `::`. */
function toFastifyPath(path: string): string {
  return path.replaceAll(':', '::').replace(/\{([^}]+)\}/g, ':$1');
}
