/**
 * `pleo-export-mock seed` as scripts run it: the compiled bin (`npm test` builds it first), a real
 * process, files, stdout/stderr and exit codes. Starting the bin costs most of a second of CPU, so
 * the bin tests run concurrently, and the many ways a command line can be wrong are checked
 * in-process through runSeedCommand, which the bin merely calls.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateDefaultScenario } from '../src/fixtures/default-scenario.js';
import { loadFixtureDocument } from '../src/fixtures/fixture-document.js';
import { SCENARIO_NAMES } from '../src/fixtures/scenarios.js';
import { runSeedCommand } from '../src/seed-command.js';
import { DEFAULTS } from '../src/server/app.js';
import { runBin, type BinOutcome } from './support/bin.js';

const LOAD = { seed: DEFAULTS.seed, now: DEFAULTS.startTime };

function seed(args: readonly string[]): Promise<BinOutcome> {
  return runBin(['seed', ...args]);
}

/** A stream that keeps the text written to it. */
function collector(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write: (chunk: Buffer | string, _encoding, callback) => {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

/** The command run in this process, as the bin runs it. */
async function seedInProcess(args: readonly string[]): Promise<BinOutcome> {
  const stdout = collector();
  const stderr = collector();
  const code = await runSeedCommand(args, { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'pleo-export-mock-seed-'));
}

describe.concurrent('pleo-export-mock seed (bin)', () => {
  it('writes a file, replacing the old one, that loadFixtureDocument accepts', async ({ expect }) => {
    const directory = scratch();
    const file = join(directory, 'state.json');
    writeFileSync(file, 'old contents');
    const result = await seed(['--scenario', 'mixed-statuses', '--out', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^seed: wrote 6 jobs, \\d+ items to ${file}\\n$`));
    const state = loadFixtureDocument(JSON.parse(readFileSync(file, 'utf8')), LOAD);
    expect(state.jobs.map((job) => job.status).sort()).toEqual(['completed', 'completed_with_errors', 'failed', 'failed', 'in_progress', 'pending']);
    // The temporary file was renamed, not left behind.
    expect(readdirSync(directory)).toEqual(['state.json']);
  });

  it("writes JSON on stdout; for scenario default, the server's default state", async ({ expect }) => {
    const result = await seed(['--scenario', 'default']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('{\n  "seed": 42,\n  "companies": [\n')).toBe(true);
    expect(loadFixtureDocument(JSON.parse(result.stdout), LOAD)).toEqual(generateDefaultScenario(LOAD));
    expect(result.stderr).toMatch(/^seed: wrote \d+ jobs, \d+ items to stdout\n$/);
  });

  it('writes YAML for a .yaml file, with the content of the JSON', async ({ expect }) => {
    const file = join(scratch(), 'state.yaml');
    const args = ['--scenario', 'multi-company', '--companies', '3'];
    const result = await seed([...args, '--out', file]);
    expect(result.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^seed: 42\ncompanies:\n {2}- id: /);
    expect(parseYaml(text)).toEqual(JSON.parse((await seedInProcess(args)).stdout));
  });

  it('--compact writes untouched items as itemCount: smaller, and the same state', async ({ expect }) => {
    const args = ['--scenario', 'large-job', '--items', '5000'];
    const [explicit, compact] = await Promise.all([seed(args), seed([...args, '--compact'])]);
    expect([explicit.code, compact.code]).toEqual([0, 0]);
    expect(compact.stdout.length * 20).toBeLessThan(explicit.stdout.length);
    expect(compact.stdout).not.toContain('"items"');
    expect(loadFixtureDocument(JSON.parse(compact.stdout), LOAD)).toEqual(loadFixtureDocument(JSON.parse(explicit.stdout), LOAD));
  });

  it('reports progress on stderr for a large document, in plain lines', async ({ expect }) => {
    const file = join(scratch(), 'large.json');
    const result = await seed(['--scenario', 'large-job', '--items', '20000', '--out', file]);
    expect(result.code).toBe(0);
    const lines = result.stderr.trimEnd().split('\n');
    const progress = lines.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.length).toBeLessThanOrEqual(10);
    for (const line of progress) expect(line).toMatch(/^seed: \d+\/20000 items written$/);
    expect(lines.at(-1)).toBe(`seed: wrote 1 job, 20000 items to ${file}`);
    expect(result.stderr).not.toContain('\u001b');
  });

  it('gives the same bytes for the same seed and flags', async ({ expect }) => {
    const args = ['--scenario', 'default', '--format', 'yaml', '--seed', '11', '--start-time', '2026-03-01T12:00:00Z'];
    const [first, second] = await Promise.all([seed(args), seed(args)]);
    expect(first.code).toBe(0);
    expect(first.stdout.length).toBeGreaterThan(1000);
    expect(second.stdout).toBe(first.stdout);
  });

  it('refuses an unknown scenario with one line on stderr and exit code 2', async ({ expect }) => {
    const result = await seed(['--scenario', 'nonsense']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^pleo-export-mock seed: unknown scenario 'nonsense': one of default, empty, [a-z, -]+\n$/);
  });

  it('exits 1 with one line for a path it cannot write', async ({ expect }) => {
    const missing = join(scratch(), 'no-such-directory', 'state.json');
    const result = await seed(['--scenario', 'empty', '--out', missing]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`pleo-export-mock seed: cannot write ${missing}: no such directory\n`);
  });

  it('lists every scenario in --help', async ({ expect }) => {
    const result = await seed(['--help']);
    expect(result.code).toBe(0);
    for (const name of SCENARIO_NAMES) expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    for (const flag of ['--scenario', '--seed', '--start-time', '--items', '--companies', '--out', '--format', '--compact']) expect(result.stdout).toContain(flag);
  });
});

describe('runSeedCommand (in-process)', () => {
  it('writes the same bytes on stdout as in --out, and a different seed gives other bytes', async ({ expect }) => {
    const file = join(scratch(), 'resume.json');
    const onStdout = await seedInProcess(['--scenario', 'resume', '--seed', '9']);
    const toFile = await seedInProcess(['--scenario', 'resume', '--seed', '9', '--out', file]);
    expect([onStdout.code, toFile.code]).toEqual([0, 0]);
    expect(onStdout.stdout).toBe(readFileSync(file, 'utf8'));
    expect(onStdout.stderr).toBe('seed: wrote 1 job, 200 items to stdout\n');
    expect(toFile.stderr).toBe(`seed: wrote 1 job, 200 items to ${file}\n`);
    expect((await seedInProcess(['--scenario', 'resume', '--seed', '10'])).stdout).not.toBe(onStdout.stdout);
  });

  it('writes YAML on stdout with --format yaml, the bytes of a .yaml file', async ({ expect }) => {
    const file = join(scratch(), 'state.yml');
    const onStdout = await seedInProcess(['--scenario', 'expired', '--format', 'yaml']);
    await seedInProcess(['--scenario', 'expired', '--out', file]);
    expect(onStdout.stdout).toBe(readFileSync(file, 'utf8'));
    expect(parseYaml(onStdout.stdout)).toEqual(JSON.parse((await seedInProcess(['--scenario', 'expired'])).stdout));
  });

  it('writes only the summary on stderr for a small document', async ({ expect }) => {
    const result = await seedInProcess(['--scenario', 'empty']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ seed: 42, companies: [], jobs: [] });
    expect(result.stderr).toBe('seed: wrote 0 jobs, 0 items to stdout\n');
  });

  it.for([
    [[], /^pleo-export-mock seed: --scenario is required/],
    [['--scenario', 'large-job', '--items', '1000001'], /^pleo-export-mock seed: --items must be a whole number from 1 to 1000000, not '1000001'\n$/],
    [['--scenario', 'resume', '--items', 'many'], /^pleo-export-mock seed: --items must be a whole number/],
    [['--scenario', 'multi-company', '--companies', '0'], /^pleo-export-mock seed: --companies must be a whole number from 1 to 100/],
    [['--scenario', 'empty', '--items', '10'], /^pleo-export-mock seed: --items does not apply to scenario empty \(only to large-job, resume\)\n$/],
    [['--scenario', 'empty', '--seed', '4294967296'], /^pleo-export-mock seed: --seed must be a whole number from 0 to 4294967295/],
    [['--scenario', 'empty', '--start-time', '2026-01-05T09:00:00'], /^pleo-export-mock seed: --start-time must be an RFC 3339 date-time/],
    [['--scenario', 'empty', '--format', 'xml'], /^pleo-export-mock seed: --format must be json or yaml, not 'xml'\n$/],
    [['--scenario', 'empty', '--bogus'], /^pleo-export-mock seed: Unknown option '--bogus'/],
    [['--scenario', 'empty', 'extra'], /^pleo-export-mock seed: Unexpected argument 'extra'/],
  ] as const)('refuses %j with one line on stderr and exit code 2', async ([args, message], { expect }) => {
    const result = await seedInProcess(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('leaves an existing file as it was when the rename fails', async ({ expect }) => {
    const directory = scratch();
    const target = join(directory, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'kept');
    const result = await seedInProcess(['--scenario', 'empty', '--out', target]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`pleo-export-mock seed: cannot write ${target}: it is a directory\n`);
    expect(readdirSync(directory)).toEqual(['taken']);
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('kept');
  });
});
