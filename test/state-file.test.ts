/**
 * `--state-file`: the state of every tenant survives a restart, including one by SIGKILL in the
 * middle of writes; a file that cannot be used stops the start and is never overwritten.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer, StateFileError, type FixtureDocument, type InProcessMockServer } from '../src/index.js';
import { STATE_FILE_FORMAT } from '../src/server/state-file.js';

const BIN = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
const JOB = '5ea7f11e-0000-4000-8000-000000000001';
const COMPANY = '5ea7f11e-0000-4000-8000-0000000000c0';

/** One in_progress job of 300 items: enough writes to interrupt. */
const FIXTURES: FixtureDocument = { companies: [{ id: COMPANY }], jobs: [{ id: JOB, companyId: COMPANY, status: 'in_progress', itemCount: 300 }] };

const servers: InProcessMockServer[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function temporaryFile(name = 'state.json'): string {
  return join(mkdtempSync(join(tmpdir(), 'pleo-export-mock-state-')), name);
}

async function start(stateFile: string): Promise<InProcessMockServer> {
  const server = await createMockServer({ fixtures: FIXTURES, stateFile, frozenClock: true });
  servers.push(server);
  return server;
}

async function call(baseUrl: string, method: 'GET' | 'PUT' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await request(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function entryIds(baseUrl: string, token: string): Promise<string[]> {
  const { json } = await call(baseUrl, 'GET', `/v3/export-jobs/${JOB}/items?limit=100`, token);
  const ids: string[] = [];
  let page = json as { data: { accountingEntryId: string }[]; pagination: { hasNextPage: boolean; endCursor?: string } };
  for (;;) {
    ids.push(...page.data.map((item) => item.accountingEntryId));
    if (!page.pagination.hasNextPage) return ids;
    page = (await call(baseUrl, 'GET', `/v3/export-jobs/${JOB}/items?limit=100&after=${page.pagination.endCursor ?? ''}`, token)).json as typeof page;
  }
}

async function successfulIds(baseUrl: string, token: string): Promise<Set<string>> {
  const { json } = await call(baseUrl, 'GET', `/v3/export-jobs/${JOB}/items?limit=100&status=successful`, token);
  const ids = new Set<string>();
  let page = json as { data: { accountingEntryId: string }[]; pagination: { hasNextPage: boolean; endCursor?: string } };
  for (;;) {
    for (const item of page.data) ids.add(item.accountingEntryId);
    if (!page.pagination.hasNextPage) return ids;
    page = (await call(baseUrl, 'GET', `/v3/export-jobs/${JOB}/items?limit=100&status=successful&after=${page.pagination.endCursor ?? ''}`, token)).json as typeof page;
  }
}

describe('--state-file (in-process)', () => {
  it('creates the file at start and restores every tenant, state and clock, after a restart', async () => {
    const file = temporaryFile();
    const first = await start(file);
    expect(existsSync(file)).toBe(true);
    const ids = await entryIds(first.url, 'alice');
    await call(first.url, 'PUT', `/v3/export-jobs/${JOB}/items`, 'alice', ids.slice(0, 3).map((accountingEntryId) => ({ accountingEntryId, status: 'successful' })));
    await call(first.url, 'POST', '/v3/export-job-events', 'bob', { jobId: JOB, event: 'failed', failureReasonType: 'canceled_by_user' });
    await first.admin('carol').advanceClock(600);
    const before = await Promise.all(['alice', 'bob', 'carol'].map((token) => first.admin(token).state()));
    const clockBefore = await first.admin('carol').clock();
    await first.close();

    const second = await start(file);
    expect(await Promise.all(['alice', 'bob', 'carol'].map((token) => second.admin(token).state()))).toEqual(before);
    expect(await second.admin('carol').clock()).toEqual(clockBefore);
    expect((await successfulIds(second.url, 'alice')).size).toBe(3);
  });

  it('refuses to start from a file that is not JSON, and leaves it untouched', async () => {
    const file = temporaryFile();
    writeFileSync(file, '{"format": "pleo-export-mock state file", "tenants": [');
    await expect(createMockServer({ stateFile: file })).rejects.toThrow(StateFileError);
    await expect(createMockServer({ stateFile: file })).rejects.toThrow(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"format": "pleo-export-mock state file", "tenants": [');
  });

  it('refuses a fixture document given as a state file, pointing to --fixtures', async () => {
    const file = temporaryFile();
    writeFileSync(file, JSON.stringify(FIXTURES));
    await expect(createMockServer({ stateFile: file })).rejects.toThrow(/--fixtures/);
  });

  it('refuses a state file whose saved state does not fit, naming the tenant and field', async () => {
    const file = temporaryFile();
    writeFileSync(file, JSON.stringify({ format: STATE_FILE_FORMAT, version: 1, tenants: [{ credential: '', clock: '2026-01-05T09:00:00Z', state: { jobs: [{ status: 'done' }] } }] }));
    await expect(createMockServer({ stateFile: file })).rejects.toThrow(/tenants\[0\]\.state\.jobs\[0\]\.status/);
  });

  it('refuses to start when the file cannot be written', async () => {
    await expect(createMockServer({ stateFile: join(temporaryFile(), 'no-such-directory', 'state.json') })).rejects.toThrow(StateFileError);
  });
});

/** Starts the real bin and resolves with its base URL. */
async function startBin(args: readonly string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--log-level', 'silent', '--frozen-clock', ...args], { stdio: 'pipe' });
  children.push(child);
  let buffer = '';
  for await (const chunk of child.stdout) {
    buffer += (chunk as Buffer).toString();
    const newline = buffer.indexOf('\n');
    if (newline !== -1) return { child, url: buffer.slice(0, newline) };
  }
  throw new Error('the mock printed no URL');
}

describe('--state-file (killed mid-run)', () => {
  it('loses no acknowledged change when killed with SIGKILL during writes, over several kills', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pleo-export-mock-kill-'));
    const fixtures = join(directory, 'fixtures.json');
    const stateFile = join(directory, 'state.json');
    writeFileSync(fixtures, JSON.stringify(FIXTURES));
    const acknowledged = new Set<string>();
    let ids: string[] = [];
    // Each round: start (restoring the last round's state), report items one per request from
    // several concurrent writers, kill the process at a moment that depends on the round.
    for (let round = 0; round < 4; round++) {
      const { child, url } = await startBin(['--fixtures', fixtures, '--state-file', stateFile]);
      if (ids.length === 0) ids = await entryIds(url, 'worker');
      const restored = await successfulIds(url, 'worker');
      for (const id of acknowledged) expect(restored.has(id), `acknowledged item ${id} lost after round ${round}`).toBe(true);
      const remaining = ids.filter((id) => !restored.has(id));
      let killed = false;
      const writers = [0, 1, 2].map(async (lane) => {
        for (let index = lane; index < remaining.length && !killed; index += 3) {
          const id = remaining[index] ?? '';
          try {
            const response = await call(url, 'PUT', `/v3/export-jobs/${JOB}/items`, 'worker', [{ accountingEntryId: id, status: 'successful' }]);
            if (response.status === 200) acknowledged.add(id);
          } catch {
            return; // the connection died with the process
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 150 + round * 70));
      killed = true;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
      await Promise.all(writers);
      // Whatever moment the kill hit, the file is a whole, valid state file.
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { format: string };
      expect(saved.format).toBe(STATE_FILE_FORMAT);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    const { url } = await startBin(['--fixtures', fixtures, '--state-file', stateFile]);
    const final = await successfulIds(url, 'worker');
    for (const id of acknowledged) expect(final.has(id), `acknowledged item ${id} lost`).toBe(true);
  });

  it('stops with a clear message and exit code 1 when the state file is broken, leaving it as it was', async () => {
    const stateFile = temporaryFile();
    writeFileSync(stateFile, 'not json at all');
    const child = spawn(process.execPath, [BIN, '--port', '0', '--state-file', stateFile], { stdio: 'pipe' });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toContain(`--state-file ${stateFile}: is not valid JSON`);
    expect(readFileSync(stateFile, 'utf8')).toBe('not json at all');
  });
});
