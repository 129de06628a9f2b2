import { describe, expect, it } from 'vitest';
import type { ClientRun, RequestSummary } from '../report.js';
import { clientOutcome, counted, formatDuration, requestLine, summaryLine } from './wording.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [849.6, '850 ms'],
    [999, '999 ms'],
    [1000, '1.00 s'],
    [33_450, '33.45 s'],
    [Number.NaN, '? ms'],
  ])('writes %d ms as %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('summaryLine', () => {
  it('uses the singular for one', () => {
    expect(summaryLine({ scenarios: 1, failedScenarios: 0, checks: 1, passed: 1, failed: 0, skipped: 0, clientFailures: 0 })).toBe(
      '1 scenario, 1 check: 1 passed, 0 failed, 0 skipped',
    );
    expect(counted(0, 'check')).toBe('0 checks');
  });
});

describe('requestLine', () => {
  const request: RequestSummary = { method: 'PUT', url: '/v3/export-jobs/j1/items', status: 413 };

  it.each<[string, RequestSummary, string]>([
    ['a journaled request with its sequence number', { ...request, sequence: 12 }, '#12 PUT /v3/export-jobs/j1/items -> 413'],
    ['a request without one', request, 'PUT /v3/export-jobs/j1/items -> 413'],
    ['its time when known', { ...request, at: '2026-01-05T09:00:01.234Z' }, 'PUT /v3/export-jobs/j1/items -> 413 at 2026-01-05T09:00:01.234Z'],
    ['a dropped connection', { ...request, status: 0 }, 'PUT /v3/export-jobs/j1/items -> dropped'],
    ['a URL with a newline on one line', { ...request, url: '/a\nb' }, 'PUT /a\\nb -> 413'],
  ])('shows %s', (_what, input, expected) => {
    expect(requestLine(input)).toBe(expected);
  });

  it('cuts a very long URL', () => {
    expect(requestLine({ ...request, url: `/${'x'.repeat(10_000)}` }).length).toBeLessThan(250);
  });
});

describe('clientOutcome', () => {
  const run = (exitCode: number | null, timedOut: boolean): ClientRun => ({ exitCode, timedOut, durationMs: 30_000, output: '' });

  it.each([
    [run(null, true), 'timed out after 30.00 s'],
    [run(null, false), 'was killed (no exit code) after 30.00 s'],
    [run(2, false), 'exited with code 2 after 30.00 s'],
    [run(0, false), 'exited with code 0 after 30.00 s'],
  ])('words %o as "%s"', (input, expected) => {
    expect(clientOutcome(input)).toBe(expected);
  });
});
