// Load from autocannon's programmatic API, the same connections and duration for every target.
// Latency percentiles are computed here from every response time autocannon reports (floats in
// ms): its own histogram keeps whole milliseconds, too coarse for sub-millisecond loopback answers.
import autocannon from 'autocannon';

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index];
}

/** Median of a list of numbers (null when empty). */
export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Adds up runs of the same workload on the same target: requests over total time, percentiles over every response. */
export function combineRuns(runs) {
  const times = runs.flatMap((run) => run.times).sort((a, b) => a - b);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const durationSec = runs.reduce((sum, run) => sum + run.durationSec, 0);
  const sum = (pick) => runs.reduce((total, run) => total + pick(run), 0);
  return {
    requests,
    durationSec,
    rps: durationSec > 0 ? requests / durationSec : 0,
    rpsByRun: runs.map((run) => Math.round(run.rps)),
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    bytesPerResponse: runs[0]?.bytesPerResponse ?? 0,
    status: { '2xx': sum((run) => run.status['2xx']), '4xx': sum((run) => run.status['4xx']), '5xx': sum((run) => run.status['5xx']), other: sum((run) => run.status.other) },
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    ...cpuPerRequest(runs, requests),
  };
}

/**
 * The server's own CPU per request (µs, user and system), from the ticks each run measured on
 * the server process; null when a run could not read them. Unlike requests per second, this does
 * not depend on how busy the load generator kept the server.
 */
function cpuPerRequest(runs, requests) {
  if (requests === 0 || runs.some((run) => run.serverCpuTicks == null)) return { cpuUserUs: null, cpuSystemUs: null };
  const microsPerTick = 1_000_000 / 100; // USER_HZ on Linux
  const ticks = (pick) => runs.reduce((total, run) => total + pick(run.serverCpuTicks), 0);
  return { cpuUserUs: (ticks((t) => t.user) * microsPerTick) / requests, cpuSystemUs: (ticks((t) => t.system) * microsPerTick) / requests };
}

/**
 * Runs autocannon against `url` for `durationSec` seconds with `connections` connections.
 * Resolves with requests per second, latency p50/p99 (ms), the status classes seen, errors, and
 * every response time (`times`, for {@link combineRuns}).
 */
export function runLoad({ url, method = 'GET', headers = {}, body, bodyFor, connections, durationSec, title }) {
  return new Promise((resolve, reject) => {
    const times = [];
    let sent = 0;
    // `bodyFor(n)` gives each request its own body (built on the load generator's core).
    const requests = bodyFor === undefined ? undefined : [{ method, setupRequest: (request) => ({ ...request, body: bodyFor(sent++) }) }];
    const instance = autocannon(
      { url, method, headers, body, ...(requests === undefined ? {} : { requests }), connections, duration: durationSec, pipelining: 1, title },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        times.sort((a, b) => a - b);
        resolve({
          requests: result.requests.total,
          durationSec: result.duration,
          rps: result.duration > 0 ? result.requests.total / result.duration : 0,
          p50Ms: percentile(times, 0.5),
          p99Ms: percentile(times, 0.99),
          bytesPerResponse: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
          status: { '2xx': result['2xx'], '4xx': result['4xx'], '5xx': result['5xx'], other: result['1xx'] + result['3xx'] },
          errors: result.errors,
          timeouts: result.timeouts,
          times,
        });
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
}
