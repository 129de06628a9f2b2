/**
 * Bad requests of every kind answer a 4xx `ExceptionInfo` whose message names the parameter or
 * field at fault; none is a 5xx, and none changes state. Also: the served spec and docs, and
 * trailing slashes on routes.
 */
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/core/model.js';
import { startMock, type TestMock } from '../support/mock.js';
import { readAllItems, type DataResponse, type ExceptionInfo, type Page, type WireItem, type WireJob } from './http-helpers.js';

let mock: TestMock;
let state: StateSnapshot;
let jobId: string;
let entryId: string;
let itemsBefore: WireItem[];

beforeAll(async () => {
  mock = await startMock();
  state = mock.server.store.snapshot();
  const job = state.jobs.find((candidate) => candidate.status === 'pending');
  const item = state.items.find((candidate) => candidate.exportJobId === job?.id);
  if (job === undefined || item === undefined) throw new Error('the seeded state has no pending job with items');
  jobId = job.id;
  entryId = item.accountingEntryId;
  itemsBefore = await readAllItems(mock.client, jobId);
});
afterAll(() => mock.close());

/** One bad request and what it must answer. `{job}` and `{entry}` are replaced by a real pending job and one of its entries. */
interface Case {
  readonly name: string;
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  /** A raw body, sent with `contentType`. */
  readonly body?: string;
  readonly contentType?: string;
  readonly status: number;
  readonly type: string;
  readonly message: RegExp;
  readonly allow?: string;
}

const JSON_TYPE = 'application/json';
const item = (fields: Record<string, unknown>): string => JSON.stringify([{ accountingEntryId: '{entry}', status: 'successful', ...fields }]);

const CASES: readonly Case[] = [
  // Malformed uuid in the path, on every job route.
  { name: 'malformed jobId on GET /v3/export-jobs/{jobId}', method: 'GET', path: '/v3/export-jobs/not-a-uuid', status: 400, type: 'INVALID_PARAMETER', message: /^jobId\b.*not-a-uuid/ },
  { name: 'malformed jobId on GET /v3/export-jobs/{jobId}/items', method: 'GET', path: '/v3/export-jobs/1234/items', status: 400, type: 'INVALID_PARAMETER', message: /^jobId\b.*1234/ },
  { name: 'malformed jobId on GET /v2/export-jobs/{jobId}', method: 'GET', path: '/v2/export-jobs/{job}x', status: 400, type: 'INVALID_PARAMETER', message: /^jobId\b/ },
  { name: 'malformed jobId on PUT /v1/export-jobs/{jobId}/items', method: 'PUT', path: '/v1/export-jobs/not-a-uuid/items', body: '[]', contentType: JSON_TYPE, status: 400, type: 'INVALID_PARAMETER', message: /^jobId\b/ },
  // Query parameters.
  { name: 'malformed company_id', method: 'GET', path: '/v3/export-jobs?company_id=acme', status: 400, type: 'INVALID_PARAMETER', message: /^company_id\b.*acme/ },
  { name: 'unknown enum value in statuses', method: 'GET', path: '/v3/export-jobs?statuses=done', status: 400, type: 'INVALID_PARAMETER', message: /^statuses\b.*done/ },
  { name: 'unknown enum value among repeated statuses', method: 'GET', path: '/v3/export-jobs?statuses=pending&statuses=done', status: 400, type: 'INVALID_PARAMETER', message: /^statuses\b.*done/ },
  { name: 'unknown enum value in status (items)', method: 'GET', path: '/v3/export-jobs/{job}/items?status=done', status: 400, type: 'INVALID_PARAMETER', message: /^status\b.*done/ },
  { name: 'a bad cursor', method: 'GET', path: '/v3/export-jobs/{job}/items?after=AAAA', status: 400, type: 'INVALID_CURSOR', message: /^after\b/ },
  { name: 'a cursor outside the cursor alphabet', method: 'GET', path: '/v3/export-jobs?before=abc!', status: 400, type: 'INVALID_CURSOR', message: /^before\b/ },
  { name: 'a negative limit', method: 'GET', path: '/v3/export-jobs?limit=-5', status: 400, type: 'INVALID_PARAMETER', message: /^limit\b/ },
  { name: 'a negative offset', method: 'GET', path: '/v3/export-jobs/{job}/items?offset=-5', status: 400, type: 'INVALID_PARAMETER', message: /^offset\b/ },
  { name: 'an unknown sorting key', method: 'GET', path: '/v3/export-jobs?sorting_keys=colour&sorting_order=ASC', status: 400, type: 'INVALID_PAGINATION', message: /sorting_keys.*colour/ },
  // Bodies.
  { name: 'malformed JSON body', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: '[{"accountingEntryId": ', contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\b.*JSON/ },
  { name: 'an object instead of an array', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: '{"accountingEntryId":"{entry}","status":"successful"}', contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\b.*array/ },
  { name: 'an item without accountingEntryId', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: '[{"status":"successful"}]', contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\[0\]\.accountingEntryId\b/ },
  { name: 'an item without status', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: '[{"accountingEntryId":"{entry}"}]', contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\[0\]\.status\b/ },
  { name: 'a bad status enum', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: item({ status: 'done' }), contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\[0\]\.status\b.*done/ },
  { name: 'a bad failureReasonType enum', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: item({ status: 'failed', failureReasonType: 'gremlins' }), contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\[0\]\.failureReasonType\b.*gremlins/ },
  { name: 'a bad exportedAt', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: item({ exportedAt: 'yesterday' }), contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\[0\]\.exportedAt\b.*yesterday/ },
  { name: 'a number instead of a string (externalId)', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: item({ externalId: 42 }), contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\[0\]\.externalId\b.*string/ },
  { name: 'a malformed accountingEntryId', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: item({ accountingEntryId: 'entry-1' }), contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\[0\]\.accountingEntryId\b.*entry-1/ },
  { name: 'a null item', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: '[null]', contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\[0\]/ },
  { name: 'a text/plain body', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: item({}), contentType: 'text/plain', status: 415, type: 'UNSUPPORTED_MEDIA_TYPE', message: /Content-Type/ },
  { name: 'an empty JSON body', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: '', contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /^body: expected a JSON array of items/ },
  { name: 'no body at all', method: 'PUT', path: '/v1/export-jobs/{job}/items', status: 400, type: 'INVALID_REQUEST_BODY', message: /^body\b/ },
  { name: 'a __proto__ key in the body', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: '[{"accountingEntryId":"{entry}","status":"successful","__proto__":{"status":"failed"}}]', contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /body\[0\]\.__proto__/ },
  { name: 'a constructor key in the body', method: 'PUT', path: '/v1/export-jobs/{job}/items', body: '[{"accountingEntryId":"{entry}","status":"successful","constructor":{"prototype":{}}}]', contentType: JSON_TYPE, status: 400, type: 'INVALID_REQUEST_BODY', message: /body\[0\]\.constructor/ },
  // Routing.
  { name: 'an unknown route', method: 'GET', path: '/v3/export-receipts', status: 404, type: 'ROUTE_NOT_FOUND', message: /\/v3\/export-receipts/ },
  { name: 'an unknown version', method: 'GET', path: '/v9/export-jobs', status: 404, type: 'ROUTE_NOT_FOUND', message: /\/v9\/export-jobs/ },
  { name: 'a wrong method on a list', method: 'DELETE', path: '/v3/export-jobs', status: 405, type: 'METHOD_NOT_ALLOWED', message: /DELETE/, allow: 'GET, POST, HEAD' },
  { name: 'a wrong method on a job', method: 'DELETE', path: '/v3/export-jobs/{job}', status: 405, type: 'METHOD_NOT_ALLOWED', message: /DELETE/, allow: 'GET, HEAD' },
  { name: 'GET on the v1 item update', method: 'GET', path: '/v1/export-jobs/{job}/items', status: 405, type: 'METHOD_NOT_ALLOWED', message: /GET/, allow: 'PUT' },
  { name: 'a malformed percent-encoding in the path', method: 'GET', path: '/v3/export-jobs/%zz', status: 400, type: 'INVALID_PARAMETER', message: /path|percent/ },
];

function fill(text: string): string {
  return text.replaceAll('{job}', jobId).replaceAll('{entry}', entryId);
}

describe('bad requests answer ExceptionInfo naming what was wrong', () => {
  it.each(CASES)('$name -> $status $type', async (testCase) => {
    const headers: Record<string, string> = testCase.contentType === undefined ? {} : { 'content-type': testCase.contentType };
    const options = testCase.body === undefined ? { headers } : { headers, raw: fill(testCase.body) };
    const response = await mock.client.request<ExceptionInfo>(testCase.method, fill(testCase.path), options);
    expect(response.status).toBeLessThan(500);
    expect(response.status).toBe(testCase.status);
    expect(response.body.type).toBe(testCase.type);
    expect(response.body.message).toMatch(testCase.message);
    if (testCase.allow !== undefined) expect(response.headers.allow).toBe(testCase.allow);
  });

  it('none of the bad requests changed the job or its items', async () => {
    expect(await readAllItems(mock.client, jobId)).toEqual(itemsBefore);
    const job = await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${jobId}`);
    expect(job.body.data.lastUpdatedAt).toBeNull();
  });
});

describe('unknown query parameters', () => {
  // The how-to pages write `companyId` where the reference has `company_id`: an integration that
  // copies them must not silently get every company's jobs.
  it('refuses an unknown query parameter with 400 INVALID_PARAMETER', async () => {
    const company = state.companies[0]?.id ?? '';
    const response = await mock.client.get<ExceptionInfo>(`/v3/export-jobs?companyId=${company}`);
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('INVALID_PARAMETER');
  });

  it('names the unknown query parameter and those the operation accepts', async () => {
    const company = state.companies[0]?.id ?? '';
    const response = await mock.client.get<ExceptionInfo>(`/v3/export-jobs?companyId=${company}`);
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('companyId: not a query parameter of this operation; it accepts company_id, statuses, before, after, offset, limit, sorting_keys, sorting_order');
  });
});

describe('served documents and routing details', () => {
  it('answers HEAD on a GET operation like GET, without a body', async () => {
    const head = await undiciRequest(`${mock.server.url}/v3/export-jobs`, { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(String(head.headers['content-type'])).toBe('application/json;charset=UTF-8');
    expect(await head.body.text()).toBe('');
  });

  it('treats uuids case-insensitively, answering in lowercase', async () => {
    const response = await mock.client.get<{ data: { id: string } }>(`/v3/export-jobs/${jobId.toUpperCase()}`);
    expect(response.status).toBe(200);
    expect(response.body.data.id).toBe(jobId);
  });

  it('serves the normalized spec at /openapi.json with its 17 operations', async () => {
    const response = await undiciRequest(`${mock.server.url}/openapi.json`);
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['content-type'])).toMatch(/^application\/json/);
    const document = (await response.body.json()) as { openapi: string; paths: Record<string, Record<string, { operationId?: string }>> };
    expect(document.openapi).toMatch(/^3\./);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId ?? ''}`),
    );
    expect(operations.sort()).toEqual([
      'GET /v2/export-items getExportItemsV2',
      'GET /v2/export-jobs getExportJobsListV2',
      'GET /v2/export-jobs/{jobId} getExportJobByIdV2',
      'GET /v2/export-jobs/{jobId}/items getExportJobItemsV2',
      'GET /v3/export-items getExportItemsV3',
      'GET /v3/export-job-items getExportJobItemV3',
      'GET /v3/export-jobs getExportJobsListV3',
      'GET /v3/export-jobs/{jobId} getExportJobByIdV3',
      'GET /v3/export-jobs/{jobId}/items getExportJobItemsV3',
      'POST /v2/export-job-events createExportJobEventV2',
      'POST /v2/export-jobs createExportJobV2',
      'POST /v3/export-job-events createExportJobEventV3',
      'POST /v3/export-job-items:search searchExportJobItemsV3',
      'POST /v3/export-jobs createExportJobV3',
      'PUT /v1/export-jobs/{jobId}/items updateExportJobItemsV1',
      'PUT /v2/export-jobs/{jobId}/items updateExportJobItemsV2',
      'PUT /v3/export-jobs/{jobId}/items updateExportJobItemsV3',
    ]);
  });

  it('serves the API docs as HTML at /docs/', async () => {
    const response = await undiciRequest(`${mock.server.url}/docs/`);
    expect(response.statusCode).toBe(200);
    expect(String(response.headers['content-type'])).toMatch(/^text\/html/);
    const html = await response.body.text();
    expect(html).toMatch(/<html/i);
    expect(html).toMatch(/swagger-ui/i);
  });

  it('offers both the Export API and the admin API in the docs, served from this server', async () => {
    const initializer = await (await undiciRequest(`${mock.server.url}/docs/static/swagger-initializer.js`)).body.text();
    expect(initializer).toContain('"url":"/openapi.json","name":"Export API"');
    expect(initializer).toContain('"url":"/admin-openapi.json","name":"pleo-export-mock admin API"');
    const admin = await undiciRequest(`${mock.server.url}/admin-openapi.json`);
    const document = (await admin.body.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).sort()).toEqual(['/__admin/clock', '/__admin/faults', '/__admin/requests', '/__admin/reset', '/__admin/state']);
  });

  it('accepts a trailing slash on routes', async () => {
    const plain = await mock.client.get<Page<WireJob>>('/v3/export-jobs?limit=5');
    const slashed = await mock.client.get<Page<WireJob>>('/v3/export-jobs/?limit=5');
    expect(slashed.status).toBe(200);
    expect(slashed.text).toBe(plain.text);
    const job = await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${jobId}/`);
    expect(job.status).toBe(200);
    expect(job.body.data.id).toBe(jobId);
    const items = await mock.client.get<Page<WireItem>>(`/v3/export-jobs/${jobId}/items/?limit=1`);
    expect(items.status).toBe(200);
    expect(items.body.data).toHaveLength(1);
  });
});
