/**
 * Runs a client under test: a shell command (any language) or a function (in-process), with the
 * mock's base URL and the scenario's credential, and a time limit. A command gets them in
 * environment variables:
 * - `PLEO_EXPORT_API_URL`: the base URL, e.g. `http://127.0.0.1:4010`;
 * - `PLEO_EXPORT_API_TOKEN`: the credential, to send as `Authorization: Bearer <token>`;
 * - `PLEO_CONTRACT_SCENARIO`: the scenario's name (for logs; a correct client ignores it).
 * A command still running at the time limit is killed with its whole process group.
 */
import { spawn } from 'node:child_process';
import type { ClientRun } from './report.js';

/** What a function client is given. */
export interface ClientContext {
  readonly baseUrl: string;
  readonly credential: string;
  readonly scenario: string;
  /** Aborted at the time limit: a function client should stop then. */
  readonly signal: AbortSignal;
}

/** A client under test: a shell command, or a function. */
export type ContractClient = { readonly command: string; readonly cwd?: string } | ((context: ClientContext) => Promise<void>);

/** Characters of output kept for the report (the end of it). */
const OUTPUT_TAIL = 4000;

/** The environment variables a command client gets. */
export function clientEnvironment(context: Omit<ClientContext, 'signal'>): Record<string, string> {
  return { PLEO_EXPORT_API_URL: context.baseUrl, PLEO_EXPORT_API_TOKEN: context.credential, PLEO_CONTRACT_SCENARIO: context.scenario };
}

/** Runs a client once; never throws for what the client does. */
export async function runClient(client: ContractClient, context: Omit<ClientContext, 'signal'>, timeLimitMs: number): Promise<ClientRun> {
  return typeof client === 'function' ? runFunction(client, context, timeLimitMs) : runCommand(client, context, timeLimitMs);
}

async function runFunction(client: (context: ClientContext) => Promise<void>, context: Omit<ClientContext, 'signal'>, timeLimitMs: number): Promise<ClientRun> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
    }, timeLimitMs);
  });
  try {
    const outcome = await Promise.race([client({ ...context, signal: controller.signal }).then(() => 'done' as const), timeout]);
    if (outcome === 'timeout') controller.abort();
    return { exitCode: outcome === 'done' ? 0 : null, timedOut: outcome === 'timeout', durationMs: performance.now() - started, output: '' };
  } catch (error) {
    return { exitCode: 1, timedOut: false, durationMs: performance.now() - started, output: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

async function runCommand(client: { readonly command: string; readonly cwd?: string }, context: Omit<ClientContext, 'signal'>, timeLimitMs: number): Promise<ClientRun> {
  const started = performance.now();
  const child = spawn(client.command, {
    shell: true,
    // Its own process group, so the time limit stops the shell and everything it started.
    detached: true,
    cwd: client.cwd,
    env: { ...process.env, ...clientEnvironment(context) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // An object, not a let: the compiler cannot see the timer callback assign it.
  const limit = { reached: false };
  const timer = setTimeout(() => {
    limit.reached = true;
    killGroup(child.pid);
  }, timeLimitMs);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output += `\n${error.message}`;
      resolve(127);
    });
    child.once('close', (code) => {
      resolve(code);
    });
  });
  clearTimeout(timer);
  return { exitCode: limit.reached ? null : exitCode, timedOut: limit.reached, durationMs: performance.now() - started, output: output.trim() };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
