import { describe, expect, it } from 'vitest';
import type { ContractReport } from '../report.js';
import { failingReport, hostileReport, passingReport, serverReport } from './example-reports.js';
import { renderJson, type JsonReport } from './json.js';
import { summarize } from './summary.js';

const EXAMPLES: readonly (readonly [string, ContractReport])[] = [
  ['passing', passingReport()],
  ['failing', failingReport()],
  ['server', serverReport()],
  ['hostile', hostileReport()],
];

/** The same value with every object's keys in reverse order, as another producer might build it. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversedKeys(inner)]));
  }
  return value;
}

/** Every key path of a JSON value, in document order. */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((inner, i) => keyPaths(inner, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [`${path}.${key}`, ...keyPaths(inner, `${path}.${key}`)]);
  }
  return [];
}

describe('renderJson', () => {
  it.each(EXAMPLES)('parses back to the %s report plus its summary', (_what, report) => {
    const parsed = JSON.parse(renderJson(report)) as JsonReport;
    expect(parsed).toEqual({ ...report, summary: summarize(report) });
  });

  it('counts scenarios, checks by status, and failed clients in the summary', () => {
    const parsed = JSON.parse(renderJson(failingReport())) as JsonReport;
    expect(parsed.summary).toEqual({ scenarios: 3, failedScenarios: 2, checks: 8, passed: 4, failed: 2, skipped: 2, clientFailures: 1 });
  });

  it('puts the verdict and the summary before the scenarios', () => {
    expect(Object.keys(JSON.parse(renderJson(passingReport())) as object)).toEqual(['mode', 'target', 'passed', 'durationMs', 'summary', 'scenarios']);
  });

  it.each(EXAMPLES)('writes the %s report with the same key order whatever order it was built in', (_what, report) => {
    const shuffled = reversedKeys(report) as ContractReport;
    expect(keyPaths(JSON.parse(renderJson(shuffled)))).toEqual(keyPaths(JSON.parse(renderJson(report))));
    expect(renderJson(shuffled)).toBe(renderJson(report));
  });

  it('orders the keys of checks and requests as report.ts declares them', () => {
    const parsed = JSON.parse(renderJson(failingReport())) as JsonReport;
    const check = parsed.scenarios[0]?.checks[1];
    expect(Object.keys(check ?? {})).toEqual(['name', 'status', 'rule', 'hint', 'evidence']);
    expect(Object.keys(check?.evidence[0]?.requests[0] ?? {})).toEqual(['sequence', 'method', 'url', 'status', 'at', 'body', 'response']);
    expect(Object.keys(parsed.scenarios[0]?.client ?? {})).toEqual(['exitCode', 'timedOut', 'durationMs', 'output']);
  });

  it('leaves absent optional fields out rather than writing null', () => {
    const text = renderJson(serverReport());
    expect(text).not.toContain('"client"');
    expect(text).not.toContain('null');
    expect(renderJson(failingReport())).toContain('"exitCode": null');
  });

  it('indents by two spaces and ends with a newline', () => {
    const text = renderJson(passingReport());
    expect(text.startsWith('{\n  "mode": "client",\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
