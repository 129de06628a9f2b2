// Memory over a long run: one mock process, a fixed number of mixed requests from a few tenants,
// resident memory sampled at checkpoints after a short idle. The journal (1000 entries a tenant
// by default) stays on, as in real use.
//
// Each tenant has a writer (create a job, start it, read its items and export items, PUT results,
// complete it) and a reader (job lists, items pages by cursor, export items, PUTs on the default
// in_progress job, look-ups). Jobs the writers create are real state, which may grow; so that the
// measurement is of the server's own structures (journal, caches), each tenant's state is put
// back to the startup document every `restoreEvery` writer cycles, an admin call that leaves the
// journal as it is.
//
// RSS is what the target compares. After reading it, each checkpoint also asks the mock, through
// bench/heap-probe.mjs (preloaded; the mock's code is unchanged), to collect garbage and report its
// heap: a live heap that keeps growing is a leak, an RSS that grows while the live heap does not is
// V8 keeping freed pages.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Client } from 'undici';
import { expectStatus } from './http.mjs';
import { rssMiB } from './processes.mjs';
import { ROOT, startMock } from './targets.mjs';

const HEAP_PROBE = pathToFileURL(join(ROOT, 'bench/heap-probe.mjs')).href;

const TENANTS = ['mem-1', 'mem-2', 'mem-3', 'mem-4'];
const ITEMS_PER_CREATED_JOB = 5;

/** A uuid made from two numbers, unique per tenant and job. */
function uuid(tenant, n) {
  return `${tenant.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** The ids the workload needs, read from the default scenario. */
async function discover(url) {
  const jobs = (await expectStatus(200, url, '/v3/export-jobs?limit=100')).json.data;
  const pending = jobs.find((job) => job.status === 'pending');
  const inProgress = jobs.find((job) => job.status === 'in_progress');
  const activeCompanies = new Set(jobs.filter((job) => job.status === 'pending' || job.status === 'in_progress').map((job) => job.companyId));
  const idleCompany = jobs.find((job) => !activeCompanies.has(job.companyId))?.companyId;
  if (pending === undefined || inProgress === undefined || idleCompany === undefined) throw new Error('the default scenario lacks a pending job, an in_progress job or a company without an active job');
  const inProgressItems = (await expectStatus(200, url, `/v3/export-jobs/${inProgress.id}/items?limit=100`)).json.data;
  const startup = (await expectStatus(200, url, '/__admin/state')).json;
  return { pending, inProgress, inProgressItems, idleCompany, startup };
}

function reader(ids) {
  const { pending, inProgress, inProgressItems } = ids;
  const results = inProgressItems.map((item, index) => ({ accountingEntryId: item.accountingEntryId, status: index % 7 === 0 ? 'failed' : 'successful', ...(index % 7 === 0 ? { failureReason: 'Account 4000 is closed', failureReasonType: 'account_unknown' } : { externalId: `R-${index}` }) }));
  let cursor;
  let step = 0;
  const operations = [
    () => ({ path: '/v3/export-jobs?limit=20' }),
    () => ({ path: '/v3/export-jobs?statuses=pending&sorting_keys=createdAt&sorting_order=ASC&limit=1' }),
    () => ({ path: `/v3/export-jobs/${pending.id}/items?limit=100`, after: (json) => { cursor = json.pagination.endCursor; } }),
    () => ({ path: `/v3/export-jobs/${pending.id}/items?limit=100${cursor === undefined ? '' : `&after=${encodeURIComponent(cursor)}`}` }),
    () => ({ path: `/v3/export-items?job_id=${pending.id}&limit=20` }),
    () => ({ method: 'PUT', path: `/v3/export-jobs/${inProgress.id}/items`, body: results }),
    () => ({ path: `/v3/export-jobs/${inProgress.id}` }),
    () => ({ path: `/v3/export-job-items?company_id=${inProgress.companyId}&accounting_entry_id=${inProgressItems[step % inProgressItems.length].accountingEntryId}` }),
    () => ({ path: `/v2/export-jobs/${pending.id}/items?limit=50` }),
  ];
  return { next: () => operations[step++ % operations.length]() };
}

function writer(ids, tenantIndex, restoreEvery) {
  let cycle = 0;
  let step = 0;
  let jobId;
  let entries = [];
  const operations = [
    () => {
      entries = Array.from({ length: ITEMS_PER_CREATED_JOB }, (_, index) => uuid(tenantIndex + 1, cycle * ITEMS_PER_CREATED_JOB + index));
      return { method: 'POST', path: '/v3/export-jobs', body: { companyId: ids.idleCompany, accountingEntryIds: entries }, expect: 201, after: (json) => { jobId = json.data.id; } };
    },
    () => ({ method: 'POST', path: '/v3/export-job-events', body: { jobId, event: 'started' }, expect: 202 }),
    () => ({ path: `/v3/export-jobs/${jobId}/items?limit=100` }),
    () => ({ path: `/v3/export-items?job_id=${jobId}&limit=20` }),
    () => ({ method: 'PUT', path: `/v3/export-jobs/${jobId}/items`, body: entries.map((id, index) => ({ accountingEntryId: id, status: 'successful', externalId: `W-${cycle}-${index}` })) }),
    () => ({ method: 'POST', path: '/v3/export-job-events', body: { jobId, event: 'completed' }, expect: 202 }),
  ];
  return {
    next: () => {
      const operation = operations[step % operations.length]();
      step++;
      if (step % operations.length === 0) cycle++;
      return operation;
    },
    /** True once per `restoreEvery` completed cycles, between cycles. */
    dueForRestore: () => step % operations.length === 0 && cycle > 0 && cycle % restoreEvery === 0,
  };
}

/** Asks the preloaded heap probe for a GC and its figures; null when it does not answer within 5 s. */
async function probeHeap(running) {
  const count = () => running.stderr().split('HEAP-PROBE ').length;
  const before = count();
  running.child.kill('SIGUSR2');
  for (let waited = 0; waited < 5000; waited += 20) {
    await sleep(20);
    if (count() > before) {
      const lines = running.stderr().split('\n').filter((line) => line.startsWith('HEAP-PROBE '));
      return JSON.parse(lines[lines.length - 1].slice('HEAP-PROBE '.length));
    }
  }
  return null;
}

/**
 * Sends `total` mixed requests to one mock process and samples its RSS at `checkpoints`
 * (request counts, ascending, the last equal to `total`), each after `idleMs` without load.
 */
export async function measureMemory({ total, checkpoints, idleMs, restoreEvery, log, problems }) {
  if (checkpoints.at(-1) !== total) throw new Error(`the last checkpoint (${checkpoints.at(-1)}) must be the total (${total})`);
  const mock = await startMock([], { nodeArgs: ['--expose-gc', '--import', HEAP_PROBE] });
  const clients = [];
  try {
    const ids = await discover(mock.url);
    const rssAtStart = rssMiB(mock.running.pid);
    const workers = TENANTS.flatMap((tenant, index) => {
      const headers = { authorization: `Bearer ${tenant}` };
      const readerClient = new Client(mock.url);
      const writerClient = new Client(mock.url);
      clients.push(readerClient, writerClient);
      return [
        { tenant, headers, client: readerClient, source: reader(ids) },
        { tenant, headers, client: writerClient, source: writer(ids, index, restoreEvery) },
      ];
    });
    const statusCounts = {};
    const unexpected = [];
    let sent = 0;
    let restores = 0;

    async function send(worker, operation) {
      const body = operation.body === undefined ? undefined : JSON.stringify(operation.body);
      const response = await worker.client.request({
        path: operation.path,
        method: operation.method ?? 'GET',
        headers: body === undefined ? worker.headers : { ...worker.headers, 'content-type': 'application/json' },
        body,
      });
      const text = await response.body.text();
      statusCounts[response.statusCode] = (statusCounts[response.statusCode] ?? 0) + 1;
      if (response.statusCode !== (operation.expect ?? 200)) {
        if (unexpected.length < 20) unexpected.push(`${worker.tenant} ${operation.method ?? 'GET'} ${operation.path} -> ${response.statusCode}: ${text.slice(0, 200)}`);
        return;
      }
      if (operation.after !== undefined) operation.after(text === '' ? null : JSON.parse(text));
    }

    async function loop(worker, until) {
      while (sent < until) {
        if (worker.source.dueForRestore?.() === true) {
          await expectStatus(200, mock.url, '/__admin/state', { method: 'PUT', headers: worker.headers, body: ids.startup, dispatcher: worker.client });
          restores++;
        }
        sent++;
        await send(worker, worker.source.next());
      }
    }

    const samples = [{ requests: 0, rssMiB: rssAtStart }];
    let loadMs = 0;
    for (const checkpoint of checkpoints) {
      const phaseStart = performance.now();
      await Promise.all(workers.map((worker) => loop(worker, checkpoint)));
      loadMs += performance.now() - phaseStart;
      await sleep(idleMs);
      const rss = rssMiB(mock.running.pid);
      const heap = await probeHeap(mock.running);
      samples.push({ requests: sent, rssMiB: rss, heapUsedAfterGcMiB: heap?.heapUsedMiB ?? null, heapTotalAfterGcMiB: heap?.heapTotalMiB ?? null, externalAfterGcMiB: heap?.externalMiB ?? null, oldSpaceAfterGcMiB: heap?.spacesMiB?.old_space?.[0] ?? null, rssAfterGcMiB: heap?.rssMiB ?? null });
      log(`  after ${sent} requests: RSS ${rss?.toFixed(1) ?? '?'} MiB; after a full GC: heap used ${heap?.heapUsedMiB ?? '?'} of ${heap?.heapTotalMiB ?? '?'} MiB, old space ${heap?.spacesMiB?.old_space?.[0] ?? '?'} MiB, external ${heap?.externalMiB ?? '?'} MiB, RSS ${heap?.rssMiB ?? '?'} MiB`);
    }
    const fivexx = Object.entries(statusCounts).filter(([status]) => Number(status) >= 500).reduce((sum, [, count]) => sum + count, 0);
    if (unexpected.length > 0) problems.push(`memory run: ${Object.entries(statusCounts).map(([s, c]) => `${c}x${s}`).join(', ')}; first unexpected answers: ${unexpected.slice(0, 5).join(' | ')}`);
    if (mock.running.child.exitCode !== null) problems.push(`memory run: the mock exited with ${mock.running.child.exitCode}: ${mock.running.stderr().slice(-500)}`);
    const first = samples.find((sample) => sample.requests >= checkpoints[0]);
    const last = samples[samples.length - 1];
    return {
      total: sent,
      tenants: TENANTS.length,
      connections: workers.length,
      restoreEvery,
      restores,
      idleMs,
      loadMs,
      requestsPerSecond: sent / (loadMs / 1000),
      statusCounts,
      fivexx,
      unexpected,
      samples,
      baseline: first,
      final: last,
      ratio: first?.rssMiB && last?.rssMiB ? last.rssMiB / first.rssMiB : null,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    await mock.running.stop();
  }
}
