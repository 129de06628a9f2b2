import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json-body.js';

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

  it('walks deeply nested JSON without overflowing the stack', () => {
    const depth = 200_000;
    const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    let parsed: unknown;
    try {
      parsed = parseJsonBody(text);
    } catch (error) {
      // V8's JSON.parse may itself refuse this depth; what matters is a clear 400, not a crash.
      expect(error).toMatchObject({ code: 'INVALID_REQUEST_BODY' });
      return;
    }
    expect(Array.isArray(parsed)).toBe(true);
  });
});
