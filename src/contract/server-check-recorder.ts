/**
 * Collects the outcome of one server-mode check while probes run: failures with their evidence,
 * or the reason it could not be judged, and turns them into the report's CheckResult.
 */
import type { CheckResult, Evidence, RequestSummary } from './report.js';
import { SERVER_CHECKS, type ServerCheckName } from './server-checks.js';

/** At most this many evidence entries per check: the first ones, which usually explain the rest. */
export const MAX_EVIDENCE = 5;

/**
 * The outcome of one check, built up by the probes.
 * @example
 * const check = new CheckRecorder('not-found-shape');
 * check.fail('GET /v3/export-jobs/… answered 200', '404 EXPORT_NOT_FOUND', [summary]);
 * check.result().status // 'failed'
 */
export class CheckRecorder {
  private readonly evidence: Evidence[] = [];
  private failures = 0;
  private skipReason: string | undefined;

  constructor(readonly name: ServerCheckName) {}

  /** Records a failure; only the first {@link MAX_EVIDENCE} are kept as evidence. */
  fail(problem: string, expected: string, requests: readonly RequestSummary[]): void {
    this.failures++;
    if (this.evidence.length < MAX_EVIDENCE) this.evidence.push({ problem, expected, requests });
  }

  /** Marks the check as not judgeable; a failure recorded before or after still wins. */
  skip(reason: string): void {
    this.skipReason ??= reason;
  }

  get failed(): boolean {
    return this.failures > 0;
  }

  /** How many failures were recorded, including those beyond the evidence kept. */
  get failureCount(): number {
    return this.failures;
  }

  result(): CheckResult {
    const { rule, hint } = SERVER_CHECKS[this.name];
    if (this.failures > 0) {
      const evidence = [...this.evidence];
      const hidden = this.failures - evidence.length;
      const last = evidence[evidence.length - 1];
      if (hidden > 0 && last !== undefined) {
        // The count of what was left out goes into the last entry rather than a request-less one.
        evidence[evidence.length - 1] = { ...last, problem: `${last.problem} (and ${hidden} more problem${hidden === 1 ? '' : 's'} not shown)` };
      }
      return { name: this.name, rule, hint, status: 'failed', evidence };
    }
    if (this.skipReason !== undefined) return { name: this.name, rule, hint, status: 'skipped', evidence: [], skippedBecause: this.skipReason };
    return { name: this.name, rule, hint, status: 'passed', evidence: [] };
  }
}
