// Child processes of the benchmark: each server runs in its own process on 127.0.0.1, so the
// load generator (this process) and the server under test never share an event loop. Every child
// is registered here and killed when the harness ends, however it ends.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

const children = new Set();

/** Kills every child still running (SIGKILL: the harness is ending, nothing to flush). Synchronous, for exit handlers. */
export function killAllChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

/**
 * Starts a child process. Resolves once it is spawned; `firstLine` resolves with the first line
 * it prints on stdout (the mock and the ceiling server print their URL there), `exited` with its
 * exit code. The last few KB of stderr are kept for error messages.
 */
export function startChild(command, args, { cwd, env } = {}) {
  const startedAt = performance.now();
  const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  let resolveLine;
  let rejectLine;
  const firstLine = new Promise((resolve, reject) => {
    resolveLine = resolve;
    rejectLine = reject;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    if (stdout.length < 64 * 1024) stdout += chunk;
    const newline = stdout.indexOf('\n');
    if (newline !== -1) resolveLine({ line: stdout.slice(0, newline).trim(), ms: performance.now() - startedAt });
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8 * 1024);
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      rejectLine(new Error(`${describe(command, args)} exited (${code ?? signal}) before printing a line: ${stderr.trim().slice(-2000)}`));
      resolve(code ?? signal);
    });
    child.on('error', (error) => {
      children.delete(child);
      rejectLine(error);
      resolve(null);
    });
  });
  // Nobody may be waiting for the first line (Prism prints none): an unhandled rejection would end the harness.
  firstLine.catch(() => undefined);
  return {
    child,
    pid: child.pid,
    startedAt,
    firstLine,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = sleep(graceMs).then(() => 'timeout');
      if ((await Promise.race([exited, timer])) === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Runs a command to completion; resolves with its exit code, duration and output tails. */
export async function runToCompletion(command, args, options) {
  const running = startChild(command, args, options);
  const code = await running.exited;
  return { code, ms: performance.now() - running.startedAt, stderr: running.stderr(), stdout: running.stdout() };
}

function describe(command, args) {
  return [command, ...args].map((part) => (part === process.execPath ? 'node' : part)).join(' ');
}

/** A port that was free a moment ago (for servers, like Prism, that cannot pick their own). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Polls `url` until it answers 200; resolves with the time since `since` (performance.now()).
 * Connection refusals and non-200 answers are retried every `intervalMs` until `timeoutMs`.
 */
export async function waitForOk(url, { since, headers, timeoutMs = 60_000, intervalMs = 5, running } = {}) {
  const deadline = performance.now() + timeoutMs;
  let last;
  for (;;) {
    if (running !== undefined && (running.child.exitCode !== null || running.child.signalCode !== null)) {
      throw new Error(`the server exited before answering ${url}: ${running.stderr().trim().slice(-2000)}`);
    }
    try {
      const response = await request(url, { headers, headersTimeout: 5000, bodyTimeout: 5000 });
      await response.body.dump();
      if (response.statusCode === 200) return performance.now() - since;
      last = `status ${response.statusCode}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
    await sleep(intervalMs);
  }
}

/** A memory figure of /proc/PID/status (`VmRSS`, `VmHWM`) in MiB; null where it cannot be read. */
function statusMiB(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? null : Number(match[1]) / 1024;
  } catch {
    return null;
  }
}

/** Resident memory of a process in MiB (Linux /proc); null where it cannot be read. */
export function rssMiB(pid) {
  return statusMiB(pid, 'VmRSS');
}

/** CPU time a process has used so far, in clock ticks (user and system; Linux /proc); null where unknown. */
export function processCpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return { user: fields[11], system: fields[12] };
  } catch {
    return null;
  }
}

/** Peak resident memory of a process in MiB (Linux /proc VmHWM); null where it cannot be read. */
export function peakRssMiB(pid) {
  return statusMiB(pid, 'VmHWM');
}

/**
 * CPU time so far, in clock ticks (Linux /proc): the whole machine's busy time, and this process's
 * with its exited children's. Two snapshots tell how much CPU other processes took in between.
 */
export function cpuSnapshot() {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
    const own = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may contain spaces): utime is the 12th, then stime, cutime, cstime.
    const after = own.slice(own.lastIndexOf(')') + 2).split(' ').map(Number);
    const ownTicks = after[11] + after[12] + after[13] + after[14];
    return { busyTicks: user + nice + system + irq + softirq + steal, idleTicks: idle + iowait, ownTicks, at: performance.now() };
  } catch {
    return null;
  }
}

/** Average number of cores other processes kept busy between two {@link cpuSnapshot}s (null where unknown). */
export function otherCores(before, after) {
  if (before === null || after === null || after.at <= before.at) return null;
  const ticksPerSecond = 100; // USER_HZ on Linux
  const other = after.busyTicks - before.busyTicks - (after.ownTicks - before.ownTicks);
  return Math.max(0, other / ticksPerSecond / ((after.at - before.at) / 1000));
}
