/**
 * Fixture documents over HTTP: `PUT /__admin/state` loads one into the caller's tenant, `GET`
 * reads the state back as one, and `createMockServer({ fixtures })` starts from one. Every
 * response is validated against the spec by the test client; state documents are also checked
 * against the published fixture schema.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFixtureDocument, createMockServer, FixtureDocumentError, type FixtureDocument, type FixtureJob } from '../../src/index.js';
import { fixtureDocumentSchemaPath } from '../../src/spec/load-spec.js';
import { startMock, type TestMock } from '../support/mock.js';
import { readAllItems, withQuery, type DataResponse, type ExceptionInfo, type Page, type WireItem, type WireJob } from './http-helpers.js';

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

const COMPANY = 'c0ffee00-0000-4000-8000-000000000001';
const OTHER_COMPANY = 'c0ffee00-0000-4000-8000-000000000002';
const RESUME_JOB = '10b00000-0000-4000-8000-000000000001';

const RESUME_DOCUMENT: FixtureDocument = {
  companies: [{ id: COMPANY, name: 'Fixture Foods ApS', currency: 'DKK', country: 'DK' }, { id: OTHER_COMPANY }],
  jobs: [
    {
      id: RESUME_JOB,
      companyId: COMPANY,
      status: 'in_progress',
      itemCount: 250,
      items: [{ status: 'successful', externalId: 'BILAG-1' }, { status: 'failed', failureReasonType: 'account_unknown', failureReason: 'Account 4000 is unknown' }],
    },
    { companyId: OTHER_COMPANY, status: 'completed' },
  ],
};

let mock: TestMock;
beforeAll(async () => {
  mock = await startMock({ seed: 5 });
});
afterAll(() => mock.close());

async function stateOf(token: string, explicitItems = false): Promise<FixtureDocument> {
  const response = await mock.client.get<FixtureDocument>(`/__admin/state${explicitItems ? '?explicitItems=true' : ''}`, bearer(token));
  expect(response.status).toBe(200);
  assertFixtureDocument(response.body);
  return response.body;
}

async function itemsOf(token: string, jobId: string): Promise<WireItem[]> {
  return readAllItems(mock.client, jobId, bearer(token).headers);
}

describe('PUT /__admin/state', () => {
  it('loads a document, filling omitted fields, and the Export API serves exactly that state', async () => {
    const loaded = await mock.client.put<FixtureDocument>('/__admin/state', RESUME_DOCUMENT, bearer('loader'));
    expect(loaded.status).toBe(200);
    const job = (await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${RESUME_JOB}`, bearer('loader'))).body.data;
    expect(job).toMatchObject({ companyId: COMPANY, status: 'in_progress', numberOfItems: 250 });
    expect(job.startedAt).not.toBeNull();
    const items = await itemsOf('loader', RESUME_JOB);
    expect(items).toHaveLength(250);
    expect(items.filter((item) => item.status === 'successful').map((item) => item.externalId)).toEqual(['BILAG-1']);
    expect(items.filter((item) => item.status === 'failed').map((item) => item.failureReasonType)).toEqual(['account_unknown']);
    expect(items.filter((item) => item.status === 'pending')).toHaveLength(248);
    const all = (await mock.client.get<Page<WireJob>>('/v3/export-jobs', bearer('loader'))).body;
    expect(all.pagination.total).toBe(2);
  });

  it('is a full replace: nothing of the previous state survives', async () => {
    await mock.client.put('/__admin/state', RESUME_DOCUMENT, bearer('replacer'));
    await mock.client.put('/__admin/state', { jobs: [] }, bearer('replacer'));
    const jobs = (await mock.client.get<Page<WireJob>>('/v3/export-jobs', bearer('replacer'))).body;
    expect(jobs.data).toEqual([]);
    const missing = await mock.client.get<ExceptionInfo>(`/v3/export-jobs/${RESUME_JOB}`, bearer('replacer'));
    expect(missing.status).toBe(404);
  });

  it('changes only the calling tenant', async () => {
    const before = await stateOf('bystander');
    await mock.client.put('/__admin/state', { jobs: [] }, bearer('changer'));
    expect(await stateOf('bystander')).toEqual(before);
  });

  it.each<[string, unknown, string]>([
    ['a document that is not an object', [], 'body: '],
    ['an unknown field', { jobs: [{ statu: 'pending' }] }, 'body.jobs[0].statu: is not a known field; the known fields are id, companyId, status'],
    ['a status that does not exist', { jobs: [{}, { status: 'done' }] }, "body.jobs[1].status: 'done' is not one of pending"],
    ['an item status that does not exist', { jobs: [{ items: [{}, {}, { status: 'exported' }] }] }, 'body.jobs[0].items[2].status'],
    ['a company id that is not a uuid', { companies: [{ id: 'acme' }] }, 'body.companies[0].id'],
    ['fewer items counted than listed', { jobs: [{ itemCount: 1, items: [{}, {}] }] }, 'body.jobs[0].itemCount: 1 is less than the 2 items listed'],
    ['two active jobs of one company', { jobs: [{ companyId: COMPANY }, { companyId: COMPANY, status: 'in_progress' }] }, 'body.jobs[1].status: company'],
    ['a job started before it was created', { jobs: [{ status: 'in_progress', createdAt: '2026-01-05T08:00:00Z', startedAt: '2026-01-05T07:00:00Z' }] }, 'body.jobs[0].startedAt'],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_name, document, expected) => {
    await mock.client.put('/__admin/state', RESUME_DOCUMENT, bearer('refused'));
    const before = await stateOf('refused', true);
    const response = await mock.client.put<ExceptionInfo>('/__admin/state', document, bearer('refused'));
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('INVALID_REQUEST_BODY');
    expect(response.body.message).toContain(expected);
    expect(await stateOf('refused', true)).toEqual(before);
  });

  it('accepts documents far over the Export API body limit (explicit items of a large job)', async () => {
    const items = Array.from({ length: 20_000 }, (_, index) => ({ status: 'failed' as const, failureReason: `Account ${index} is blocked for direct posting in the ledger` }));
    const document: FixtureDocument = { jobs: [{ id: RESUME_JOB, status: 'in_progress', items }] };
    expect(JSON.stringify(document).length).toBeGreaterThan(1024 * 1024);
    const response = await mock.client.put<FixtureDocument>('/__admin/state', document, bearer('big'));
    expect(response.status).toBe(200);
    const job = (await mock.client.get<DataResponse<WireJob>>(`/v3/export-jobs/${RESUME_JOB}`, bearer('big'))).body.data;
    expect(job.numberOfItems).toBe(20_000);
  });

  it('is undone by POST /__admin/reset, back to the state the server started with', async () => {
    const startup = await stateOf('resetting');
    await mock.client.put('/__admin/state', RESUME_DOCUMENT, bearer('resetting'));
    await mock.client.post('/__admin/reset', undefined, bearer('resetting'));
    expect(await stateOf('resetting')).toEqual(startup);
  });
});

describe('export item defects', () => {
  it('serve the flawed accounting data a fixture asks for, and survive a round trip', async () => {
    const flawed = 'f1a3ed00-0000-4000-8000-000000000001';
    const document: FixtureDocument = { jobs: [{ id: RESUME_JOB, status: 'in_progress', itemCount: 3, items: [{ accountingEntryId: flawed, exportItemDefects: ['missing_account'] }] }] };
    await mock.client.put('/__admin/state', document, bearer('flaws'));
    const page = await mock.client.get<Page<{ accountingEntryId: string; accountingEntryLines: { account: unknown }[] }>>(`/v3/export-items?job_id=${RESUME_JOB}`, bearer('flaws'));
    const byEntry = new Map(page.body.data.map((item) => [item.accountingEntryId, item.accountingEntryLines.map((line) => line.account)]));
    expect(byEntry.get(flawed)?.every((account) => account === null)).toBe(true);
    expect([...byEntry.entries()].filter(([id]) => id !== flawed).every(([, accounts]) => accounts.every((account) => account !== null))).toBe(true);
    const written = await stateOf('flaws');
    expect(written.jobs?.[0]?.items?.[0]).toMatchObject({ accountingEntryId: flawed, exportItemDefects: ['missing_account'] });
  });
});

describe('GET /__admin/state', () => {
  it('reads back a document that loads to the same state, after the state was changed through the API', async () => {
    await mock.client.put('/__admin/state', RESUME_DOCUMENT, bearer('writer'));
    const items = await itemsOf('writer', RESUME_JOB);
    const batch = items.filter((item) => item.status === 'pending').slice(0, 40).map((item, index) => ({ accountingEntryId: item.accountingEntryId, status: 'successful', externalId: `V-${index}`, exportedAt: '2026-01-05T09:00:00.250Z' }));
    expect((await mock.client.put(`/v3/export-jobs/${RESUME_JOB}/items`, batch, bearer('writer'))).status).toBe(200);
    await mock.client.post('/v3/export-jobs', { companyId: 'c0ffee00-0000-4000-8000-0000000000aa', accountingEntryIds: ['e0000000-0000-4000-8000-000000000001'] }, bearer('writer'));

    const written = await stateOf('writer');
    await mock.client.put('/__admin/state', written, bearer('reader'));
    expect(await stateOf('reader')).toEqual(written);
    expect(await itemsOf('reader', RESUME_JOB)).toEqual(await itemsOf('writer', RESUME_JOB));
    const jobs = async (token: string) => (await mock.client.get<Page<WireJob>>(withQuery('/v3/export-jobs', { limit: 100 }), bearer(token))).body;
    expect(await jobs('reader')).toEqual(await jobs('writer'));
  });

  it('counts untouched items instead of listing them, unless explicitItems=true', async () => {
    await mock.client.put('/__admin/state', { jobs: [{ id: RESUME_JOB, itemCount: 5000 }] }, bearer('counter'));
    const compact = await stateOf('counter');
    const compactJob: FixtureJob | undefined = compact.jobs?.[0];
    expect(compactJob?.itemCount).toBe(5000);
    expect(compactJob?.items).toBeUndefined();
    const explicit = await stateOf('counter', true);
    expect(explicit.jobs?.[0]?.items).toHaveLength(5000);
  });

  it('serves the published fixture schema', async () => {
    const response = await fetch(`${mock.server.url}/fixture-document.schema.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(readFileSync(fixtureDocumentSchemaPath(), 'utf8')));
  });
});

describe('createMockServer({ fixtures })', () => {
  it('starts every tenant from the document, and reset returns to it', async () => {
    const server = await createMockServer({ fixtures: RESUME_DOCUMENT, frozenClock: true });
    try {
      const admin = server.admin('someone');
      const state = await admin.state();
      expect(state.jobs?.map((job) => job.id)).toContain(RESUME_JOB);
      await admin.loadState({});
      await admin.reset();
      expect(await admin.state()).toEqual(state);
      expect(await server.admin().state()).toEqual(state);
    } finally {
      await server.close();
    }
  });

  it('refuses a document that does not fit, naming the field', async () => {
    await expect(createMockServer({ fixtures: { jobs: [{ status: 'done' }] } })).rejects.toThrow(FixtureDocumentError);
    await expect(createMockServer({ fixtures: { jobs: [{ status: 'done' }] } })).rejects.toThrow(/jobs\[0\]\.status/);
  });
});
