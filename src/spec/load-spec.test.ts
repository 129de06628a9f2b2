import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, describe, expect, it } from 'vitest';
import { exportApiSpecPath, loadExportApiSpec, loadNormalizedExportApiSpec } from './load-spec.js';
import { normalizeSpec } from './quirks.js';

/** `METHOD path operationId` for every operation, in file order. */
function operationIndex(document: OpenAPIV3.Document): string[] {
  const index: string[] = [];
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem?.[method];
      if (operation !== undefined) index.push(`${method.toUpperCase()} ${path} ${operation.operationId ?? '?'}`);
    }
  }
  return index;
}

function schema(document: OpenAPIV3.Document, name: string): OpenAPIV3.SchemaObject {
  const found = document.components?.schemas?.[name];
  if (found === undefined || '$ref' in found) throw new Error(`no inline component schema ${name}`);
  return found;
}

function propertyEnum(document: OpenAPIV3.Document, schemaName: string, propertyName: string): unknown[] {
  const found = schema(document, schemaName).properties?.[propertyName];
  if (found === undefined || '$ref' in found) throw new Error(`no inline property ${schemaName}.${propertyName}`);
  return found.enum ?? [];
}

function getOperation(document: OpenAPIV3.Document, path: string): OpenAPIV3.OperationObject {
  const found = document.paths[path]?.get;
  if (found === undefined) throw new Error(`no GET ${path}`);
  return found;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];

/** Every operation by operationId, with its method and path. */
function operationsById(document: OpenAPIV3.Document): Map<string, { method: Method; path: string; operation: OpenAPIV3.OperationObject }> {
  const found = new Map<string, { method: Method; path: string; operation: OpenAPIV3.OperationObject }>();
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = pathItem?.[method];
      if (operation?.operationId !== undefined) found.set(operation.operationId, { method, path, operation });
    }
  }
  return found;
}

function operationById(document: OpenAPIV3.Document, operationId: string): OpenAPIV3.OperationObject {
  const found = operationsById(document).get(operationId)?.operation;
  if (found === undefined) throw new Error(`no operation ${operationId}`);
  return found;
}

/** The schema of a request body or response under Pleo's media type (the raw file declares no other). */
function charsetSchema(body: OpenAPIV3.RequestBodyObject | OpenAPIV3.ResponseObject | OpenAPIV3.ReferenceObject | undefined): unknown {
  if (body === undefined || '$ref' in body) return undefined;
  return body.content?.['application/json;charset=UTF-8']?.schema;
}

function parameterNames(operation: OpenAPIV3.OperationObject): string[] {
  return (operation.parameters ?? []).map((parameter) => ('name' in parameter ? parameter.name : parameter.$ref));
}

/** The comment block above `openapi:`: the provenance header. */
function provenanceHeader(): string {
  const text = readFileSync(exportApiSpecPath(), 'utf8');
  return text.slice(0, text.indexOf('\nopenapi:'));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The component schemas copied from Pleo's seed pages; every other one is written from api-notes.md. */
const VERBATIM_SCHEMAS = [
  'CursorPageCurrentRequestInfo',
  'CursorPageInfo',
  'CursorPaginatedResponseExportJobItemV3',
  'CursorPaginatedResponseExportJobV3',
  'DataResponseExportJob',
  'ExceptionInfo',
  'ExportJob',
  'ExportJobItem',
  'ExportJobItemStatus',
  'ExportJobItemUpdate',
  'ExportJobItemUpdateError',
  'ExportJobItemV3',
  'ExportJobStatus',
  'ExportJobV3',
  'PageOrder',
  'UpdateExportJobItem',
];

/** The pagination parameters of every list operation, as the seeded GET /v3/export-jobs declares them. */
const PAGINATION_PARAMETERS = ['before', 'after', 'offset', 'limit', 'sorting_keys', 'sorting_order'];

describe('exportApiSpecPath', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'load-spec-'));
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  function tree(files: readonly string[]): string {
    const root = mkdtempSync(join(scratch, 'tree-'));
    for (const file of files) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), file.endsWith('.json') ? '{}' : 'openapi: 3.0.1\npaths: {}\n');
    }
    return root;
  }

  it('finds the YAML file of this repository from the sources', () => {
    expect(exportApiSpecPath()).toMatch(/[/\\]openapi[/\\]export-api\.yaml$/);
    expect(readFileSync(exportApiSpecPath(), 'utf8')).toContain('openapi: 3.0.1');
  });

  it('finds the file from the compiled layout of the published package (dist/src/spec)', () => {
    const root = tree(['package.json', 'openapi/export-api.yaml']);
    const compiledDir = join(root, 'dist', 'src', 'spec');
    mkdirSync(compiledDir, { recursive: true });
    expect(exportApiSpecPath(compiledDir)).toBe(join(root, 'openapi', 'export-api.yaml'));
  });

  it('stops at the package root and says where it looked', () => {
    // A spec above the package must not be picked up in place of the package's own.
    const outer = tree(['openapi/export-api.yaml', 'pkg/package.json']);
    const compiledDir = join(outer, 'pkg', 'dist', 'src', 'spec');
    mkdirSync(compiledDir, { recursive: true });
    expect(() => exportApiSpecPath(compiledDir)).toThrow(/Cannot find openapi[/\\]export-api\.yaml.*dist[/\\]src[/\\]spec.*pkg/);
  });
});

describe('loadExportApiSpec (the file as written)', () => {
  const raw = loadExportApiSpec();

  it('starts with a comment naming what is verbatim from Pleo and what is written from api-notes.md', () => {
    const header = readFileSync(exportApiSpecPath(), 'utf8').split('\n').slice(0, 20).join('\n');
    expect(header).toMatch(/^# /);
    expect(header).toContain('32.4.0');
    expect(header).toContain('VERBATIM');
    expect(header).toContain('api-notes.md');
  });

  it('is OpenAPI 3.0.1, spec version 32.4.0, with both security schemes', () => {
    expect(raw.openapi).toBe('3.0.1');
    expect(raw.info.version).toBe('32.4.0');
    expect(raw.security).toEqual([{ bearerAuth: [] }, { basicAuth: [] }]);
    expect(Object.keys(raw.components?.securitySchemes ?? {})).toEqual(['bearerAuth', 'basicAuth']);
  });

  it('has exactly the 17 operations the mock serves: 4 verbatim, 13 written from api-notes.md', () => {
    expect(operationIndex(raw)).toEqual([
      'GET /v3/export-jobs getExportJobsListV3',
      'POST /v3/export-jobs createExportJobV3',
      'GET /v3/export-jobs/{jobId} getExportJobByIdV3',
      'GET /v3/export-jobs/{jobId}/items getExportJobItemsV3',
      'PUT /v3/export-jobs/{jobId}/items updateExportJobItemsV3',
      'POST /v3/export-job-events createExportJobEventV3',
      'GET /v3/export-job-items getExportJobItemV3',
      'POST /v3/export-job-items:search searchExportJobItemsV3',
      'GET /v3/export-items getExportItemsV3',
      'GET /v2/export-jobs getExportJobsListV2',
      'POST /v2/export-jobs createExportJobV2',
      'GET /v2/export-jobs/{jobId} getExportJobByIdV2',
      'GET /v2/export-jobs/{jobId}/items getExportJobItemsV2',
      'PUT /v2/export-jobs/{jobId}/items updateExportJobItemsV2',
      'POST /v2/export-job-events createExportJobEventV2',
      'GET /v2/export-items getExportItemsV2',
      'PUT /v1/export-jobs/{jobId}/items updateExportJobItemsV1',
    ]);
  });

  // The operations table of docs/issue-3-contract.md, one row each: the names the spec, the
  // generator and the server agreed on. `body` is the request body's schema (undefined: none).
  const contract: readonly {
    method: Method;
    path: string;
    operationId: string;
    tag: string;
    body: unknown;
    status: string;
    response: unknown;
  }[] = [
    { method: 'post', path: '/v3/export-jobs', operationId: 'createExportJobV3', tag: 'Export API (v3)', body: ref('CreateExportJob'), status: '201', response: ref('DataResponseExportJobV3') },
    { method: 'post', path: '/v3/export-job-events', operationId: 'createExportJobEventV3', tag: 'Export API (v3)', body: ref('CreateExportJobEvent'), status: '202', response: undefined },
    { method: 'put', path: '/v3/export-jobs/{jobId}/items', operationId: 'updateExportJobItemsV3', tag: 'Export API (v3)', body: { type: 'array', items: ref('UpdateExportJobItemV3') }, status: '200', response: ref('ExportJobItemUpdateV3') },
    { method: 'get', path: '/v3/export-items', operationId: 'getExportItemsV3', tag: 'Export Items (v3)', body: undefined, status: '200', response: ref('CursorPaginatedResponseExportItemV3') },
    { method: 'get', path: '/v3/export-job-items', operationId: 'getExportJobItemV3', tag: 'Export API (v3)', body: undefined, status: '200', response: ref('DataResponseExportJobItemV3') },
    { method: 'post', path: '/v3/export-job-items:search', operationId: 'searchExportJobItemsV3', tag: 'Export API (v3)', body: ref('SearchExportJobItems'), status: '200', response: ref('DataResponseListExportJobItemV3') },
    { method: 'get', path: '/v2/export-jobs', operationId: 'getExportJobsListV2', tag: 'Export API (v2)', body: undefined, status: '200', response: ref('CursorPaginatedResponseExportJob') },
    { method: 'get', path: '/v2/export-jobs/{jobId}/items', operationId: 'getExportJobItemsV2', tag: 'Export API (v2)', body: undefined, status: '200', response: ref('CursorPaginatedResponseExportJobItem') },
    { method: 'put', path: '/v2/export-jobs/{jobId}/items', operationId: 'updateExportJobItemsV2', tag: 'Export API (v2)', body: { type: 'array', items: ref('UpdateExportJobItem') }, status: '200', response: ref('ExportJobItemUpdate') },
    { method: 'post', path: '/v2/export-job-events', operationId: 'createExportJobEventV2', tag: 'Export API (v2)', body: ref('CreateExportJobEvent'), status: '202', response: undefined },
    { method: 'post', path: '/v2/export-jobs', operationId: 'createExportJobV2', tag: 'Export API (v2)', body: ref('CreateExportJob'), status: '201', response: ref('DataResponseExportJob') },
    { method: 'get', path: '/v2/export-items', operationId: 'getExportItemsV2', tag: 'Export Items (v2)', body: undefined, status: '200', response: ref('CursorPaginatedResponseExportItem') },
  ];

  it.each(contract)('declares $operationId as in docs/issue-3-contract.md: $method $path, $status', (row) => {
    const found = operationsById(raw).get(row.operationId);
    expect(found, row.operationId).toMatchObject({ method: row.method, path: row.path });
    const operation = operationById(raw, row.operationId);
    expect(operation.tags).toEqual([row.tag]);
    expect(operation.summary).toEqual(expect.any(String));
    expect(operation.description).toEqual(expect.any(String));
    expect(charsetSchema(operation.requestBody)).toEqual(row.body);
    if (row.body !== undefined) expect(operation.requestBody).toMatchObject({ required: true });
    // One success status: the contract's.
    expect(Object.keys(operation.responses).filter((status) => status.startsWith('2'))).toEqual([row.status]);
    expect(charsetSchema(operation.responses[row.status])).toEqual(row.response);
  });

  it('declares the 202 of both event operations with a description and no content', () => {
    for (const operationId of ['createExportJobEventV3', 'createExportJobEventV2']) {
      const accepted = operationById(raw, operationId).responses['202'];
      expect(accepted, operationId).toEqual({ description: expect.any(String) as unknown });
    }
  });

  it('declares each component schema once: 16 verbatim from the seeds, 38 written from api-notes.md', () => {
    const names = Object.keys(raw.components?.schemas ?? {});
    expect(names).toHaveLength(54);
    expect(names.filter((name) => !VERBATIM_SCHEMAS.includes(name)).sort()).toEqual(
      [
        // v3 jobs
        'DataResponseExportJobV3',
        'ExportJobFailureReasonType',
        'CreateExportJob',
        'CreateExportJobOptions',
        'CreateExportJobEvent',
        'ExportJobEventType',
        // v3 job items
        'ExportJobItemFailureReasonType',
        'UpdateExportJobItemV3',
        'ExportJobItemUpdateV3',
        'SearchExportJobItems',
        'DataResponseExportJobItemV3',
        'DataResponseListExportJobItemV3',
        // v3 export items
        'CursorPaginatedResponseExportItemV3',
        'ExportItemV3',
        'ExportItemType',
        'ExportItemAmount',
        'Money',
        'AccountingEntryLine',
        'Account',
        'Tag',
        'Tax',
        'TaxType',
        'AdditionalInformation',
        'Attendee',
        'InvoiceInformation',
        'ReconciledEntry',
        'Bookkeeping',
        'BookkeepingMethod',
        'ExportItemFile',
        'Supplier',
        'Team',
        'ExportItemUser',
        'Vendor',
        'ExportItemLinks',
        // v2
        'CursorPaginatedResponseExportJob',
        'CursorPaginatedResponseExportJobItem',
        'CursorPaginatedResponseExportItem',
        'ExportItem',
      ].sort(),
    );
    expect(names.filter((name) => VERBATIM_SCHEMAS.includes(name))).toHaveLength(VERBATIM_SCHEMAS.length);
  });

  it('lists every operation and schema written from api-notes.md in the provenance header', () => {
    const header = provenanceHeader();
    const written = header.slice(header.indexOf('WRITTEN from api-notes.md'));
    for (const [operationId, { method, path }] of operationsById(raw)) {
      const line = new RegExp(`^#\\s+${method.toUpperCase()}\\s+${path.replace(/[{}]/g, '\\$&')}\\s+${operationId}\\b`, 'm');
      expect(header, operationId).toMatch(line);
    }
    for (const name of Object.keys(raw.components?.schemas ?? {})) {
      if (!VERBATIM_SCHEMAS.includes(name)) expect(written, name).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it('gives every list operation the six pagination parameters of GET /v3/export-jobs, after its own filters', () => {
    const seeded = operationById(raw, 'getExportJobsListV3').parameters ?? [];
    const pagination = seeded.filter((parameter) => 'name' in parameter && PAGINATION_PARAMETERS.includes(parameter.name));
    expect(pagination).toHaveLength(6);
    const lists: Record<string, string[]> = {
      getExportJobsListV3: ['company_id', 'statuses'],
      getExportJobItemsV3: ['jobId', 'status'],
      getExportItemsV3: ['job_id'],
      getExportJobsListV2: ['company_id', 'statuses'],
      getExportJobItemsV2: ['jobId', 'status'],
      getExportItemsV2: ['job_id'],
    };
    for (const [operationId, filters] of Object.entries(lists)) {
      const operation = operationById(raw, operationId);
      expect(parameterNames(operation), operationId).toEqual([...filters, ...PAGINATION_PARAMETERS]);
      expect(operation.parameters?.slice(filters.length), operationId).toEqual(pagination);
    }
    // No other operation pages.
    for (const [operationId, { operation }] of operationsById(raw)) {
      if (!(operationId in lists)) expect(parameterNames(operation), operationId).not.toContain('limit');
    }
  });

  it('declares the v2 list filters like v3 and job_id of the export items as a required uuid', () => {
    const v3 = operationById(raw, 'getExportJobsListV3').parameters ?? [];
    expect(operationById(raw, 'getExportJobsListV2').parameters?.slice(0, 2)).toEqual(v3.slice(0, 2));
    expect(operationById(raw, 'getExportJobItemsV2').parameters?.slice(0, 2)).toEqual(operationById(raw, 'getExportJobItemsV3').parameters?.slice(0, 2));
    for (const operationId of ['getExportItemsV3', 'getExportItemsV2']) {
      expect(operationById(raw, operationId).parameters?.[0], operationId).toMatchObject({
        name: 'job_id',
        in: 'query',
        required: true,
        style: 'form',
        explode: true,
        schema: { type: 'string', format: 'uuid' },
      });
    }
    expect(operationById(raw, 'getExportJobItemV3').parameters).toEqual([
      expect.objectContaining({ name: 'company_id', in: 'query', required: true, schema: { type: 'string', format: 'uuid' } }),
      expect.objectContaining({ name: 'accounting_entry_id', in: 'query', required: true, schema: { type: 'string', format: 'uuid' } }),
    ]);
  });

  it('documents exactly these error responses, each an ExceptionInfo with an example of its type', () => {
    const documented: string[] = [];
    for (const [operationId, { operation }] of operationsById(raw)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^[45]/.test(status) || '$ref' in response) continue;
        const media = response.content?.['application/json;charset=UTF-8'];
        expect(media?.schema, `${operationId} ${status}`).toEqual(ref('ExceptionInfo'));
        expect(media?.example, `${operationId} ${status}`).toEqual({ type: expect.any(String) as unknown, message: expect.any(String) as unknown });
        documented.push(`${operationId} ${status} ${String((media?.example as { type?: unknown } | undefined)?.type)}`);
      }
    }
    expect(documented.sort()).toEqual(
      [
        // seeded
        'getExportJobItemsV3 404 EXPORT_NOT_FOUND',
        'getExportJobByIdV2 404 EXPORT_NOT_FOUND',
        // written (GET /v3/export-jobs/{jobId} before issue 3, the rest now)
        'getExportJobByIdV3 404 EXPORT_NOT_FOUND',
        ...['V3', 'V2'].flatMap((v) => [
          `createExportJob${v} 400 MISSING_CONTRA_ACCOUNTS`,
          `createExportJob${v} 409 EXPORT_ALREADY_IN_PROGRESS`,
          `createExportJobEvent${v} 404 EXPORT_NOT_FOUND`,
          `createExportJobEvent${v} 422 INVALID_EXPORT_JOB_STATUS_CHANGE`,
          `updateExportJobItems${v} 404 EXPORT_NOT_FOUND`,
          `updateExportJobItems${v} 413 EXPORT_JOB_ITEMS_UPDATE_LIMIT`,
          `updateExportJobItems${v} 422 EXPORT_JOB_STATUS_UNPROCESSABLE`,
          `getExportItems${v} 400 MISSING_CONTRA_ACCOUNTS`,
          `getExportItems${v} 404 EXPORT_NOT_FOUND`,
          `getExportItems${v} 422 EXPORT_JOB_STATUS_UNPROCESSABLE`,
        ]),
        'getExportJobItemsV2 404 EXPORT_NOT_FOUND',
        'getExportJobItemV3 404 EXPORT_ENTRY_NOT_FOUND',
      ].sort(),
    );
  });

  it('caps SearchExportJobItems at 100 accounting entries in the schema itself', () => {
    expect(schema(raw, 'SearchExportJobItems').properties?.accountingEntryIds).toMatchObject({ type: 'array', minItems: 1, maxItems: 100 });
    expect(schema(raw, 'SearchExportJobItems').required?.slice().sort()).toEqual(['accountingEntryIds', 'companyId']);
  });

  it('declares the enums of the export items and events as components', () => {
    expect(schema(raw, 'ExportItemType').enum).toHaveLength(17);
    expect(schema(raw, 'TaxType').enum).toEqual(['inclusive', 'exclusive', 'reverse']);
    expect(schema(raw, 'BookkeepingMethod').enum).toEqual(['none', 'journal', 'accounts_payable']);
    expect(schema(raw, 'ExportJobEventType').enum).toEqual(['started', 'failed', 'completed', 'completed_with_errors']);
    expect(schema(raw, 'ExportItemV3').properties?.type).toEqual(ref('ExportItemType'));
    expect(schema(raw, 'ExportItem').allOf).toEqual([ref('ExportItemV3')]);
  });

  it('gives the v3 item update the v3 failure reasons and the seeded v1 shape otherwise', () => {
    const v3 = schema(raw, 'UpdateExportJobItemV3');
    const v1 = schema(raw, 'UpdateExportJobItem');
    expect(v3.required).toEqual(v1.required);
    expect(Object.keys(v3.properties ?? {})).toEqual(Object.keys(v1.properties ?? {}));
    expect(v3.properties?.failureReasonType).toEqual(ref('ExportJobItemFailureReasonType'));
    expect(v3.properties?.status).toEqual(ref('ExportJobItemStatus'));
  });

  it('keeps the published quirks (they are corrected only by normalizeSpec)', () => {
    const createdAt = schema(raw, 'ExportJobV3').properties?.createdAt;
    expect(createdAt).toMatchObject({ pattern: 'YYYY-MM-DDTHH:mi:ssZ', format: 'date-time' });
    expect(Object.keys(getOperation(raw, '/v3/export-jobs').responses['200'] ?? {})).toContain('content');
    expect(JSON.stringify(raw)).not.toContain('"application/json"');
  });

  it('takes ExportJobFailureReasonType from v2 and ExportJobItemFailureReasonType from v1 plus the v3 additions', () => {
    expect(schema(raw, 'ExportJobFailureReasonType')).toMatchObject({ type: 'string' });
    expect(schema(raw, 'ExportJobFailureReasonType').enum).toEqual(propertyEnum(raw, 'ExportJob', 'failureReasonType'));
    expect(schema(raw, 'ExportJobFailureReasonType').enum).toHaveLength(15);
    expect(schema(raw, 'ExportJobItemFailureReasonType').enum).toEqual([
      ...propertyEnum(raw, 'ExportJobItem', 'failureReasonType'),
      'vendor_unknown',
      'account_unknown',
      'tax_code_unknown',
      'tag_unknown',
    ]);
  });

  it('describes GET /v3/export-jobs/{jobId} like its v2 counterpart, with the v3 job schema', () => {
    const v3 = getOperation(raw, '/v3/export-jobs/{jobId}');
    const v2 = getOperation(raw, '/v2/export-jobs/{jobId}');
    expect(v3.tags).toEqual(['Export API (v3)']);
    expect(v3.parameters).toEqual(v2.parameters);
    expect(v3.responses['404']).toEqual(v2.responses['404']);
    expect(v3.responses['200']).toMatchObject({
      content: { 'application/json;charset=UTF-8': { schema: { $ref: '#/components/schemas/DataResponseExportJobV3' } } },
    });
    expect(schema(raw, 'DataResponseExportJobV3')).toEqual({
      required: ['data'],
      type: 'object',
      properties: { data: { $ref: '#/components/schemas/ExportJobV3' } },
    });
  });

  it('returns a fresh copy on each call, so callers cannot corrupt the cache', () => {
    const first = loadExportApiSpec();
    first.info.version = 'changed';
    delete first.paths['/v3/export-jobs'];
    const second = loadExportApiSpec();
    expect(second.info.version).toBe('32.4.0');
    expect(second.paths['/v3/export-jobs']).toBeDefined();
    expect(Object.isFrozen(second)).toBe(false);
  });
});

describe('loadNormalizedExportApiSpec', () => {
  it('equals normalizeSpec applied to the raw document', () => {
    expect(loadNormalizedExportApiSpec()).toEqual(normalizeSpec(loadExportApiSpec()));
  });

  it('returns a fresh copy on each call', () => {
    const first = loadNormalizedExportApiSpec();
    first.info.title = 'changed';
    expect(loadNormalizedExportApiSpec().info.title).toBe('Export API');
  });
});
