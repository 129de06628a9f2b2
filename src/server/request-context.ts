/**
 * What the server knows about a request besides Fastify's view of it: its path and raw query,
 * its tenant, and the spec operation it matched (kept beside the request, not on it).
 */
import type { FastifyRequest } from 'fastify';
import { tenantKey, type Tenant, type TenantRegistry } from './tenants.js';

const matchedOperations = new WeakMap<FastifyRequest, string>();

/** Notes the operation a request matched (requests are garbage-collected with the note). */
export function noteMatchedOperation(request: FastifyRequest, operationId: string): void {
  matchedOperations.set(request, operationId);
}

/** The operation a request matched; null for an unknown route or method. */
export function matchedOperation(request: FastifyRequest): string | null {
  return matchedOperations.get(request) ?? null;
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

const requestTenants = new WeakMap<FastifyRequest, Tenant>();

/**
 * The tenant of a request's credential, resolved once per request: the journal, the fault gate
 * and the handler all need it, and a credential that first appears mid-request must not make two
 * tenants.
 */
export function tenantOf(request: FastifyRequest, tenants: TenantRegistry): Tenant {
  let tenant = requestTenants.get(request);
  if (tenant === undefined) {
    tenant = tenants.get(tenantKey(request.headers.authorization));
    requestTenants.set(request, tenant);
  }
  return tenant;
}
