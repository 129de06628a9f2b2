import { describe, expect, it } from 'vitest';
import type { ClientRun } from '../report.js';
import { failingReport, hostileReport, passingReport, serverReport } from './example-reports.js';
import { clientFailed, summarize } from './summary.js';

describe('clientFailed', () => {
  const run = (exitCode: number | null, timedOut: boolean): ClientRun => ({ exitCode, timedOut, durationMs: 10, output: '' });

  it.each([
    ['a client that exited 0', run(0, false), false],
    ['a client that exited non-zero', run(1, false), true],
    ['a client killed without an exit code', run(null, false), true],
    ['a client that timed out', run(null, true), true],
    ['a client that timed out and then exited 0', run(0, true), true],
    ['no client at all (server mode)', undefined, false],
  ])('judges %s', (_what, client, failed) => {
    expect(clientFailed(client)).toBe(failed);
  });
});

describe('summarize', () => {
  it.each([
    ['an all-green run', passingReport(), { scenarios: 2, failedScenarios: 0, checks: 6, passed: 5, failed: 0, skipped: 1, clientFailures: 0 }],
    ['a run with failures and a timed-out client', failingReport(), { scenarios: 3, failedScenarios: 2, checks: 8, passed: 4, failed: 2, skipped: 2, clientFailures: 1 }],
    ['a server-mode run', serverReport(), { scenarios: 2, failedScenarios: 0, checks: 3, passed: 2, failed: 0, skipped: 1, clientFailures: 0 }],
    ['a run with hostile text', hostileReport(), { scenarios: 1, failedScenarios: 1, checks: 2, passed: 0, failed: 1, skipped: 1, clientFailures: 1 }],
  ])('counts %s', (_what, report, expected) => {
    expect(summarize(report)).toEqual(expected);
  });
});
