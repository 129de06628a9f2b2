import { describe, expect, it } from 'vitest';
import { contractReport, type ContractReport } from '../report.js';
import { failingReport, hostileReport, passingReport, serverReport } from './example-reports.js';
import { stripAnsi } from './sanitize.js';
import { renderTerminal } from './terminal.js';

const plain = (report: ContractReport, verbose = false): string => renderTerminal(report, { color: false, verbose });
const colored = (report: ContractReport, verbose = false): string => renderTerminal(report, { color: true, verbose });
const lines = (text: string): string[] => text.split('\n');

/** The cell under each scenario column of a table row, read by the header's column positions. */
function cells(table: readonly string[], check: string): Record<string, string> {
  const [header = '', , ...rows] = table;
  const row = rows.find((line) => line.startsWith(`${check} `) || line === check) ?? '';
  const names = header.split(/ {2,}/).slice(1);
  const starts = names.map((name) => header.indexOf(name));
  return Object.fromEntries(names.map((name, i) => [name, row.slice(starts[i], starts[i + 1] ?? row.length).trim()]));
}

function tableOf(output: string): string[] {
  const all = lines(output);
  const start = all.findIndex((line) => line.startsWith('check '));
  const end = all.indexOf('', start);
  return all.slice(start, end);
}

/** Control characters a terminal acts on; only the newline may be left. */
function controlCharacters(text: string): string[] {
  return Array.from(text).filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && char !== '\n') || (code >= 0x7f && code <= 0x9f);
  });
}

describe('renderTerminal', () => {
  it('starts with the mode and the target', () => {
    expect(lines(plain(failingReport())).slice(0, 2)).toEqual(['contract suite: client mode', 'target: node ./export-worker.js']);
    expect(lines(plain(serverReport())).slice(0, 2)).toEqual(['contract suite: server mode', 'target: http://127.0.0.1:4010']);
  });

  it('tables every check against every scenario, in the order the suite ran them', () => {
    const table = tableOf(plain(failingReport()));
    expect(table[0]?.split(/ {2,}/)).toEqual(['check', 'happy-path', 'rate-limited', 'slow-export']);
    expect(table.slice(2).map((row) => row.split(' ')[0])).toEqual(['claim-before-read', 'batch-limit', 'retry-after']);
  });

  it.each([
    ['plain', plain, { passed: 'ok', failed: 'FAIL', skipped: '-' }],
    ['colored', (report: ContractReport) => stripAnsi(colored(report)), { passed: '✓', failed: '✗', skipped: '–' }],
  ])('marks passed, failed and skipped checks in the %s table, each under its scenario', (_mode, renderer, mark) => {
    const table = tableOf(renderer(failingReport()));
    expect(cells(table, 'claim-before-read')).toEqual({ 'happy-path': mark.passed, 'rate-limited': mark.passed, 'slow-export': mark.passed });
    expect(cells(table, 'batch-limit')).toEqual({ 'happy-path': mark.failed, 'rate-limited': mark.passed, 'slow-export': mark.skipped });
    expect(cells(table, 'retry-after')).toEqual({ 'happy-path': mark.skipped, 'rate-limited': mark.failed, 'slow-export': '' });
  });

  it('leaves a cell empty when a probe group has no such check', () => {
    const table = tableOf(plain(serverReport()));
    expect(cells(table, 'cursor-round-trip')).toEqual({ paging: 'ok', errors: '' });
    expect(cells(table, 'batch-limit-413')).toEqual({ paging: '', errors: '-' });
  });

  it('aligns the columns, with or without color', () => {
    for (const output of [plain(failingReport()), stripAnsi(colored(failingReport()))]) {
      const table = tableOf(output);
      const [header = '', ruler = ''] = table;
      // Each ruler segment spans its column exactly: starts where the header's name starts.
      const segments = [...ruler.matchAll(/[-─]+/g)].map((match) => match.index);
      expect(segments).toEqual(['check', 'happy-path', 'rate-limited', 'slow-export'].map((name) => header.indexOf(name)));
    }
  });

  it('explains each failed check: scenario › check, rule, each evidence entry with its requests, hint', () => {
    const output = plain(failingReport());
    expect(output).toContain(
      [
        'FAIL happy-path > batch-limit',
        '  rule: At most 100 items per PUT /v3/export-jobs/{jobId}/items.',
        '  problem: PUT of 150 items',
        '  expected: at most 100 items per PUT',
        '    #12 PUT /v3/export-jobs/j1/items -> 413 at 2026-01-05T09:00:01.234Z',
        '      body: {"items":[{"accountingEntryId":"e1","status":"exported"}]}',
        '      response: {"type":"EXPORT_JOB_ITEMS_UPDATE_LIMIT","message":"At most 100 items."}',
        '  problem: PUT of 101 items retried unchanged',
        '  expected: a split batch after a 413',
        '    #13 PUT /v3/export-jobs/j1/items -> 413',
        '    PUT /v3/export-jobs/j1/items?retry=1 -> dropped at 2026-01-05T09:00:02.000Z',
        '  hint: Split item updates into batches of at most 100 items and send each.',
      ].join('\n'),
    );
    expect(output).toContain('FAIL rate-limited > retry-after\n');
    expect(output).toContain('Failures (2)');
  });

  it('puts the second line of a hint under the first', () => {
    expect(plain(failingReport())).toContain(
      '  hint: Read the Retry-After header and sleep for it before retrying.\n        A fixed back-off shorter than Retry-After is not enough.\n',
    );
  });

  it('writes the failure heading with ✗ and › when color is on', () => {
    expect(stripAnsi(colored(failingReport()))).toContain('✗ happy-path › batch-limit\n');
  });

  it('says nothing of failures when every check passed', () => {
    const output = plain(passingReport());
    expect(output).not.toContain('Failures');
    expect(output).not.toContain('Client failures');
  });

  it('reports a client that timed out with the last 20 lines of its output', () => {
    const output = plain(failingReport());
    const block = output.slice(output.indexOf('Client failures (1)'));
    expect(block).toContain('FAIL slow-export > client timed out after 30.00 s\n  output, last 20 lines of 31:\n    polling job j1, attempt 12\n');
    expect(block).toContain('    polling job j1, attempt 30\n    error: still waiting for job j1\n');
    expect(block).not.toContain('attempt 11\n');
  });

  it('shows the whole client output when verbose', () => {
    const output = plain(failingReport(), true);
    expect(output).toContain('  output:\n    polling job j1, attempt 1\n');
    expect(output).toContain('attempt 11\n');
  });

  it('lists every scenario and check, with the reasons for skips, when verbose', () => {
    const output = plain(failingReport(), true);
    expect(output).toContain('happy-path: Exports one pending job of 250 items (1.30 s)\n  client exited with code 0 after 1.25 s\n');
    expect(output).toContain('  - retry-after: After a 429, wait at least Retry-After seconds before the next request. (skipped: no 429 was injected)\n');
    expect(plain(failingReport())).not.toContain('no 429 was injected');
  });

  it.each([
    ['an all-green run', passingReport(), 'PASS  2 scenarios, 6 checks: 5 passed, 0 failed, 1 skipped (5.60 s)'],
    ['a run with failures', failingReport(), 'FAIL  3 scenarios, 8 checks: 4 passed, 2 failed, 2 skipped (33.45 s)'],
    ['a run of one scenario', hostileReport(), 'FAIL  1 scenario, 2 checks: 0 passed, 1 failed, 1 skipped (10 ms)'],
    ['a run of nothing', contractReport('server', 'http://x', [], 0), 'PASS  0 scenarios, 0 checks: 0 passed, 0 failed, 0 skipped (0 ms)'],
  ])('ends %s with its counts and verdict', (_what, report, last) => {
    const output = plain(report);
    expect(output.endsWith(`\n${last}\n`)).toBe(true);
  });

  it('says so when there is nothing to table', () => {
    expect(plain(contractReport('server', 'http://x', [], 0))).toContain('(no scenarios)');
  });

  it.each([
    ['passing', passingReport()],
    ['failing', failingReport()],
    ['server', serverReport()],
    ['hostile', hostileReport()],
  ])('writes no escape code or other control character for a %s report when color is off', (_what, report) => {
    expect(controlCharacters(plain(report))).toEqual([]);
    expect(controlCharacters(plain(report, true))).toEqual([]);
    expect(plain(report, true)).not.toMatch(/[✓✗–›…─]/);
  });

  it('colors statuses and the verdict when color is on, and nothing but SGR codes', () => {
    const output = colored(hostileReport(), true);
    expect(output).toContain('\u001b[31m');
    expect(controlCharacters(stripAnsi(output))).toEqual([]);
    expect(colored(passingReport())).toContain('\u001b[32m\u001b[1mPASS\u001b[22m\u001b[39m');
  });

  it('shows hostile text as visible escapes, one line per field, cut to a readable length', () => {
    const output = plain(hostileReport());
    expect(output).toContain(`  rule: rule <&"'>]]>\\x00\\x01\\x08\\x0B\\x0C\\x7F\\x85\\u202E\\uD800\\uFFFE\\uFFFF\\nsecond line\n`);
    const body = lines(output).find((line) => line.startsWith('      body: ')) ?? '';
    expect(body.endsWith('...')).toBe(true);
    expect(body.length).toBeLessThanOrEqual('      body: '.length + 120);
    expect(Math.max(...lines(output).map((line) => line.length))).toBeLessThan(300);
  });

  it('drops the escape sequences a client wrote, keeping its text', () => {
    const output = plain(hostileReport());
    expect(output).toContain('  output:\n    first line\n    second <&"\'>]]>');
    expect(output).toContain('\n    third\n');
    expect(output).not.toContain('pwned');
  });

  it('follows the verdict of the report itself', () => {
    // A client that timed out fails no check by itself; the suite decides whether that fails the run.
    const report = contractReport('client', 'cmd', [{ scenario: 's', title: 't', durationMs: 1, checks: [], client: { exitCode: null, timedOut: true, durationMs: 1, output: '' } }], 1);
    const output = plain(report);
    expect(output).toContain('FAIL s > client timed out after 1 ms\n  (no output)');
    expect(lines(output).at(-2)?.startsWith('PASS')).toBe(true);
  });

  it('renders the same report to the same text', () => {
    expect(colored(failingReport(), true)).toBe(colored(failingReport(), true));
  });
});
