/**
 * What the server knows about a request besides Fastify's view of it: its path and raw query,
 * its tenant, the spec operation it matched and its body's text (noted beside the request, not
 * on it, and garbage-collected with it).
 */
import type { FastifyRequest } from 'fastify';
import { tenantKey, type Tenant, type TenantRegistry } from './tenants.js';

interface RequestNotes {
  operationId: string | null;
  tenant: Tenant | undefined;
  bodyText: string | null;
}

const requestNotes = new WeakMap<FastifyRequest, RequestNotes>();

function notesOf(request: FastifyRequest): RequestNotes {
  let notes = requestNotes.get(request);
  if (notes === undefined) {
    notes = { operationId: null, tenant: undefined, bodyText: null };
    requestNotes.set(request, notes);
  }
  return notes;
}

/** Notes the operation a request matched. */
export function noteMatchedOperation(request: FastifyRequest, operationId: string): void {
  notesOf(request).operationId = operationId;
}

/** The operation a request matched; null for an unknown route or method. */
export function matchedOperation(request: FastifyRequest): string | null {
  return requestNotes.get(request)?.operationId ?? null;
}

/** Notes the text of a request's body as it arrived (for the journal; empty bodies are none). */
export function noteBodyText(request: FastifyRequest, text: string): void {
  if (text !== '') notesOf(request).bodyText = text;
}

/** The text of a request's body as it arrived; null without one. */
export function bodyTextOf(request: FastifyRequest): string | null {
  return requestNotes.get(request)?.bodyText ?? null;
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
