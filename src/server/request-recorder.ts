/**
 * Records every Export API request in the journal of its tenant (see journal.ts). Requests to the
 * mock itself are left out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_KEPT_RESPONSE_BYTES, type RawHeaders } from './journal.js';
import { notesOf, pathOf, queryOf, tenantOf } from './request-context.js';
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
 * Records every Export API request in the journal of its tenant, once the response is sent. The
 * arrival is noted on the request (onRequest), the body it was answered with is noted as it is
 * sent (`sendJson` in error-handler.ts), and the entry is written when timing is known
 * (onResponse), with the response headers as they went out.
 */
export function recordRequests(app: FastifyInstance, tenants: TenantRegistry, wallClock: () => number): Recorder {
  const write = (request: FastifyRequest, status: number, responseHeaders: RawHeaders, durationMs: number): void => {
    const notes = request.mockNotes;
    if (notes === null || !notes.journaled) return;
    notes.journaled = false;
    const { responseText } = notes;
    tenantOf(request, tenants).journal.record({
      receivedAt: notes.receivedAt,
      wallTime: notes.wallTime,
      method: request.method,
      path: pathOf(request.url),
      query: queryOf(request.url),
      headers: request.headers,
      bodyText: notes.bodyText,
      operationId: notes.operationId,
      status,
      responseText: responseText !== null && responseText.length <= MAX_KEPT_RESPONSE_BYTES ? responseText : null,
      responseHeaders,
      durationMs,
      fault: notes.fault,
    });
  };
  const recorder: Recorder = {
    record(request, status, responseText, durationMs) {
      // A reply that bypassed Fastify (dropped, cut off) has no headers worth keeping.
      if (request.mockNotes !== null) request.mockNotes.responseText = responseText;
      write(request, status, {}, durationMs);
    },
    noteFault(request, fault) {
      notesOf(request).fault = fault;
    },
  };
  app.addHook('onRequest', (request, _reply, done) => {
    if (!UNJOURNALED.test(pathOf(request.url))) {
      const notes = notesOf(request);
      notes.journaled = true;
      notes.receivedAt = tenantOf(request, tenants).clock.now();
      notes.wallTime = wallClock();
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    write(request, reply.statusCode, reply.getHeaders(), reply.elapsedTime);
    done();
  });
  return recorder;
}
