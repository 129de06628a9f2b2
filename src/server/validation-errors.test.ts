import { describe, expect, it } from 'vitest';
import { validationError, type ValidationIssue } from './validation-errors.js';

const input = {
  path: { jobId: 'abc' },
  query: { statuses: 'bogus', limit: '-1', after: 'abc' },
  requestBody: [{ status: 'done' }, { accountingEntryId: 'x' }],
};

describe('validation messages', () => {
  it.each<[string, ValidationIssue, string, string]>([
    ['a bad uuid', { instancePath: '/path/jobId', keyword: 'format', params: { format: 'uuid' } }, 'INVALID_PARAMETER', "jobId: 'abc' is not a valid uuid"],
    ['an unknown enum value sent once', { instancePath: '/query/statuses/0', keyword: 'enum', params: { allowedValues: ['pending', 'failed'] } }, 'INVALID_PARAMETER', "statuses[0]: 'bogus' is not one of pending, failed"],
    ['a negative limit', { instancePath: '/query/limit', keyword: 'minimum', params: { limit: 0 } }, 'INVALID_PARAMETER', "limit: '-1' must be >= 0"],
    ['a cursor off the pattern', { instancePath: '/query/after', keyword: 'pattern', params: { pattern: '^[A-Z2-7=~]+$' } }, 'INVALID_CURSOR', "after: 'abc' does not match ^[A-Z2-7=~]+$"],
    ['a bad item status', { instancePath: '/requestBody/0/status', keyword: 'enum', params: { allowedValues: ['pending', null] } }, 'INVALID_REQUEST_BODY', "body[0].status: 'done' is not one of pending"],
    ['a missing field', { instancePath: '/requestBody/0', keyword: 'required', params: { missingProperty: 'accountingEntryId' } }, 'INVALID_REQUEST_BODY', 'body[0].accountingEntryId is required'],
    ['a wrong type', { instancePath: '/requestBody', keyword: 'type', params: { type: 'array' } }, 'INVALID_REQUEST_BODY', 'body: [{"status":"done"},{"accountingEntryId":"x"}] is not an array'],
    ['too many items', { instancePath: '/requestBody', keyword: 'maxItems', params: { limit: 1 } }, 'EXPORT_JOB_ITEMS_UPDATE_LIMIT', 'body: has 2 items; at most 1 are allowed in one request'],
  ])('explains %s', (_label, issue, code, message) => {
    const error = validationError([issue], input);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });
});
