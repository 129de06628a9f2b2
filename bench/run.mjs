// The benchmark of issue 6: the mock against Prism and a trivial Fastify server, on loopback.
// Prints a table of ratios against the targets plus absolute figures, and saves them. Numbers
// are never judged: the exit code is 0 when every section ran and the mock answered every
// request as expected, 1 otherwise (a workload the mock refuses measures nothing).
//
//   npm run bench          full run (a few minutes): bench/results/latest.{json,md}
//   npm run bench:smoke    tiny durations, for CI (under a minute): bench/results/smoke.*.tmp
//   node bench/run.mjs [--smoke] [--no-prism] [--sections cold,throughput,scale,memory]
//                      [--duration S] [--connections N]     (after npm run build)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release, type } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { measureColdStart } from './cold-start.mjs';
import { measureMemory } from './memory.mjs';
import { cpuSnapshot, killAllChildren, otherCores } from './processes.mjs';
import { evaluateTargets, resultsMarkdown, targetsText } from './report.mjs';
import { measureScale } from './scale.mjs';
import { assertBuilt, prismEntry, ROOT } from './targets.mjs';
import { measureThroughput } from './throughput.mjs';

const SECTIONS = ['cold', 'throughput', 'scale', 'memory'];

const USAGE = `Usage: node bench/run.mjs [options]   (after npm run build; npm run bench builds first)

  --smoke                 tiny sizes for CI (about 30 s); results in bench/results/smoke.*.tmp
  --no-prism              leave Prism out (its comparisons are reported n/a)
  --sections LIST         some of ${SECTIONS.join(',')} (a partial run writes partial.*.tmp)
  --duration S            seconds per workload and server (default 10, smoke 1)
  --connections N         autocannon connections (default 10)
  -h, --help              this text

Exit code 0 when every section ran and the mock answered as expected; numbers are never judged.`;

const FULL = {
  connections: 10,
  durationSec: 10,
  rounds: 2,
  warmupSec: 3,
  coldStartRuns: 5,
  scaleItems: 1_000_000,
  scaleRounds: 200,
  scaleWarmup: 20,
  memoryRequests: 100_000,
  memoryCheckpoints: [10_000, 25_000, 50_000, 75_000, 100_000],
  memoryIdleMs: 1000,
  memoryRestoreEvery: 100,
};

const SMOKE = {
  connections: 10,
  durationSec: 1,
  rounds: 1,
  warmupSec: 0,
  coldStartRuns: 1,
  scaleItems: 10_000,
  scaleRounds: 20,
  scaleWarmup: 5,
  memoryRequests: 2_000,
  memoryCheckpoints: [200, 1_000, 2_000],
  memoryIdleMs: 200,
  memoryRestoreEvery: 20,
};

// Children are killed however the harness ends: normally, on an error, or interrupted.
process.on('exit', killAllChildren);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping the servers\n`);
    killAllChildren();
    process.exit(code);
  });
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      'no-prism': { type: 'boolean', default: false },
      sections: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sections = values.sections === undefined ? SECTIONS : values.sections.split(',').map((name) => name.trim());
  const unknown = sections.filter((name) => !SECTIONS.includes(name));
  if (unknown.length > 0) throw new Error(`--sections: unknown ${unknown.join(', ')} (known: ${SECTIONS.join(', ')})`);
  const config = { ...(values.smoke ? SMOKE : FULL) };
  if (values.duration !== undefined) config.durationSec = Number(values.duration);
  if (values.connections !== undefined) config.connections = Number(values.connections);
  if (!(config.durationSec > 0) || !Number.isInteger(config.connections) || config.connections < 1) throw new Error('--duration must be positive and --connections a whole number');
  return { smoke: values.smoke, noPrism: values['no-prism'], sections, config };
}

function machine() {
  const processors = cpus();
  return {
    cpus: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    os: `${type()} ${release()}`,
    node: process.version,
  };
}

async function main() {
  const { smoke, noPrism, sections, config } = parseCommandLine();
  assertBuilt();
  const log = (line) => console.log(line);
  const prism = noPrism ? { available: false, reason: 'skipped (--no-prism)' } : prismEntry();
  const results = {
    date: new Date().toISOString(),
    mode: smoke ? 'smoke' : 'full',
    command: smoke ? 'npm run bench:smoke' : 'npm run bench',
    machine: machine(),
    config,
    sections,
    prism,
    problems: [],
    errors: [],
    otherCpu: {},
  };
  log(`bench (${results.mode}): ${results.machine.cpus} x ${results.machine.cpuModel}, Node ${results.machine.node}; Prism ${prism.available ? prism.version : `unavailable: ${prism.reason}`}`);

  const section = async (name, title, run) => {
    if (!sections.includes(name)) return undefined;
    log(`\n${title}`);
    const start = performance.now();
    const cpuBefore = cpuSnapshot();
    try {
      return await run();
    } catch (error) {
      const message = `${title}: ${error instanceof Error ? error.message : String(error)}`;
      results.errors.push(message);
      log(`  FAILED: ${message}`);
      return undefined;
    } finally {
      killAllChildren();
      // Other work on the machine skews every figure: how many cores it took during the section.
      const other = otherCores(cpuBefore, cpuSnapshot());
      results.otherCpu[name] = other;
      const warning = other !== null && other > 0.1 ? `; other processes kept ${other.toFixed(2)} cores busy meanwhile, figures may be skewed` : '';
      log(`  (${((performance.now() - start) / 1000).toFixed(1)} s${warning})`);
    }
  };
  const settings = { connections: config.connections, durationSec: config.durationSec, rounds: config.rounds, warmupSec: config.warmupSec };
  results.coldStart = await section('cold', `Cold start (${config.coldStartRuns} runs each)`, () => measureColdStart({ runs: config.coldStartRuns, prism, log }));
  results.throughput = await section('throughput', `Throughput (${config.connections} connections, ${config.durationSec} s per workload and server${config.rounds > 1 ? ` in ${config.rounds} rounds alternating the servers` : ''}, after ${config.warmupSec} s warm-up)`, () => measureThroughput({ settings, prism, log, problems: results.problems }));
  results.scale = await section('scale', `Scale (one job of ${config.scaleItems.toLocaleString('en-US')} items)`, () => measureScale({ items: config.scaleItems, rounds: config.scaleRounds, warmup: config.scaleWarmup, log, problems: results.problems }));
  results.memory = await section('memory', `Memory (${config.memoryRequests.toLocaleString('en-US')} mixed requests)`, () => measureMemory({ total: config.memoryRequests, checkpoints: config.memoryCheckpoints, idleMs: config.memoryIdleMs, restoreEvery: config.memoryRestoreEvery, log, problems: results.problems }));
  // Prism may have turned out unusable during the run; the entry's path is this machine's, so the
  // saved results name the package's file instead.
  results.prism = prism.available ? { ...prism, entry: relative(ROOT, prism.entry) } : prism;
  results.targets = evaluateTargets(results);

  log(`\nTargets (information only; see BENCHMARKS.md)\n${targetsText(results.targets)}`);
  for (const problem of [...results.problems, ...results.errors]) log(`PROBLEM: ${problem}`);

  // Only the latest full run is kept in the repository; smoke and partial runs go to ignored *.tmp files.
  const directory = join(ROOT, 'bench/results');
  mkdirSync(directory, { recursive: true });
  const complete = !smoke && sections.length === SECTIONS.length;
  const base = complete ? 'latest' : smoke ? 'smoke' : 'partial';
  const [jsonFile, mdFile] = complete ? [`${base}.json`, `${base}.md`] : [`${base}.json.tmp`, `${base}.md.tmp`];
  writeFileSync(join(directory, jsonFile), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(directory, mdFile), resultsMarkdown(results));
  log(`\nSaved bench/results/${jsonFile} and bench/results/${mdFile}`);
  return results.errors.length === 0 && results.problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    killAllChildren();
    process.exitCode = code;
  },
  (error) => {
    killAllChildren();
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
