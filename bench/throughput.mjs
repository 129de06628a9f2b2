// Throughput and latency of the workloads on the mock, the Fastify ceiling and Prism: one server
// process per target, each workload warmed up and then measured with the same autocannon settings.
// Every request carries the same credential (Prism requires one; the mock reads it as a tenant).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectStatus } from './http.mjs';
import { combineRuns, runLoad } from './load.mjs';
import { processCpuTicks } from './processes.mjs';
import { AUTH, startCeiling, startMock, startPrism } from './targets.mjs';

/** The tenant that PUTs results: its own state (one in_progress job of 100 items), so the reads see the default scenario. */
const PUT_AUTH = { authorization: 'Bearer bench-put' };

/**
 * The workloads, with paths learned from a running mock (the default scenario's pending job of
 * 200 items; an in_progress job of 100 items loaded into the PUT tenant). Prism serves its
 * examples for any uuid, so it gets the very same requests.
 */
export async function prepareWorkloads(url) {
  const pending = await expectStatus(200, url, '/v3/export-jobs?statuses=pending', { headers: AUTH });
  const itemsJob = pending.json.data.find((job) => job.numberOfItems === 200) ?? pending.json.data[0];
  if (itemsJob === undefined) throw new Error('the default scenario has no pending job');
  await expectStatus(200, url, '/__admin/state', { method: 'PUT', headers: PUT_AUTH, body: { jobs: [{ status: 'in_progress', itemCount: 100 }] } });
  const active = await expectStatus(200, url, '/v3/export-jobs?statuses=in_progress', { headers: PUT_AUTH });
  const putJob = active.json.data[0];
  const items = await expectStatus(200, url, `/v3/export-jobs/${putJob.id}/items?limit=100`, { headers: PUT_AUTH });
  if (items.json.data.length !== 100) throw new Error(`the PUT job has ${items.json.data.length} items, expected 100`);
  // The same 100 results every time: reporting a result again is allowed while the job is in
  // progress. After the first request nothing changes (a client re-sending a batch), which the mock
  // detects; put100changing measures the write that changes every item.
  const putBody = JSON.stringify(items.json.data.map((item, index) => ({
    accountingEntryId: item.accountingEntryId,
    status: 'successful',
    externalId: `V-${String(index + 1).padStart(4, '0')}`,
    externalUrl: `https://erp.example/vouchers/V-${String(index + 1).padStart(4, '0')}`,
  })));
  // Every request changes every item: each carries its own exportedAt (one millisecond later than the last).
  const changingBody = (n) => JSON.stringify(items.json.data.map((item, index) => ({
    accountingEntryId: item.accountingEntryId,
    status: 'successful',
    exportedAt: new Date(Date.UTC(2026, 0, 5, 10, 0, 0) + n).toISOString(),
    externalId: `V-${String(index + 1).padStart(4, '0')}`,
  })));
  const itemsPath = (limit) => `/v3/export-jobs/${itemsJob.id}/items?limit=${limit}`;
  return [
    { id: 'items20', label: 'GET /v3/export-jobs/{jobId}/items?limit=20', method: 'GET', path: itemsPath(20), headers: AUTH, ceilingLimit: 20 },
    { id: 'items100', label: 'GET /v3/export-jobs/{jobId}/items?limit=100', method: 'GET', path: itemsPath(100), headers: AUTH, ceilingLimit: 100 },
    { id: 'jobs', label: 'GET /v3/export-jobs', method: 'GET', path: '/v3/export-jobs', headers: AUTH },
    { id: 'put100', label: 'PUT /v3/export-jobs/{jobId}/items (100 results)', method: 'PUT', path: `/v3/export-jobs/${putJob.id}/items`, headers: { ...PUT_AUTH, 'content-type': 'application/json' }, body: putBody },
    { id: 'put100changing', label: 'PUT /v3/export-jobs/{jobId}/items (100 results, every item changed)', method: 'PUT', path: `/v3/export-jobs/${putJob.id}/items`, headers: { ...PUT_AUTH, 'content-type': 'application/json' }, bodyFor: changingBody },
  ];
}

function line(target, workload, result) {
  const status = result.status['2xx'] === result.requests ? '' : ` status ${JSON.stringify(result.status)} errors ${result.errors}`;
  const rounds = result.rpsByRun.length > 1 ? ` (rounds: ${result.rpsByRun.join(', ')} req/s)` : '';
  const cpu = result.cpuUserUs === null ? '' : `  server CPU ${result.cpuUserUs.toFixed(0)}+${result.cpuSystemUs.toFixed(0)} µs/req`;
  return `  ${workload.id.padEnd(14)} ${target.padEnd(8)} ${result.rps.toFixed(0).padStart(7)} req/s  p50 ${result.p50Ms?.toFixed(2) ?? '-'} ms  p99 ${result.p99Ms?.toFixed(2) ?? '-'} ms  ${result.bytesPerResponse} B/response${cpu}${rounds}${status}`;
}

/**
 * Measures every workload on the mock, the ceiling (items pages only) and Prism (when available).
 * All servers run at once (an idle one costs nothing); each workload is warmed up on each target,
 * then measured in `rounds` rounds that alternate the targets, so that a disturbance on the
 * machine falls on all of them rather than on one. Resolves with
 * `{ settings, workloads: [{ id, label, method, mock, ceiling, prism }] }`.
 */
export async function measureThroughput({ settings, prism, log, problems }) {
  const { connections, durationSec, warmupSec, rounds } = settings;
  const servers = [];
  const directory = mkdtempSync(join(tmpdir(), 'pleo-bench-'));
  try {
    const mock = await startMock();
    servers.push(mock);
    const workloads = await prepareWorkloads(mock.url);
    const bodies = {};
    for (const workload of workloads) {
      if (workload.ceilingLimit !== undefined) bodies[workload.ceilingLimit] = (await expectStatus(200, mock.url, workload.path, { headers: AUTH })).text;
    }
    const bodiesFile = join(directory, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const ceiling = await startCeiling(bodiesFile);
    servers.push(ceiling);
    const targets = [{ name: 'mock', url: mock.url, pid: mock.running.pid }, { name: 'ceiling', url: ceiling.url, pid: ceiling.running.pid }];
    if (prism.available) {
      try {
        const started = await startPrism(prism.entry);
        servers.push(started);
        targets.push({ name: 'prism', url: started.url, pid: started.running.pid });
      } catch (error) {
        // Prism installed but not starting: reported as unavailable, the rest still measured.
        prism.available = false;
        prism.reason = `Prism did not start: ${error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 300) : String(error)}`;
        log(`  prism: unavailable (${prism.reason})`);
      }
    }

    for (const workload of workloads) {
      const on = targets.filter((target) => target.name !== 'ceiling' || workload.ceilingLimit !== undefined);
      const load = async (target, seconds) => {
        const before = processCpuTicks(target.pid);
        const result = await runLoad({ url: `${target.url}${workload.path}`, method: workload.method, headers: workload.headers, body: workload.body, bodyFor: workload.bodyFor, connections, durationSec: seconds });
        const after = processCpuTicks(target.pid);
        return { ...result, serverCpuTicks: before === null || after === null ? null : { user: after.user - before.user, system: after.system - before.system } };
      };
      if (warmupSec > 0) for (const target of on) await load(target, warmupSec);
      const runs = new Map(on.map((target) => [target.name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const target of on) runs.get(target.name).push(await load(target, durationSec / rounds));
      }
      for (const target of on) {
        workload[target.name] = combineRuns(runs.get(target.name));
        log(line(target.name, workload, workload[target.name]));
      }
      const onMock = workload.mock;
      if (onMock.status['5xx'] > 0 || onMock.status['4xx'] > 0 || onMock.errors > 0 || onMock.timeouts > 0) {
        problems.push(`mock, ${workload.label}: ${JSON.stringify(onMock.status)}, ${onMock.errors} connection errors, ${onMock.timeouts} timeouts under load`);
      }
    }
    if (mock.running.child.exitCode !== null) problems.push(`the mock exited (${mock.running.child.exitCode}) during the throughput run: ${mock.running.stderr().slice(-500)}`);
    return {
      settings,
      workloads: workloads.map(({ id, label, method, mock: onMock, ceiling: onCeiling, prism: onPrism }) => ({ id, label, method, mock: onMock, ceiling: onCeiling ?? null, prism: onPrism ?? null })),
    };
  } finally {
    await Promise.all(servers.map((server) => server.running.stop()));
    rmSync(directory, { recursive: true, force: true });
  }
}
