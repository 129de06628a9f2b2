/** The response validator must be able to fail, or "every response is validated" means nothing. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ResponseValidator } from './spec-client.js';

const JSON_TYPE = 'application/json;charset=UTF-8';
const JOB = '/v3/export-jobs/3f0e5bde-6a51-4c8e-9d0e-8d2b1c7a4e21';
let validator: ResponseValidator;

beforeAll(async () => {
  validator = await ResponseValidator.create();
});

describe('ResponseValidator', () => {
  it('accepts a conforming error body', () => {
    expect(validator.problems('GET', JOB, 404, JSON_TYPE, '{"type":"EXPORT_NOT_FOUND","message":"Export job not found."}')).toEqual([]);
  });

  it('accepts an empty 202 where the spec declares no content, and nowhere else', () => {
    expect(validator.problems('POST', '/v3/export-job-events', 202, '', '')).toEqual([]);
    expect(validator.problems('GET', JOB, 200, '', '').join('\n')).toMatch(/empty body/);
  });

  it('validates admin responses against the admin spec', () => {
    expect(validator.problems('GET', '/__admin/clock', 200, 'application/json', '{"now":"2026-01-05T09:00:00Z","frozen":true}')).toEqual([]);
    expect(validator.problems('GET', '/__admin/clock', 200, 'application/json', '{"now":"soon"}').join('\n')).toMatch(/getClock 200/);
  });

  it.each([
    ['a body that does not match the schema', 'GET', JOB, 200, JSON_TYPE, '{"data":{"id":"x"}}', /getExportJobByIdV3 200/],
    ['an error that is not ExceptionInfo', 'GET', JOB, 404, JSON_TYPE, '{"error":"nope"}', /error type/],
    ['an error with extra fields', 'GET', JOB, 404, JSON_TYPE, '{"type":"X_Y","message":"m","stack":"..."}', /beyond ExceptionInfo/],
    ['a status the operation does not declare', 'GET', JOB, 418, JSON_TYPE, '{"type":"TEAPOT","message":"m"}', /does not declare status 418/],
    ['a non-JSON content type', 'GET', JOB, 404, 'text/plain', '{"type":"EXPORT_NOT_FOUND","message":"m"}', /content-type/],
    ['a body that is not JSON', 'GET', JOB, 500, JSON_TYPE, '<html>', /not JSON/],
    ['a 200 for a path no operation has', 'GET', '/v9/nothing', 200, JSON_TYPE, '{}', /no operation matches/],
  ])('rejects %s', (_label, method, path, status, contentType, text, problem) => {
    expect(validator.problems(method, path, status, contentType, text).join('\n')).toMatch(problem);
  });
});
