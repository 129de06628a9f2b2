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

  it('has exactly the five operations the mock serves', () => {
    expect(operationIndex(raw)).toEqual([
      'GET /v3/export-jobs getExportJobsListV3',
      'GET /v3/export-jobs/{jobId} getExportJobByIdV3',
      'GET /v3/export-jobs/{jobId}/items getExportJobItemsV3',
      'GET /v2/export-jobs/{jobId} getExportJobByIdV2',
      'PUT /v1/export-jobs/{jobId}/items updateExportJobItemsV1',
    ]);
  });

  it('declares each component schema once, including the three written from api-notes.md', () => {
    expect(Object.keys(raw.components?.schemas ?? {}).sort()).toEqual(
      [
        'CursorPageCurrentRequestInfo',
        'CursorPageInfo',
        'CursorPaginatedResponseExportJobItemV3',
        'CursorPaginatedResponseExportJobV3',
        'DataResponseExportJob',
        'DataResponseExportJobV3',
        'ExceptionInfo',
        'ExportJob',
        'ExportJobFailureReasonType',
        'ExportJobItem',
        'ExportJobItemFailureReasonType',
        'ExportJobItemStatus',
        'ExportJobItemUpdate',
        'ExportJobItemUpdateError',
        'ExportJobItemV3',
        'ExportJobStatus',
        'ExportJobV3',
        'PageOrder',
        'UpdateExportJobItem',
      ].sort(),
    );
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
