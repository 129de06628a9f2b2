/**
 * Response bodies serialized by the mock rather than by Fastify, so a list page can be assembled
 * from the JSON of its rows: each row's JSON is rendered once and reused while the row is
 * unchanged. Records are immutable (a change replaces the record), so a record's JSON never goes
 * stale.
 */

/** A JSON response body, already text: sent as is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The text of a response body: a {@link JsonText} as it is, anything else as JSON. */
export function jsonTextOf(body: unknown): string {
  return body instanceof JsonText ? body.text : JSON.stringify(body);
}

/** Rows each cache keeps per generation; about 300 bytes of JSON each. */
const DEFAULT_CAPACITY = 10_000;

/**
 * Memoizes the JSON of a pure render function by record identity. Bounded: two generations of
 * at most `capacity` rows each; when the newer is full, the older is dropped, so rows read
 * recently (a page being re-read, a walk in progress) stay and a walk through a million rows
 * costs at most twice the capacity, not a copy of the store.
 */
export function cachedJson<Row extends object>(render: (row: Row) => unknown, capacity = DEFAULT_CAPACITY): (row: Row) => string {
  let current = new Map<Row, string>();
  let previous = new Map<Row, string>();
  return (row) => {
    let text = current.get(row);
    if (text !== undefined) return text;
    text = previous.get(row) ?? JSON.stringify(render(row));
    if (current.size >= capacity) {
      previous = current;
      current = new Map();
    }
    current.set(row, text);
    return text;
  };
}
