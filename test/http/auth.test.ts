/**
 * Authentication, as far as this version of the mock goes: both of Pleo's schemes are accepted,
 * and so is no credential at all (strict modes come with tenants).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type TestMock } from '../support/mock.js';

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock.close());

describe('credentials', () => {
  it.each([
    ['an OAuth2 bearer token', { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln' }],
    ['an API key as Basic user name with an empty password', { authorization: `Basic ${Buffer.from('pls_1ab2cd3e4f5g6h7a89b012c34de56f78_gabc90:').toString('base64')}` }],
    ['no credential', {}],
  ])('accepts %s and answers the same state', async (_label, headers) => {
    const anonymous = await mock.client.get<{ pagination: { total: number } }>('/v3/export-jobs');
    const response = await mock.client.get<{ pagination: { total: number } }>('/v3/export-jobs', { headers });
    expect(response.status).toBe(200);
    expect(response.body.pagination.total).toBe(anonymous.body.pagination.total);
    expect(response.body.pagination.total).toBeGreaterThan(0);
  });
});

describe('--auth wellformed', () => {
  it('answers 401 ExceptionInfo with WWW-Authenticate without a well-formed credential, and serves one that is', async () => {
    const strict = await startMock({ auth: 'wellformed' });
    try {
      const missing = await strict.client.get<{ type: string; message: string }>('/v3/export-jobs');
      expect([missing.status, missing.body.type, missing.headers['www-authenticate']]).toEqual([401, 'UNAUTHORIZED', 'Bearer, Basic']);
      const malformed = await strict.client.get<{ type: string; message: string }>('/v3/export-jobs', { headers: { authorization: 'Basic not-base64!' } });
      expect([malformed.status, malformed.body.message]).toEqual([401, 'Authorization: the Basic credential is not base64.']);
      expect((await strict.client.get('/v3/export-jobs', { headers: { authorization: 'Bearer any-token' } })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('--auth listed', () => {
  it('serves only listed credentials, and only the operations their scopes allow', async () => {
    const credentials = new Map([['reader', ['export-jobs:read'] as const]]);
    const strict = await startMock({ auth: 'listed', credentials });
    try {
      expect((await strict.client.get('/v3/export-jobs', { headers: { authorization: 'Bearer reader' } })).status).toBe(200);
      const unknown = await strict.client.get<{ type: string }>('/v3/export-jobs', { headers: { authorization: 'Bearer stranger' } });
      expect([unknown.status, unknown.body.type]).toEqual([401, 'UNAUTHORIZED']);
      const forbidden = await strict.client.post<{ type: string; message: string }>(
        '/v3/export-job-events',
        { jobId: '00000000-0000-4000-8000-000000000000', event: 'started' },
        { headers: { authorization: 'Bearer reader' } },
      );
      expect([forbidden.status, forbidden.body.type]).toEqual([403, 'FORBIDDEN']);
      expect(forbidden.body.message).toMatch(/needs the scope export-jobs:write/);
    } finally {
      await strict.close();
    }
  });
});
