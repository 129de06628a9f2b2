// Scale: a job of many items (1,000,000 in a full run), written by `pleo-export-mock seed
// --compact` and served with `--fixtures`. Measures the seed, the start, resident memory, and the
// latency of the first page against a page near the end reached by following cursors. Requests go
// to the default tenant (no credential); the first request of a new credential, which gives that
// tenant its own copy of the startup state, is timed on its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'undici';
import { call, expectStatus } from './http.mjs';
import { median, percentile } from './load.mjs';
import { rssMiB, runToCompletion, waitForOk } from './processes.mjs';
import { AUTH, COLD_START_PATH, mockCliArgs, ROOT, startMock } from './targets.mjs';

const PAGE = 100;

/** Times `rounds` sequential GETs of each path, alternating them so drift affects both alike. */
async function timeAlternating(client, paths, { rounds, warmup }) {
  const times = paths.map(() => []);
  for (let round = 0; round < warmup + rounds; round++) {
    for (const [index, path] of paths.entries()) {
      const start = performance.now();
      const response = await client.request({ path, method: 'GET' });
      await response.body.dump();
      const elapsed = performance.now() - start;
      if (response.statusCode !== 200) throw new Error(`GET ${path} answered ${response.statusCode}`);
      if (round >= warmup) times[index].push(elapsed);
    }
  }
  return times.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { medianMs: median(sorted), p99Ms: percentile(sorted, 0.99), rounds: sorted.length };
  });
}

/** Runs the scale measurement with a job of `items` items. */
export async function measureScale({ items, rounds, warmup, log, problems }) {
  const directory = mkdtempSync(join(tmpdir(), 'pleo-bench-'));
  try {
    const file = join(directory, 'large-job.json');
    const seed = await runToCompletion(process.execPath, mockCliArgs(['seed', '--scenario', 'large-job', '--items', String(items), '--compact', '--out', file]), { cwd: ROOT });
    if (seed.code !== 0) throw new Error(`seed exited with ${seed.code}: ${seed.stderr.slice(-1000)}`);
    log(`  seed --scenario large-job --items ${items} --compact: ${seed.ms.toFixed(0)} ms`);

    const mock = await startMock(['--fixtures', file]);
    try {
      const firstOkMs = await waitForOk(`${mock.url}${COLD_START_PATH}`, { since: mock.running.startedAt, running: mock.running });
      const rssAfterStart = rssMiB(mock.running.pid);
      log(`  start with --fixtures: URL after ${mock.urlMs.toFixed(0)} ms, first 200 after ${firstOkMs.toFixed(0)} ms, RSS ${rssAfterStart?.toFixed(0) ?? '?'} MiB`);
      const tenantStart = performance.now();
      await expectStatus(200, mock.url, COLD_START_PATH, { headers: AUTH });
      const newTenantMs = performance.now() - tenantStart;
      const rssAfterNewTenant = rssMiB(mock.running.pid);
      log(`  first request of a new credential: ${newTenantMs.toFixed(0)} ms, RSS then ${rssAfterNewTenant?.toFixed(0) ?? '?'} MiB`);

      const jobs = await expectStatus(200, mock.url, '/v3/export-jobs');
      const job = jobs.json.data.find((candidate) => candidate.numberOfItems === items);
      if (job === undefined) throw new Error(`no job of ${items} items in the seeded document`);
      const itemsPath = `/v3/export-jobs/${job.id}/items?limit=${PAGE}`;

      // Walk by cursor to the page that starts near the end (row items - 200, or the last full page).
      const client = new Client(mock.url, { pipelining: 1 });
      try {
        const targetRow = Math.max(0, items - 2 * PAGE);
        let cursor;
        let row = 0;
        const walkStart = performance.now();
        while (row < targetRow) {
          const page = await call(mock.url, cursor === undefined ? itemsPath : `${itemsPath}&after=${encodeURIComponent(cursor)}`, { dispatcher: client });
          if (page.status !== 200) throw new Error(`walking the pages: GET at row ${row} answered ${page.status}: ${page.text.slice(0, 300)}`);
          if (page.json.data.length === 0 || page.json.pagination.endCursor === undefined) throw new Error(`walking the pages: the job ended at row ${row}`);
          row += page.json.data.length;
          cursor = page.json.pagination.endCursor;
        }
        const walkMs = performance.now() - walkStart;
        const pagesWalked = Math.ceil(targetRow / PAGE);
        log(`  walked ${pagesWalked} pages by cursor to row ${row} in ${walkMs.toFixed(0)} ms (${(walkMs / Math.max(1, pagesWalked)).toFixed(2)} ms a page)`);

        const deepPath = cursor === undefined ? itemsPath : `${itemsPath}&after=${encodeURIComponent(cursor)}`;
        const [first, deep] = await timeAlternating(client, [itemsPath, deepPath], { rounds, warmup });
        const rssAfterPaging = rssMiB(mock.running.pid);
        log(`  first page: median ${first.medianMs.toFixed(3)} ms; page after row ${row}: median ${deep.medianMs.toFixed(3)} ms (ratio ${(deep.medianMs / first.medianMs).toFixed(2)}); RSS ${rssAfterPaging?.toFixed(0) ?? '?'} MiB`);
        return {
          items,
          seedMs: seed.ms,
          startToUrlMs: mock.urlMs,
          startToFirstOkMs: firstOkMs,
          rssAfterStartMiB: rssAfterStart,
          newTenant: { firstRequestMs: newTenantMs, rssAfterMiB: rssAfterNewTenant },
          rssAfterPagingMiB: rssAfterPaging,
          walk: { pages: pagesWalked, toRow: row, ms: walkMs, msPerPage: walkMs / Math.max(1, pagesWalked) },
          firstPage: first,
          deepPage: { ...deep, afterRow: row },
          ratio: deep.medianMs / first.medianMs,
        };
      } finally {
        await client.close();
      }
    } catch (error) {
      problems.push(`scale: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    } finally {
      await mock.running.stop();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
