import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cachedJson, dataResponse, flatText, JsonText, jsonNullableString, jsonString, jsonTextOf } from './json-text.js';

interface Row {
  readonly id: number;
  readonly name: string;
}

function counting() {
  const calls: number[] = [];
  const render = (row: Row) => {
    calls.push(row.id);
    return { id: row.id, label: `${row.name}!` };
  };
  return { calls, render };
}

describe('cachedJson', () => {
  it('gives the JSON of the render, rendering each record once while it is cached', () => {
    const { calls, render } = counting();
    const json = cachedJson(render);
    const row = { id: 1, name: 'a' };
    expect(json(row)).toBe(JSON.stringify({ id: 1, label: 'a!' }));
    expect(json(row)).toBe(json(row));
    expect(calls).toEqual([1]);
  });

  it('keys by identity: a replaced record is rendered anew', () => {
    const { calls, render } = counting();
    const json = cachedJson(render);
    const before = { id: 1, name: 'a' };
    json(before);
    expect(json({ ...before, name: 'b' })).toBe(JSON.stringify({ id: 1, label: 'b!' }));
    expect(calls).toEqual([1, 1]);
  });

  it('is bounded: past two generations a record is rendered again, recent ones are not', () => {
    const { calls, render } = counting();
    const json = cachedJson(render, 2);
    const rows = Array.from({ length: 6 }, (_, id) => ({ id, name: String(id) }));
    for (const row of rows) json(row);
    json(rows[5] as Row);
    json(rows[4] as Row);
    json(rows[0] as Row);
    expect(calls).toEqual([0, 1, 2, 3, 4, 5, 0]);
  });
});

describe('dataResponse', () => {
  it('is the JSON of {data, ...fields}, rows taken as already serialized', () => {
    const rows = [{ a: 1 }, { b: 'x"y' }];
    const cases: Record<string, unknown>[] = [{ pagination: { total: 2, cursors: [null] } }, { errors: [] }, {}, { one: 1, two: [2] }];
    for (const fields of cases) {
      for (const data of [rows, []]) {
        const text = dataResponse(data.map((row) => JSON.stringify(row)), JSON.stringify(fields)).text;
        expect(JSON.parse(text)).toEqual({ data, ...fields });
        expect(text).toBe(JSON.stringify({ data, ...fields }));
      }
    }
  });
});

describe('jsonTextOf', () => {
  it('sends JsonText as it is and anything else as JSON', () => {
    expect(jsonTextOf(new JsonText('{"a":1}'))).toBe('{"a":1}');
    expect(jsonTextOf({ a: [1, null] })).toBe('{"a":[1,null]}');
  });
});

describe('jsonString and flatText', () => {
  it('jsonString writes any string exactly as JSON.stringify does', () => {
    const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('"', '\\', '\u007f', '\u2028', '\ud83d', '\udead', '\ud83d\ude00'));
    fc.assert(
      fc.property(anyText, (text) => {
        expect(jsonString(text)).toBe(JSON.stringify(text));
        expect(jsonNullableString(text)).toBe(JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
    expect(jsonNullableString(null)).toBe('null');
  });

  it('flatText gives the same text for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const json = JSON.stringify({ value, text });
        expect(flatText(json)).toBe(json);
      }),
    );
  });
});
