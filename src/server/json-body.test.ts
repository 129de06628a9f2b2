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
