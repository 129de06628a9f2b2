#!/usr/bin/env node
/**
 * `pleo-export-mock`: starts the mock from the command line. Prints the base URL on stdout (so
 * scripts can capture it), logs on stderr, closes cleanly on SIGINT/SIGTERM.
 */
import { constants } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { DEFAULTS } from './server/app.js';
import { AUTH_MODES, parseCredentials } from './server/auth.js';
import { FaultSyntaxError, parseFaultRule, type FaultRule } from './server/faults.js';
import { FixtureDocumentError } from './fixtures/fixture-document.js';
import { listen, type ListenOptions } from './server/server.js';
import { isLoopbackAddress } from './server/admin-access.js';
import { StateFileError } from './server/state-file.js';

const USAGE = `Usage: pleo-export-mock [options]
       pleo-export-mock seed --scenario NAME [options]   (write a fixture document; seed --help)
       pleo-export-mock contract --client CMD | --server URL   (the contract suite; contract --help)

A stateful mock of Pleo's Export API.

Options:
  --port N                 port to listen on (default 4010; 0 picks a free port)
  --host HOST              interface to bind (default 127.0.0.1)
  --seed N                 seed of the default scenario (default ${DEFAULTS.seed})
  --start-time ISO         the clock's start (default ${new Date(DEFAULTS.startTime).toISOString()})
  --frozen-clock           keep the clock still (default: it runs with real time)
  --default-page-size N    page size when limit is absent (default ${DEFAULTS.defaultPageSize})
  --max-page-size N        largest page; larger limits are clamped (default ${DEFAULTS.maxPageSize})
  --fixtures FILE          start from this fixture document (JSON or YAML) instead of the seeded
                           default state; 'pleo-export-mock seed' writes one
  --state-file FILE        keep the state in FILE: restored at start when it exists, rewritten
                           atomically after every change
  --journal-size N         requests each tenant's journal keeps (default ${DEFAULTS.journalSize})
  --journal-bytes N        bytes of request and response bodies each journal keeps, oldest dropped first
                           (default ${DEFAULTS.journalBytes}, at most ${constants.MAX_LENGTH})
  --fault RULE             inject a fault, e.g. 'getExportItemsV3@nth:2=503' or '*@p:0.1:seed:7=reset'
                           (repeatable; see the README's "Faults")
  --rate-limit N           requests per minute each tenant may send; more answer 429 with Retry-After
  --auth MODE              any (default), wellformed (401 without a well-formed credential),
                           or listed (only credentials in --credentials, checked for scopes)
  --credentials FILE       JSON or YAML: {credentials: [{credential, scopes: [export-jobs:read, ...]}]}
  --admin-token TOKEN      let clients beyond loopback use the admin API (/__admin) when they send
                           x-mock-admin-token: TOKEN; without it the admin API answers loopback only
  --webhook-url URL        deliver v1.export-job.created here when a job is created
  --webhook-secret SECRET  signing secret, whsec_<base64> (default: a fixed development secret)
  --log-level LEVEL        fatal, error, warn, info, debug, trace or silent (default info)
  -h, --help               show this help
`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A command-line mistake: reported as one line and exit code 2. */
class UsageError extends Error {}

function parseCommandLine(argv: readonly string[]): ListenOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'start-time': { type: 'string' },
      'frozen-clock': { type: 'boolean' },
      'default-page-size': { type: 'string' },
      'max-page-size': { type: 'string' },
      'log-level': { type: 'string' },
      'journal-size': { type: 'string' },
      'journal-bytes': { type: 'string' },
      fixtures: { type: 'string' },
      'state-file': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'rate-limit': { type: 'string' },
      auth: { type: 'string' },
      credentials: { type: 'string' },
      'webhook-url': { type: 'string' },
      'admin-token': { type: 'string' },
      'webhook-secret': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const defaultPageSize = integerFlag('default-page-size', values['default-page-size'], 1, 10_000) ?? DEFAULTS.defaultPageSize;
  const maxPageSize = integerFlag('max-page-size', values['max-page-size'], 1, 10_000) ?? Math.max(DEFAULTS.maxPageSize, defaultPageSize);
  if (defaultPageSize > maxPageSize) throw new UsageError(`--default-page-size (${defaultPageSize}) cannot exceed --max-page-size (${maxPageSize})`);
  const logLevel = values['log-level'] ?? 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === logLevel);
  if (level === undefined) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'`);
  const webhookUrl = urlFlag('webhook-url', values['webhook-url']);
  if (values['webhook-secret'] !== undefined && webhookUrl === undefined) throw new UsageError('--webhook-secret needs --webhook-url');
  return {
    ...(values.fixtures === undefined ? {} : { fixtures: readFixtureFile(values.fixtures) }),
    ...(values['state-file'] === undefined ? {} : { stateFile: values['state-file'] }),
    ...(values['admin-token'] === undefined ? {} : { adminToken: adminTokenFlag(values['admin-token']) }),
    webhookUrl,
    webhookSecret: values['webhook-secret'],
    journalSize: integerFlag('journal-size', values['journal-size'], 1, 1_000_000) ?? DEFAULTS.journalSize,
    journalBytes: integerFlag('journal-bytes', values['journal-bytes'], 0, constants.MAX_LENGTH) ?? DEFAULTS.journalBytes,
    faults: (values.fault ?? []).map(faultFlag),
    rateLimitPerMinute: integerFlag('rate-limit', values['rate-limit'], 1, 1_000_000),
    ...authFlags(values.auth, values.credentials),
    port: integerFlag('port', values.port, 0, 65_535) ?? 4010,
    host: values.host ?? '127.0.0.1',
    seed: integerFlag('seed', values.seed, 0, 2 ** 32 - 1) ?? DEFAULTS.seed,
    startTime: instantFlag('start-time', values['start-time']) ?? DEFAULTS.startTime,
    frozenClock: values['frozen-clock'] ?? false,
    defaultPageSize,
    maxPageSize,
    logLevel: level === 'silent' ? false : level,
  };
}

function adminTokenFlag(token: string): string {
  if (token.length < 8 || !/^[\x21-\x7e]+$/.test(token)) throw new UsageError('--admin-token must be at least 8 printable characters without spaces');
  return token;
}

function integerFlag(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not '${text}'`);
  return value;
}

function authFlags(mode: string | undefined, file: string | undefined): Pick<ListenOptions, 'auth' | 'credentials'> {
  const auth = AUTH_MODES.find((candidate) => candidate === (mode ?? (file === undefined ? 'any' : 'listed')));
  if (auth === undefined) throw new UsageError(`--auth must be one of ${AUTH_MODES.join(', ')}, not '${mode ?? ''}'`);
  if (auth === 'listed' && file === undefined) throw new UsageError('--auth listed needs --credentials FILE');
  if (auth !== 'listed' && file !== undefined) throw new UsageError(`--credentials goes with --auth listed, not --auth ${auth}`);
  if (file === undefined) return { auth };
  const text = readFlagFile('credentials', file);
  try {
    return { auth, credentials: parseCredentials(parseYaml(text)) };
  } catch (error) {
    throw new UsageError(`--credentials ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The text of a file a flag names; a file that cannot be read is a usage error. */
function readFlagFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--${flag}: cannot read ${file}`);
  }
}

/** A fixture document from a file: YAML for .yaml/.yml, JSON otherwise (YAML would parse JSON too, but far slower). */
function readFixtureFile(file: string): unknown {
  const text = readFlagFile('fixtures', file);
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : (JSON.parse(text) as unknown);
  } catch (error) {
    throw new UsageError(`--fixtures ${file}: not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'} (${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)})`);
  }
}

function faultFlag(text: string): FaultRule {
  try {
    return parseFaultRule(text);
  } catch (error) {
    if (error instanceof FaultSyntaxError) throw new UsageError(`--fault '${text}': ${error.message}`);
    throw error;
  }
}

function urlFlag(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--${name} must be an http(s) URL, not '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--${name} must be an http(s) URL, not '${text}'`);
  return text;
}

function instantFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(value)) throw new UsageError(`--${name} must be an ISO 8601 date-time such as 2026-01-05T09:00:00Z, not '${text}'`);
  return value;
}

/** The value given to a flag (`--flag value` or `--flag=value`), for messages. */
function argvValue(argv: readonly string[], flag: string): string {
  const index = argv.indexOf(flag);
  if (index !== -1) return argv[index + 1] ?? '';
  return argv.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1) ?? '';
}

async function main(argv: readonly string[]): Promise<number> {
  // Subcommands are loaded on demand, so starting the server loads none of their code.
  // `pleo-export-mock seed ...` writes a fixture document instead of serving (src/seed-command.ts).
  if (argv[0] === 'seed') return (await import('./seed-command.js')).runSeedCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr });
  // `pleo-export-mock contract ...` runs the contract suite (src/contract-command.ts).
  if (argv[0] === 'contract') return (await import('./contract-command.js')).runContractCommand(argv.slice(1), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  let options: ListenOptions | 'help';
  try {
    options = parseCommandLine(argv);
  } catch (error) {
    // parseArgs throws TypeErrors with codes such as ERR_PARSE_ARGS_UNKNOWN_OPTION.
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      // parseArgs may explain over several lines; one line is what a terminal or CI log needs.
      const firstLine = error.message.split('\n')[0] ?? error.message;
      process.stderr.write(`pleo-export-mock: ${firstLine}\nRun 'pleo-export-mock --help' for the options.\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  // Signal handlers go in before listening: a supervisor may stop us as soon as it sees the URL.
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  process.once('SIGINT', stopRequested);
  process.once('SIGTERM', stopRequested);
  let server;
  try {
    server = await listen(options);
  } catch (error) {
    if (error instanceof FixtureDocumentError) {
      process.stderr.write(`pleo-export-mock: --fixtures ${argvValue(argv, '--fixtures')}: ${error.message}\nNothing was loaded.\n`);
      return 2;
    }
    if (error instanceof StateFileError) {
      process.stderr.write(`pleo-export-mock: cannot start: ${error.message}\n`);
      return 1;
    }
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    const reason = code === 'EADDRINUSE' ? `port ${options.port ?? ''} is already in use` : code === 'EADDRNOTAVAIL' ? `cannot bind to ${options.host ?? ''}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`pleo-export-mock: cannot start: ${reason}\n`);
    return 1;
  }
  process.stdout.write(`${server.url}\n`);
  if (options.adminToken === undefined && !isLoopbackAddress(options.host === 'localhost' ? '127.0.0.1' : options.host)) {
    process.stderr.write(`pleo-export-mock: listening on ${options.host ?? ''}; the admin API (/__admin) answers only clients on loopback (give --admin-token to open it)\n`);
  }
  await stopped;
  await server.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pleo-export-mock: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
