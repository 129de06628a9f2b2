/**
 * Request body parsing. Fastify's JSON parser reports every failure, prototype poisoning
 * included, as one opaque "not valid JSON"; ours says what was wrong. Keys that could poison an
 * object prototype are refused outright (400), since a mock must never be a way to corrupt state.
 */
import { MockError } from '../core/errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses a JSON request body; throws INVALID_REQUEST_BODY naming the problem. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new MockError('INVALID_REQUEST_BODY', 'body: Content-Type is application/json but the body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MockError('INVALID_REQUEST_BODY', `body: not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
  }
  const forbidden = findForbiddenKey(value);
  if (forbidden !== undefined) throw new MockError('INVALID_REQUEST_BODY', `${forbidden}: this key is not allowed in a request body`);
  return value;
}

/** The path of the first forbidden key, walking iteratively so deep nesting cannot overflow the stack. */
function findForbiddenKey(root: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: 'body' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((entry: unknown, index) => stack.push({ value: entry, path: `${path}[${index}]` }));
      continue;
    }
    for (const [key, entry] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${path}.${key}`;
      stack.push({ value: entry, path: `${path}.${key}` });
    }
  }
  return undefined;
}
