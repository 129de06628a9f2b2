import { beforeAll, describe, expect, it } from 'vitest';
import type { Exchange, ProbeMethod } from './server-http.js';
import { ResponseSpecChecker } from './server-spec.js';

function exchange(method: ProbeMethod, url: string, status: number, body: unknown, contentType = 'application/json;charset=UTF-8'): Exchange {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  let jsonError: string | undefined;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch (error) {
    jsonError = String(error);
  }
  return { method, url, requestBody: undefined, status, contentType, text, json, jsonError, failure: undefined, at: '2026-01-05T09:00:00.000Z' };
}

const JOB = {
  id: '0b7c1c55-0c4e-4a52-9a7e-3f2f3c1d9b01',
  companyId: 'a3a0c1de-8d2c-4f4e-9b4e-2c6a1f0e7d11',
  createdAt: '2026-01-01T09:00:00Z',
  createdBy: null,
  expiresIn: 3600,
  isInteractive: true,
  vendorBasedBookkeeping: false,
  status: 'pending',
  numberOfItems: 2,
  startedAt: null,
  completedAt: null,
  expiredAt: null,
  lastUpdatedAt: null,
  failureReason: null,
  failureReasonType: null,
};
const PAGINATION = { hasNextPage: false, hasPreviousPage: false, currentRequestPagination: { parameters: {}, sortingKeys: [], sortingOrder: [] }, total: 1 };

let spec: ResponseSpecChecker;
beforeAll(async () => {
  spec = await ResponseSpecChecker.create();
});

describe('ResponseSpecChecker', () => {
  it('accepts valid answers: a page, an error, an event without a body', () => {
    expect(spec.problems(exchange('GET', '/v3/export-jobs?limit=5', 200, { data: [JOB], pagination: PAGINATION }))).toEqual([]);
    expect(spec.problems(exchange('GET', '/v3/export-jobs/nope', 400, { type: 'INVALID_PARAMETER', message: "jobId: 'nope' is not a valid uuid" }))).toEqual([]);
    expect(spec.problems(exchange('POST', '/v3/export-job-events', 202, undefined, ''))).toEqual([]);
    expect(spec.operationId(exchange('GET', '/v3/export-jobs/x/items?status=pending', 200, {}))).toBe('getExportJobItemsV3');
  });

  it('finds a body that breaks the schema, naming the operation and the field', () => {
    expect(spec.problems(exchange('GET', '/v3/export-jobs', 200, { data: [{ ...JOB, status: 'done' }], pagination: PAGINATION }))).toEqual([
      'getExportJobsListV3 200: /data/0/status must be equal to one of the allowed values',
    ]);
  });

  it('finds a status the operation does not declare', () => {
    expect(spec.problems(exchange('GET', '/v3/export-jobs', 418, { type: 'TEAPOT', message: 'x' }))).toEqual(['getExportJobsListV3 does not declare status 418']);
  });

  it('finds an error that is not ExceptionInfo', () => {
    expect(spec.problems(exchange('GET', '/v3/export-jobs/x', 404, { error: 'not found' }))).toEqual([
      'the error type is not a SCREAMING_SNAKE string: undefined',
      'the error has no message',
      'the error has fields beyond ExceptionInfo: error',
      "getExportJobByIdV3 404: (body) must have required property 'type'",
    ]);
  });

  it('finds a body that is not JSON, an empty body where one is declared, and a body where none is', () => {
    expect(spec.problems(exchange('GET', '/v3/export-jobs', 200, '<html></html>', 'text/html'))).toEqual([
      "content-type is 'text/html', not JSON",
      expect.stringMatching(/^the body is not JSON/) as unknown,
    ]);
    expect(spec.problems(exchange('GET', '/v3/export-jobs', 200, undefined, ''))).toEqual(['getExportJobsListV3 200 declares a body, but the response is empty']);
    expect(spec.problems(exchange('POST', '/v3/export-job-events', 202, { ok: true }))).toEqual(['createExportJobEventV3 202 declares no body, but one was sent']);
  });

  it('judges nothing when no answer arrived, and names a path outside the spec', () => {
    expect(spec.problems({ ...exchange('GET', '/v3/export-jobs', 0, undefined, ''), failure: 'connect ECONNREFUSED' })).toEqual([]);
    expect(spec.problems(exchange('GET', '/v9/nothing', 200, {}))).toEqual(['no operation of the spec matches GET /v9/nothing']);
  });
});
