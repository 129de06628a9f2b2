import { describe, expect, it } from 'vitest';
import { generateDefaultScenario } from '../fixtures/default-scenario.js';
import { DEFAULT_TENANT, TenantRegistry, tenantKey } from './tenants.js';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('tenant keys', () => {
  it.each([
    [undefined, DEFAULT_TENANT],
    ['', DEFAULT_TENANT],
    ['Bearer abc.def', 'abc.def'],
    ['bearer   tok', 'tok'],
    [basic('pls_key_1'), 'pls_key_1'],
    [basic('pls_key_1', 'ignored'), 'pls_key_1'],
    ['Basic !!!', 'Basic !!!'],
    ['Token xyz', 'Token xyz'],
  ])('%j belongs to tenant %j', (header, key) => {
    expect(tenantKey(header)).toBe(key);
  });

  it('puts a bearer token and the same API key in one tenant', () => {
    expect(tenantKey('Bearer k1')).toBe(tenantKey(basic('k1')));
  });
});

describe('TenantRegistry', () => {
  const startup = generateDefaultScenario({ seed: 5, now: START });
  const registry = () => new TenantRegistry({ startup, seed: 5, startTime: START, frozenClock: true, maxTenants: 2, journalSize: 10 });

  it('gives each key its own store and clock, started from the same state', () => {
    const tenants = registry();
    const a = tenants.get('a');
    const b = tenants.get('b');
    expect(a.store).not.toBe(b.store);
    expect(a.store.snapshot()).toEqual(b.store.snapshot());
    const job = a.store.snapshot().jobs.find((j) => j.status === 'pending');
    if (job === undefined) throw new Error('no pending job');
    a.store.applyEvent(job.id, { event: 'started' });
    a.clock.advance(1000);
    expect(b.store.getJob(job.id)?.status).toBe('pending');
    expect(b.clock.now()).toBe(START);
    expect(tenants.get('a')).toBe(a);
  });

  it('resets a tenant to the startup state and start time', () => {
    const tenant = registry().get('a');
    const job = tenant.store.snapshot().jobs.find((j) => j.status === 'pending');
    if (job === undefined) throw new Error('no pending job');
    tenant.store.applyEvent(job.id, { event: 'started' });
    tenant.clock.advance(5000);
    tenant.reset();
    expect(tenant.store.snapshot()).toEqual(startup);
    expect(tenant.clock.now()).toBe(START);
  });

  it('keeps at most maxTenants besides the default, dropping the least recently used', () => {
    const tenants = registry();
    const a = tenants.get('a');
    tenants.get('b');
    tenants.get('a');
    tenants.get('c');
    expect(tenants.size).toBe(2);
    expect(tenants.get('a')).toBe(a);
    expect(tenants.get(DEFAULT_TENANT)).toBe(tenants.defaultTenant);
  });

  it('orders tenants by last use through runs of one key and the default tenant between them', () => {
    const tenants = registry();
    const a = tenants.get('a');
    const b = tenants.get('b');
    tenants.get('a');
    tenants.get('a');
    tenants.get(DEFAULT_TENANT);
    expect(tenants.all().map((tenant) => tenant.key)).toEqual([DEFAULT_TENANT, 'b', 'a']);
    tenants.get('b');
    tenants.get('b');
    // 'a' is now the least recently used: a new key drops it, and 'b' stays.
    tenants.get('c');
    expect(tenants.all().map((tenant) => tenant.key)).toEqual([DEFAULT_TENANT, 'b', 'c']);
    expect(tenants.get('b')).toBe(b);
    expect(tenants.get('a')).not.toBe(a);
  });
});

describe('tenant keys of the same header in a row', () => {
  it('are those of each header, whatever came before', () => {
    const headers = ['Bearer k1', 'Bearer k1', basic('k2'), 'Bearer k1', '', undefined, 'Token xyz', 'Token xyz', 'Bearer k1'];
    expect(headers.map((header) => tenantKey(header))).toEqual(['k1', 'k1', 'k2', 'k1', DEFAULT_TENANT, DEFAULT_TENANT, 'Token xyz', 'Token xyz', 'k1']);
  });
});
