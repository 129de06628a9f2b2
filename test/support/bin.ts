/**
 * The compiled bin (`npm test` builds it before the tests run), run as users run it: a real
 * process, its stdout and stderr, its exit code.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** `dist/src/cli.js`. */
export const BIN = fileURLToPath(new URL('../../dist/src/cli.js', import.meta.url));

/** The project's root, where `examples/` lives. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How a process ended. */
export interface BinOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bin with `args` to its end (all output read). */
export async function runBin(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<BinOutcome> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: 'pipe', env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
