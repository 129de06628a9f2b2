// The targets of issue 6 as ratios of one run, and the run written as markdown. PASS and MISS
// are information: the harness never fails on a number.

function ratio(numerator, denominator) {
  return typeof numerator === 'number' && typeof denominator === 'number' && denominator > 0 ? numerator / denominator : null;
}

/**
 * The targets, each `{ name, target, value, comparison: 'min'|'max', bound, status, note }`.
 * A target whose inputs were not measured (Prism unavailable, a section that failed) is 'n/a'.
 */
export function evaluateTargets(results) {
  const workload = (id) => results.throughput?.workloads.find((candidate) => candidate.id === id);
  const rps = (id, target) => workload(id)?.[target]?.rps;
  const prismNote = results.prism.available ? undefined : `Prism unavailable: ${results.prism.reason}`;
  const rows = [
    { name: 'items page of 20: req/s vs Prism', target: '>= 5x', comparison: 'min', bound: 5, value: ratio(rps('items20', 'mock'), rps('items20', 'prism')), note: prismNote, section: 'throughput' },
    { name: 'items page of 100: req/s vs Prism', target: '>= 5x', comparison: 'min', bound: 5, value: ratio(rps('items100', 'mock'), rps('items100', 'prism')), note: prismNote, section: 'throughput' },
    { name: 'items page of 20: req/s vs Fastify ceiling', target: '>= 0.5x', comparison: 'min', bound: 0.5, value: ratio(rps('items20', 'mock'), rps('items20', 'ceiling')), section: 'throughput' },
    { name: 'items page of 100: req/s vs Fastify ceiling', target: '>= 0.5x', comparison: 'min', bound: 0.5, value: ratio(rps('items100', 'mock'), rps('items100', 'ceiling')), section: 'throughput' },
    { name: 'PUT of 100 items (the same batch again): req/s vs Prism', target: '>= 3x', comparison: 'min', bound: 3, value: ratio(rps('put100', 'mock'), rps('put100', 'prism')), note: prismNote, section: 'throughput' },
    // Held to the same goal: a repeated batch changes nothing, so it alone would flatter the write path.
    { name: 'PUT of 100 items, every item changed: req/s vs Prism', target: '>= 3x', comparison: 'min', bound: 3, value: ratio(rps('put100changing', 'mock'), rps('put100changing', 'prism')), note: prismNote, section: 'throughput' },
    { name: 'cold start vs Prism', target: '<= 0.5x', comparison: 'max', bound: 0.5, value: ratio(results.coldStart?.mock.medianMs, results.coldStart?.prism?.medianMs), note: prismNote, section: 'cold' },
    { name: `page near the end of a ${formatCount(results.scale?.items ?? results.config.scaleItems)}-item job vs first page (median latency)`, target: '<= 1.5x', comparison: 'max', bound: 1.5, value: results.scale?.ratio ?? null, section: 'scale' },
    { name: `RSS after ${formatCount(results.memory?.final?.requests ?? results.config.memoryRequests)} requests vs after ${formatCount(results.memory?.baseline?.requests ?? results.config.memoryCheckpoints[0])}`, target: '<= 1.10x', comparison: 'max', bound: 1.1, value: results.memory?.ratio ?? null, section: 'memory' },
  ];
  return rows.map((row) => ({
    ...row,
    status: row.value === null ? 'n/a' : (row.comparison === 'min' ? row.value >= row.bound : row.value <= row.bound) ? 'PASS' : 'MISS',
    note: row.value !== null ? undefined : !results.sections.includes(row.section) ? 'section not run' : row.note ?? 'not measured (see problems)',
  }));
}

function formatCount(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : '?';
}

function num(value, digits = 0) {
  return typeof value === 'number' ? value.toFixed(digits) : '-';
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** The targets as an aligned plain-text table, for the terminal. */
export function targetsText(targets) {
  const rows = targets.map((row) => [row.name, row.target, row.value === null ? '-' : `${row.value.toFixed(2)}x`, row.status + (row.note === undefined ? '' : ` (${row.note})`)]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length), ['target', 'goal', 'ratio'][column].length));
  const format = (row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]) : cell)).join('  ');
  return [format(['target', 'goal', 'ratio', 'status']), ...rows.map(format)].join('\n');
}

/** The whole run as markdown (bench/results/latest.md). */
export function resultsMarkdown(results) {
  const out = [];
  out.push(`# Benchmark run ${results.date}`, '');
  out.push(`Mode: ${results.mode} (\`${results.command}\`). Machine: ${results.machine.cpus} x ${results.machine.cpuModel}, ${num(results.machine.memoryGiB, 0)} GiB, ${results.machine.os}, Node ${results.machine.node}. Prism: ${results.prism.available ? `@stoplight/prism-cli ${results.prism.version}` : `unavailable (${results.prism.reason})`}.`, '');
  out.push(`Cores kept busy by other processes during each section (0 on a quiet machine): ${Object.entries(results.otherCpu).map(([name, cores]) => `${name} ${cores === null ? '?' : cores.toFixed(2)}`).join(', ') || '-'}.`, '');
  out.push(`Load: autocannon, ${results.config.connections} connections, ${results.config.durationSec} s per workload and server${results.config.rounds > 1 ? ` (in ${results.config.rounds} rounds alternating the servers)` : ''} after a ${results.config.warmupSec} s warm-up, on 127.0.0.1; each server in its own process with logging off.`, '');
  out.push('## Targets', '');
  out.push(table(['target', 'goal', 'ratio', 'status'], results.targets.map((row) => [row.name, row.target, row.value === null ? '-' : `${row.value.toFixed(2)}x`, row.status + (row.note === undefined ? '' : ` (${row.note})`)])), '');
  if (results.coldStart !== undefined) {
    out.push('## Cold start (spawn to first 200 on GET /v3/export-jobs, median)', '');
    const rows = [['mock', num(results.coldStart.mock.medianMs), results.coldStart.mock.runsMs.map((ms) => num(ms)).join(', ')]];
    if (results.coldStart.prism !== null) rows.push(['Prism', num(results.coldStart.prism.medianMs), results.coldStart.prism.runsMs.map((ms) => num(ms)).join(', ')]);
    out.push(table(['server', 'median ms', 'runs ms'], rows), '');
  }
  if (results.throughput !== undefined) {
    out.push('## Throughput and latency', '');
    const rows = [];
    for (const workload of results.throughput.workloads) {
      for (const target of ['mock', 'ceiling', 'prism']) {
        const result = workload[target];
        if (result === null || result === undefined) continue;
        const cpu = result.cpuUserUs == null ? '-' : `${num(result.cpuUserUs)} + ${num(result.cpuSystemUs)}`;
        rows.push([workload.label, target, num(result.rps), num(result.p50Ms, 2), num(result.p99Ms, 2), cpu, String(result.bytesPerResponse), `${result.status['2xx']}/${result.requests}`]);
      }
    }
    out.push(table(['workload', 'server', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req (user + sys)', 'bytes/response', '2xx/all'], rows), '');
    out.push('Bytes per response include headers. Prism answers every items request with its one-item example, whatever the limit. Server CPU is the server process\'s own time (Linux /proc) divided by the requests it answered.', '');
  }
  if (results.scale !== undefined) {
    const scale = results.scale;
    out.push(`## Scale: one job of ${formatCount(scale.items)} items`, '');
    out.push(table(['what', 'value'], [
      ['seed --scenario large-job --compact', `${num(scale.seedMs)} ms`],
      ['start with --fixtures: spawn to URL', `${num(scale.startToUrlMs)} ms`],
      ['start with --fixtures: spawn to first 200', `${num(scale.startToFirstOkMs)} ms`],
      ['RSS after start', `${num(scale.rssAfterStartMiB)} MiB`],
      ['first request of a new credential (its tenant copies the state)', `${num(scale.newTenant.firstRequestMs)} ms, RSS then ${num(scale.newTenant.rssAfterMiB)} MiB`],
      ['RSS after paging', `${num(scale.rssAfterPagingMiB)} MiB`],
      [`walk by cursor, ${formatCount(scale.walk.pages)} pages of 100`, `${num(scale.walk.ms)} ms (${num(scale.walk.msPerPage, 2)} ms a page)`],
      ['first page (limit=100), median / p99', `${num(scale.firstPage.medianMs, 3)} / ${num(scale.firstPage.p99Ms, 3)} ms`],
      [`page after row ${formatCount(scale.deepPage.afterRow)}, median / p99`, `${num(scale.deepPage.medianMs, 3)} / ${num(scale.deepPage.p99Ms, 3)} ms`],
    ]), '');
  }
  if (results.memory !== undefined) {
    const memory = results.memory;
    out.push(`## Memory over ${formatCount(memory.total)} mixed requests`, '');
    out.push(`${memory.tenants} tenants, ${memory.connections} connections, ${num(memory.requestsPerSecond)} req/s; state put back to the startup document every ${memory.restoreEvery} writer cycles (${memory.restores} times); RSS read after ${memory.idleMs} ms idle. Statuses: ${Object.entries(memory.statusCounts).map(([status, count]) => `${formatCount(count)} x ${status}`).join(', ')}.`, '');
    out.push(table(['requests', 'RSS MiB', 'after a full GC: heap used MiB', 'heap total MiB', 'old space MiB', 'external MiB', 'RSS MiB'], memory.samples.map((sample) => [formatCount(sample.requests), num(sample.rssMiB, 1), num(sample.heapUsedAfterGcMiB, 1), num(sample.heapTotalAfterGcMiB, 1), num(sample.oldSpaceAfterGcMiB ?? null, 1), num(sample.externalAfterGcMiB, 1), num(sample.rssAfterGcMiB, 1)])), '');
    out.push('RSS is read first, after the idle; then bench/heap-probe.mjs (preloaded into the mock) runs a full GC and reports the heap. A live heap that stays flat while RSS moves is V8 and the allocator keeping freed memory, not a leak.', '');
  }
  if (results.errors.length > 0 || results.problems.length > 0) {
    out.push('## Problems', '');
    for (const problem of [...results.problems, ...results.errors]) out.push(`- ${problem}`);
    out.push('');
  }
  return out.join('\n');
}
