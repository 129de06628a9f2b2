/**
 * Server mode of the contract suite: provider checks against any base URL (this mock, Pleo's
 * staging, a generic spec-only mock), over HTTP only. Read-only probes always run; write probes
 * only when allowed. Whatever the server does, the run ends in a report, never an exception.
 */
import { contractReport, type ContractReport, type ScenarioResult } from './report.js';
import { CheckRecorder } from './server-check-recorder.js';
import { SCENARIO_CHECKS, SERVER_SCENARIOS, type ServerCheckName, type ServerScenarioName } from './server-checks.js';
import { ProbeClient, requestLine, summarize, type Exchange } from './server-http.js';
import type { ProbeContext } from './server-probe-context.js';
import { FIRST_JOBS_PAGE, runReadOnlyProbes } from './server-probes.js';
import { ResponseSpecChecker } from './server-spec.js';
import { describeAnswer } from './server-wire.js';
import { runWriteProbes } from './server-write-probes.js';

/** Options of {@link runServerContract}. */
export interface ServerContractOptions {
  /** Where the Export API is served, e.g. `http://127.0.0.1:4010` (the `/v3/...` paths are appended). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <credential>`. */
  readonly credential?: string;
  /** Also run the write probes, which create and complete a job of a fresh random company. */
  readonly allowWrites?: boolean;
  /** Per request; default {@link DEFAULT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** Per-request timeout when none is given. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Runs the server-mode checks against a base URL and reports them (mode `server`, target = baseUrl).
 * @example
 * const report = await runServerContract({ baseUrl: 'http://127.0.0.1:4010', allowWrites: true });
 * if (!report.passed) process.exitCode = 1;
 */
export async function runServerContract(options: ServerContractOptions): Promise<ContractReport> {
  const started = performance.now();
  const client = new ProbeClient(options.baseUrl, { credential: options.credential, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const spec = ResponseSpecChecker.create().then(
    (checker) => ({ checker }),
    (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
  );
  const scenarios: ScenarioResult[] = [];
  try {
    let unreachable: string | undefined;
    scenarios.push(
      await runScenario('read-only', client, spec, async (context) => {
        const reach = await probeReachable(context);
        unreachable = reach.unreachable;
        if (unreachable === undefined) await runReadOnlyProbes(context, reach.first);
        return unreachable;
      }),
    );
    if (options.allowWrites === true) {
      scenarios.push(
        await runScenario('writes', client, spec, async (context) => {
          if (unreachable === undefined) await runWriteProbes(context);
          return unreachable;
        }),
      );
    }
  } finally {
    await client.close();
  }
  return contractReport('server', options.baseUrl, scenarios, Math.round(performance.now() - started));
}

type SpecLoad = Promise<{ readonly checker: ResponseSpecChecker } | { readonly error: string }>;

/**
 * Runs one probe group: its probes, then the spec check over the responses they received.
 * `probes` returns why the others were skipped, when the server could not be reached.
 */
async function runScenario(name: ServerScenarioName, client: ProbeClient, spec: SpecLoad, probes: (context: ProbeContext) => Promise<string | undefined>): Promise<ScenarioResult> {
  const started = performance.now();
  const checks = new Map<ServerCheckName, CheckRecorder>(SCENARIO_CHECKS[name].map((check) => [check, new CheckRecorder(check)]));
  const context: ProbeContext = {
    client,
    check: (check) => {
      const recorder = checks.get(check);
      if (recorder === undefined) throw new Error(`check ${check} does not belong to the ${name} group`);
      return recorder;
    },
  };
  const from = client.exchanges.length;
  let unreachable: string | undefined;
  try {
    unreachable = await probes(context);
  } catch (error) {
    // A defect of a probe, never the server's doing (every answer is narrowed): report, do not crash.
    const last = client.exchanges[client.exchanges.length - 1];
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    for (const recorder of checks.values()) {
      if (recorder.name !== 'reachable' && recorder.name !== 'responses-match-spec') {
        recorder.fail(`the probe stopped with an unexpected error: ${message}`, 'the probe to run to its end (report this as a defect of the contract suite)', last === undefined ? [] : [summarize(last)]);
      }
    }
  }
  if (unreachable !== undefined) {
    for (const recorder of checks.values()) if (recorder.name !== 'reachable') recorder.skip(unreachable);
  } else {
    judgeResponses(context.check('responses-match-spec'), client.exchanges.slice(from), await spec);
  }
  return { scenario: name, title: SERVER_SCENARIOS[name], durationMs: Math.round(performance.now() - started), checks: [...checks.values()].map((check) => check.result()) };
}

/**
 * The first request of a run (also the first page of the jobs walk): whether the other checks can
 * be judged at all, and why not. A 401/403 skips them too, since every answer would be that refusal.
 */
async function probeReachable(context: ProbeContext): Promise<{ readonly first: Exchange; readonly unreachable: string | undefined }> {
  const check = context.check('reachable');
  const first = await context.client.get(FIRST_JOBS_PAGE);
  if (first.status === 0) {
    check.fail(`${requestLine(first)} ${describeAnswer(first)}`, 'an HTTP answer from the server at the base URL', [summarize(first)]);
    return { first, unreachable: 'the server could not be reached (see reachable)' };
  }
  if (first.status === 401 || first.status === 403) {
    check.fail(`${requestLine(first)} ${describeAnswer(first)}: the credential was refused`, 'the credential to be accepted for reading export jobs', [summarize(first)]);
    return { first, unreachable: `the server refused the credential with ${first.status} (see reachable): every other answer would be the same refusal` };
  }
  return { first, unreachable: undefined };
}

function judgeResponses(check: CheckRecorder, exchanges: readonly Exchange[], spec: Awaited<SpecLoad>): void {
  const answered = exchanges.filter((exchange) => exchange.status !== 0);
  if (answered.length === 0) {
    check.skip('no response arrived to judge');
    return;
  }
  if ('error' in spec) {
    check.fail(`the normalized spec could not be loaded: ${spec.error}`, 'openapi/export-api.yaml to load and compile', []);
    return;
  }
  for (const exchange of answered) {
    const problems = spec.checker.problems(exchange);
    if (problems.length > 0) {
      check.fail(`${requestLine(exchange)} answered ${exchange.status}: ${problems.join('; ')}`, `a response ${spec.checker.operationId(exchange) ?? 'the operation'} declares, with a body valid against its schema`, [summarize(exchange)]);
    }
  }
}
