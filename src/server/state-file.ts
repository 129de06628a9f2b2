/**
 * `--state-file FILE`: the state survives a restart. At start the file's tenants are restored
 * (their states and clocks); after every request that changed a tenant's state, the file is
 * rewritten before the answer goes out, so whatever a client was told happened is on disk.
 *
 * - Atomic: the new content goes to `FILE.tmp`, is flushed to disk, then renamed over FILE. A
 *   crash leaves the old file or the new one, never a broken one (rename is atomic on POSIX).
 * - Group commit: while one write is in flight, further changes wait and share the next write,
 *   so a burst of requests costs a few writes, not one each.
 * - Per-tenant cache: a write re-serialises only the tenants that changed since the last one.
 * - A file that exists but cannot be read or parsed stops the server (StateFileError) and is
 *   never overwritten: it may be the only copy of someone's state.
 * - One server per file: two servers writing the same file would overwrite each other.
 *
 * The file holds every tenant the server keeps (credentials included, in clear: this is a
 * development tool, and its credentials are test credentials).
 */
import { open, rename } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatInstant, parseInstant } from '../core/instant.js';
import { FixtureDocumentError, loadFixtureDocument, toFixtureDocument } from '../fixtures/fixture-document.js';
import type { Tenant, TenantRegistry } from './tenants.js';

/** The `format` field that marks a state file. */
export const STATE_FILE_FORMAT = 'pleo-export-mock state file';
const STATE_FILE_VERSION = 1;

/** A state file that exists but cannot be used; the server must not start (or overwrite it). */
export class StateFileError extends Error {
  constructor(path: string, problem: string) {
    super(`--state-file ${path}: ${problem}`);
    this.name = 'StateFileError';
  }
}

/** One tenant as saved. */
interface SavedTenant {
  readonly credential: string;
  readonly clock: number;
  readonly state: unknown;
}

/**
 * Restores the tenants saved in `path` into `tenants`. Returns false when the file does not
 * exist (a first start); throws StateFileError when it exists but is unreadable or invalid.
 */
export function restoreStateFile(path: string, tenants: TenantRegistry, seed: number): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw new StateFileError(path, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const saved = parseStateFile(path, text);
  // Validate every tenant before touching any, so a bad file changes nothing.
  const restored = saved.map((tenant, index) => {
    try {
      return { ...tenant, snapshot: loadFixtureDocument(tenant.state, { seed, now: tenant.clock }) };
    } catch (error) {
      if (error instanceof FixtureDocumentError) throw new StateFileError(path, `tenants[${index}].state.${error.message}`);
      throw error;
    }
  });
  for (const { credential, clock, snapshot } of restored) {
    const tenant = tenants.get(credential);
    tenant.store.replace(snapshot);
    tenant.clock.resume(clock);
  }
  return true;
}

function parseStateFile(path: string, text: string): SavedTenant[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(path, `is not valid JSON (${error instanceof Error ? error.message : String(error)}); it was left untouched`);
  }
  if (!isRecord(value) || value.format !== STATE_FILE_FORMAT) {
    throw new StateFileError(path, `is not a state file of this mock (no "format": "${STATE_FILE_FORMAT}"); it was left untouched. To start from a fixture document, use --fixtures`);
  }
  if (value.version !== STATE_FILE_VERSION) throw new StateFileError(path, `has version ${JSON.stringify(value.version)}; this mock reads version ${STATE_FILE_VERSION}`);
  if (!Array.isArray(value.tenants)) throw new StateFileError(path, 'tenants: not an array');
  const seen = new Set<string>();
  return value.tenants.map((entry: unknown, index): SavedTenant => {
    if (!isRecord(entry) || typeof entry.credential !== 'string' || typeof entry.clock !== 'string') {
      throw new StateFileError(path, `tenants[${index}]: needs a credential (string), a clock (date-time) and a state`);
    }
    const clock = parseInstant(entry.clock);
    if (clock === undefined) throw new StateFileError(path, `tenants[${index}].clock: '${entry.clock}' is not a valid date-time`);
    if (seen.has(entry.credential)) throw new StateFileError(path, `tenants[${index}].credential: listed twice`);
    seen.add(entry.credential);
    return { credential: entry.credential, clock, state: entry.state };
  });
}

/** Writes `text` to `path` atomically: a temporary file, flushed, then renamed over `path`. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(text, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  // The rename itself is durable once the directory is flushed.
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await directory.close();
  }
}

/** Keeps a state file in step with the tenants of a server. */
export class StateFileWriter {
  /** Serialised tenants by key, as of the last write that included them. */
  private readonly serialized = new Map<string, string>();
  private readonly dirty = new Set<Tenant>();
  private requested = 0;
  private written = 0;
  private running = false;
  private waiters: { readonly generation: number; readonly resolve: () => void }[] = [];

  constructor(
    private readonly path: string,
    private readonly tenants: TenantRegistry,
    private readonly log: { error(message: string): void },
  ) {}

  /** Writes every tenant now (at start: proves the file is writable and creates it). */
  async writeAll(): Promise<void> {
    for (const tenant of this.tenants.all()) this.dirty.add(tenant);
    try {
      await writeFileAtomic(this.path, this.render());
    } catch (error) {
      throw new StateFileError(this.path, `cannot be written (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /**
   * Resolves once a write that includes the tenant's current state is on disk. A failed write is
   * logged, not thrown: the request already changed the state in memory, and the next write
   * tries again.
   */
  persist(tenant?: Tenant): Promise<void> {
    if (tenant !== undefined) this.dirty.add(tenant);
    const generation = ++this.requested;
    const done = new Promise<void>((resolve) => this.waiters.push({ generation, resolve }));
    if (!this.running) void this.run();
    return done;
  }

  /** Resolves when no write is in flight or waiting (the server's close waits for it). */
  async idle(): Promise<void> {
    if (this.running) await this.persist();
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.written < this.requested) {
      const target = this.requested;
      // Serialised now, synchronously: the text holds every change made before this point.
      const text = this.render();
      try {
        await writeFileAtomic(this.path, text);
      } catch (error) {
        this.log.error(`--state-file ${this.path}: the state could not be written (${error instanceof Error ? error.message : String(error)}); it is kept in memory and written with the next change`);
      }
      this.written = target;
      const ready = this.waiters.filter((waiter) => waiter.generation <= target);
      this.waiters = this.waiters.filter((waiter) => waiter.generation > target);
      for (const waiter of ready) waiter.resolve();
    }
    this.running = false;
  }

  private render(): string {
    for (const tenant of this.dirty) {
      const saved = { credential: tenant.key, clock: formatInstant(tenant.clock.now()), state: toFixtureDocument(tenant.store.snapshot()) };
      this.serialized.set(tenant.key, JSON.stringify(saved, null, 2));
    }
    this.dirty.clear();
    // Only tenants the server still keeps: one dropped by the LRU leaves the file too.
    const tenants = this.tenants.all();
    const kept = tenants.flatMap((tenant) => {
      const text = this.serialized.get(tenant.key);
      return text === undefined ? [] : [text];
    });
    const live = new Set(tenants.map((tenant) => tenant.key));
    for (const key of this.serialized.keys()) if (!live.has(key)) this.serialized.delete(key);
    return `{\n"format": ${JSON.stringify(STATE_FILE_FORMAT)},\n"version": ${STATE_FILE_VERSION},\n"tenants": [\n${kept.join(',\n')}\n]\n}\n`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
