import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_DEPTH, parseJsonBody } from './json-body.js';

describe('JSON request bodies', () => {
  it('parses JSON', () => {
    expect(parseJsonBody('[{"a":1}]')).toEqual([{ a: 1 }]);
  });

  it.each([
    ['an empty body', '  ', /body: Content-Type is application\/json but the body is empty/],
    ['malformed JSON', '{bad', /body: not valid JSON/],
    ['a __proto__ key, naming where', '[{"x":{"__proto__":{"polluted":true}}}]', /body\[0\]\.x\.__proto__: this key is not allowed/],
    ['a constructor key', '{"constructor":{"prototype":{}}}', /body\.constructor: this key is not allowed/],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parseJsonBody(text)).toThrow(message);
  });

  it('names the same problem as a walk with an explicit stack when a body has several', () => {
    // Keys of a node are checked before its children; children are visited last first.
    expect(() => parseJsonBody('[{"__proto__":1},{"constructor":1}]')).toThrow(/^body\[1\]\.constructor: /);
    expect(() => parseJsonBody('{"a":{"__proto__":1},"prototype":1}')).toThrow(/^body\.prototype: /);
    expect(() => parseJsonBody('{"a":{"__proto__":1},"b":{"constructor":1}}')).toThrow(/^body\.b\.constructor: /);
    expect(() => parseJsonBody(`[${'['.repeat(70)}${']'.repeat(70)},{"x":{"__proto__":1}}]`)).toThrow(/^body\[1\]\.x\.__proto__: /);
  });

  it('gives the message the path-per-node walk it replaced gives, for any body', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        let message: string | undefined;
        try {
          parseJsonBody(text);
        } catch (error) {
          message = error instanceof Error ? error.message : String(error);
        }
        expect(message).toBe(referenceProblem(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses deeply nested JSON with a 400 naming the limit, without overflowing the stack', () => {
    const depth = 200_000;
    expect(() => parseJsonBody(`${'['.repeat(depth)}${']'.repeat(depth)}`)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST_BODY', message: expect.stringMatching(/nested more than 64 levels deep/) as unknown }) as Error);
  });

  it('accepts nesting up to the limit', () => {
    const depth = MAX_BODY_DEPTH;
    expect(() => parseJsonBody(`${'['.repeat(depth)}${']'.repeat(depth)}`)).not.toThrow();
    expect(() => parseJsonBody(`${'['.repeat(depth + 1)}${']'.repeat(depth + 1)}`)).toThrow(/nested more than/);
  });
});

/** The walk json-body.ts used to do, building every node's path string: the reference for its messages. */
function referenceProblem(root: unknown): string | undefined {
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
      if (['__proto__', 'constructor', 'prototype'].includes(key)) return `${path}.${key}: this key is not allowed in a request body`;
      stack.push({ value: entry, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * JSON texts written by hand (so `__proto__` is an ordinary key, as in a request), some with
 * forbidden keys, some wrapped deep enough to pass the depth limit, often both.
 */
const PLAIN_KEYS = ['a', 'status', 'x y', ''];
// Forbidden keys rarely, so that objects often have several children with problems, and their order matters.
const objectKey = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PLAIN_KEYS) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype') });
const jsonNode: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', 'null', '"s"', 'true'),
    fc.array(tie('node'), { maxLength: 4 }).map((entries) => `[${entries.join(',')}]`),
    fc.array(fc.tuple(objectKey, tie('node')), { maxLength: 4 }).map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
  ),
})).node;
// A wrapper around the node: an object key, or 0 for an array.
const wrapper = fc.constantFrom(...PLAIN_KEYS, 0);
const jsonText: fc.Arbitrary<string> = fc
  .tuple(jsonNode, fc.oneof(fc.array(wrapper, { maxLength: 4 }), fc.array(wrapper, { minLength: MAX_BODY_DEPTH - 4, maxLength: MAX_BODY_DEPTH + 2 })))
  .map(([node, wrappers]) => wrappers.reduce<string>((inner, outer) => (outer === 0 ? `[1,${inner}]` : `{${JSON.stringify(outer)}:${inner}}`), node));
