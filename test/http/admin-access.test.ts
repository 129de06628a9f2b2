/**
 * The admin API is not open to the network by accident: without an admin token it answers only
 * loopback clients; with one, only requests carrying it. The Export API is unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createMockServer, MockAdminError, type InProcessMockServer, type MockApp } from '../../src/index.js';

describe('without an admin token', () => {
  let mock: MockApp;
  beforeAll(async () => {
    mock = await buildApp({ frozenClock: true });
  });
  afterAll(() => mock.app.close());

  it('refuses admin calls from a remote address with 403, and changes nothing', async () => {
    const response = await mock.app.inject({ method: 'PUT', url: '/__admin/state', remoteAddress: '10.20.30.40', headers: { 'content-type': 'application/json' }, payload: '{"jobs": []}' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ type: 'FORBIDDEN', message: expect.stringContaining('--admin-token') as unknown });
    // Nothing changed: the state still has the default scenario's jobs.
    expect(mock.store.snapshot().jobs.length).toBeGreaterThan(0);
  });

  it('serves admin calls from loopback, and the Export API from anywhere', async () => {
    expect((await mock.app.inject({ url: '/__admin/clock', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
    expect((await mock.app.inject({ url: '/v3/export-jobs', remoteAddress: '10.20.30.40' })).statusCode).toBe(200);
  });
});

describe('with an admin token', () => {
  let mock: InProcessMockServer;
  beforeAll(async () => {
    mock = await createMockServer({ adminToken: 'open-sesame', frozenClock: true });
  });
  afterAll(() => mock.close());

  it('refuses admin calls without the token with 401 and WWW-Authenticate, even from loopback', async () => {
    const response = await fetch(`${mock.url}/__admin/clock`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('x-mock-admin-token');
    expect(await response.json()).toMatchObject({ type: 'UNAUTHORIZED' });
    expect((await fetch(`${mock.url}/__admin/clock`, { headers: { 'x-mock-admin-token': 'open-sesamE' } })).status).toBe(401);
  });

  it('serves admin calls with the token, and the typed helpers send it', async () => {
    expect((await fetch(`${mock.url}/__admin/clock`, { headers: { 'x-mock-admin-token': 'open-sesame' } })).status).toBe(200);
    await expect(mock.admin('worker').clock()).resolves.toMatchObject({ frozen: true });
  });

  it('leaves the Export API to --auth', async () => {
    expect((await fetch(`${mock.url}/v3/export-jobs`)).status).toBe(200);
  });

  it('makes the typed helpers of a client without the token fail clearly', async () => {
    const { adminClient } = await import('../../src/index.js');
    await expect(adminClient(mock.url).clock()).rejects.toBeInstanceOf(MockAdminError);
  });
});
