/**
 * What the server knows about a request besides Fastify's view of it: its path and raw query,
 * its tenant, the spec operation it matched, its body's text as it arrived, the text it was
 * answered with, and what the journal records of its arrival. All of it is one object per
 * request, kept on the request in a slot Fastify decorates (see {@link registerRequestNotes}):
 * a property read, where a WeakMap per note cost a lookup each time and ephemeron work for the
 * garbage collector on every request.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tenantKey, type Tenant, type TenantRegistry } from './tenants.js';

/** The notes of one request. Every field is declared here, so every notes object has one shape. */
export class RequestNotes {
  operationId: string | null = null;
  tenant: Tenant | undefined = undefined;
  bodyText: string | null = null;
  /** The body the mock answered with, as sent (see {@link noteResponseText}). */
  responseText: string | null = null;
  /** Whether the journal records this request and has not yet. */
  journaled = false;
  /** The tenant clock's time on arrival (epoch ms). */
  receivedAt = 0;
  /** Real time on arrival (epoch ms). */
  wallTime = 0;
  /** The fault injected into the request, described. */
  fault: string | null = null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** This server's notes of the request; created on first use. */
    mockNotes: RequestNotes | null;
  }
}

/** Gives every request of `app` its notes slot (null until first used), so requests keep one shape. */
export function registerRequestNotes(app: FastifyInstance): void {
  app.decorateRequest('mockNotes', null);
}

/** The notes of a request, created on first use. */
export function notesOf(request: FastifyRequest): RequestNotes {
  return (request.mockNotes ??= new RequestNotes());
}

/** Notes the operation a request matched. */
export function noteMatchedOperation(request: FastifyRequest, operationId: string): void {
  notesOf(request).operationId = operationId;
}

/** Notes the text of a request's body as it arrived (for the journal; empty bodies are none). */
export function noteBodyText(request: FastifyRequest, text: string): void {
  if (text !== '') notesOf(request).bodyText = text;
}

/** Notes the body a request is answered with (see `sendJson` in error-handler.ts). */
export function noteResponseText(request: FastifyRequest, text: string): void {
  notesOf(request).responseText = text;
}

/** The path of a URL, without its query. */
export function pathOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}

/** The raw query of a URL, without `?`. */
export function queryOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? '' : url.slice(index + 1);
}

/**
 * The tenant of a request's credential, resolved once per request: the journal, the fault gate
 * and the handler all need it, and a credential that first appears mid-request must not make two
 * tenants.
 */
export function tenantOf(request: FastifyRequest, tenants: TenantRegistry): Tenant {
  const notes = notesOf(request);
  notes.tenant ??= tenants.get(tenantKey(request.headers.authorization));
  return notes.tenant;
}
