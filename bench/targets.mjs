// The servers the benchmark compares, each started the same way: `node <entry> ...` on 127.0.0.1,
// logging off, in a child process of its own.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { freePort, startChild, waitForOk } from './processes.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MOCK_CLI = join(ROOT, 'dist/src/cli.js');
const SPEC = join(ROOT, 'openapi/export-api.yaml');
const CEILING = join(ROOT, 'bench/ceiling-server.mjs');

/** Every request of the benchmark carries it: Prism refuses requests without a credential, and the mock reads it as a tenant. */
export const AUTH = { authorization: 'Bearer bench' };

/** The path of the first successful response that ends a cold start (the default scenario's job list). */
export const COLD_START_PATH = '/v3/export-jobs';

/** Fails early with a clear message when the build is missing (the npm scripts build first). */
export function assertBuilt() {
  if (!existsSync(MOCK_CLI)) throw new Error(`${MOCK_CLI} is missing: run 'npm run build' first (npm run bench does)`);
}

/**
 * Starts the mock (`--port 0 --log-level silent --frozen-clock` plus `extraArgs`; `nodeArgs` go
 * to node itself, e.g. `--cpu-prof`) and waits for the URL it prints. Resolves with the running
 * child, its URL and the time from spawn to URL.
 */
export async function startMock(extraArgs = [], { nodeArgs = [] } = {}) {
  const running = startChild(process.execPath, [...nodeArgs, MOCK_CLI, '--port', '0', '--log-level', 'silent', '--frozen-clock', ...extraArgs], { cwd: ROOT });
  const { line, ms } = await running.firstLine;
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(line)) {
    await running.stop();
    throw new Error(`the mock printed '${line}' instead of its URL`);
  }
  return { running, url: line, urlMs: ms };
}

/** Runs the mock's CLI with `args` (e.g. `seed ...`) to completion. */
export function mockCliArgs(args) {
  return [MOCK_CLI, ...args];
}

/**
 * Where Prism's CLI is, or why it cannot be used. It is a devDependency; a machine where it
 * is not installed (or cannot run) gets Prism reported as unavailable, not a failed run.
 */
export function prismEntry() {
  try {
    const require = createRequire(join(ROOT, 'package.json'));
    const manifestPath = require.resolve('@stoplight/prism-cli/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.prism;
    if (typeof bin !== 'string') return { available: false, reason: '@stoplight/prism-cli declares no prism bin' };
    return { available: true, entry: join(dirname(manifestPath), bin), version: String(manifest.version) };
  } catch {
    return { available: false, reason: '@stoplight/prism-cli is not installed (npm install)' };
  }
}

/**
 * Starts Prism on this project's spec with its logging silenced, and waits for its first 200
 * on {@link COLD_START_PATH}. Resolves with the running child, its URL and the cold start.
 */
export async function startPrism(entry) {
  const port = await freePort();
  const running = startChild(process.execPath, [entry, 'mock', SPEC, '-p', String(port), '-h', '127.0.0.1', '-v', 'silent'], { cwd: ROOT });
  const url = `http://127.0.0.1:${port}`;
  try {
    const coldStartMs = await waitForOk(`${url}${COLD_START_PATH}`, { since: running.startedAt, headers: AUTH, running, timeoutMs: 120_000 });
    return { running, url, coldStartMs };
  } catch (error) {
    await running.stop();
    throw error;
  }
}

/**
 * Starts the Fastify ceiling: a trivial server answering the items path with fixed bodies,
 * read from `bodiesFile` (`{ "<limit>": "<body>" }`).
 */
export async function startCeiling(bodiesFile) {
  const running = startChild(process.execPath, [CEILING, bodiesFile], { cwd: ROOT });
  const { line } = await running.firstLine;
  return { running, url: line };
}
