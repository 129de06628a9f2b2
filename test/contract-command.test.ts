/**
 * `pleo-export-mock contract` as users run it: the compiled bin (`npm test` builds it first), a
 * real client process, reports on stdout or in a file, exit codes.
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockServer, type InProcessMockServer } from '../src/index.js';
import { runBin, type BinOutcome } from './support/bin.js';

const REFERENCE = 'node examples/reference-integration.mjs';

function contract(args: readonly string[]): Promise<BinOutcome> {
  return runBin(['contract', ...args], { ...process.env, NO_COLOR: '1' });
}

describe('pleo-export-mock contract --client', () => {
  it('passes the reference integration, exit code 0, with progress on stderr', async () => {
    const result = await contract(['--client', REFERENCE, '--scenario', 'happy-path', '--scenario', 'nothing-to-do']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PASS {2}2 scenarios/m);
    expect(result.stderr).toContain('ok   happy-path');
    expect(result.stderr).toContain('ok   nothing-to-do');
  });

  it('fails a client that exits non-zero, exit code 1, naming the check', async () => {
    const result = await contract(['--client', 'echo "cannot reach the ERP" >&2; exit 3', '--scenario', 'nothing-to-do']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL nothing-to-do > exit-cleanly/);
    expect(result.stdout).toContain('exited with code 3');
    expect(result.stdout).toContain('cannot reach the ERP');
  });

  it('writes JUnit XML that a standard parser reads, and still prints the summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'pleo-export-mock-junit-')), 'report.xml');
    const result = await contract(['--client', 'exit 0', '--scenario', 'happy-path', '--reporter', 'junit', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL happy-path > finishes-work');
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(out, 'utf8')) as { testsuites: { tests: string; failures: string; testsuite: { name: string; testcase: { name: string; failure?: unknown }[] } } };
    expect(parsed.testsuites.testsuite.name).toBe('happy-path');
    const failed = parsed.testsuites.testsuite.testcase.filter((testcase) => testcase.failure !== undefined).map((testcase) => testcase.name);
    expect(failed).toEqual(['finishes-work']);
    expect(Number(parsed.testsuites.failures)).toBe(1);
  });

  it('prints a JSON report on stdout with --reporter json', async () => {
    const result = await contract(['--client', REFERENCE, '--scenario', 'nothing-to-do', '--reporter', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { mode: string; passed: boolean; scenarios: { scenario: string }[] };
    expect([report.mode, report.passed, report.scenarios.map((scenario) => scenario.scenario)]).toEqual(['client', true, ['nothing-to-do']]);
  });

  it.each([
    [['--client', 'x', '--server', 'http://127.0.0.1:1'], 'exactly one of --client'],
    [['--client', 'x', '--scenario', 'sunny-day'], "unknown scenario 'sunny-day'"],
    [['--client', 'x', '--allow-writes'], '--allow-writes goes with --server'],
    [['--client', 'x', '--reporter', 'tap'], '--reporter must be one of'],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const result = await contract(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

describe('pleo-export-mock contract --server', () => {
  let mock: InProcessMockServer;
  beforeAll(async () => {
    mock = await createMockServer({ frozenClock: true });
  });
  afterAll(() => mock.close());

  it('passes this mock, writes included', async () => {
    const result = await contract(['--server', mock.url, '--allow-writes', '--credential', 'server-check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^PASS/m);
    expect(result.stdout).toContain('item-cap');
  });

  it('reports an unreachable server as a failed check, without crashing', async () => {
    const port = await freePort();
    const result = await contract(['--server', `http://127.0.0.1:${port}`, '--timeout', '2']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL read-only > reachable');
  });
});

/** A port nothing listens on: bound once, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}
