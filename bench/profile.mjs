// Profiles the mock under one of the benchmark's workloads: starts it with `node --cpu-prof`,
// loads it with autocannon, stops it cleanly (the profile is written on exit), and prints where
// the time went: functions by self time, by time including callees, and modules by self time.
// The .cpuprofile is kept for Chrome DevTools or speedscope.
//
//   npm run build && node bench/profile.mjs [--workload items100|items20|jobs|put100|put100changing|start]
//                                           [--path '/v3/export-items?job_id={jobId}&limit=100']
//                                           [--duration 10] [--connections 10] [--top 25] [--out DIR]
//
// `--workload start` profiles a start instead: the process from spawn to its first 200. `--path`
// profiles GETs of any path instead, `{jobId}` standing for the default scenario's pending job.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runLoad } from './load.mjs';
import { killAllChildren, waitForOk } from './processes.mjs';
import { AUTH, COLD_START_PATH, ROOT, startMock } from './targets.mjs';
import { prepareWorkloads } from './throughput.mjs';

process.on('exit', killAllChildren);

/** Where a call frame's code lives: a package, a file of this project, or Node itself. */
function moduleOf(url) {
  if (url === '') return '(native or V8)';
  if (url.startsWith('node:')) return 'node: internals';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (packageMatch !== null) return packageMatch[1];
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

function frameKey(frame) {
  return `${frame.functionName || '(anonymous)'} ${moduleOf(frame.url)}:${frame.lineNumber + 1}`;
}

/**
 * Summarises a .cpuprofile: self and inclusive sample shares per function (a function counted
 * once per sample however often it recurs in the stack), and self shares per module. Samples
 * earlier than `fromMs` after the profile's start (the server's own start-up) are left out.
 */
function summariseProfile(profile, { fromMs = 0 } = {}) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const inclusive = new Map();
  const modules = new Map();
  const stackKeys = new Map();
  const keysOf = (id) => {
    let keys = stackKeys.get(id);
    if (keys === undefined) {
      const parentId = parent.get(id);
      keys = new Set(parentId === undefined ? [] : keysOf(parentId));
      keys.add(frameKey(nodes.get(id).callFrame));
      stackKeys.set(id, keys);
    }
    return keys;
  };
  let counted = 0;
  let considered = 0;
  let elapsedUs = 0;
  for (const [index, id] of profile.samples.entries()) {
    elapsedUs += profile.timeDeltas[index] ?? 0;
    if (elapsedUs < fromMs * 1000) continue;
    considered++;
    const node = nodes.get(id);
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(program)') continue;
    counted++;
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + 1);
    const module = name === '(garbage collector)' ? '(garbage collector)' : moduleOf(node.callFrame.url);
    modules.set(module, (modules.get(module) ?? 0) + 1);
    for (const ancestor of keysOf(id)) inclusive.set(ancestor, (inclusive.get(ancestor) ?? 0) + 1);
  }
  const idle = considered - counted;
  const ranked = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]).map(([key, count]) => ({ key, share: count / Math.max(1, counted) }));
  return { samples: considered, busySamples: counted, idleShare: idle / Math.max(1, considered), self: ranked(self), inclusive: ranked(inclusive), modules: ranked(modules) };
}

function printSummary(summary, top) {
  const pct = (share) => `${(share * 100).toFixed(1).padStart(5)}%`;
  console.log(`\n${summary.busySamples} busy samples (${(summary.idleShare * 100).toFixed(0)}% idle); shares below are of busy time`);
  console.log('\nSelf time by function');
  for (const row of summary.self.slice(0, top)) console.log(`  ${pct(row.share)}  ${row.key}`);
  console.log('\nTime including callees, by function');
  for (const row of summary.inclusive.slice(0, top)) console.log(`  ${pct(row.share)}  ${row.key}`);
  console.log('\nSelf time by module');
  for (const row of summary.modules.slice(0, Math.min(top, 20))) console.log(`  ${pct(row.share)}  ${row.key}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      workload: { type: 'string', default: 'items100' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      top: { type: 'string', default: '25' },
      out: { type: 'string' },
      path: { type: 'string' },
    },
  });
  const directory = values.out ?? mkdtempSync(join(tmpdir(), 'pleo-profile-'));
  mkdirSync(directory, { recursive: true });
  const mock = await startMock([], { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${directory}`, '--cpu-prof-interval', '250'] });
  // The profile starts with the process; under load, its start-up is left out of the summary.
  let fromMs = 0;
  try {
    if (values.workload === 'start') {
      await waitForOk(`${mock.url}${COLD_START_PATH}`, { since: mock.running.startedAt, headers: AUTH, running: mock.running });
    } else {
      const workloads = await prepareWorkloads(mock.url);
      const itemsJobId = /export-jobs\/([^/]+)\/items/.exec(workloads[0].path)[1];
      if (values.path !== undefined) workloads.push({ id: 'path', label: `GET ${values.path}`, method: 'GET', path: values.path.replaceAll('{jobId}', itemsJobId), headers: AUTH });
      const workload = workloads.find((candidate) => candidate.id === (values.path === undefined ? values.workload : 'path'));
      if (workload === undefined) throw new Error(`--workload: one of ${workloads.map((candidate) => candidate.id).join(', ')} or start`);
      const options = { url: `${mock.url}${workload.path}`, method: workload.method, headers: workload.headers, body: workload.body, bodyFor: workload.bodyFor, connections: Number(values.connections) };
      fromMs = performance.now() - mock.running.startedAt;
      const result = await runLoad({ ...options, durationSec: Number(values.duration) });
      console.log(`${workload.label}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms?.toFixed(2)} ms, p99 ${result.p99Ms?.toFixed(2)} ms (under the profiler)`);
    }
  } finally {
    // SIGTERM lets the CLI close cleanly, and node writes the profile on a clean exit.
    await mock.running.stop(30_000);
  }
  const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no .cpuprofile in ${directory}`);
  printSummary(summariseProfile(JSON.parse(readFileSync(join(directory, file), 'utf8')), { fromMs }), Number(values.top));
  console.log(`\nProfile: ${join(directory, file)}`);
}

main().catch((error) => {
  killAllChildren();
  console.error(`profile: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
