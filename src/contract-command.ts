/**
 * `pleo-export-mock contract`: runs the contract suite from the command line.
 *
 * - `--client "<command>"`: client mode. Starts a mock (or uses `--mock URL`), runs the command
 *   once per scenario with `PLEO_EXPORT_API_URL` and `PLEO_EXPORT_API_TOKEN` set, and judges what
 *   it did.
 * - `--server URL`: server mode. Checks any base URL against the spec and the API's rules;
 *   read-only unless `--allow-writes`.
 *
 * The report goes to stdout (or `--out FILE`) in the chosen format; progress goes to stderr.
 * Exit codes: 0 every check passed, 1 a check failed, 2 a usage or setup error.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ContractSetupError, DEFAULT_TIME_LIMIT_MS, REPORTER_NAMES, render, runContract, type ReporterName } from './contract/index.js';
import { isReporterName } from './contract/reporters/index.js';
import type { ContractReport, ScenarioResult } from './contract/report.js';
import { CONTRACT_SCENARIOS } from './contract/scenarios.js';
import { DEFAULT_TIMEOUT_MS, runServerContract } from './contract/server-mode.js';

/** Where the command writes. */
export interface ContractCommandIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

const PREFIX = 'pleo-export-mock contract';

/** A command-line mistake: one line, exit code 2. */
class UsageError extends Error {}

interface ContractCommand {
  readonly mode: 'client' | 'server';
  readonly client?: string;
  readonly server?: string;
  readonly mock?: string;
  readonly credential?: string;
  readonly allowWrites: boolean;
  readonly timeoutMs?: number;
  readonly scenarios: readonly string[];
  readonly timeLimitMs: number;
  readonly reporter: ReporterName;
  readonly out?: string;
}

function usage(): string {
  return `Usage: pleo-export-mock contract --client "<command>" [options]
       pleo-export-mock contract --server URL [--credential TOKEN] [--allow-writes] [options]

Client mode runs your integration through Pleo's export workflow against a mock and judges what
it did. The command gets PLEO_EXPORT_API_URL and PLEO_EXPORT_API_TOKEN (send it as
'Authorization: Bearer <token>'), once per scenario.
Server mode checks any server (this mock, Pleo's staging) against the spec; read-only unless
--allow-writes.

Options:
  --client CMD         the integration to check, run through a shell
  --server URL         the server to check
  --mock URL           client mode: use this running pleo-export-mock instead of starting one
  --credential TOKEN   server mode: sent as 'Authorization: Bearer TOKEN'
  --allow-writes       server mode: also check writes (creates a job of its own)
  --timeout S          server mode: seconds each request may take (default ${DEFAULT_TIMEOUT_MS / 1000})
  --scenario NAME      client mode: run only this scenario (repeatable)
  --time-limit S       client mode: seconds the client may take per scenario (default ${DEFAULT_TIME_LIMIT_MS / 1000})
  --reporter NAME      ${REPORTER_NAMES.join(', ')} (default terminal)
  --out FILE           write the report to FILE (the terminal summary still goes to stdout)
  -h, --help           show this help

Scenarios:
${CONTRACT_SCENARIOS.map((scenario) => `  ${scenario.name.padEnd(24)} ${scenario.title}`).join('\n')}

Exit codes: 0 every check passed, 1 a check failed, 2 a usage or setup error.
`;
}

function parseContractCommand(argv: readonly string[]): ContractCommand | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      client: { type: 'string' },
      server: { type: 'string' },
      mock: { type: 'string' },
      credential: { type: 'string' },
      'allow-writes': { type: 'boolean' },
      timeout: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      'time-limit': { type: 'string' },
      reporter: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  if ((values.client === undefined) === (values.server === undefined)) throw new UsageError('give exactly one of --client "<command>" or --server URL');
  const mode = values.client === undefined ? 'server' : 'client';
  const clientOnly = (['mock', 'scenario', 'time-limit'] as const).filter((name) => values[name] !== undefined);
  const serverOnly = (['credential', 'allow-writes', 'timeout'] as const).filter((name) => values[name] !== undefined);
  if (mode === 'server' && clientOnly.length > 0) throw new UsageError(`--${clientOnly[0] ?? ''} goes with --client, not --server`);
  if (mode === 'client' && serverOnly.length > 0) throw new UsageError(`--${serverOnly[0] ?? ''} goes with --server, not --client`);
  const reporter = values.reporter ?? 'terminal';
  if (!isReporterName(reporter)) throw new UsageError(`--reporter must be one of ${REPORTER_NAMES.join(', ')}, not '${reporter}'`);
  const timeLimit = values['time-limit'];
  const seconds = timeLimit === undefined ? DEFAULT_TIME_LIMIT_MS / 1000 : Number(timeLimit);
  if (!(seconds > 0 && seconds <= 3600)) throw new UsageError(`--time-limit must be a number of seconds from 1 to 3600, not '${timeLimit ?? ''}'`);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0 && timeout <= 600)) throw new UsageError(`--timeout must be a number of seconds from 1 to 600, not '${values.timeout ?? ''}'`);
  for (const name of values.scenario ?? []) {
    if (!CONTRACT_SCENARIOS.some((scenario) => scenario.name === name)) throw new UsageError(`unknown scenario '${name}'; the scenarios are ${CONTRACT_SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
  }
  for (const [flag, url] of [['server', values.server], ['mock', values.mock]] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`--${flag} must be an http(s) URL, not '${url}'`);
  }
  return {
    mode,
    ...(values.client === undefined ? {} : { client: values.client }),
    ...(values.server === undefined ? {} : { server: values.server.replace(/\/+$/, '') }),
    ...(values.mock === undefined ? {} : { mock: values.mock.replace(/\/+$/, '') }),
    ...(values.credential === undefined ? {} : { credential: values.credential }),
    allowWrites: values['allow-writes'] === true,
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    scenarios: values.scenario ?? [],
    timeLimitMs: seconds * 1000,
    reporter,
    ...(values.out === undefined ? {} : { out: values.out }),
  };
}

/**
 * Runs `pleo-export-mock contract` with the arguments after `contract`; resolves with the exit code.
 * @example process.exitCode = await runContractCommand(['--client', 'node my-integration.js'], { ...process, env: process.env });
 */
export async function runContractCommand(argv: readonly string[], io: ContractCommandIo): Promise<number> {
  let command: ContractCommand | 'help';
  try {
    command = parseContractCommand(argv);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      io.stderr.write(`${PREFIX}: ${error.message.split('\n')[0] ?? error.message}\nRun 'pleo-export-mock contract --help' for the options.\n`);
      return 2;
    }
    throw error;
  }
  if (command === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  let report: ContractReport;
  try {
    report = command.mode === 'client' ? await runClientMode(command, io) : await runServerContract({
            baseUrl: command.server ?? '',
            ...(command.credential === undefined ? {} : { credential: command.credential }),
            ...(command.timeoutMs === undefined ? {} : { timeoutMs: command.timeoutMs }),
            allowWrites: command.allowWrites,
          });
  } catch (error) {
    if (error instanceof ContractSetupError) {
      io.stderr.write(`${PREFIX}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const color = io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
  if (command.out === undefined) {
    io.stdout.write(ensureNewline(render(command.reporter, report, { color })));
  } else {
    await writeFile(command.out, ensureNewline(render(command.reporter, report, { color: false })), 'utf8');
    io.stdout.write(ensureNewline(render('terminal', report, { color })));
  }
  return report.passed ? 0 : 1;
}

async function runClientMode(command: ContractCommand, io: ContractCommandIo): Promise<ContractReport> {
  io.stderr.write(`${PREFIX}: running '${command.client ?? ''}' through ${command.scenarios.length === 0 ? CONTRACT_SCENARIOS.length : command.scenarios.length} scenario(s)\n`);
  return runContract({
    client: { command: command.client ?? '' },
    scenarios: command.scenarios,
    timeLimitMs: command.timeLimitMs,
    ...(command.mock === undefined ? {} : { mockUrl: command.mock }),
    onScenario: (result) => io.stderr.write(`${progressLine(result)}\n`),
  });
}

/** `ok happy-path (2.1 s)` or `FAIL bad-data: flags-bad-data, items-finished (3.0 s)`. */
function progressLine(result: ScenarioResult): string {
  const failed = result.checks.filter((check) => check.status === 'failed').map((check) => check.name);
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  return failed.length === 0 ? `  ok   ${result.scenario} (${seconds})` : `  FAIL ${result.scenario}: ${failed.join(', ')} (${seconds})`;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
