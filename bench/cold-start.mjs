// Cold start: from spawning the process to its first 200 on the default scenario's job list,
// several times per server, median reported.
import { median } from './load.mjs';
import { waitForOk } from './processes.mjs';
import { AUTH, COLD_START_PATH, startMock, startPrism } from './targets.mjs';

/** Measures the mock's and (when available) Prism's cold start `runs` times each. */
export async function measureColdStart({ runs, prism, log }) {
  const mock = { urlMs: [], firstOkMs: [] };
  for (let run = 0; run < runs; run++) {
    const started = await startMock();
    try {
      const firstOkMs = await waitForOk(`${started.url}${COLD_START_PATH}`, { since: started.running.startedAt, headers: AUTH, running: started.running });
      mock.urlMs.push(started.urlMs);
      mock.firstOkMs.push(firstOkMs);
    } finally {
      await started.running.stop();
    }
  }
  const result = {
    runs,
    mock: { medianMs: median(mock.firstOkMs), urlMedianMs: median(mock.urlMs), runsMs: mock.firstOkMs },
    prism: null,
  };
  log(`  mock: median ${fmt(result.mock.medianMs)} ms to first 200 (URL printed after ${fmt(result.mock.urlMedianMs)} ms); runs ${mock.firstOkMs.map(fmt).join(', ')}`);
  if (!prism.available) return result;
  const prismRuns = [];
  try {
    for (let run = 0; run < runs; run++) {
      const started = await startPrism(prism.entry);
      try {
        prismRuns.push(started.coldStartMs);
      } finally {
        await started.running.stop();
      }
    }
  } catch (error) {
    // Prism installed but not starting (say, a Node version it no longer supports): reported, not fatal.
    prism.available = false;
    prism.reason = `Prism did not start: ${error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 300) : String(error)}`;
    log(`  prism: unavailable (${prism.reason})`);
    return result;
  }
  result.prism = { medianMs: median(prismRuns), runsMs: prismRuns };
  log(`  prism: median ${fmt(result.prism.medianMs)} ms to first 200; runs ${prismRuns.map(fmt).join(', ')}`);
  return result;
}

function fmt(ms) {
  return ms === null ? '-' : ms.toFixed(0);
}
