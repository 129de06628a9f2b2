import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, exportNotFound, MockError, type ErrorCode } from './errors.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('error registry', () => {
  it('pins the set of error types, so adding or removing one is a deliberate change', () => {
    expect(Object.keys(ERRORS).sort()).toEqual([
      'BAD_GATEWAY',
      'EXPORT_ALREADY_IN_PROGRESS',
      'EXPORT_ENTRY_NOT_FOUND',
      'EXPORT_JOB_ITEMS_UPDATE_LIMIT',
      'EXPORT_JOB_STATUS_UNPROCESSABLE',
      'EXPORT_NOT_FOUND',
      'FORBIDDEN',
      'INTERNAL_ERROR',
      'INVALID_CURSOR',
      'INVALID_EXPORT_JOB_STATUS_CHANGE',
      'INVALID_PAGINATION',
      'INVALID_PARAMETER',
      'INVALID_REQUEST_BODY',
      'MALFORMED_REQUEST',
      'METHOD_NOT_ALLOWED',
      'MISSING_CONTRA_ACCOUNTS',
      'RATE_LIMITED',
      'REQUEST_BODY_TOO_LARGE',
      'REQUEST_HEADERS_TOO_LARGE',
      'ROUTE_NOT_FOUND',
      'SERVICE_UNAVAILABLE',
      'UNAUTHORIZED',
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
  });

  it.each(Object.entries(ERRORS))('%s has a client-error or server-error status and says when and what to do', (_code, definition) => {
    expect(definition.status).toBeGreaterThanOrEqual(400);
    expect(definition.status).toBeLessThan(600);
    expect(definition.when.length).toBeGreaterThan(10);
    expect(definition.clientAction.length).toBeGreaterThan(10);
  });

  it.each(Object.entries(ERRORS))('the README error table lists %s with its status', (code, definition) => {
    expect(README).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${definition.status}\\s*\\|`));
  });

  it('writes ExceptionInfo with the code as type', () => {
    const error = new MockError('INVALID_CURSOR' satisfies ErrorCode, 'after: bad');
    expect(error.status).toBe(400);
    expect(error.toExceptionInfo()).toEqual({ type: 'INVALID_CURSOR', message: 'after: bad' });
    expect(exportNotFound().toExceptionInfo()).toEqual({ type: 'EXPORT_NOT_FOUND', message: 'Export job not found.' });
  });
});
