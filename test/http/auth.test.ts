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
