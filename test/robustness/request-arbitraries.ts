/**
 * fast-check arbitraries of HTTP requests, derived from an OpenAPI document: the operations
 * (path template, parameters, body schema) come from the spec, never from a hand-written list,
 * so an operation added to `openapi/` is fuzzed without touching the tests.
 *
 * Every part of a request (path parameters, query, headers, body) is drawn either valid-looking
 * (from the schema, with ids that exist in the mock's state) or malformed, so most requests fail
 * at one part while the others are well formed, and some are wholly valid and reach the handlers.
 *
 * Paths and queries are built as raw wire text (percent-encoded here), because undici parses the
 * URL with WHATWG rules: dot segments would be resolved and `#` would start a fragment, so those
 * are never produced, and everything else reaches the server byte for byte.
 */
import fc from 'fast-check';
import type { OpenAPIV3 } from 'openapi-types';

/** One operation of a spec, as the fuzzer needs it. */
export interface FuzzOperation {
  readonly operationId: string;
  readonly method: string;
  /** The path template, e.g. `/v3/export-jobs/{jobId}/items`. */
  readonly path: string;
  readonly pathParameters: readonly FuzzParameter[];
  readonly queryParameters: readonly FuzzParameter[];
  /** The JSON body schema, when the operation takes a body. */
  readonly body: OpenAPIV3.SchemaObject | undefined;
}

/** A parameter with its schema resolved. */
export interface FuzzParameter {
  readonly name: string;
  readonly required: boolean;
  readonly schema: OpenAPIV3.SchemaObject;
}

/** One generated request. */
export interface FuzzRequest {
  readonly method: string;
  /** Path and query, as sent on the wire. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body; undefined sends none. */
  readonly body: string | undefined;
}

/** Ids that exist in the fuzzed mock's state, so valid-looking requests reach the handlers. */
export interface KnownIds {
  readonly jobIds: readonly string[];
  readonly companyIds: readonly string[];
  readonly accountingEntryIds: readonly string[];
  /** Export API operationIds (the admin API's fault rules name them). */
  readonly operationIds: readonly string[];
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head']);

/** Every operation of a document, with `$ref`s resolved. */
export function operationsOf(document: OpenAPIV3.Document): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (item === undefined) continue;
    for (const [method, value] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || typeof value !== 'object' || Array.isArray(value)) continue;
      const operation: OpenAPIV3.OperationObject = value;
      if (operation.operationId === undefined) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter) => resolve<OpenAPIV3.ParameterObject>(document, parameter));
      const toFuzz = (where: string): FuzzParameter[] =>
        parameters
          .filter((parameter) => parameter.in === where)
          .map((parameter) => ({ name: parameter.name, required: parameter.required === true, schema: resolve<OpenAPIV3.SchemaObject>(document, parameter.schema ?? {}) }));
      const requestBody = operation.requestBody === undefined ? undefined : resolve<OpenAPIV3.RequestBodyObject>(document, operation.requestBody);
      const media = requestBody === undefined ? undefined : (requestBody.content['application/json'] ?? Object.values(requestBody.content)[0]);
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        pathParameters: toFuzz('path'),
        queryParameters: toFuzz('query'),
        body: media?.schema === undefined ? undefined : deref(document, media.schema),
      });
    }
  }
  return operations;
}

function resolve<T>(document: OpenAPIV3.Document, value: T | OpenAPIV3.ReferenceObject): T {
  if (typeof value !== 'object' || value === null || !('$ref' in value)) return value;
  let current: unknown = document;
  for (const segment of value.$ref.replace(/^#\//, '').split('/')) {
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[segment] : undefined;
  }
  if (current === undefined) throw new Error(`cannot resolve ${value.$ref}`);
  return resolve(document, current as T | OpenAPIV3.ReferenceObject);
}

/** A schema with every `$ref` inside it resolved (the specs have no recursive schemas). */
function deref(document: OpenAPIV3.Document, schema: OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject, depth = 0): OpenAPIV3.SchemaObject {
  if (depth > 20) throw new Error('schema nests too deeply (a recursive $ref?)');
  const resolved = resolve<OpenAPIV3.SchemaObject>(document, schema);
  const copy: Record<string, unknown> = { ...resolved };
  if (resolved.properties !== undefined) {
    copy.properties = Object.fromEntries(Object.entries(resolved.properties).map(([name, child]) => [name, deref(document, child, depth + 1)]));
  }
  if ('items' in resolved) copy.items = deref(document, resolved.items, depth + 1);
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Values from a schema.

/** A value that is valid-looking for a schema, built from a small generator (uuids come from the state). */
export function valueFor(schema: OpenAPIV3.SchemaObject, ids: KnownIds, hint = ''): fc.Arbitrary<unknown> {
  const plain = plainValueFor(schema, ids, hint);
  return schema.nullable === true ? fc.oneof({ arbitrary: plain, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : plain;
}

function plainValueFor(schema: OpenAPIV3.SchemaObject, ids: KnownIds, hint: string): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined) {
    const values = schema.enum.filter((value: unknown) => value !== null);
    return values.length === 0 ? fc.constant(null) : fc.constantFrom(...(values as unknown[]));
  }
  switch (schema.type) {
    case 'string':
      return stringFor(schema, ids, hint);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 150, (schema.minimum ?? 0) + 150) });
    case 'number':
      return fc.oneof(
        fc.double({ min: schema.minimum ?? -1e3, max: 1e5, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(0, 1, 59.5, 3600, 86_400 * 365),
        // Within the schema (it sets no maximum), yet far past what a clock or a Date can hold.
        fc.constantFrom(1e13, 1e15, 1e300, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER),
      );
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = 'items' in schema ? schema.items : {};
      const max = Math.min(schema.maxItems ?? 4, 4);
      return fc.array(valueFor(items as OpenAPIV3.SchemaObject, ids, hint), { minLength: Math.min(schema.minItems ?? 0, max), maxLength: Math.max(max, schema.minItems ?? 0) });
    }
    case 'object':
    case undefined: {
      const properties = schema.properties;
      if (properties === undefined) return schema.type === 'object' ? fc.dictionary(fc.string({ maxLength: 8 }), smallJson, { maxKeys: 3 }) : smallJson;
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, child] of Object.entries(properties)) model[name] = valueFor(child as OpenAPIV3.SchemaObject, ids, name);
      if (schema.minProperties === undefined && schema.maxProperties === undefined) {
        return fc.record(model, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
      }
      // minProperties/maxProperties (MoveClock: exactly one of two fields): choose the keys first.
      const keys = Object.keys(properties);
      return fc
        .subarray(keys, { minLength: Math.min(schema.minProperties ?? 0, keys.length), maxLength: Math.min(schema.maxProperties ?? keys.length, keys.length) })
        .chain((chosen) => fc.record(Object.fromEntries(chosen.map((key) => [key, model[key] ?? smallJson]))));
    }
  }
}

function stringFor(schema: OpenAPIV3.SchemaObject, ids: KnownIds, hint: string): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return uuidFor(ids, hint);
  if (schema.format === 'date-time') return dateTime;
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern), { size: 'small' });
  if (/operationId/i.test(hint)) return fc.constantFrom('*', ...ids.operationIds);
  return fc.string({ maxLength: 24 });
}

/** A uuid: mostly one the state has (of the kind the field's name suggests), sometimes any. */
export function uuidFor(ids: KnownIds, hint: string): fc.Arbitrary<string> {
  const pool = /company/i.test(hint) ? ids.companyIds : /entry|accounting/i.test(hint) ? ids.accountingEntryIds : /job/i.test(hint) ? ids.jobIds : [...ids.jobIds, ...ids.companyIds, ...ids.accountingEntryIds];
  const known = pool.length === 0 ? fc.uuid() : fc.constantFrom(...pool);
  return fc.oneof({ arbitrary: known, weight: 4 }, { arbitrary: known.map((id) => id.toUpperCase()), weight: 1 }, { arbitrary: fc.uuid(), weight: 2 });
}

const dateTime: fc.Arbitrary<string> = fc.oneof(
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('2026-01-05T09:00:00Z', '2026-01-05T10:00:00+02:00', '2026-01-05t09:00:00z', '1970-01-01T00:00:00Z'),
);

const smallJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });

// ---------------------------------------------------------------------------------------------
// Malformed values.

/** Text that is not what a parameter expects: near-uuids, bad numbers and enums, encodings. */
const malformedScalar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', ' ', '-1', '-0', '1.5', '1e3', '0x10', '+5', 'NaN', 'Infinity', '-Infinity', '99999999999999999999', '9007199254740993', '2147483648',
    'null', 'undefined', 'true', 'false', '[]', '{}', 'done', 'PENDING', 'Pending', 'pending ', 'ASC', 'DESC_NULLS_SIDEWAYS',
    'AAAA', 'abc!', '====', '~', '~~~~', 'A', 'MFRGG', 'A=B=C', 'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ', '2', '7',
  ),
  fc.uuid().chain((id) => nearUuid(id)),
  fc.string({ maxLength: 30, unit: 'grapheme' }),
  fc.string({ maxLength: 30, unit: 'binary' }),
  fc.integer({ min: -3, max: 3 }).map((n) => 'x'.repeat(2000 * (n + 4))),
);

/** A uuid broken in one of the ways clients break them. */
function nearUuid(id: string): fc.Arbitrary<string> {
  return fc.constantFrom(
    id.slice(1),
    `${id}0`,
    id.replaceAll('-', ''),
    `{${id}}`,
    ` ${id}`,
    `${id} `,
    id.replace(/[0-9a-f]/, 'g'),
    id.slice(0, 8),
    `${id.slice(0, 35)}-`,
    `urn:uuid:${id}`,
    id.replaceAll('-', '_'),
    id.toUpperCase().replace('-', '\u2010'),
  );
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes text for a URL, leaving nothing the WHATWG parser would change. */
function encode(text: string): string {
  // encodeURIComponent throws on lone surrogates; those go out as the replacement character.
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd')).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Raw (already encoded) wire fragments, some of them deliberately invalid percent-encoding. */
const rawEncoded: fc.Arbitrary<string> = fc.constantFrom(
  '%zz', '%', '%2', '%G0', '%00', '%0A', '%0D%0A', '%2F', '%252F', '%5C', '%E2%82', '%C0%AF', '%FF%FE', '%F0%9F%98', '%EF%BF%BD', '%2e%2e%2F', '..%2F', 'a%20b', '%3F', '%23', '%26',
);

// ---------------------------------------------------------------------------------------------
// Paths.

/** The value of one path parameter, as wire text (already encoded). */
function pathValue(parameter: FuzzParameter, ids: KnownIds): fc.Arbitrary<string> {
  const valid = stringFor(parameter.schema, ids, parameter.name).map(encode);
  const malformed = fc.oneof(
    malformedScalar.map(encode),
    rawEncoded,
    fc.tuple(rawEncoded, uuidFor(ids, parameter.name)).map(([raw, id]) => `${id}${raw}`),
    uuidFor(ids, parameter.name).map((id) => encode(id).replaceAll('-', '%2D')),
    fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }).map(encode),
    fc.constantFrom('x'.repeat(5000), '0'.repeat(100_000 / 10), 'a'.repeat(200)),
  );
  // Dot segments would be resolved by the client's URL parser before they reach the server.
  return fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: malformed, weight: 2 }).filter((value) => !/^(\.|%2e){1,2}$/i.test(value));
}

/** The path of an operation with each parameter filled in, sometimes bent out of shape. */
function pathFor(operation: FuzzOperation, ids: KnownIds): fc.Arbitrary<string> {
  const values = fc.tuple(...operation.pathParameters.map((parameter) => pathValue(parameter, ids)));
  const shape = fc.oneof(
    { arbitrary: fc.constant('exact'), weight: 12 },
    { arbitrary: fc.constantFrom('trailing-slash', 'double-slash', 'upper-case', 'extra-segment', 'other-version', 'encoded-slash'), weight: 3 },
  );
  return fc.tuple(values, shape).map(([filled, how]) => {
    let index = 0;
    const path = operation.path.replace(/\{[^}]+\}/g, () => filled[index++] ?? '');
    switch (how) {
      case 'trailing-slash':
        return `${path}/`;
      case 'double-slash':
        return path.replace('/', '//');
      case 'upper-case':
        return path.toUpperCase();
      case 'extra-segment':
        return `${path}/extra`;
      case 'other-version':
        return path.replace(/^\/v\d/, '/v9').replace(/^\/__admin/, '/__admin2');
      case 'encoded-slash':
        return path.replace(/\/([^/]*)$/, '%2F$1');
      default:
        return path;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Queries.

type QueryPart = readonly [name: string, value: string] | string;

/** One `name=value` for a declared parameter, valid-looking for its schema (arrays repeat the name). */
function validQueryParts(parameter: FuzzParameter, ids: KnownIds): fc.Arbitrary<QueryPart[]> {
  return valueFor(parameter.schema, ids, parameter.name).map((value) => {
    const values = Array.isArray(value) ? value : [value];
    return values.map((entry: unknown): QueryPart => [parameter.name, typeof entry === 'string' ? entry : JSON.stringify(entry)]);
  });
}

function queryFor(operation: FuzzOperation, ids: KnownIds): fc.Arbitrary<string> {
  const names = operation.queryParameters.map((parameter) => parameter.name);
  const known = operation.queryParameters.length === 0 ? fc.constant<QueryPart[]>([]) : fc.oneof(...operation.queryParameters.map((parameter) => validQueryParts(parameter, ids)));
  const knownName = names.length === 0 ? fc.constant('limit') : fc.constantFrom(...names);
  const part: fc.Arbitrary<QueryPart[]> = fc.oneof(
    { arbitrary: known, weight: 6 },
    // A declared name with a malformed value.
    { arbitrary: fc.tuple(knownName, malformedScalar).map(([name, value]): QueryPart[] => [[name, value]]), weight: 3 },
    // Unknown names: misspellings of declared ones, other casings, nonsense.
    { arbitrary: fc.tuple(fc.oneof(fc.constantFrom('companyId', 'jobId', 'status', 'Limit', 'page', 'sort', 'q', 'cursor', '__proto__', 'constructor', 'hasOwnProperty', 'toString'), knownName.map((name) => `${name}_`), fc.string({ maxLength: 10 })), fc.string({ maxLength: 10 })).map(([name, value]): QueryPart[] => [[name, value]]), weight: 2 },
    // Array spellings a client might use instead of repetition.
    { arbitrary: fc.tuple(knownName, fc.constantFrom('[]', '[0]', '[a]', '.x'), fc.string({ maxLength: 8 })).map(([name, suffix, value]): QueryPart[] => [[`${name}${suffix}`, value]]), weight: 1 },
    // Comma-joined lists, and the same parameter repeated with different values.
    { arbitrary: fc.tuple(knownName, fc.array(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 3 })).map(([name, values]): QueryPart[] => [[name, values.join(',')]]), weight: 1 },
    { arbitrary: fc.tuple(knownName, malformedScalar, malformedScalar).map(([name, a, b]): QueryPart[] => [[name, a], [name, b]]), weight: 1 },
    // Raw fragments: invalid escapes, bare names, empty pairs, `=` in values.
    { arbitrary: fc.oneof(rawEncoded, fc.constantFrom('', '&', '=', '==', 'limit', 'limit=', '=5', 'limit=1=2', 'before=A&after=A', 'after=AAAA&offset=1', 'before=A&offset=0', 'a[b][c]=1', '__proto__[polluted]=1', 'constructor[prototype][polluted]=1')).map((raw): QueryPart[] => [raw]), weight: 2 },
  );
  // A baseline with every required parameter well formed, so operations with required queries get through.
  const required = operation.queryParameters.filter((parameter) => parameter.required);
  const baseline = fc.tuple(...required.map((parameter) => validQueryParts(parameter, ids))).map((parts) => parts.flat());
  const parts = fc.oneof(
    { arbitrary: baseline, weight: 3 },
    { arbitrary: fc.tuple(baseline, fc.array(part, { minLength: 1, maxLength: 4 })).map(([base, more]) => [...base, ...more.flat()]), weight: 3 },
    { arbitrary: fc.array(part, { maxLength: 5 }).map((more) => more.flat()), weight: 2 },
  );
  return parts.map((flat) => {
    if (flat.length === 0) return '';
    return `?${flat.map((entry) => (typeof entry === 'string' ? entry : `${encode(entry[0])}=${encode(entry[1])}`)).join('&')}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Headers.

const printable = fc.string({ maxLength: 40, unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)) });

/** Authorization values: well-formed ones of a few tenants, and every kind of malformed one. */
const authorization: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 4 },
  { arbitrary: fc.constantFrom('fuzz-a', 'fuzz-b', 'fuzz-c').map((token) => `Bearer ${token}`), weight: 3 },
  { arbitrary: fc.constantFrom('fuzz-a', 'key-1').map((key) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`), weight: 1 },
  {
    arbitrary: fc.oneof(
      fc.constantFrom('Bearer', 'Bearer ', 'bearer fuzz-a', 'BEARER fuzz-a', 'Basic', 'Basic !!!', 'Basic =', `Basic ${Buffer.from('nocolon').toString('base64')}`, `Basic ${Buffer.from(':nouser').toString('base64')}`, 'Digest username="x"', 'Token abc', 'Bearer a b c', 'null', '__proto__', 'Bearer __proto__', 'Bearer constructor', 'Bearer hasOwnProperty'),
      printable,
      printable.map((text) => `Bearer ${text}`),
      fc.constant(`Bearer ${'t'.repeat(8000)}`),
    ),
    weight: 2,
  },
);

/** Content types: JSON spelled every way, and things that are not JSON. */
const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json;charset=UTF-8', 'application/json; charset=utf-8'), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      undefined, '', 'APPLICATION/JSON', 'Application/Json; Charset=UTF-8', 'application/json;charset=latin1', 'application/json;charset=utf-16', 'application/json; foo=bar',
      'application/json;;', 'text/plain', 'text/json', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp',
      'application/vnd.api+json', 'application/problem+json', 'application/octet-stream', '*/*', ';', 'json', 'application/', '/json',
    ),
    weight: 3,
  },
  { arbitrary: printable, weight: 1 },
);

/** Other headers a client may send; none of the ones the mock treats specially (x-mock-fault). */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('accept', 'accept-encoding', 'content-encoding', 'x-request-id', 'x-fuzz-a', 'x-forwarded-for', 'if-none-match', 'range', 'origin', 'cookie'),
  fc.oneof(printable, fc.constantFrom('gzip', 'br', 'application/xml', 'bytes=0-1', '*/*', 'text/html;q=0.9')),
  { maxKeys: 2 },
);

// ---------------------------------------------------------------------------------------------
// Bodies.

/** Replaces the value at a random place inside a valid-looking value. */
function mutated(value: unknown, replacement: unknown, choice: number): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0) return [replacement];
    const index = choice % value.length;
    return value.map((entry: unknown, i) => (i === index ? mutated(entry, replacement, Math.floor(choice / value.length)) : entry));
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (keys.length === 0 || choice % 4 === 0) return { ...value, [['extra', 'id', 'status', ''][choice % 4] ?? 'extra']: replacement };
    const key = keys[choice % keys.length] ?? '';
    return { ...value, [key]: choice % 3 === 0 ? replacement : mutated((value as Record<string, unknown>)[key], replacement, Math.floor(choice / keys.length)) };
  }
  return replacement;
}

function bodyFor(operation: FuzzOperation, ids: KnownIds): fc.Arbitrary<string | undefined> {
  const schema = operation.body ?? { type: 'object' };
  const valid = valueFor(schema, ids).map((value) => JSON.stringify(value));
  const malformed = fc.oneof(
    fc.tuple(valueFor(schema, ids), smallJson, fc.nat()).map(([value, replacement, choice]) => JSON.stringify(mutated(value, replacement, choice))),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    fc.constantFrom('', ' ', '\n', 'null', '[]', '{}', '""', '0', 'true', '{', '[1,', '{"a":}', "{'a':1}", 'NaN', 'undefined', '<xml/>', 'a=b&c=d', '\ufeff[]', '[]garbage', '{"a":1}{"a":2}', '{"a":1,"a":2}', '[1e999]', '"\\ud800"'),
    fc.string({ maxLength: 60, unit: 'grapheme' }),
    // Keys that could poison a prototype, at the top and one level down.
    fc.constantFrom('{"__proto__":{"polluted":"yes"}}', '[{"constructor":{"prototype":{"polluted":"yes"}}}]', '{"a":{"prototype":{"polluted":"yes"}}}'),
    // One item past the 100-item cap, valid otherwise.
    schema.type === 'array' ? fc.array(valueFor(('items' in schema ? schema.items : {}) as OpenAPIV3.SchemaObject, ids), { minLength: 101, maxLength: 101 }).map((value) => JSON.stringify(value)) : fc.constant('[]'),
  );
  const withBody = operation.body !== undefined;
  return fc.oneof(
    { arbitrary: withBody ? valid : fc.constant(undefined), weight: 5 },
    { arbitrary: malformed, weight: 3 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

// ---------------------------------------------------------------------------------------------
// Whole requests.

/** Requests aimed at one operation: mostly its method, sometimes another (405). */
export function requestFor(operation: FuzzOperation, ids: KnownIds): fc.Arbitrary<FuzzRequest> {
  // HEAD is left out: its response has no body, which the response validator reads as a spec break.
  const method = fc.oneof({ arbitrary: fc.constant(operation.method), weight: 9 }, { arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), weight: 1 });
  const mixed = fc.record({ method, path: pathFor(operation, ids), query: queryFor(operation, ids), authorization, contentType, extra: extraHeaders, body: bodyFor(operation, ids) });
  // Wholly valid-looking requests, so that every operation's handler (not only validation) is fuzzed.
  const valid = fc.record({
    method: fc.constant(operation.method),
    path: validPathFor(operation, ids),
    query: validQueryFor(operation, ids),
    authorization: fc.constantFrom(undefined, 'Bearer fuzz-a', 'Bearer fuzz-b'),
    contentType: operation.body === undefined ? fc.constant(undefined) : fc.constantFrom('application/json', 'application/json;charset=UTF-8'),
    extra: fc.constant({}),
    body: operation.body === undefined ? fc.constant(undefined) : valueFor(operation.body, ids).map((value) => JSON.stringify(value)),
  });
  return fc
    .oneof({ arbitrary: valid, weight: 1 }, { arbitrary: mixed, weight: 3 })
    .map(({ method: chosen, path, query, authorization: auth, contentType: type, extra, body }): FuzzRequest => {
      const headers: Record<string, string> = { ...extra };
      if (auth !== undefined) headers.authorization = auth;
      if (type !== undefined) headers['content-type'] = type;
      return { method: chosen, url: `${path}${query}`, headers, body };
    })
    // Node refuses a request head over 16 KiB before the mock sees it; hostile.test.ts covers that.
    .filter((request) => request.url.length + Object.values(request.headers).reduce((sum, value) => sum + value.length, 0) < 12_000);
}

function validPathFor(operation: FuzzOperation, ids: KnownIds): fc.Arbitrary<string> {
  const values = fc.tuple(...operation.pathParameters.map((parameter) => stringFor(parameter.schema, ids, parameter.name).map(encode)));
  return values.map((filled) => {
    let index = 0;
    return operation.path.replace(/\{[^}]+\}/g, () => filled[index++] ?? '');
  });
}

function validQueryFor(operation: FuzzOperation, ids: KnownIds): fc.Arbitrary<string> {
  const required = operation.queryParameters.filter((parameter) => parameter.required);
  const optional = operation.queryParameters.filter((parameter) => !parameter.required);
  // Sorting keys are free strings in the spec; a valid-looking one names a key both lists have.
  const partsOf = (parameter: FuzzParameter) => (parameter.name === 'sorting_keys' || parameter.name === 'sorting_order' ? fc.constant([]) : validQueryParts(parameter, ids));
  return fc
    .tuple(fc.tuple(...required.map(partsOf)), fc.subarray(optional).chain((chosen) => fc.tuple(...chosen.map(partsOf))))
    .map(([must, may]) => {
      const flat = [...must.flat(), ...may.flat()];
      return flat.length === 0 ? '' : `?${flat.map((entry) => (typeof entry === 'string' ? entry : `${encode(entry[0])}=${encode(entry[1])}`)).join('&')}`;
    });
}
