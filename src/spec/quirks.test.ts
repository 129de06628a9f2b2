import addFormats from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExportApiSpec, loadNormalizedExportApiSpec } from './load-spec.js';
import { normalizeSpec, QUIRKS } from './quirks.js';

const CHARSET_JSON = 'application/json;charset=UTF-8';
const PLAIN_JSON = 'application/json';
const ERROR_STATUSES = ['400', '401', '403', '404', '405', '413', '415', '422', '429', '500', '503'];
const JOB_ID = '3f0e5bde-6a51-4c8e-9d0e-8d2b1c7a4e21';
const COMPANY_ID = '9a2c4f1e-0b7d-4e3a-8c5f-1d6e2b3a4c5d';
const ENTRY_ID = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';

/** A v3 job as the mock would answer it: pending, never started, no failure. */
function pendingJobV3(): Record<string, unknown> {
  return {
    id: JOB_ID,
    companyId: COMPANY_ID,
    createdAt: '2026-04-22T10:08:56Z',
    createdBy: null,
    expiresIn: 3600,
    isInteractive: true,
    numberOfItems: 4,
    status: 'pending',
    vendorBasedBookkeeping: false,
    completedAt: null,
    expiredAt: null,
    lastUpdatedAt: null,
    startedAt: null,
    failureReason: null,
  };
}

/** An openapi-backend instance as the server builds it: formats on, document validated strictly. */
async function backendFor(definition: OpenAPIV3.Document, { copy = true } = {}): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({
    // openapi-backend dereferences its definition in place: give it a copy of its own.
    definition: copy ? structuredClone(definition) : definition,
    quick: false,
    strict: true,
    customizeAjv: (ajv) => {
      // ajv-formats is CommonJS whose typings declare only a default export; under NodeNext that
      // types the default import as the module object. `.default` is the plugin itself at runtime.
      addFormats.default(ajv);
      return ajv;
    },
  });
  await api.init();
  return api;
}

function operations(document: OpenAPIV3.Document): Map<string, OpenAPIV3.OperationObject> {
  const found = new Map<string, OpenAPIV3.OperationObject>();
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of [pathItem?.get, pathItem?.put, pathItem?.post, pathItem?.delete]) {
      if (operation?.operationId !== undefined) found.set(operation.operationId, operation);
    }
  }
  return found;
}

function operation(document: OpenAPIV3.Document, operationId: string): OpenAPIV3.OperationObject {
  const found = operations(document).get(operationId);
  if (found === undefined) throw new Error(`no operation ${operationId}`);
  return found;
}

function componentSchema(document: OpenAPIV3.Document, name: string): OpenAPIV3.SchemaObject {
  const schema = document.components?.schemas?.[name];
  if (schema === undefined || '$ref' in schema) throw new Error(`no inline component schema ${name}`);
  return schema;
}

function property(document: OpenAPIV3.Document, schemaName: string, propertyName: string): OpenAPIV3.SchemaObject {
  const schema = componentSchema(document, schemaName).properties?.[propertyName];
  if (schema === undefined || '$ref' in schema) throw new Error(`no inline property ${schemaName}.${propertyName}`);
  return schema;
}

/** Every plain object in the document that looks like an inline schema (has a string `type`). */
function schemasIn(value: unknown): object[] {
  if (typeof value !== 'object' || value === null) return [];
  const children = Object.values(value).flatMap(schemasIn);
  const isSchema = !Array.isArray(value) && 'type' in value && typeof value.type === 'string';
  return isSchema ? [value, ...children] : children;
}

function dateTimePatterns(document: OpenAPIV3.Document): number {
  return schemasIn(document).filter((schema) => 'format' in schema && schema.format === 'date-time' && 'pattern' in schema).length;
}

/** Every `content` map of every operation's request body and responses. */
function contentMaps(document: OpenAPIV3.Document): Record<string, OpenAPIV3.MediaTypeObject>[] {
  const maps: Record<string, OpenAPIV3.MediaTypeObject>[] = [];
  for (const op of operations(document).values()) {
    const bodies = [op.requestBody, ...Object.values(op.responses)];
    for (const body of bodies) {
      if (body !== undefined && !('$ref' in body) && body.content !== undefined) maps.push(body.content);
    }
  }
  return maps;
}

function without(value: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

function responseCount(document: OpenAPIV3.Document): number {
  return [...operations(document).values()].reduce((sum, op) => sum + Object.keys(op.responses).length, 0);
}

/** Aliases one charset-only response under application/json, so the raw schema gets validated at all. */
function withPlainJsonResponse(document: OpenAPIV3.Document, operationId: string, status: string): OpenAPIV3.Document {
  const copy = structuredClone(document);
  const response = operation(copy, operationId).responses[status];
  if (response === undefined || '$ref' in response || response.content?.[CHARSET_JSON] === undefined) {
    throw new Error(`no ${CHARSET_JSON} response ${status} on ${operationId}`);
  }
  response.content[PLAIN_JSON] = structuredClone(response.content[CHARSET_JSON]);
  return copy;
}

describe('QUIRKS', () => {
  it('lists the six corrected quirks once each, in the order of the header comment', () => {
    expect(QUIRKS.map((quirk) => quirk.id)).toEqual([
      'date-time-prose-pattern',
      'charset-only-media-type',
      'enum-named-in-description',
      'nullable-failure-reason',
      'undocumented-error-bodies',
      'item-cap-in-description',
    ]);
    for (const quirk of QUIRKS) expect(quirk.summary.length).toBeGreaterThan(20);
  });
});

describe('normalizeSpec', () => {
  const raw = loadExportApiSpec();
  const normalized = normalizeSpec(raw);

  it('does not mutate its input', () => {
    const input = loadExportApiSpec();
    const before = structuredClone(input);
    normalizeSpec(input);
    expect(input).toEqual(before);
  });

  it('works on a deep-frozen input and returns a document of its own', () => {
    const frozen = loadExportApiSpec();
    const freeze = (value: unknown): void => {
      if (typeof value === 'object' && value !== null) {
        Object.freeze(value);
        Object.values(value).forEach(freeze);
      }
    };
    freeze(frozen);
    const result = normalizeSpec(frozen);
    expect(Object.isFrozen(result)).toBe(false);
    expect(result).toEqual(normalized);
  });

  it('is idempotent', () => {
    expect(normalizeSpec(normalized)).toEqual(normalized);
  });

  it('leaves everything but paths and component schemas untouched', () => {
    expect(without(normalized, ['paths', 'components'])).toEqual(without(raw, ['paths', 'components']));
    expect(normalized.components?.securitySchemes).toEqual(raw.components?.securitySchemes);
    expect(Object.keys(normalized.components?.schemas ?? {})).toEqual(Object.keys(raw.components?.schemas ?? {}));
  });

  it('leaves every operation unchanged apart from its responses and request-body media types', () => {
    for (const [operationId, rawOperation] of operations(raw)) {
      const changed = ['responses', 'requestBody'];
      // parameters included: the cursor `pattern`s and uuid formats stay as Pleo wrote them.
      expect(without(operation(normalized, operationId), changed), operationId).toEqual(without(rawOperation, changed));
    }
  });

  describe('a. date-time-prose-pattern', () => {
    it('removes the prose pattern from all 13 date-time fields and keeps their format', () => {
      expect(dateTimePatterns(raw)).toBe(13);
      expect(dateTimePatterns(normalized)).toBe(0);
      expect(property(normalized, 'ExportJobV3', 'createdAt')).toMatchObject({ type: 'string', format: 'date-time' });
    });

    it('keeps real regex patterns, such as the cursor pattern of before/after', () => {
      const before = operation(normalized, 'getExportJobsListV3').parameters?.find((p) => 'name' in p && p.name === 'before');
      expect(before).toMatchObject({ schema: { pattern: '^[A-Z2-7=~]+$' } });
    });
  });

  describe('b. charset-only-media-type', () => {
    it('adds application/json beside each of the 9 charset-only bodies, with the same media type object', () => {
      const rawMaps = contentMaps(raw);
      expect(rawMaps).toHaveLength(9);
      expect(rawMaps.filter((content) => PLAIN_JSON in content)).toHaveLength(0);
      for (const content of contentMaps(normalized)) {
        expect(Object.keys(content).sort()).toEqual([PLAIN_JSON, CHARSET_JSON].sort());
        expect(content[PLAIN_JSON]).toEqual(content[CHARSET_JSON]);
        expect(content[PLAIN_JSON]).not.toBe(content[CHARSET_JSON]);
      }
    });
  });

  describe('c. enum-named-in-description and d. nullable-failure-reason', () => {
    const enumOf = (name: string): unknown[] => componentSchema(normalized, name).enum ?? [];

    it.each([
      ['ExportJobV3', 'status', 'ExportJobStatus', false],
      ['ExportJobV3', 'failureReasonType', 'ExportJobFailureReasonType', true],
      ['ExportJobItemV3', 'status', 'ExportJobItemStatus', false],
      ['ExportJobItemV3', 'failureReasonType', 'ExportJobItemFailureReasonType', true],
    ])('%s.%s gets the values of %s (nullable: %s)', (schemaName, propertyName, enumName, nullable) => {
      expect(property(raw, schemaName, propertyName).enum).toBeUndefined();
      const normalizedProperty = property(normalized, schemaName, propertyName);
      expect(normalizedProperty.enum).toEqual(nullable ? [...enumOf(enumName), null] : enumOf(enumName));
      expect(normalizedProperty.nullable ?? false).toBe(nullable);
      // The description stays Pleo's.
      expect(normalizedProperty.description).toBe(property(raw, schemaName, propertyName).description);
    });

    it('lists null in the seeded nullable enums of v1 and v2 as well', () => {
      for (const [schemaName, propertyName] of [
        ['ExportJob', 'failureReasonType'],
        ['ExportJobItem', 'failureReasonType'],
      ] as const) {
        expect(property(raw, schemaName, propertyName).enum).not.toContain(null);
        expect(property(normalized, schemaName, propertyName).enum).toContain(null);
      }
      // Not nullable, so no null: the request body's enum is left as it is.
      expect(property(normalized, 'UpdateExportJobItem', 'failureReasonType').enum).not.toContain(null);
    });
  });

  describe('e. undocumented-error-bodies', () => {
    it('gives every operation an ExceptionInfo response with a description for each error status', () => {
      for (const [operationId, op] of operations(normalized)) {
        for (const status of ERROR_STATUSES) {
          const response = op.responses[status];
          expect(response, `${operationId} ${status}`).toMatchObject({
            description: expect.any(String) as unknown,
            content: {
              [CHARSET_JSON]: { schema: { $ref: '#/components/schemas/ExceptionInfo' } },
              [PLAIN_JSON]: { schema: { $ref: '#/components/schemas/ExceptionInfo' } },
            },
          });
        }
      }
    });

    it('adds 52 responses and keeps the 3 documented 404s (with their example) and the v1 default', () => {
      expect(responseCount(normalized) - responseCount(raw)).toBe(52);
      expect(operation(normalized, 'getExportJobItemsV3').responses['404']).toMatchObject({
        description: 'Export job not found.',
        content: { [CHARSET_JSON]: { example: { type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' } } },
      });
      expect(operation(normalized, 'updateExportJobItemsV1').responses.default).toMatchObject({
        content: { [PLAIN_JSON]: { schema: { $ref: '#/components/schemas/ExportJobItemUpdate' } } },
      });
    });

    it('refuses a document without ExceptionInfo, which the added responses would point at', () => {
      const broken = structuredClone(raw);
      delete broken.components?.schemas?.ExceptionInfo;
      expect(() => normalizeSpec(broken)).toThrow(/ExceptionInfo/);
    });
  });
  describe('f. item-cap-in-description', () => {
    it('caps the request body of the item update at 100 items and leaves other operations alone', () => {
      const body = operation(normalized, 'updateExportJobItemsV1').requestBody;
      expect(body).toMatchObject({
        content: { [CHARSET_JSON]: { schema: { type: 'array', maxItems: 100 } }, [PLAIN_JSON]: { schema: { type: 'array', maxItems: 100 } } },
      });
      expect(JSON.stringify(operation(raw, 'updateExportJobItemsV1').requestBody)).not.toContain('maxItems');
      for (const [operationId, op] of operations(normalized)) {
        if (operationId !== 'updateExportJobItemsV1') expect(JSON.stringify(op.requestBody ?? {})).not.toContain('maxItems');
      }
    });
  });
});

describe('validation with openapi-backend', () => {
  const raw = loadExportApiSpec();
  const normalized = normalizeSpec(raw);
  // Compiling every validator takes a moment: one instance for the tests that only validate.
  let api: OpenAPIBackend;
  beforeAll(async () => {
    api = await backendFor(normalized);
  });

  it('accepts both documents as valid OpenAPI (strict mode)', async () => {
    await expect(backendFor(raw)).resolves.toBeInstanceOf(OpenAPIBackend);
    await expect(backendFor(normalized)).resolves.toBeInstanceOf(OpenAPIBackend);
  });

  it('validates nothing against the raw document: its bodies are not under application/json', async () => {
    const rawApi = await backendFor(raw);
    expect(rawApi.validateResponse({ anything: 'at all' }, 'getExportJobByIdV3', 200).valid).toBe(true);
  });

  it('rejects a real timestamp under the raw prose pattern and accepts it once normalized', async () => {
    const body = { data: pendingJobV3() };
    const rawResult = (await backendFor(withPlainJsonResponse(raw, 'getExportJobByIdV3', '200'))).validateResponse(
      body,
      'getExportJobByIdV3',
      200,
    );
    expect(rawResult.valid).toBe(false);
    expect(rawResult.errors).toEqual([expect.objectContaining({ keyword: 'pattern', instancePath: '/data/createdAt' })]);

    const result = api.validateResponse(body, 'getExportJobByIdV3', 200);
    expect(result.errors).toBeNull();
  });

  it('still rejects a date-time that is not one, after normalization', () => {
    const body = { data: { ...pendingJobV3(), createdAt: 'YYYY-MM-DDTHH:mi:ssZ' } };
    expect(api.validateResponse(body, 'getExportJobByIdV3', 200).valid).toBe(false);
  });

  it('rejects a v3 job status outside ExportJobStatus and a failure reason outside its enum', () => {
    const badStatus = { data: { ...pendingJobV3(), status: 'paused' } };
    expect(api.validateResponse(badStatus, 'getExportJobByIdV3', 200).valid).toBe(false);
    const badReason = { data: { ...pendingJobV3(), status: 'failed', failureReasonType: 'bad_luck' } };
    expect(api.validateResponse(badReason, 'getExportJobByIdV3', 200).valid).toBe(false);
    const goodReason = { data: { ...pendingJobV3(), status: 'failed', failureReasonType: 'job_expired' } };
    expect(api.validateResponse(goodReason, 'getExportJobByIdV3', 200).errors).toBeNull();
  });

  it('accepts failureReasonType: null on v3 jobs and items and on v2 jobs', () => {
    const job = { ...pendingJobV3(), failureReasonType: null };
    expect(api.validateResponse({ data: job }, 'getExportJobByIdV3', 200).errors).toBeNull();
    expect(api.validateResponse({ data: job }, 'getExportJobByIdV2', 200).errors).toBeNull();
    const page = {
      data: [
        {
          accountingEntryId: ENTRY_ID,
          exportJobId: JOB_ID,
          status: 'pending',
          externalId: null,
          externalUrl: null,
          failureReasonType: null,
          failureReason: null,
          exportedAt: null,
        },
      ],
      pagination: {
        hasNextPage: false,
        hasPreviousPage: false,
        total: 1,
        currentRequestPagination: { parameters: { jobId: [JOB_ID] }, sortingKeys: [], sortingOrder: [] },
      },
    };
    expect(api.validateResponse(page, 'getExportJobItemsV3', 200).errors).toBeNull();
  });

  it('validates ExceptionInfo error bodies of the v1 PUT, whose only documented response is `default`', () => {
    const notFound = { type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' };
    expect(api.validateResponse(notFound, 'updateExportJobItemsV1', 404).errors).toBeNull();
    const tooMany = { type: 'EXPORT_JOB_ITEMS_UPDATE_LIMIT', message: 'At most 100 items per request.' };
    expect(api.validateResponse(tooMany, 'updateExportJobItemsV1', 413).errors).toBeNull();
    expect(api.validateResponse({ message: 'no type' }, 'updateExportJobItemsV1', 404).valid).toBe(false);
    // 200 is not declared: openapi-backend falls back to `default`, i.e. ExportJobItemUpdate.
    expect(api.validateResponse(tooMany, 'updateExportJobItemsV1', 200).valid).toBe(false);
    expect(api.validateResponse({ data: [], errors: [] }, 'updateExportJobItemsV1', 200).errors).toBeNull();
  });

  it('validates a v1 PUT request body sent as plain application/json', () => {
    const request = (body: unknown) => ({
      method: 'PUT',
      path: `/v1/export-jobs/${JOB_ID}/items`,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const item = { accountingEntryId: ENTRY_ID, status: 'successful', exportedAt: '2026-04-22T10:08:56Z' };
    expect(api.validateRequest(request([item]), 'updateExportJobItemsV1').errors).toBeNull();
    expect(api.validateRequest(request([{ ...item, status: 'done' }]), 'updateExportJobItemsV1').valid).toBe(false);
  });

  describe('openapi-backend behaviour the server has to respect', () => {
    it('treats a status the operation does not declare (and no default) as valid, whatever the body', () => {
      expect(api.validateResponse({ anything: 'at all' }, 'getExportJobByIdV3', 418).valid).toBe(true);
    });

    it('without a status, matches the body against oneOf all responses, so ExceptionInfo (declared 11 times) fails', () => {
      const notFound = { type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' };
      expect(api.validateResponse(notFound, 'getExportJobByIdV3').valid).toBe(false);
      expect(api.validateResponse(notFound, 'getExportJobByIdV3', 404).valid).toBe(true);
    });

    it('dereferences the definition it is given in place', async () => {
      const definition = loadNormalizedExportApiSpec();
      await backendFor(definition, { copy: false });
      const response = operation(definition, 'getExportJobByIdV3').responses['200'];
      expect(response).not.toHaveProperty(['content', PLAIN_JSON, 'schema', '$ref']);
    });
  });
});
