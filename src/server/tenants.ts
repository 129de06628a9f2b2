/**
 * Tenants: every credential is its own sandbox. Requests carrying `Bearer X` or the API key `X`
 * (Basic, `X` as user name) see and change only X's state and clock; requests without a
 * credential use the default tenant. Each tenant starts from the same startup state on first
 * use, so many test workers can share one server without seeing each other.
 */
import { ExportStore } from '../core/export-store.js';
import { rememberLast } from '../core/identity-cache.js';
import type { StateSnapshot } from '../core/model.js';
import { createIdGenerator } from '../fixtures/ids.js';
import { MockClock } from './clock.js';
import { FaultSchedule, RateLimiter, type FaultRule } from './faults.js';
import { RequestJournal } from './journal.js';

/** The key of the tenant used by requests without a credential. */
export const DEFAULT_TENANT = '';

/** One sandbox. */
export interface Tenant {
  /** The credential, or {@link DEFAULT_TENANT}. */
  readonly key: string;
  readonly store: ExportStore;
  readonly clock: MockClock;
  readonly journal: RequestJournal;
  readonly faults: TenantFaults;
  /** Back to the startup state, start time and startup faults, with an empty journal. */
  reset(): void;
}

/** The fault rules and rate limit in force for a tenant. */
export class TenantFaults {
  private current!: { schedule: FaultSchedule; limiter: RateLimiter | undefined; rateLimitPerMinute: number | null };

  constructor(rules: readonly FaultRule[], rateLimitPerMinute: number | null) {
    this.set(rules, rateLimitPerMinute);
  }

  /** Replaces the rules and the rate limit; counters start again. */
  set(rules: readonly FaultRule[], rateLimitPerMinute: number | null): void {
    this.current = {
      schedule: new FaultSchedule(rules),
      limiter: rateLimitPerMinute === null ? undefined : new RateLimiter(rateLimitPerMinute),
      rateLimitPerMinute,
    };
  }

  get schedule(): FaultSchedule {
    return this.current.schedule;
  }

  get limiter(): RateLimiter | undefined {
    return this.current.limiter;
  }

  get rateLimitPerMinute(): number | null {
    return this.current.rateLimitPerMinute;
  }
}

/** How tenants are made. */
export interface TenantOptions {
  /** The state every tenant starts from (immutable records, shared safely). */
  readonly startup: StateSnapshot;
  readonly seed: number;
  readonly startTime: number;
  readonly frozenClock: boolean;
  /** Most tenants kept at once; the least recently used beyond it is dropped. */
  readonly maxTenants?: number;
  /** Entries each tenant's request journal keeps. */
  readonly journalSize: number;
  /** Bytes of bodies each journal keeps. */
  readonly journalBytes?: number;
  /** Fault rules every tenant starts with (`--fault`). */
  readonly faultRules?: readonly FaultRule[];
  /** Requests per minute every tenant starts with (`--rate-limit`); null for none. */
  readonly rateLimitPerMinute?: number | null;
}

const DEFAULT_MAX_TENANTS = 256;

/**
 * The tenant key of an `Authorization` header: the bearer token, or the API key (the user name
 * of Basic credentials); the raw header when it fits neither scheme; the default tenant without one.
 */
export function tenantKey(authorization: string | undefined): string {
  return authorization === undefined ? DEFAULT_TENANT : tenantKeyOfHeader(authorization);
}

/**
 * Parsed once per distinct header in a row: a client sends one credential request after request,
 * and the parse (trims, a split on a regular expression, case folding) was about 1 µs of each.
 */
const tenantKeyOfHeader = rememberLast(parseTenantKey);

function parseTenantKey(authorization: string): string {
  if (authorization.trim() === '') return DEFAULT_TENANT;
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
  const value = rest.join(' ');
  if (scheme.toLowerCase() === 'bearer' && value !== '') return value;
  if (scheme.toLowerCase() === 'basic' && value !== '') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return decoded.slice(0, colon);
  }
  return authorization.trim();
}

/** The tenants of one server. */
export class TenantRegistry {
  private readonly tenants = new Map<string, Tenant>();
  /** The default tenant always exists (in-process users hold its store and clock). */
  readonly defaultTenant: Tenant;
  /**
   * The startup state, indexed once: every tenant starts from a copy-on-write clone of it (and
   * goes back to one on reset), so a new credential costs a clone, not a rebuild. It is only
   * ever cloned, never written, so its environment refuses to make ids.
   */
  private readonly startupStore: ExportStore;
  /** The key last looked up besides the default's: the last in the map's order. */
  private mostRecent: string | undefined;

  constructor(private readonly options: TenantOptions) {
    this.startupStore = new ExportStore(options.startup, {
      now: () => options.startTime,
      newId: () => {
        throw new Error('the startup state is only cloned, never written');
      },
    });
    this.defaultTenant = this.create(DEFAULT_TENANT);
  }

  /** The tenant of a key, created on first use. */
  get(key: string): Tenant {
    if (key === DEFAULT_TENANT) return this.defaultTenant;
    const existing = this.tenants.get(key);
    if (existing !== undefined) {
      // Re-inserted when another tenant was used since: the map's order is least recently used
      // first. A run of requests with one credential (the usual case) leaves the map alone.
      if (this.mostRecent !== key) {
        this.tenants.delete(key);
        this.tenants.set(key, existing);
        this.mostRecent = key;
      }
      return existing;
    }
    const tenant = this.create(key);
    this.tenants.set(key, tenant);
    this.mostRecent = key;
    const limit = this.options.maxTenants ?? DEFAULT_MAX_TENANTS;
    if (this.tenants.size > limit) {
      const oldest = this.tenants.keys().next();
      if (oldest.done !== true) this.tenants.delete(oldest.value);
    }
    return tenant;
  }

  /** Every tenant kept now, the default one first, then the others from least to most recently used. */
  all(): Tenant[] {
    return [this.defaultTenant, ...this.tenants.values()];
  }

  /** Number of tenants besides the default one. */
  get size(): number {
    return this.tenants.size;
  }

  private create(key: string): Tenant {
    const { seed, startTime, frozenClock } = this.options;
    const clock = new MockClock({ start: startTime, frozen: frozenClock });
    let newId = createIdGenerator(seed);
    const store = this.startupStore.clone({ now: () => clock.now(), newId: () => newId() });
    const journal = new RequestJournal(this.options.journalSize, this.options.journalBytes);
    const startupFaults = (): [readonly FaultRule[], number | null] => [this.options.faultRules ?? [], this.options.rateLimitPerMinute ?? null];
    const faults = new TenantFaults(...startupFaults());
    return {
      key,
      store,
      clock,
      journal,
      faults,
      reset: () => {
        clock.restart();
        newId = createIdGenerator(seed);
        store.copyFrom(this.startupStore);
        journal.clear();
        faults.set(...startupFaults());
      },
    };
  }
}
