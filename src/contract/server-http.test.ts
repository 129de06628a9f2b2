import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, ProbeClient, summarize } from './server-http.js';

let server: Server;
let baseUrl: string;
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body });
      if (request.url === '/html') {
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
      } else if (request.url === '/slow') {
        setTimeout(() => response.end('{}'), 2000).unref();
      } else {
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ echo: body === '' ? null : (JSON.parse(body) as unknown) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  baseUrl = `http://127.0.0.1:${address.port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
});

describe('ProbeClient', () => {
  it('sends JSON with the bearer credential and keeps every exchange', async () => {
    const client = new ProbeClient(baseUrl, { credential: 'token-1', timeoutMs: 1000 });
    try {
      const exchange = await client.put('/echo?x=1', [{ a: 1 }]);
      expect(exchange).toMatchObject({ method: 'PUT', url: '/echo?x=1', status: 201, json: { echo: [{ a: 1 }] }, requestBody: '[{"a":1}]', failure: undefined });
      expect(seen.at(-1)).toEqual({ method: 'PUT', url: '/echo?x=1', authorization: 'Bearer token-1', body: '[{"a":1}]' });
      await client.get('/html');
      expect(client.exchanges.map((entry) => entry.url)).toEqual(['/echo?x=1', '/html']);
    } finally {
      await client.close();
    }
  });

  it('turns a body that is not JSON, a timeout and a refused connection into exchanges, never exceptions', async () => {
    const client = new ProbeClient(baseUrl, { timeoutMs: 200 });
    try {
      expect(await client.get('/html')).toMatchObject({ status: 200, contentType: 'text/html', text: '<html></html>', json: undefined, jsonError: expect.any(String) as unknown });
      expect(seen.at(-1)?.authorization).toBeUndefined();
      expect(await client.get('/slow')).toMatchObject({ status: 0, failure: 'timed out after 200 ms' });
    } finally {
      await client.close();
    }
    const refused = new ProbeClient('http://127.0.0.1:1', { timeoutMs: 1000 });
    try {
      expect((await refused.get('/v3/export-jobs')).failure).toMatch(/ECONNREFUSED/);
    } finally {
      await refused.close();
    }
  });
});

describe('summarize', () => {
  it('shows the request, its status, and excerpts of long bodies', () => {
    const long = 'x'.repeat(400);
    const summary = summarize({ method: 'POST', url: '/v3/export-jobs', requestBody: long, status: 201, contentType: 'application/json', text: '{}', json: {}, jsonError: undefined, failure: undefined, at: '2026-01-05T09:00:00.000Z' });
    expect(summary).toEqual({ method: 'POST', url: '/v3/export-jobs', status: 201, at: '2026-01-05T09:00:00.000Z', body: `${'x'.repeat(300)}… (400 chars)`, response: '{}' });
  });

  it('shows the failure as the response when none arrived', () => {
    expect(summarize({ method: 'GET', url: '/', requestBody: undefined, status: 0, contentType: '', text: '', json: undefined, jsonError: undefined, failure: 'timed out after 5 ms', at: 'now' })).toEqual({ method: 'GET', url: '/', status: 0, at: 'now', response: 'timed out after 5 ms' });
  });
});

describe('describeError', () => {
  it('names timeouts, and keeps error codes', () => {
    expect(describeError(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), 50)).toBe('timed out after 50 ms');
    expect(describeError(Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }), 50)).toBe('connect failed (ECONNREFUSED)');
    expect(describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 50)).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(describeError('boom', 50)).toBe('boom');
  });
});
