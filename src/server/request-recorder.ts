/**
 * Records every Export API request in the journal of its tenant (see journal.ts). Requests to the
 * mock itself are left out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_KEPT_RESPONSE_BYTES, type RawHeaders } from './journal.js';
import { bodyTextOf, matchedOperation, pathOf, queryOf, tenantOf } from './request-context.js';
import type { TenantRegistry } from './tenants.js';

/** Paths of the mock itself rather than of the Export API: never journaled, never faulted. */
const UNJOURNALED = /^\/(__admin(\/|$)|docs(\/|$)|openapi\.json$|admin-openapi\.json$|fixture-document\.schema\.json$)/;

/** Writes Export API requests into the journal of their tenant. */
export interface Recorder {
  /** Records a request now (for replies that bypass Fastify's hooks: reset, truncate). */
  record(request: FastifyRequest, status: number, responseText: string | null, durationMs: number): void;
  /** Notes the fault injected into a request, for its entry. */
  noteFault(request: FastifyRequest, fault: string): void;
}

/**
 * Records every Export API request in the journal of its tenant, after the response is sent:
 * the body text is captured as it leaves (onSend), the entry written once timing is known.
 */
export function recordRequests(app: FastifyInstance, tenants: TenantRegistry, wallClock: () => number): Recorder {
  const arrivals = new WeakMap<FastifyRequest, { receivedAt: number; wallTime: number; responseText: string | null; responseHeaders: RawHeaders; fault: string | null }>();
  const recorder: Recorder = {
    record(request, status, responseText, durationMs) {
      const arrival = arrivals.get(request);
      if (arrival === undefined) return;
      arrivals.delete(request);
      tenantOf(request, tenants).journal.record({
        receivedAt: arrival.receivedAt,
        wallTime: arrival.wallTime,
        method: request.method,
        path: pathOf(request.url),
        query: queryOf(request.url),
        headers: request.headers,
        bodyText: bodyTextOf(request),
        operationId: matchedOperation(request),
        status,
        responseText: responseText !== null && responseText.length <= MAX_KEPT_RESPONSE_BYTES ? responseText : null,
        responseHeaders: arrival.responseHeaders,
        durationMs,
        fault: arrival.fault,
      });
    },
    noteFault(request, fault) {
      const arrival = arrivals.get(request);
      if (arrival !== undefined) arrival.fault = fault;
    },
  };
  app.addHook('onRequest', (request, _reply, done) => {
    if (!UNJOURNALED.test(pathOf(request.url))) {
      arrivals.set(request, { receivedAt: tenantOf(request, tenants).clock.now(), wallTime: wallClock(), responseText: null, responseHeaders: {}, fault: null });
    }
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    const arrival = arrivals.get(request);
    if (arrival !== undefined && typeof payload === 'string') arrival.responseText = payload;
    if (arrival !== undefined) arrival.responseHeaders = reply.getHeaders();
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    recorder.record(request, reply.statusCode, arrivals.get(request)?.responseText ?? null, reply.elapsedTime);
    done();
  });
  return recorder;
}
