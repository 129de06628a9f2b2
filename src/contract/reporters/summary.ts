/**
 * The counts every reporter shows, worked out once so the terminal line, the JSON `summary` and
 * the JUnit attributes can never disagree.
 */

import type { CheckResult, CheckStatus, ClientRun, ContractReport } from '../report.js';
import { scenarioPassed } from '../report.js';

/** Counts of a whole run. */
export interface ReportSummary {
  readonly scenarios: number;
  /** Scenarios with at least one failed check. */
  readonly failedScenarios: number;
  readonly checks: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Scenarios whose client exited non-zero, was killed, or ran out of time. */
  readonly clientFailures: number;
}

/**
 * Whether the client of a scenario failed: it timed out, was killed (no exit code), or exited
 * non-zero. A scenario without a client (server mode) has no client to fail.
 *
 * @example
 * clientFailed({ exitCode: null, timedOut: true, durationMs: 30_000, output: '' }); // true
 */
export function clientFailed(run: ClientRun | undefined): run is ClientRun {
  return run !== undefined && (run.timedOut || run.exitCode !== 0);
}

/** How many of the checks came out with the status. */
export function countStatus(checks: readonly CheckResult[], status: CheckStatus): number {
  return checks.filter((check) => check.status === status).length;
}

/**
 * Counts of a report, keys always in this order.
 *
 * @example
 * summarize(report); // { scenarios: 3, failedScenarios: 1, checks: 12, passed: 10, failed: 1, skipped: 1, clientFailures: 0 }
 */
export function summarize(report: ContractReport): ReportSummary {
  const checks = report.scenarios.flatMap((scenario) => scenario.checks);
  return {
    scenarios: report.scenarios.length,
    failedScenarios: report.scenarios.filter((scenario) => !scenarioPassed(scenario)).length,
    checks: checks.length,
    passed: countStatus(checks, 'passed'),
    failed: countStatus(checks, 'failed'),
    skipped: countStatus(checks, 'skipped'),
    clientFailures: report.scenarios.filter((scenario) => clientFailed(scenario.client)).length,
  };
}
