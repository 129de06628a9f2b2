import { describe, expect, it } from 'vitest';
import type { Exchange } from './server-http.js';
import { toPageFetch, withQuery } from './server-probe-context.js';

function exchange(status: number, json: unknown): Exchange {
  return { method: 'GET', url: '/v3/export-jobs', requestBody: undefined, status, contentType: 'application/json', text: JSON.stringify(json), json, jsonError: undefined, failure: undefined, at: '2026-01-05T09:00:00.000Z' };
}

describe('withQuery', () => {
  it.each([
    [{}, '/v3/export-jobs'],
    [{ limit: 5, after: undefined }, '/v3/export-jobs?limit=5'],
    [{ statuses: ['pending', 'in_progress'], limit: 100 }, '/v3/export-jobs?statuses=pending&statuses=in_progress&limit=100'],
    [{ after: 'AAAA=BBBB' }, '/v3/export-jobs?after=AAAA%3DBBBB'],
  ])('%j gives %s', (query, url) => {
    expect(withQuery('/v3/export-jobs', query)).toBe(url);
  });
});

describe('toPageFetch', () => {
  const pagination = { hasNextPage: false, hasPreviousPage: false };

  it('reads a 200 page', () => {
    const fetched = toPageFetch(exchange(200, { data: [{ id: 'a' }], pagination }), 'id');
    expect(fetched).toMatchObject({ ok: true, page: { keys: ['a'] } });
  });

  it('says why another status or another shape is not a page', () => {
    expect(toPageFetch(exchange(500, { type: 'INTERNAL_ERROR', message: 'x' }), 'id')).toMatchObject({ ok: false, problem: 'GET /v3/export-jobs answered 500 INTERNAL_ERROR' });
    expect(toPageFetch(exchange(200, { data: [{ id: 'a' }] }), 'id')).toMatchObject({ ok: false, problem: 'GET /v3/export-jobs answered a page of an unexpected shape: pagination is not an object: undefined' });
  });
});
