/**
 * Response bodies serialized by the mock rather than by Fastify, so a list page can be assembled
 * from the JSON of its rows: each row's JSON is rendered once and reused while the row is
 * unchanged. Records are immutable (a change replaces the record), so a record's JSON never goes
 * stale.
 */
import { GenerationalCache } from '../core/identity-cache.js';

/** A JSON response body, already text: sent as is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The text of a response body: a {@link JsonText} as it is, anything else as JSON. */
export function jsonTextOf(body: unknown): string {
  return body instanceof JsonText ? body.text : JSON.stringify(body);
}

/**
 * A response `{"data": [rows...], ...fields}` from rows already serialized and the JSON of the
 * other fields (`fieldsJson`, an object: e.g. `{"pagination":{...}}`, `{"errors":[]}`).
 *
 * Built by one `join` of every piece, so the body is one flat string from the start. Joined
 * rows inside a template literal made a rope, which Fastify (measuring its length) and then the
 * socket each flattened again: two more copies of the whole body per response, 10 µs of CPU per
 * page of 100 rows.
 */
export function dataResponse(rowsJson: readonly string[], fieldsJson: string): JsonText {
  const pieces: string[] = ['{"data":['];
  rowsJson.forEach((row, index) => {
    if (index > 0) pieces.push(',');
    pieces.push(row);
  });
  pieces.push(fieldsJson === '{}' ? ']}' : `],${fieldsJson.slice(1)}`);
  return new JsonText(pieces.join(''));
}

/** Rows each cache keeps per generation; about 300 bytes of JSON each. */
const DEFAULT_CAPACITY = 4096;

/**
 * Memoizes the JSON of a pure render function by record identity (see GenerationalCache). The
 * JSON is kept flat (see {@link flatText}).
 */
export function cachedJson<Row extends object>(render: (row: Row) => unknown, capacity = DEFAULT_CAPACITY): (row: Row) => string {
  return cachedText((row: Row) => flatText(JSON.stringify(render(row))), capacity);
}

/** Memoizes a serializer that writes a record's JSON itself (flat text, like {@link cachedJson}'s). */
export function cachedText<Row extends object>(serialize: (row: Row) => string, capacity = DEFAULT_CAPACITY): (row: Row) => string {
  const cache = new GenerationalCache<Row, string>(capacity);
  return (row) => cache.get(row, serialize);
}

/**
 * The same text as one contiguous string. V8's JSON.stringify returns anything longer than a few
 * dozen characters as a rope (a tree of the pieces it wrote); a page joins its cached rows on
 * every read, and joining ropes costs more than copying flat strings: a page of 100 cost about
 * 5 µs less of CPU with its rows flattened once, when cached. A round trip through UTF-8 bytes is
 * the plain way to get a flat copy, and loses nothing for JSON text, which never holds a lone
 * surrogate (JSON.stringify escapes those).
 */
export function flatText(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Characters JSON.stringify writes escaped in a string: `"`, `\\`, controls, and surrogates (a lone one is escaped). */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A JSON string literal, exactly as JSON.stringify writes it. Most values (ids, enums, instants,
 * references) need no escaping and are quoted as they are; any other goes through JSON.stringify,
 * so a pair of surrogates and a lone one are each written as JSON.stringify does.
 */
export function jsonString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** A number as JSON.stringify writes it (`null` for NaN and the infinities). */
export function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** An array of strings as JSON.stringify writes it. */
export function jsonStringArray(values: readonly string[]): string {
  return values.length === 0 ? '[]' : `[${values.map(jsonString).join(',')}]`;
}

/** {@link jsonString}, or `null`. */
export function jsonNullableString(value: string | null): string {
  return value === null ? 'null' : jsonString(value);
}
