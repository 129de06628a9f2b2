/**
 * What the server knows about a request besides Fastify's view of it: its path and raw query,
 * its headers flattened, and the spec operation it matched (kept beside the request, not on it).
 */
import type { FastifyRequest } from 'fastify';

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


/** Headers as single strings (the journal's shape). */
export function flatHeaders(headers: Readonly<Record<string, string | number | readonly string[] | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = typeof value === 'object' ? value.join(', ') : String(value);
  return result;
}
