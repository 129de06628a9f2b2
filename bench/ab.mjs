// Compares builds of the mock side by side under one workload: each build is served at once, and
// loaded in alternating rounds, so that a disturbance on the machine falls on all of them rather
// than on one. Prints, per build, the medians over the rounds of requests per second and of the
// server's own CPU per request (user and system, from Linux /proc). On a shared VM this resolves
// differences of a few µs that one run after another cannot.
//
//   npm run build && cp -r dist .ab/before      # the build to compare against
//   (change the code) && npm run build
//   node bench/ab.mjs [--workload items20] [--rounds 5] [--duration 4] [--ceiling] .ab/before dist
//
// A build is a copy of `dist` anywhere inside the checkout (`.ab/` is ignored by git and lint):
// it finds `openapi/` and `node_modules/` by walking up, as `dist` does. `--ceiling` adds the
// Fastify ceiling serving the first build's answer (GET workloads only). Workloads are those of
// the benchmark (bench/throughput.mjs): items20, items100, jobs, put100, put100changing.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { expectStatus } from './http.mjs';
import { median, runLoad } from './load.mjs';
import { killAllChildren, processCpuTicks, startChild } from './processes.mjs';
import { AUTH, ROOT, startCeiling } from './targets.mjs';
import { prepareWorkloads } from './throughput.mjs';

process.on('exit', killAllChildren);

const { values: options, positionals: builds } = parseArgs({
  allowPositionals: true,
  options: {
    workload: { type: 'string', default: 'items20' },
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    ceiling: { type: 'boolean', default: false },
  },
});
const rounds = positiveInteger(options.rounds, '--rounds');
const durationSec = positiveInteger(options.duration, '--duration');
const warmupSec = Number(options.warmup);
const connections = positiveInteger(options.connections, '--connections');
if (builds.length === 0) {
  process.stderr.write('usage: node bench/ab.mjs [--workload ID] [--rounds N] [--duration S] [--ceiling] BUILD_DIR...\n');
  process.exit(2);
}

for (const directory of builds) {
  if (!existsSync(join(directory, 'src/cli.js'))) {
    process.stderr.write(`${directory}: not a build (no src/cli.js); copy one with 'npm run build && cp -r dist ${directory}'\n`);
    process.exit(2);
  }
}

function positiveInteger(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`${name}: expected a positive integer, got '${text}'\n`);
    process.exit(2);
  }
  return value;
}

/** Starts one build's CLI the way the benchmark starts the mock. */
async function startBuild(directory) {
  const running = startChild(process.execPath, [join(resolve(directory), 'src/cli.js'), '--port', '0', '--log-level', 'silent', '--frozen-clock'], { cwd: ROOT });
  const { line } = await running.firstLine;
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(line)) throw new Error(`${directory} printed '${line}' instead of its URL`);
  return { running, url: line };
}

const targets = [];
const scratch = mkdtempSync(join(tmpdir(), 'pleo-ab-'));
try {
  for (const directory of builds) {
    const { running, url } = await startBuild(directory);
    const workload = (await prepareWorkloads(url)).find((candidate) => candidate.id === options.workload);
    if (workload === undefined) throw new Error(`no workload '${options.workload}'; see bench/throughput.mjs`);
    targets.push({ name: directory, running, url, workload });
  }
  if (options.ceiling) {
    const [first] = targets;
    if (first.workload.method !== 'GET') throw new Error('--ceiling: the ceiling answers GET workloads only');
    const body = (await expectStatus(200, first.url, first.workload.path, { headers: AUTH })).text;
    const bodiesFile = join(scratch, 'bodies.json');
    // The ceiling picks its body by `limit`; one body under every limit the workloads use.
    writeFileSync(bodiesFile, JSON.stringify({ 20: body, 100: body }));
    const { running, url } = await startCeiling(bodiesFile);
    targets.push({ name: 'ceiling', running, url, workload: first.workload });
  }

  const load = async (target, seconds) => {
    const { workload } = target;
    const before = processCpuTicks(target.running.pid);
    const result = await runLoad({ url: `${target.url}${workload.path}`, method: workload.method, headers: workload.headers, body: workload.body, bodyFor: workload.bodyFor, connections, durationSec: seconds });
    const after = processCpuTicks(target.running.pid);
    if (result.status['2xx'] !== result.requests) throw new Error(`${target.name}: not every answer was 2xx: ${JSON.stringify(result.status)}`);
    // Clock ticks are 10 ms on Linux: 10,000 µs each.
    return { rps: result.rps, user: ((after.user - before.user) * 10_000) / result.requests, system: ((after.system - before.system) * 10_000) / result.requests };
  };
  if (warmupSec > 0) for (const target of targets) await load(target, warmupSec);
  const samples = new Map(targets.map((target) => [target.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) samples.get(target.name).push(await load(target, durationSec));
  }

  process.stdout.write(`${options.workload}: ${rounds} alternating rounds of ${durationSec} s, ${connections} connections; medians\n`);
  const width = Math.max(...targets.map((target) => target.name.length));
  for (const target of targets) {
    const runs = samples.get(target.name);
    const pick = (field) => median(runs.map((run) => run[field]));
    process.stdout.write(
      `${target.name.padEnd(width)}  ${pick('rps').toFixed(0).padStart(6)} req/s  CPU ${pick('user').toFixed(1)} + ${pick('system').toFixed(1)} µs/req` +
        `  (user by round: ${runs.map((run) => run.user.toFixed(0)).join(' ')})\n`,
    );
  }
} finally {
  for (const target of targets) await target.running.stop();
  rmSync(scratch, { recursive: true, force: true });
}
