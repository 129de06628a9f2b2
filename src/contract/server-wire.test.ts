import { describe, expect, it } from 'vitest';
import type { Exchange } from './server-http.js';
import { describeAnswer, errorAnswerProblem, exceptionInfoProblems, readDataArray, readDataRecord, readExceptionInfo, successAnswerProblem } from './server-wire.js';

function exchange(status: number, body: unknown, overrides: Partial<Exchange> = {}): Exchange {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { method: 'GET', url: '/v3/export-jobs/x', requestBody: undefined, status, contentType: 'application/json', text, json: body, jsonError: undefined, failure: undefined, at: '2026-01-05T09:00:00.000Z', ...overrides };
}

describe('exceptionInfoProblems', () => {
  it.each([
    [{ type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' }, []],
    [{ type: 'export_not_found', message: 'x' }, ['the error type is not a SCREAMING_SNAKE string: "export_not_found"']],
    [{ type: 'INVALID_PARAMETER', message: ' ' }, ['the error has no message']],
    [{ type: 'INVALID_PARAMETER', message: 'x', traceId: 1 }, ['the error has fields beyond ExceptionInfo: traceId']],
    ['Not found', ['the error body is not an object: "Not found"']],
  ])('%j: %j', (body, problems) => {
    expect(exceptionInfoProblems(body)).toEqual(problems);
  });
});

describe('reading bodies', () => {
  it('reads ExceptionInfo, data objects and data arrays, and nothing else', () => {
    expect(readExceptionInfo({ type: 'X' })).toEqual({ type: 'X', message: '' });
    expect(readExceptionInfo({ message: 'x' })).toBeUndefined();
    expect(readDataRecord({ data: { id: 'a' } })).toEqual({ id: 'a' });
    expect(readDataRecord({ data: [] })).toBeUndefined();
    expect(readDataArray({ data: [], errors: [1] }, 'errors')).toEqual([1]);
    expect(readDataArray({ data: {} })).toBeUndefined();
  });
});

describe('describeAnswer', () => {
  it.each([
    [exchange(200, { data: {} }), 'answered 200'],
    [exchange(404, { type: 'EXPORT_NOT_FOUND', message: 'x' }), 'answered 404 EXPORT_NOT_FOUND'],
    [exchange(0, undefined, { failure: 'connect ECONNREFUSED 127.0.0.1:9' }), 'got no answer: connect ECONNREFUSED 127.0.0.1:9'],
    [exchange(200, undefined, { text: '<html>', jsonError: 'Unexpected token' }), 'answered 200 with a body that is not JSON'],
    [exchange(200, undefined, { failure: 'the body did not arrive: other side closed' }), 'answered 200, then the body did not arrive: other side closed'],
  ])('%#: %s', (answer, text) => {
    expect(describeAnswer(answer)).toBe(text);
  });
});

describe('errorAnswerProblem', () => {
  it('accepts the expected status with ExceptionInfo of the expected type', () => {
    expect(errorAnswerProblem(exchange(404, { type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' }), 404, 'EXPORT_NOT_FOUND')).toBeUndefined();
    expect(errorAnswerProblem(exchange(400, { type: 'ANY_TYPE', message: 'bad' }), 400)).toBeUndefined();
  });

  it.each([
    [exchange(200, { data: {} }), 'GET /v3/export-jobs/x answered 200'],
    [exchange(404, undefined), 'GET /v3/export-jobs/x answered 404 without a JSON body'],
    [exchange(404, { type: 'NOT_FOUND', message: 'x' }), 'GET /v3/export-jobs/x answered 404, but its type is "NOT_FOUND"'],
    [exchange(404, { type: 'EXPORT_NOT_FOUND' }), 'GET /v3/export-jobs/x answered 404, but the error has no message'],
  ])('%#: %s', (answer, problem) => {
    expect(errorAnswerProblem(answer, 404, 'EXPORT_NOT_FOUND')).toBe(problem);
  });
});

describe('successAnswerProblem', () => {
  it('wants the status and a JSON body (or none)', () => {
    expect(successAnswerProblem(exchange(201, { data: {} }), 201)).toBeUndefined();
    expect(successAnswerProblem(exchange(200, { data: {} }), 201)).toBe('GET /v3/export-jobs/x answered 200');
    expect(successAnswerProblem(exchange(200, undefined, { text: 'x', jsonError: 'Unexpected token' }), 200)).toBe('GET /v3/export-jobs/x answered 200 with a body that is not JSON: Unexpected token');
  });
});
