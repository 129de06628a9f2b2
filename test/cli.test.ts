/**
 * The command line as users run it: the compiled bin (`npm test` builds it first), a real
 * process, stdout/stderr and exit codes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';

const BIN = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];

function run(args: readonly string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
  children.push(child);
  return child;
}

async function outcome(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Resolves with the first line the process prints on stdout. */
async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  let buffer = '';
  for await (const chunk of child.stdout) {
    buffer += (chunk as Buffer).toString();
    const newline = buffer.indexOf('\n');
    if (newline !== -1) return buffer.slice(0, newline);
  }
  throw new Error('the process printed no line');
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('pleo-export-mock (bin)', () => {
  it('prints its base URL on stdout, serves the seeded state and exits 0 on SIGTERM', async () => {
    const child = run(['--port', '0', '--log-level', 'silent', '--seed', '7']);
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await request(`${url}/v3/export-jobs?statuses=pending`);
    expect(response.statusCode).toBe(200);
    const body = (await response.body.json()) as { data: unknown[] };
    expect(body.data.length).toBeGreaterThan(0);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it('keeps the journal within --journal-bytes', async () => {
    const child = run(['--port', '0', '--log-level', 'silent', '--journal-bytes', '100']);
    const url = await firstLine(child);
    await (await request(`${url}/v3/export-jobs`)).body.dump();
    const journal = (await (await request(`${url}/__admin/requests`)).body.json()) as { byteBudget: number; droppedBodies: number };
    // A page of jobs is kilobytes: over a 100-byte budget, its body is dropped at once.
    expect(journal).toMatchObject({ byteBudget: 100, droppedBodies: 1 });
  });

  it('keeps stdout for the URL alone: request logs go to stderr', async () => {
    const child = run(['--port', '0']);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.trim());
      });
    });
    await (await request(`${url}/v3/export-jobs`)).body.text();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    expect(stdout).toBe(`${url}\n`);
    expect(stderr).toContain('"url":"/v3/export-jobs"');
  });

  it('reads a YAML credentials file for --auth listed', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pleo-export-mock-'));
    const file = join(directory, 'credentials.yaml');
    writeFileSync(file, 'credentials:\n  - credential: ci-token\n    scopes: [export-jobs:read]\n');
    const child = run(['--port', '0', '--log-level', 'silent', '--credentials', file]);
    const url = await firstLine(child);
    expect((await request(`${url}/v3/export-jobs`)).statusCode).toBe(401);
    expect((await request(`${url}/v3/export-jobs`, { headers: { authorization: 'Bearer ci-token' } })).statusCode).toBe(200);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('starts from a YAML fixture document given with --fixtures', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pleo-export-mock-'));
    const file = join(directory, 'fixtures.yaml');
    writeFileSync(file, 'jobs:\n  - id: 0b5e55ed-0000-4000-8000-000000000002\n    status: in_progress\n    itemCount: 130\n');
    const child = run(['--port', '0', '--log-level', 'silent', '--fixtures', file]);
    const url = await firstLine(child);
    const response = await request(`${url}/v3/export-jobs`);
    const body = (await response.body.json()) as { data: { id: string; status: string; numberOfItems: number }[] };
    expect(body.data.map((job) => [job.id, job.status, job.numberOfItems])).toEqual([['0b5e55ed-0000-4000-8000-000000000002', 'in_progress', 130]]);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('refuses a fixture document that does not fit with exit code 2, naming the file and the field', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'pleo-export-mock-'));
    const file = join(directory, 'fixtures.json');
    writeFileSync(file, JSON.stringify({ jobs: [{}, { status: 'done' }] }));
    const result = await outcome(run(['--port', '0', '--fixtures', file]));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`--fixtures ${file}: jobs[1].status: 'done' is not one of pending`);
  });

  it('exits 0 on SIGINT too', async () => {
    const child = run(['--port', '0', '--log-level', 'silent']);
    await firstLine(child);
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    expect(((await exited) as [number | null])[0]).toBe(0);
  });

  it('refuses a port already in use with one clear line and a non-zero exit', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const address = blocker.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const result = await outcome(run(['--port', String(port), '--log-level', 'silent']));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe(`pleo-export-mock: cannot start: port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'eighty'], /--port must be a whole number from 0 to 65535, not 'eighty'/],
    [['--seed', '-3'], /--seed/],
    [['--start-time', 'yesterday'], /--start-time must be an ISO 8601 date-time/],
    [['--default-page-size', '500', '--max-page-size', '100'], /cannot exceed --max-page-size/],
    [['--log-level', 'loud'], /--log-level must be one of/],
    [['--webhook-url', 'ftp://example.test/hook'], /--webhook-url must be an http\(s\) URL/],
    [['--webhook-secret', 'whsec_abc'], /--webhook-secret needs --webhook-url/],
    [['--fault', 'getExportItemsV3@nth:0=503'], /--fault 'getExportItemsV3@nth:0=503'/],
    [['--rate-limit', '0'], /--rate-limit must be a whole number from 1/],
    [['--journal-bytes', 'lots'], /--journal-bytes must be a whole number from 0 to \d+, not 'lots'/],
    [['--auth', 'strict'], /--auth must be one of any, wellformed, listed/],
    [['--auth', 'listed'], /--auth listed needs --credentials FILE/],
    [['--credentials', '/nonexistent/creds.yaml'], /--credentials: cannot read/],
  ])('rejects %j with a usage line and exit code 2', async (args, message) => {
    const result = await outcome(run(args));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('documents its flags in --help', async () => {
    const result = await outcome(run(['--help']));
    expect(result.code).toBe(0);
    for (const flag of ['--port', '--host', '--seed', '--start-time', '--frozen-clock', '--default-page-size', '--max-page-size', '--journal-size', '--journal-bytes', '--fault', '--rate-limit', '--auth', '--credentials', '--fixtures', '--state-file', '--webhook-url', '--webhook-secret', '--log-level']) {
      expect(result.stdout).toContain(flag);
    }
  });
});
