/**
 * Request body parsing. Fastify's JSON parser reports every failure, prototype poisoning
 * included, as one opaque "not valid JSON"; ours says what was wrong. Keys that could poison an
 * object prototype are refused outright (400), since a mock must never be a way to corrupt state.
 */
import { MockError } from '../core/errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deepest nesting a body may have. The API's own bodies are a few levels deep (a fixture document
 * about five); a body nested thousands of levels deep is an attack on every recursive step after
 * parsing (validation, error messages, the journal), so it is refused here, once.
 */
export const MAX_BODY_DEPTH = 64;

/**
 * A body that could not be used, kept as the request's body until its route knows the operation
 * (a wrong path or method answers 404 or 405 first, whatever the body).
 */
export class DeferredBodyError {
  constructor(readonly error: MockError) {}
}

/** Parses a JSON request body; throws INVALID_REQUEST_BODY naming the problem. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new MockError('INVALID_REQUEST_BODY', 'body: Content-Type is application/json but the body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MockError('INVALID_REQUEST_BODY', `body: not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
  }
  const problem = findProblem(value);
  if (problem !== undefined) throw new MockError('INVALID_REQUEST_BODY', problem);
  return value;
}

/**
 * The first problem of a parsed body: a forbidden key (named by its path) or nesting deeper than
 * MAX_BODY_DEPTH. Walks iteratively, so deep nesting cannot overflow the stack here.
 */
function findProblem(root: unknown): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: 'body', depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path, depth } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return `body: nested more than ${MAX_BODY_DEPTH} levels deep (at ${path.length > 120 ? `${path.slice(0, 120)}…` : path})`;
    if (Array.isArray(value)) {
      value.forEach((entry: unknown, index) => stack.push({ value: entry, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const [key, entry] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${path}.${key}: this key is not allowed in a request body`;
      stack.push({ value: entry, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}
