import addFormats from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExportApiSpec, loadNormalizedExportApiSpec } from './load-spec.js';
import { normalizeSpec, QUIRKS } from './quirks.js';

const CHARSET_JSON = 'application/json;charset=UTF-8';
const PLAIN_JSON = 'application/json';
const ERROR_STATUSES = ['400', '401', '403', '404', '405', '413', '415', '422', '429', '500', '502', '503'];
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

/**
 * One accounting entry as GET /v3/export-items returns it (docs/issue-3-contract.md): a card
 * purchase in SEK from a EUR wallet, split over two lines that add up to the wallet amount
 * (10 000 + 2 550 = 12 550 cents), with every optional field present.
 */
function cardPurchaseExportItem(): Record<string, unknown> {
  return {
    accountingEntryId: ENTRY_ID,
    companyId: COMPANY_ID,
    date: '2026-04-20T14:31:07Z',
    type: 'card_purchase',
    amount: {
      inSupplierCurrency: { currency: 'SEK', value: 143900 },
      inWalletCurrency: { currency: 'EUR', value: 12550 },
    },
    accountingEntryLines: [
      {
        accountingEntryLineId: '5b7c2d4e-1f3a-4b6c-9d8e-7f6a5b4c3d2e',
        lineAmount: { currency: 'EUR', value: 10000 },
        netAmount: { currency: 'EUR', value: 8000 },
        account: { id: '0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70', name: 'Travel', code: '7140', identifier: null },
        tags: [{ id: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968', code: 'P-204', groupCode: 'PROJECT' }],
        tax: { id: '2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a8b', amount: { currency: 'EUR', value: 2000 }, rate: 0.25, type: 'inclusive', code: 'I25' },
      },
      {
        accountingEntryLineId: '6c8d3e5f-2a4b-4c7d-8e9f-a0b1c2d3e4f5',
        lineAmount: { currency: 'EUR', value: 2550 },
        netAmount: { currency: 'EUR', value: 2550 },
        account: null,
        tags: [],
        tax: null,
      },
    ],
    additionalInformation: {
      reconciliationId: '7d9e4f60-3b5c-4d8e-9fa0-b1c2d3e4f5a6',
      attendees: [{ name: 'Astrid Lind', email: 'astrid.lind@example.com' }, { name: 'Guest', email: null }],
      invoiceInformation: null,
      reconciledEntries: [{ accountingEntryId: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b', type: 'refund' }],
    },
    bookkeeping: { method: 'journal' },
    contraAccount: { id: '1e2f3a4b-5c6d-4e7f-9a0b-1c2d3e4f5a6b', name: 'Company card', code: '5810', identifier: 'CC-EUR' },
    files: [{ size: 184320, type: 'image/jpeg', url: 'https://files.example.com/receipts/7f3a.jpg' }],
    note: 'Team dinner after the Stockholm workshop',
    supplier: { name: 'Restaurang Gästis', countryCode: 'SE', vatNumber: 'SE556677889901' },
    team: { id: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d', name: 'Sales Nordics', code: 'S-NORD' },
    user: { id: '4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e', name: 'Astrid Lind', email: 'astrid.lind@example.com' },
    vendor: { id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f', name: 'Restaurang Gästis AB', code: 'V-1042', externalId: null },
    _links: {
      web: 'https://app.pleo.io/export/entries/c1d2e3f4',
      mobile: 'pleo://export/entries/c1d2e3f4',
      api: 'https://external.pleo.io/v3/export-items?job_id=3f0e5bde-6a51-4c8e-9d0e-8d2b1c7a4e21',
    },
  };
}

/** A page envelope as the list operations answer it. */
function page(data: unknown[], parameters: Record<string, string[]>): Record<string, unknown> {
  return {
    data,
    pagination: {
      hasNextPage: false,
      hasPreviousPage: false,
      total: data.length,
      currentRequestPagination: { parameters, sortingKeys: [], sortingOrder: [] },
    },
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
    // 48 = request bodies (v1, v2, v3 item PUTs; v2, v3 job creation and events; the search: 8)
    //    + success responses with a body (17 operations, minus the two 202s of the events: 15)
    //    + error responses the raw file documents (25: 23 of the 11 statuses step e knows, and two 409s).
    it('adds application/json beside each of the 48 charset-only bodies, with the same media type object', () => {
      const rawMaps = contentMaps(raw);
      expect(rawMaps).toHaveLength(48);
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

    // 181 = 17 operations x 12 error statuses (204), minus the 23 that the raw file documents
    // itself: 3 404s (2 seeded, 1 of GET /v3/export-jobs/{jobId}), and 20 of the 12 operations
    // written for issue 3 (v2 and v3 each: 1 per job creation, its 400; 2 per event; 3 per item
    // update; 3 per export-items list; plus the v2 job-items list and the v3 item look-up, 1 each).
    // The two 409s of job creation are not among the 12 statuses, so step e neither adds nor counts them.
    it('adds 181 responses and keeps the 25 documented errors (with their example) and the v1 default', () => {
      const documented = [...operations(raw).values()].flatMap((op) => Object.keys(op.responses).filter((status) => /^[45]/.test(status)));
      expect(documented).toHaveLength(25);
      expect(documented.filter((status) => ERROR_STATUSES.includes(status))).toHaveLength(23);
      expect(operations(raw).size * ERROR_STATUSES.length - 23).toBe(181);
      expect(responseCount(normalized) - responseCount(raw)).toBe(181);
      expect(operation(normalized, 'getExportJobItemsV3').responses['404']).toMatchObject({
        description: 'Export job not found.',
        content: { [CHARSET_JSON]: { example: { type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' } } },
      });
      for (const [operationId, op] of operations(raw)) {
        for (const [status, response] of Object.entries(op.responses)) {
          // A documented response is kept as written (its example included), apart from the plain JSON copy.
          if (/^[45]/.test(status)) expect(operation(normalized, operationId).responses[status], `${operationId} ${status}`).toMatchObject(response);
        }
      }
      expect(operation(normalized, 'createExportJobV3').responses['409']).toMatchObject({
        content: { [PLAIN_JSON]: { example: { type: 'EXPORT_ALREADY_IN_PROGRESS' } } },
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
    const itemUpdates = ['updateExportJobItemsV1', 'updateExportJobItemsV2', 'updateExportJobItemsV3'];

    it.each(itemUpdates)('caps the request body of %s at 100 items', (operationId) => {
      const body = operation(normalized, operationId).requestBody;
      expect(body).toMatchObject({
        content: { [CHARSET_JSON]: { schema: { type: 'array', maxItems: 100 } }, [PLAIN_JSON]: { schema: { type: 'array', maxItems: 100 } } },
      });
      expect(JSON.stringify(operation(raw, operationId).requestBody)).not.toContain('maxItems');
    });

    it('leaves the request bodies of the other operations alone', () => {
      const capped = [...operations(normalized).keys()].filter((operationId) => JSON.stringify(operation(normalized, operationId).requestBody ?? {}).includes('maxItems'));
      expect(capped.sort()).toEqual([...itemUpdates].sort());
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

  describe('the operations written from api-notes.md', () => {
    const exportItemsPage = (item: Record<string, unknown>) => page([item], { job_id: [JOB_ID] });

    it('accepts a realistic ExportItemV3 in a page of getExportItemsV3, and the same item in a v2 page', () => {
      expect(api.validateResponse(exportItemsPage(cardPurchaseExportItem()), 'getExportItemsV3', 200).errors).toBeNull();
      expect(api.validateResponse(exportItemsPage(cardPurchaseExportItem()), 'getExportItemsV2', 200).errors).toBeNull();
      expect(api.validateResponse(page([], { job_id: [JOB_ID] }), 'getExportItemsV3', 200).errors).toBeNull();
    });

    it.each(['amount', 'accountingEntryLines', 'additionalInformation', 'date', 'type'])('rejects an ExportItemV3 without %s', (field) => {
      const item = Object.fromEntries(Object.entries(cardPurchaseExportItem()).filter(([key]) => key !== field));
      const result = api.validateResponse(exportItemsPage(item), 'getExportItemsV3', 200);
      expect(result.valid).toBe(false);
      expect(result.errors).toContainEqual(expect.objectContaining({ keyword: 'required', params: { missingProperty: field } }));
    });

    it('rejects an ExportItemV3 whose type is not an ExportItemType, or whose money is malformed', () => {
      const badType = api.validateResponse(exportItemsPage({ ...cardPurchaseExportItem(), type: 'lunch' }), 'getExportItemsV3', 200);
      expect(badType.errors).toContainEqual(expect.objectContaining({ keyword: 'enum', instancePath: '/data/0/type' }));
      const money = (inSupplierCurrency: unknown, inWalletCurrency: unknown) =>
        api.validateResponse(exportItemsPage({ ...cardPurchaseExportItem(), amount: { inSupplierCurrency, inWalletCurrency } }), 'getExportItemsV3', 200);
      const eur = { currency: 'EUR', value: 12550 };
      expect(money({ currency: 'sek', value: 143900 }, eur).errors).toContainEqual(
        expect.objectContaining({ keyword: 'pattern', instancePath: '/data/0/amount/inSupplierCurrency/currency' }),
      );
      expect(money(eur, { currency: 'EUR', value: 125.5 }).errors).toContainEqual(
        expect.objectContaining({ keyword: 'type', instancePath: '/data/0/amount/inWalletCurrency/value' }),
      );
      const noLines = api.validateResponse(exportItemsPage({ ...cardPurchaseExportItem(), accountingEntryLines: [] }), 'getExportItemsV3', 200);
      expect(noLines.errors).toContainEqual(expect.objectContaining({ keyword: 'minItems' }));
    });

    it('accepts null for every optional object of an ExportItemV3, and its absence', () => {
      const optional = ['bookkeeping', 'contraAccount', 'files', 'note', 'supplier', 'team', 'user', 'vendor', '_links'];
      const nulled = { ...cardPurchaseExportItem(), ...Object.fromEntries(optional.map((field) => [field, null])) };
      expect(api.validateResponse(exportItemsPage(nulled), 'getExportItemsV3', 200).errors).toBeNull();
      const bare = Object.fromEntries(Object.entries(cardPurchaseExportItem()).filter(([field]) => !optional.includes(field)));
      expect(api.validateResponse(exportItemsPage(bare), 'getExportItemsV3', 200).errors).toBeNull();
      // Required objects stay non-null.
      expect(api.validateResponse(exportItemsPage({ ...cardPurchaseExportItem(), amount: null }), 'getExportItemsV3', 200).valid).toBe(false);
    });

    it('declares the 202 of createExportJobEventV3 without content, so only an empty answer fits', () => {
      for (const document of [raw, normalized]) {
        const accepted = operation(document, 'createExportJobEventV3').responses['202'];
        expect(accepted).toEqual({ description: expect.any(String) as unknown });
      }
      expect(api.validateResponse(undefined, 'createExportJobEventV3', 202).errors).toBeNull();
    });

    it('validates event and job-creation request bodies', () => {
      const post = (path: string, body: unknown) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
      const started = { jobId: JOB_ID, event: 'started' };
      expect(api.validateRequest(post('/v3/export-job-events', started), 'createExportJobEventV3').errors).toBeNull();
      const failed = { jobId: JOB_ID, event: 'failed', failureReason: 'ERP login refused', failureReasonType: 'accounting_system_authentication_failure' };
      expect(api.validateRequest(post('/v3/export-job-events', failed), 'createExportJobEventV3').errors).toBeNull();
      expect(api.validateRequest(post('/v3/export-job-events', { ...started, event: 'paused' }), 'createExportJobEventV3').valid).toBe(false);
      expect(api.validateRequest(post('/v3/export-job-events', { event: 'started' }), 'createExportJobEventV3').valid).toBe(false);

      const job = { accountingEntryIds: [ENTRY_ID], companyId: COMPANY_ID, employeeId: null, options: { vendorBasedBookkeeping: true } };
      expect(api.validateRequest(post('/v3/export-jobs', job), 'createExportJobV3').errors).toBeNull();
      expect(api.validateRequest(post('/v2/export-jobs', { ...job, accountingEntryIds: [] }), 'createExportJobV2').valid).toBe(false);
    });

    it('caps the v3 and v2 item updates at 100 entries and takes the v3 failure reasons on v3 only', () => {
      const put = (version: string, body: unknown) => ({ method: 'PUT', path: `/${version}/export-jobs/${JOB_ID}/items`, headers: { 'content-type': 'application/json' }, body });
      const item = { accountingEntryId: ENTRY_ID, status: 'failed', failureReason: 'Vendor missing in the ERP', failureReasonType: 'vendor_unknown' };
      expect(api.validateRequest(put('v3', Array.from({ length: 100 }, () => item)), 'updateExportJobItemsV3').errors).toBeNull();
      const tooMany = api.validateRequest(put('v3', Array.from({ length: 101 }, () => item)), 'updateExportJobItemsV3');
      expect(tooMany.errors).toContainEqual(expect.objectContaining({ keyword: 'maxItems' }));
      expect(api.validateRequest(put('v2', [item]), 'updateExportJobItemsV2').valid).toBe(false);
      expect(api.validateRequest(put('v2', [{ ...item, failureReasonType: 'validation_failure' }]), 'updateExportJobItemsV2').errors).toBeNull();
    });

    it('routes the search, whose path holds a colon, and caps it at 100 accounting entries', () => {
      expect(api.router.matchOperation({ method: 'post', path: '/v3/export-job-items:search', headers: {} })?.operationId).toBe('searchExportJobItemsV3');
      expect(api.router.matchOperation({ method: 'get', path: '/v3/export-job-items', headers: {} })?.operationId).toBe('getExportJobItemV3');
      const search = (accountingEntryIds: string[]) => ({
        method: 'POST',
        path: '/v3/export-job-items:search',
        headers: { 'content-type': 'application/json' },
        body: { companyId: COMPANY_ID, accountingEntryIds, statuses: ['successful'] },
      });
      expect(api.validateRequest(search(Array.from({ length: 100 }, () => ENTRY_ID)), 'searchExportJobItemsV3').errors).toBeNull();
      expect(api.validateRequest(search(Array.from({ length: 101 }, () => ENTRY_ID)), 'searchExportJobItemsV3').valid).toBe(false);
    });
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
