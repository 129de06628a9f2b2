/**
 * `pleo-export-mock seed`: writes the fixture document of a named scenario, so scripts can
 * generate a state, edit it and commit it.
 *
 * The document is the scenario expanded by the loader and written back with every company and
 * job field explicit (and, unless --compact, every item listed), so it no longer depends on the
 * loader's defaults: editing one field of it changes that field only. Its times are relative to
 * --start-time, whose default is the server's, so a document written with the defaults describes
 * the same moment as a server started with the defaults.
 *
 * Output: the document on stdout or, atomically, in --out (a temporary file beside it, renamed
 * once complete: an interrupted run leaves the old file or none, never half a document).
 * Diagnostics go to stderr only: usage errors exit 2, I/O errors 1.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { formatInstant, parseInstant } from './core/instant.js';
import { fixtureFormatOf, writeFixtureDocument, type FixtureFormat, type FixtureSink } from './fixtures/document-writer.js';
import { loadFixtureDocument, toFixtureDocument, type FixtureDocument } from './fixtures/fixture-document.js';
import { describeScenario, isScenarioName, SCENARIO_NAMES, scenarioDocument, scenarioParameters, type ScenarioName, type ScenarioParameter } from './fixtures/scenarios.js';
import { DEFAULTS } from './server/app.js';

/** Where the command writes: the process's streams, passed in so tests and callers can redirect them. */
export interface SeedCommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

const PREFIX = 'pleo-export-mock seed';

/** Documents with more items to write than this report their progress on stderr. */
const PROGRESS_ABOVE_ITEMS = 10_000;

/** Exit codes of a process killed by these signals, by the shell's convention (128 + number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** A command-line mistake: reported as one line and exit code 2. */
class UsageError extends Error {}

/** A parsed command line. */
interface SeedCommand {
  readonly scenario: ScenarioName;
  readonly seed: number;
  readonly startTime: number;
  readonly items: number | undefined;
  readonly companies: number | undefined;
  readonly out: string | undefined;
  readonly format: FixtureFormat;
  readonly compact: boolean;
}

/**
 * Runs `pleo-export-mock seed` with the arguments after `seed`; resolves with the exit code.
 * @example
 * process.exitCode = await runSeedCommand(['--scenario', 'resume', '--out', 'resume.yaml'], process);
 */
export async function runSeedCommand(argv: readonly string[], io: SeedCommandIo): Promise<number> {
  let command: SeedCommand | 'help';
  try {
    command = parseSeedCommand(argv);
  } catch (error) {
    // parseArgs throws TypeErrors with codes such as ERR_PARSE_ARGS_UNKNOWN_OPTION.
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      io.stderr.write(`${PREFIX}: ${firstLine(error.message)}\n`);
      return 2;
    }
    throw error;
  }
  if (command === 'help') {
    io.stdout.write(usage());
    return 0;
  }

  const { document, jobs, items } = buildDocument(command);
  const target = command.out ?? 'stdout';
  const options = { format: command.format, onProgress: progressLines(io.stderr) };
  try {
    if (command.out === undefined) await writeFixtureDocument(document, io.stdout, options);
    else await writeFileAtomically(command.out, (out) => writeFixtureDocument(document, out, options));
  } catch (error) {
    if (error instanceof Interrupted) {
      io.stderr.write(`${PREFIX}: interrupted by ${error.signal}; ${target} was not written\n`);
      return SIGNAL_EXIT_CODES[error.signal];
    }
    io.stderr.write(`${PREFIX}: cannot write ${target}: ${describeIoError(error)}\n`);
    return 1;
  }
  io.stderr.write(`seed: wrote ${plural(jobs, 'job')}, ${plural(items, 'item')} to ${target}\n`);
  return 0;
}

/** The scenario expanded by the loader and written back explicitly, with its seed. */
function buildDocument(command: SeedCommand): { readonly document: FixtureDocument; readonly jobs: number; readonly items: number } {
  const options = { seed: command.seed, now: command.startTime };
  const partial = scenarioDocument(command.scenario, { ...options, items: command.items, companies: command.companies });
  const state = loadFixtureDocument(partial, options);
  // The seed is kept although every field is explicit: a job added to the file by hand then gets
  // the same defaults whatever seed the server that loads it was started with.
  const document: FixtureDocument = { seed: command.seed, ...toFixtureDocument(state, { explicitItems: !command.compact }) };
  return { document, jobs: state.jobs.length, items: state.items.length };
}

function parseSeedCommand(argv: readonly string[]): SeedCommand | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: 'string' },
      seed: { type: 'string' },
      'start-time': { type: 'string' },
      items: { type: 'string' },
      companies: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      compact: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  if (values.scenario === undefined) throw new UsageError(`--scenario is required: one of ${SCENARIO_NAMES.join(', ')}`);
  const scenario = values.scenario;
  if (!isScenarioName(scenario)) throw new UsageError(`unknown scenario '${scenario}': one of ${SCENARIO_NAMES.join(', ')}`);
  const parameters = scenarioParameters(scenario);
  const format = values.format ?? (values.out === undefined ? 'json' : fixtureFormatOf(values.out));
  if (format !== 'json' && format !== 'yaml') throw new UsageError(`--format must be json or yaml, not '${format}'`);
  if (values.out === '') throw new UsageError('--out needs a file name');
  return {
    scenario,
    seed: integerFlag('seed', values.seed, { min: 0, max: 2 ** 32 - 1 }) ?? DEFAULTS.seed,
    startTime: instantFlag('start-time', values['start-time']) ?? DEFAULTS.startTime,
    items: parameterFlag(scenario, 'items', values.items, parameters.items),
    companies: parameterFlag(scenario, 'companies', values.companies, parameters.companies),
    out: values.out,
    format,
    compact: values.compact ?? false,
  };
}

function integerFlag(name: string, text: string | undefined, range: { readonly min: number; readonly max: number }): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < range.min || value > range.max) throw new UsageError(`--${name} must be a whole number from ${range.min} to ${range.max}, not '${text}'`);
  return value;
}

/** A scenario parameter: refused for a scenario that does not take it, rather than silently ignored. */
function parameterFlag(scenario: ScenarioName, name: 'items' | 'companies', text: string | undefined, parameter: ScenarioParameter | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (parameter === undefined) {
    const takers = SCENARIO_NAMES.filter((candidate) => scenarioParameters(candidate)[name] !== undefined);
    throw new UsageError(`--${name} does not apply to scenario ${scenario} (only to ${takers.join(', ')})`);
  }
  return integerFlag(name, text, parameter);
}

function instantFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // RFC 3339 with an offset, stricter than the server's flag: a zone-less time would make the
  // written document depend on the time zone of the machine that ran the script.
  const value = parseInstant(text);
  if (value === undefined) throw new UsageError(`--${name} must be an RFC 3339 date-time with a zone such as 2026-01-05T09:00:00Z, not '${text}'`);
  return value;
}

/** Writes progress lines at each tenth of a large document; the final summary says when it is done. */
function progressLines(stderr: NodeJS.WritableStream): (written: number, total: number) => void {
  let nextTenth = 1;
  return (written, total) => {
    if (total <= PROGRESS_ABOVE_ITEMS || written >= total) return;
    const tenth = Math.floor((written * 10) / total);
    if (tenth < nextTenth) return;
    nextTenth = tenth + 1;
    stderr.write(`seed: ${written}/${total} items written\n`);
  };
}

/** A write stopped by SIGINT or SIGTERM. */
class Interrupted extends Error {
  constructor(readonly signal: keyof typeof SIGNAL_EXIT_CODES) {
    super(`interrupted by ${signal}`);
  }
}

/**
 * Writes `path` through a temporary file in the same directory (so the rename stays on one file
 * system and is atomic), flushed to disk before the rename. On failure or SIGINT/SIGTERM the
 * temporary file is removed and `path` is left as it was.
 */
async function writeFileAtomically(path: string, write: (out: FixtureSink) => Promise<void>): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  const abort = new AbortController();
  let interruptedBy: keyof typeof SIGNAL_EXIT_CODES | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    interruptedBy = signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
    abort.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // 'wx': never open a file that is already there, even one with this unlikely name.
  const stream = createWriteStream(temporary, { flags: 'wx', flush: true, signal: abort.signal });
  try {
    // Opening first turns a missing directory or a permission problem into an error here, before any work.
    await once(stream, 'open');
    await write(stream);
    stream.end();
    await finished(stream);
    if (interruptedBy !== undefined) throw new Interrupted(interruptedBy);
    await rename(temporary, path);
  } catch (error) {
    stream.destroy();
    await rm(temporary, { force: true });
    throw interruptedBy !== undefined ? new Interrupted(interruptedBy) : error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** An I/O error in words: its code's meaning where it has a common one, else its message. */
function describeIoError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return firstLine(error instanceof Error ? error.message : String(error));
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function usage(): string {
  const width = Math.max(...SCENARIO_NAMES.map((name) => name.length)) + 2;
  const scenarios = SCENARIO_NAMES.map((name) => `  ${name.padEnd(width)}${describeScenario(name)}`).join('\n');
  return `Usage: pleo-export-mock seed --scenario NAME [options]

Writes the fixture document (openapi/fixture-document.schema.json) of a named scenario, with
every field explicit, for scripts to generate, edit and commit. Same flags, same bytes.

Options:
  --scenario NAME     the scenario to write (required; listed below)
  --seed N            seed of every generated id, name and time (default ${DEFAULTS.seed})
  --start-time ISO    the mock clock's start, which the times are relative to
                      (default ${formatInstant(DEFAULTS.startTime)}, as the server's)
  --items N           items of the scenario's main job (large-job, resume; 1 to 1000000)
  --companies N       companies (multi-company; 1 to 100)
  --out FILE          write FILE atomically (default: stdout)
  --format json|yaml  output format (default: by --out's extension, .yaml/.yml or json; json on stdout)
  --compact           write untouched items as an itemCount instead of listing each one
  -h, --help          show this help

Scenarios:
${scenarios}
`;
}
