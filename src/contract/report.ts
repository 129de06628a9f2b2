/**
 * What the contract suite reports, in both modes: for each scenario (client mode) or group of
 * probes (server mode), every check with its stable name, its one-line rule, a hint on how to
 * fix a failure, and the evidence: the offending requests and what was expected instead.
 * Reporters (terminal, JSON, JUnit) render this; nothing here knows HTTP or the mock.
 */

/** How a check came out. `skipped`: it did not apply (e.g. no 429 was injected, so no retry to judge). */
export type CheckStatus = 'passed' | 'failed' | 'skipped';

/** A request as evidence shows it (from the mock's journal, or made by a server probe). */
export interface RequestSummary {
  /** The journal's sequence number, when it comes from a journal. */
  readonly sequence?: number;
  readonly method: string;
  /** Path with query string, e.g. `/v3/export-jobs?statuses=pending`. */
  readonly url: string;
  /** The response status; 0 when the connection was dropped. */
  readonly status: number;
  /** Real time of the request, ISO 8601 with milliseconds, when known. */
  readonly at?: string;
  /** A short excerpt of the request body, when it matters. */
  readonly body?: string;
  /** A short excerpt of the response body, when it matters. */
  readonly response?: string;
}

/** One piece of evidence of a failed check: what happened, and what was expected instead. */
export interface Evidence {
  /** What was wrong, in one sentence, e.g. `PUT of 150 items`. */
  readonly problem: string;
  /** What the rule expected instead, e.g. `at most 100 items per PUT`. */
  readonly expected: string;
  /** The request(s) involved, oldest first. */
  readonly requests: readonly RequestSummary[];
}

/** The outcome of one check. */
export interface CheckResult {
  /** Stable kebab-case name, e.g. `batch-limit`; never changes once published. */
  readonly name: string;
  /** The rule, one line. */
  readonly rule: string;
  /** How to fix a failure, one or two lines. */
  readonly hint: string;
  readonly status: CheckStatus;
  /** Why it failed (empty when it passed); at most a handful of entries, the first ones. */
  readonly evidence: readonly Evidence[];
  /** Set when the check was skipped: why it did not apply. */
  readonly skippedBecause?: string;
}

/** What the client did, in client mode. */
export interface ClientRun {
  /** Exit code of a command client; 0 for a function client that resolved, 1 when it threw. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  /** The last lines the client wrote on stderr (or the error a function client threw). */
  readonly output: string;
}

/** One scenario (client mode) or probe group (server mode). */
export interface ScenarioResult {
  /** Stable name, e.g. `happy-path`. */
  readonly scenario: string;
  /** One-line description. */
  readonly title: string;
  readonly durationMs: number;
  readonly checks: readonly CheckResult[];
  /** Client mode only. */
  readonly client?: ClientRun;
}

/** A whole run. */
export interface ContractReport {
  readonly mode: 'client' | 'server';
  /** The client command (or `function`) in client mode, the base URL in server mode. */
  readonly target: string;
  readonly scenarios: readonly ScenarioResult[];
  /** True when no check failed. */
  readonly passed: boolean;
  readonly durationMs: number;
}

/** Whether a scenario passed: none of its checks failed. */
export function scenarioPassed(result: ScenarioResult): boolean {
  return result.checks.every((check) => check.status !== 'failed');
}

/** Builds a report, working out `passed`. */
export function contractReport(mode: ContractReport['mode'], target: string, scenarios: readonly ScenarioResult[], durationMs: number): ContractReport {
  return { mode, target, scenarios, passed: scenarios.every(scenarioPassed), durationMs };
}
