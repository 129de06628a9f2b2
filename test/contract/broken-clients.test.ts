/**
 * The contract suite catches broken clients, each by exactly the check it breaks: a correct
 * integration (support/test-integration.ts) passes every check of every scenario, and each
 * `Breakage` of it, one wrong behaviour each, fails one check and no other, with evidence that
 * names the request (or the job / item) and says what was expected. Command clients too: the
 * reference integration run as `node examples/reference-integration.mjs` passes everything; a
 * command that exits non-zero, or outlives its time limit, fails `exit-cleanly` only, and one that
 * outlives it is killed with everything it started.
 *
 * Each run starts its own mock, so all of them are started at once in `beforeAll` and the tests
 * only await their reports: the file takes about as long as its longest run (the full runs of the
 * correct integration and of the reference, ~11 s). Broken clients run the scenarios that show
 * their failure, plus happy-path and one more (to show nothing else breaks).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS, CONTRACT_SCENARIO_NAMES, runContract, type CheckResult, type ContractReport, type Evidence } from '../../src/contract/index.js';
import { testIntegration, type Breakage } from './support/test-integration.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REFERENCE = 'node examples/reference-integration.mjs';
const JOB = '10b00000-0000-4000-8000-000000000001';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
/** Per scenario; rate-limited, the slowest, takes ~6 s when every run shares the machine. */
const TIME_LIMIT_MS = 25_000;
const TEST_TIMEOUT_MS = 60_000;

/** What one broken client must fail, where, and what its first evidence must say. */
interface Expectation {
  readonly check: string;
  readonly scenarios: readonly string[];
  readonly evidence: { readonly problem: RegExp; readonly expected: RegExp; readonly request?: RegExp };
}

/** `retries-forever` is not here: the scenarios' faults never fail a request twice in a row (see below, and checks.test.ts). */
const EXPECTED: Readonly<Record<Exclude<Breakage, 'retries-forever'>, Expectation>> = {
  'first-page-only': {
    check: 'read-every-page',
    scenarios: ['happy-path', 'resume'],
    evidence: { problem: new RegExp(`^a page of the export items of job ${JOB} said hasNextPage: true`), expected: /^GET … after=\S+$/, request: new RegExp(`^GET /v3/export-items\\?job_id=${JOB}&limit=50 -> 200$`) },
  },
  'batches-of-150': {
    check: 'batch-limit',
    scenarios: ['happy-path', 'bad-data'],
    evidence: { problem: /^an item update of 150 items \(answered 413\)$/, expected: /^at most 100 items per PUT$/, request: new RegExp(`^PUT /v3/export-jobs/${JOB}/items -> 413$`) },
  },
  'ignores-retry-after': {
    check: 'retry-after',
    scenarios: ['rate-limited', 'happy-path', 'flaky'],
    evidence: { problem: /^retried after \d+ ms; Retry-After said [12] s$/, expected: /^a retry no sooner than [12] s later$/, request: /^GET \/v3\/export-jobs\?statuses=in_progress&limit=50 -> 429$/ },
  },
  'restarts-on-resume': {
    check: 'no-restart-on-resume',
    scenarios: ['resume', 'happy-path', 'queue'],
    evidence: { problem: new RegExp(`^started sent to job ${JOB}, which was already in_progress \\(answered 422\\)$`), expected: /^no started event for an in_progress job$/, request: /^POST \/v3\/export-job-events -> 422$/ },
  },
  'never-completes': {
    check: 'finishes-work',
    scenarios: ['happy-path', 'resume', 'contra-accounts-missing'],
    evidence: { problem: new RegExp(`^job ${JOB} \\(pending at the start\\) got no final event; it is in_progress now$`), expected: /^a final event for every waiting job$/ },
  },
  'resends-successful': {
    check: 'no-resend-successful',
    scenarios: ['resume', 'happy-path', 'flaky'],
    evidence: { problem: /^\d+ item\(s\) already successful were reported again \(e\.g\. /, expected: /^only items that are not successful yet$/, request: new RegExp(`^PUT /v3/export-jobs/${JOB}/items -> 200$`) },
  },
  'no-backoff': {
    check: 'backoff',
    scenarios: ['flaky', 'happy-path', 'rate-limited'],
    evidence: { problem: /^retried \d+ ms after a (50[023]|dropped connection|cut-off body)$/, expected: /^a wait of at least 50 ms$/, request: /^(GET|PUT|POST) \/v3\/\S+ -> (0|50[023]|200)$/ },
  },
  'completes-despite-failures': {
    check: 'single-final-event',
    scenarios: ['bad-data', 'happy-path', 'resume'],
    evidence: { problem: new RegExp(`^job ${JOB} was completed while 4 item\\(s\\) are failed$`), expected: /^completed_with_errors when any item failed$/, request: /^POST \/v3\/export-job-events -> 202$/ },
  },
  'skips-validation': {
    check: 'flags-bad-data',
    scenarios: ['bad-data', 'happy-path', 'queue'],
    evidence: { problem: new RegExp(`^item ${UUID.source} has a line without an account, and ended successful$`), expected: /^failed, with failureReasonType one of missing_configuration/ },
  },
  'writes-when-idle': {
    check: 'no-writes',
    scenarios: ['nothing-to-do', 'happy-path', 'queue'],
    evidence: { problem: /^a write with nothing to export: POST \/v3\/export-job-events$/, expected: /^no write request$/, request: /^POST \/v3\/export-job-events -> 422$/ },
  },
  'newest-first': {
    check: 'oldest-first',
    scenarios: ['queue', 'happy-path', 'bad-data'],
    evidence: { problem: new RegExp(`^job ${UUID.source} was claimed after the younger job ${UUID.source}$`), expected: /^claims in order of createdAt, oldest first$/, request: /^POST \/v3\/export-job-events -> 202$/ },
  },
};

/** Breakages that, in one more scenario, inevitably break a second rule too (and the checks say so). */
const SECOND_RULE: readonly { breakage: Breakage; scenario: string; failed: readonly string[]; why: string }[] = [
  { breakage: 'never-completes', scenario: 'queue', failed: ['finishes-work', 'one-job-at-a-time'], why: 'claiming the next job while the last one is still open is a second rule' },
  { breakage: 'first-page-only', scenario: 'bad-data', failed: ['flags-bad-data', 'read-every-page'], why: 'an item whose flawed accounting data is on an unread page is booked as successful' },
];

function failedChecks(report: ContractReport): { scenario: string; check: CheckResult }[] {
  return report.scenarios.flatMap((scenario) => scenario.checks.filter((check) => check.status === 'failed').map((check) => ({ scenario: scenario.scenario, check })));
}

/** `scenario/check: problems [requests]` of every failed check, so a failing assertion explains itself. */
function explain(report: ContractReport): string[] {
  return failedChecks(report).map(
    ({ scenario, check }) => `${scenario}/${check.name}: ${check.evidence.map((evidence) => `${evidence.problem} [${evidence.requests.map(requestLine).join(', ')}]`).join(' | ')}`,
  );
}

function requestLine(request: Evidence['requests'][number]): string {
  return `${request.method} ${request.url} -> ${request.status}`;
}

const reports = new Map<string, Promise<ContractReport>>();

/** Starts a run at once; its report is awaited by the test that judges it. */
function start(key: string, options: Parameters<typeof runContract>[0]): void {
  const report = runContract(options);
  // Awaited later: keep an early rejection from counting as unhandled meanwhile.
  report.catch(() => undefined);
  reports.set(key, report);
}

async function reportOf(key: string): Promise<ContractReport> {
  const report = reports.get(key);
  if (report === undefined) throw new Error(`no run ${key}`);
  return report;
}

/** Whether a process runs (a zombie waiting to be reaped does not). */
async function running(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ...".
    return !/^\d+ \(.*\) Z/.test(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

let scratch: string | undefined;
let sleepPidFile: string;
/** Set when the run of a command that outlives its time limit returns. */
let sleeperReturnedAfterMs: number | undefined;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'contract-broken-clients-'));
  sleepPidFile = join(scratch, 'sleep.pid');
  start('correct', { client: testIntegration(), timeLimitMs: TIME_LIMIT_MS });
  start('reference', { client: { command: REFERENCE, cwd: ROOT }, timeLimitMs: TIME_LIMIT_MS });
  start('exit-3', { client: { command: 'echo "cannot reach the ERP" >&2; exit 3' }, scenarios: ['nothing-to-do'] });
  // The shell starts `sleep` in the background and waits: both are in the command's process group.
  const sleeperStarted = performance.now();
  start('sleeper', { client: { command: `sleep 30 & echo $! > '${sleepPidFile}'; wait` }, scenarios: ['nothing-to-do'], timeLimitMs: 1500 });
  void reportOf('sleeper').then(() => (sleeperReturnedAfterMs = performance.now() - sleeperStarted), () => undefined);
  for (const [breakage, expectation] of Object.entries(EXPECTED) as [Breakage, Expectation][]) {
    start(breakage, { client: testIntegration({ breakage }), scenarios: expectation.scenarios, timeLimitMs: TIME_LIMIT_MS });
  }
  for (const { breakage, scenario } of SECOND_RULE) start(`${breakage}@${scenario}`, { client: testIntegration({ breakage }), scenarios: [scenario], timeLimitMs: TIME_LIMIT_MS });
  start('retries-forever', { client: testIntegration({ breakage: 'retries-forever' }), scenarios: ['flaky'], timeLimitMs: TIME_LIMIT_MS });
});
afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe('the correct test integration', () => {
  it('passes every check of every scenario', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await reportOf('correct');
    expect(explain(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.scenarios.map((scenario) => scenario.scenario)).toEqual(CONTRACT_SCENARIO_NAMES);
    // Every check judged it somewhere: those that need a fault (retry-after, bounded-retries,
    // backoff) are skipped in the scenarios without one, never in all of them.
    const all = report.scenarios.flatMap((scenario) => scenario.checks);
    const judged = new Set(all.filter((check) => check.status === 'passed').map((check) => check.name));
    expect(judged).toEqual(new Set(all.map((check) => check.name)));
    expect(judged).toEqual(new Set(CHECKS.keys()));
  });
});

describe('each broken client fails exactly the check it breaks', () => {
  const cases = Object.entries(EXPECTED).map(([breakage, expectation]) => ({ breakage, ...expectation }));
  it.each(cases)('$breakage fails $check only', { timeout: TEST_TIMEOUT_MS }, async ({ breakage, ...expectation }) => {
    const report = await reportOf(breakage);
    expect(report.scenarios.map((scenario) => scenario.scenario)).toEqual(CONTRACT_SCENARIO_NAMES.filter((name) => expectation.scenarios.includes(name)));
    const failed = failedChecks(report);
    expect(new Set(failed.map(({ check }) => check.name)), explain(report).join('\n')).toEqual(new Set([expectation.check]));
    // Every scenario still ran the client to its end (a broken client is not a crashing one).
    for (const scenario of report.scenarios) expect(scenario.client, scenario.scenario).toMatchObject({ exitCode: 0, timedOut: false });

    for (const { check } of failed) {
      expect(check.evidence.length).toBeGreaterThan(0);
      for (const evidence of check.evidence) {
        expect(evidence.expected).not.toBe('');
        // Names a request, or the job / item it is about.
        expect(evidence.requests.length > 0 || UUID.test(evidence.problem), evidence.problem).toBe(true);
      }
    }
    const first = failed[0]?.check.evidence[0];
    expect(first?.problem).toMatch(expectation.evidence.problem);
    expect(first?.expected).toMatch(expectation.evidence.expected);
    if (expectation.evidence.request !== undefined) expect(first?.requests.map(requestLine)).toContainEqual(expect.stringMatching(expectation.evidence.request));
  });

  it.each(SECOND_RULE)('$breakage in $scenario also breaks a second rule: $why', { timeout: TEST_TIMEOUT_MS }, async ({ breakage, scenario, failed }) => {
    const report = await reportOf(`${breakage}@${scenario}`);
    expect(failedChecks(report).map(({ check }) => check.name).sort(), explain(report).join('\n')).toEqual(failed);
  });

  // A client without an attempt cap is only caught when a request keeps failing; the scenarios'
  // faults fail a request at most once in a row, so it passes them, and `bounded-retries` is
  // proven on hand-built journals in checks.test.ts instead.
  it('retries-forever cannot be told apart in the scenarios: it passes them', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await reportOf('retries-forever');
    expect(explain(report)).toEqual([]);
    expect(report.scenarios.flatMap((scenario) => scenario.checks.filter((check) => check.name === 'bounded-retries').map((check) => check.status))).toEqual(['passed']);
  });
});

describe('command clients', () => {
  it('the reference integration, run as a command, passes every check of every scenario', { timeout: TEST_TIMEOUT_MS }, async () => {
    const report = await reportOf('reference');
    expect(explain(report)).toEqual([]);
    expect(report).toMatchObject({ mode: 'client', target: REFERENCE, passed: true });
    expect(report.scenarios.map((scenario) => scenario.scenario)).toEqual(CONTRACT_SCENARIO_NAMES);
    for (const scenario of report.scenarios) expect(scenario.client, scenario.scenario).toMatchObject({ exitCode: 0, timedOut: false });
  });

  it('a command that exits 3 fails exit-cleanly, with its last output, and nothing else', async () => {
    const report = await reportOf('exit-3');
    expect(failedChecks(report).map(({ check }) => check.name)).toEqual(['exit-cleanly']);
    expect(report.scenarios[0]?.client).toMatchObject({ exitCode: 3, timedOut: false, output: 'cannot reach the ERP' });
    expect(failedChecks(report)[0]?.check.evidence).toEqual([{ problem: 'exited with code 3: cannot reach the ERP', expected: 'exit code 0', requests: [] }]);
  });

  it('a command still running at the time limit fails exit-cleanly, timed out, and is killed with what it started', async () => {
    const report = await reportOf('sleeper');
    expect(sleeperReturnedAfterMs).toBeLessThan(10_000);
    expect(failedChecks(report).map(({ check }) => check.name)).toEqual(['exit-cleanly']);
    expect(report.scenarios[0]?.client).toMatchObject({ exitCode: null, timedOut: true });
    expect(report.scenarios[0]?.client?.durationMs).toBeGreaterThanOrEqual(1400);
    expect(failedChecks(report)[0]?.check.evidence).toEqual([{ problem: 'still running after the time limit of 1.5 s; it was stopped', expected: 'exit within the time limit', requests: [] }]);
    const sleepPid = Number((await readFile(sleepPidFile, 'utf8')).trim());
    expect(sleepPid).toBeGreaterThan(0);
    // Orphaned by the killed shell, a killed `sleep` may linger as a zombie for a moment.
    await expect.poll(() => running(sleepPid), { timeout: 2000 }).toBe(false);
  });
});
