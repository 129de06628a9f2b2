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
 * MAX_BODY_DEPTH. Recursion is safe: it stops at MAX_BODY_DEPTH, so it is never more than that
 * many calls deep, however deep the body. The path is kept as a stack of segments and formatted
 * only for a problem: building a string per node cost more than the rest of the walk.
 *
 * The order of the walk is that of the explicit stack this replaced, so a body with several
 * problems reports the same one: a node's keys are all checked before any child is entered, and
 * children are entered last first.
 */
function findProblem(root: unknown): string | undefined {
  const path: (string | number)[] = [];
  return problemAt(root, 0, path);
}

function problemAt(value: unknown, depth: number, path: (string | number)[]): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_BODY_DEPTH) {
    const text = formatPath(path);
    return `body: nested more than ${MAX_BODY_DEPTH} levels deep (at ${text.length > 120 ? `${text.slice(0, 120)}…` : text})`;
  }
  if (Array.isArray(value)) {
    for (let index = value.length - 1; index >= 0; index--) {
      const problem = childProblem(value[index], index, depth, path);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  const object = value as Record<string, unknown>;
  // One pass over the keys without collecting them (for...in over a parsed object allocates
  // nothing): most objects of a body hold only strings and numbers, and then need no second pass.
  // JSON.parse gives plain objects, so every key for...in visits is the object's own.
  let hasObjectChild = false;
  for (const key in object) {
    if (FORBIDDEN_KEYS.has(key)) return `${formatPath(path)}.${key}: this key is not allowed in a request body`;
    const child = object[key];
    if (typeof child === 'object' && child !== null) hasObjectChild = true;
  }
  if (!hasObjectChild) return undefined;
  const keys = Object.keys(object);
  // Last first, as the stack did.
  for (let index = keys.length - 1; index >= 0; index--) {
    const key = keys[index] as string;
    const problem = childProblem(object[key], key, depth, path);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** The problem of one child, entered at `segment`. */
function childProblem(child: unknown, segment: string | number, depth: number, path: (string | number)[]): string | undefined {
  // A child that is not an object cannot hold a problem: skipped without entering it (most values
  // of a body are strings).
  if (typeof child !== 'object' || child === null) return undefined;
  path.push(segment);
  const problem = problemAt(child, depth + 1, path);
  if (problem === undefined) path.pop();
  return problem;
}

/** A path as error messages write it: `body[3].status`. */
function formatPath(path: readonly (string | number)[]): string {
  let text = 'body';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
  return text;
}
