/**
 * The one place where the quirks of Pleo's published Export API spec are handled.
 *
 * `openapi/export-api.yaml` keeps Pleo's text as published; everything that validates requests or
 * responses uses `normalizeSpec(document)` instead, which corrects these quirks on a deep copy:
 *
 * a. `date-time-prose-pattern`: date-time fields carry `pattern: YYYY-MM-DDTHH:mi:ssZ`. That is
 *    prose, not a regex: no real timestamp (`2026-04-22T10:08:56Z`) matches it, so every valid
 *    response would fail. The pattern is removed; `format: date-time` still checks the value.
 * b. `charset-only-media-type`: bodies are declared only under `application/json;charset=UTF-8`.
 *    Clients send plain `application/json`, and openapi-backend compiles request and response
 *    validators only for a media type of exactly `application/json`: without a copy under that key
 *    nothing would be validated at all, silently.
 * c. `enum-named-in-description`: v3 types `status` and `failureReasonType` as free strings whose
 *    description says "This can be one of <Name> values". The values are still only the enum's
 *    (api-notes §8), so the named component enum is copied onto the property.
 * d. `nullable-failure-reason`: `ExportJobV3.failureReasonType` and `ExportJobItemV3.failureReasonType`
 *    are not nullable, yet Pleo's own how-to (seed 002) returns `"failureReasonType": null` for
 *    pending items, and a job that has not failed has no reason either. Both become nullable.
 *    Every nullable enum then lists `null` among its values: in OpenAPI 3.0 (as ajv implements it)
 *    `nullable` widens only `type`, and `enum` would still reject null. This also covers the seeded
 *    v1/v2 `failureReasonType` enums, which are nullable without listing null.
 * e. `undocumented-error-bodies`: every error this mock answers is Pleo's `ExceptionInfo`, but Pleo
 *    documents error bodies only for some statuses, and the deprecated v1 PUT has only a `default`
 *    response (`ExportJobItemUpdate`) that an error body would otherwise be validated against.
 *    Each operation gets ExceptionInfo responses for the error statuses it does not declare.
 * f. `item-cap-in-description`: "This API only supports updating up to 100 items" lives only in
 *    the item-update operations' descriptions, so generic tools accept 101 items. The request
 *    body of every `updateExportJobItems*` operation gets `maxItems: 100`; the server answers a
 *    violation with 413 EXPORT_JOB_ITEMS_UPDATE_LIMIT before anything is applied.
 */
import type { OpenAPIV3 } from 'openapi-types';

/** One quirk of the published spec that `normalizeSpec` corrects. */
export interface SpecQuirk {
  readonly id: string;
  readonly summary: string;
}

/** The quirks `normalizeSpec` corrects, for the README and tests to list. */
export const QUIRKS: readonly SpecQuirk[] = Object.freeze([
  {
    id: 'date-time-prose-pattern',
    summary: 'date-time fields carry `pattern: YYYY-MM-DDTHH:mi:ssZ`, which is prose no timestamp matches; the pattern is removed',
  },
  {
    id: 'charset-only-media-type',
    summary: 'bodies are declared only as `application/json;charset=UTF-8`; the same media type is added as `application/json`',
  },
  {
    id: 'enum-named-in-description',
    summary: 'v3 strings described as "This can be one of <Name> values" get the enum of `components.schemas.<Name>`',
  },
  {
    id: 'nullable-failure-reason',
    summary: '`failureReasonType` of ExportJobV3 and ExportJobItemV3 is nullable (Pleo returns null); nullable enums list null',
  },
  {
    id: 'undocumented-error-bodies',
    summary: 'every operation answers ExceptionInfo for 400, 401, 403, 404, 405, 413, 415, 422, 429, 500, 502 and 503',
  },
  {
    id: 'item-cap-in-description',
    summary: 'the 100-item cap of item updates is only prose; their request bodies get `maxItems: 100`',
  },
].map((quirk) => Object.freeze(quirk)));

/** Media type Pleo declares; kept, since Pleo's clients may ask for it. */
const CHARSET_JSON = 'application/json;charset=UTF-8';
/** Media type openapi-backend validates (and the one clients actually send). */
const PLAIN_JSON = 'application/json';

/** The v3 properties that Pleo returns as null although the spec does not say nullable. */
const NULLABLE_PROPERTIES: readonly (readonly [schema: string, property: string])[] = [
  ['ExportJobV3', 'failureReasonType'],
  ['ExportJobItemV3', 'failureReasonType'],
];

/** Error statuses every operation answers with ExceptionInfo, with a description for each. */
const ERROR_RESPONSES: Readonly<Record<string, string>> = {
  '400': 'Bad request: a parameter or body field is missing, malformed or not allowed.',
  '401': 'Unauthorized: the credential is missing, malformed or expired.',
  '403': 'Forbidden: the credential lacks the scope this operation needs.',
  '404': 'Not found.',
  '405': 'Method not allowed on this path.',
  '413': 'Payload too large: more items than one request may carry.',
  '415': 'Unsupported media type: the request body must be JSON.',
  '422': "Unprocessable: the export job's status does not allow this.",
  '429': 'Too many requests.',
  '500': 'Internal error.',
  '502': 'Bad gateway (an injected fault).',
  '503': 'Service unavailable.',
};

const EXCEPTION_INFO_REF = '#/components/schemas/ExceptionInfo';

/** Matches Pleo's v3 wording that names an enum instead of declaring it. */
const NAMED_ENUM_DESCRIPTION = /^This can be one of (\w+) values\.?$/;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Returns a deep copy of `document` with the spec's quirks corrected; `document` is never mutated.
 * @example const definition = normalizeSpec(loadExportApiSpec());
 */
export function normalizeSpec(document: OpenAPIV3.Document): OpenAPIV3.Document {
  // One deep copy up front; the steps below only ever touch this private copy.
  const normalized = structuredClone(document);
  stripProseDateTimePatterns(normalized);
  addPlainJsonMediaTypes(normalized);
  makeFailureReasonsNullable(normalized);
  applyEnumsNamedInDescriptions(normalized);
  allowNullInNullableEnums(normalized);
  addErrorResponses(normalized);
  capItemUpdates(normalized);
  return normalized;
}

// ---------------------------------------------------------------------------------------------
// The steps. Each mutates the copy that normalizeSpec owns, never a caller's object.

/** a. Drops `pattern` from date-time strings: the format check stays, the prose goes. */
function stripProseDateTimePatterns(document: OpenAPIV3.Document): void {
  for (const schema of allSchemas(document)) {
    if (schema.type === 'string' && schema.format === 'date-time' && schema.pattern !== undefined) {
      delete schema.pattern;
    }
  }
}

/** b. Adds a plain `application/json` copy of every charset-only JSON media type. */
function addPlainJsonMediaTypes(document: OpenAPIV3.Document): void {
  for (const content of allContentMaps(document)) {
    const declared = content[CHARSET_JSON];
    if (declared !== undefined && content[PLAIN_JSON] === undefined) {
      // A copy, not a shared reference: tools that serialise or decycle the document
      // (openapi-backend does) would otherwise turn the second occurrence into a $ref.
      content[PLAIN_JSON] = structuredClone(declared);
    }
  }
}

/** d (first half). Marks the v3 failure reasons nullable, as Pleo's responses are. */
function makeFailureReasonsNullable(document: OpenAPIV3.Document): void {
  for (const [schemaName, propertyName] of NULLABLE_PROPERTIES) {
    const owner = document.components?.schemas?.[schemaName];
    const property = owner === undefined || isReference(owner) ? undefined : owner.properties?.[propertyName];
    if (property !== undefined && !isReference(property)) {
      property.nullable = true;
    }
  }
}

/** c. Copies the enum a v3 description names ("This can be one of X values") onto the property. */
function applyEnumsNamedInDescriptions(document: OpenAPIV3.Document): void {
  const components = document.components?.schemas ?? {};
  for (const schema of allSchemas(document)) {
    for (const property of Object.values(schema.properties ?? {})) {
      if (isReference(property) || property.type !== 'string' || property.enum !== undefined) continue;
      const name = NAMED_ENUM_DESCRIPTION.exec(property.description?.trim() ?? '')?.[1];
      const values = name === undefined ? undefined : stringEnumValues(components[name]);
      if (values !== undefined) {
        property.enum = [...values];
      }
    }
  }
}

/** d (second half). Lists null in every nullable enum, since `nullable` alone does not widen `enum`. */
function allowNullInNullableEnums(document: OpenAPIV3.Document): void {
  for (const schema of allSchemas(document)) {
    const values: unknown[] | undefined = schema.enum;
    if (schema.nullable === true && values !== undefined && !values.includes(null)) {
      schema.enum = [...values, null];
    }
  }
}

/** e. Declares ExceptionInfo for each error status an operation leaves undeclared. */
function addErrorResponses(document: OpenAPIV3.Document): void {
  if (document.components?.schemas?.ExceptionInfo === undefined) {
    throw new Error('normalizeSpec: components.schemas.ExceptionInfo is missing; the added error responses refer to it');
  }
  for (const operation of allOperations(document)) {
    for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
      operation.responses[status] ??= exceptionInfoResponse(description);
    }
  }
}

/** Pleo's documented cap on one item update (the seeded v1 operation's description). */
export const ITEM_UPDATE_LIMIT = 100;
const ITEM_UPDATE_OPERATION = /^updateExportJobItems/;

/** f. Makes the documented 100-item cap of item updates a `maxItems` the validator enforces. */
function capItemUpdates(document: OpenAPIV3.Document): void {
  for (const operation of allOperations(document)) {
    if (operation.operationId === undefined || !ITEM_UPDATE_OPERATION.test(operation.operationId)) continue;
    const body = operation.requestBody;
    if (body === undefined || isReference(body)) continue;
    for (const media of Object.values(body.content)) {
      if (media.schema !== undefined && !isReference(media.schema) && media.schema.type === 'array') {
        media.schema.maxItems = ITEM_UPDATE_LIMIT;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Walking the document.

function exceptionInfoResponse(description: string): OpenAPIV3.ResponseObject {
  return {
    description,
    content: {
      [CHARSET_JSON]: { schema: { $ref: EXCEPTION_INFO_REF } },
      [PLAIN_JSON]: { schema: { $ref: EXCEPTION_INFO_REF } },
    },
  };
}

function isReference(value: object): value is OpenAPIV3.ReferenceObject {
  return '$ref' in value;
}

/** The values of a component schema that is a string enum, or undefined if it is not one. */
function stringEnumValues(schema: OpenAPIV3.ReferenceObject | OpenAPIV3.SchemaObject | undefined): string[] | undefined {
  if (schema === undefined || isReference(schema) || schema.type !== 'string') return undefined;
  const values: unknown[] | undefined = schema.enum;
  if (values === undefined || !values.every((value): value is string => typeof value === 'string')) return undefined;
  return values;
}

function allOperations(document: OpenAPIV3.Document): OpenAPIV3.OperationObject[] {
  const operations: OpenAPIV3.OperationObject[] = [];
  for (const pathItem of Object.values(document.paths)) {
    if (pathItem === undefined) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation !== undefined) operations.push(operation);
    }
  }
  return operations;
}

/** Every inline request-body and response `content` map, in operations and in components. */
function allContentMaps(document: OpenAPIV3.Document): Record<string, OpenAPIV3.MediaTypeObject>[] {
  const bodies: (OpenAPIV3.RequestBodyObject | OpenAPIV3.ResponseObject | OpenAPIV3.ReferenceObject)[] = [
    ...Object.values(document.components?.requestBodies ?? {}),
    ...Object.values(document.components?.responses ?? {}),
  ];
  for (const operation of allOperations(document)) {
    if (operation.requestBody !== undefined) bodies.push(operation.requestBody);
    bodies.push(...Object.values(operation.responses));
  }
  const maps: Record<string, OpenAPIV3.MediaTypeObject>[] = [];
  for (const body of bodies) {
    if (!isReference(body) && body.content !== undefined) maps.push(body.content);
  }
  return maps;
}

/** Every inline schema object in the document (references are not followed: each target is visited where it is declared). */
function allSchemas(document: OpenAPIV3.Document): OpenAPIV3.SchemaObject[] {
  const roots: (OpenAPIV3.ReferenceObject | OpenAPIV3.SchemaObject | undefined)[] = [
    ...Object.values(document.components?.schemas ?? {}),
  ];
  const parameters: (OpenAPIV3.ReferenceObject | OpenAPIV3.ParameterObject)[] = [
    ...Object.values(document.components?.parameters ?? {}),
  ];
  for (const pathItem of Object.values(document.paths)) {
    parameters.push(...(pathItem?.parameters ?? []));
  }
  for (const operation of allOperations(document)) {
    parameters.push(...(operation.parameters ?? []));
  }
  for (const parameter of parameters) {
    if (isReference(parameter)) continue;
    roots.push(parameter.schema, ...Object.values(parameter.content ?? {}).map((media) => media.schema));
  }
  for (const content of allContentMaps(document)) {
    roots.push(...Object.values(content).map((media) => media.schema));
  }
  const found = new Set<OpenAPIV3.SchemaObject>();
  for (const root of roots) collectSchemas(root, found);
  return [...found];
}

function collectSchemas(schema: OpenAPIV3.ReferenceObject | OpenAPIV3.SchemaObject | undefined, found: Set<OpenAPIV3.SchemaObject>): void {
  if (schema === undefined || isReference(schema) || found.has(schema)) return;
  found.add(schema);
  const children: (OpenAPIV3.ReferenceObject | OpenAPIV3.SchemaObject | undefined)[] = [
    ...Object.values(schema.properties ?? {}),
    ...(schema.allOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
    schema.not,
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined,
    'items' in schema ? schema.items : undefined,
  ];
  for (const child of children) collectSchemas(child, found);
}
