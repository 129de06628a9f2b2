/**
 * The human reporter: a scenario x check table, then every failure explained with its evidence,
 * like undici's `assertNoPendingInterceptors()` table and vitest's failure blocks. Plain ASCII
 * when color is off, so CI logs and grep stay simple; nothing in it depends on the clock.
 */

import type { CheckResult, CheckStatus, ContractReport, Evidence, ScenarioResult } from '../report.js';
import { cleanText, lastLines, oneLine } from './sanitize.js';
import { clientFailed, summarize } from './summary.js';
import { clientOutcome, counted, formatDuration, requestLine, summaryLine } from './wording.js';

/** How the terminal reporter renders. */
export interface TerminalOptions {
  /** ANSI colors and Unicode marks (✓ ✗ – ›); off: plain ASCII (`ok`, `FAIL`, `-`, `>`). */
  readonly color: boolean;
  /** Also list every scenario with its title, client outcome and each check (skip reasons included), and the whole client output. */
  readonly verbose?: boolean;
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/** SGR open and close codes; closing each attribute on its own keeps nested styles intact. */
const SGR: Readonly<Record<Style, readonly [number, number]>> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

interface Marks {
  readonly status: Readonly<Record<CheckStatus, string>>;
  readonly chevron: string;
  readonly ellipsis: string;
  readonly ruler: string;
}

const UNICODE: Marks = { status: { passed: '✓', failed: '✗', skipped: '–' }, chevron: '›', ellipsis: '…', ruler: '─' };
const ASCII: Marks = { status: { passed: 'ok', failed: 'FAIL', skipped: '-' }, chevron: '>', ellipsis: '...', ruler: '-' };

const STATUS_STYLE: Readonly<Record<CheckStatus, Style>> = { passed: 'green', failed: 'red', skipped: 'yellow' };

/** Code points of one-line text shown in the table and the failure details. */
const NAME_LIMIT = 48;
const TEXT_LIMIT = 240;
const EXCERPT_LIMIT = 120;
const OUTPUT_LINE_LIMIT = 200;
/** Lines of client output shown without `verbose`. */
const TAIL_LINES = 20;

interface Writer {
  readonly marks: Marks;
  paint(style: Style, text: string): string;
  line(text: string, max?: number): string;
}

function writer(color: boolean): Writer {
  const marks = color ? UNICODE : ASCII;
  return {
    marks,
    paint: color ? (style, text) => `\u001b[${SGR[style][0]}m${text}\u001b[${SGR[style][1]}m` : (_style, text) => text,
    line: (text, max = TEXT_LIMIT) => oneLine(text, max, marks.ellipsis),
  };
}

/**
 * Renders a report for a terminal or a CI log, ending with a newline.
 *
 * @example
 * process.stdout.write(renderTerminal(report, { color: process.stdout.isTTY }));
 * // contract suite: client mode
 * // target: node ./export-worker.js
 * //
 * // check         happy-path  rate-limited
 * // ────────────  ──────────  ────────────
 * // batch-limit   ✓           ✗
 * // ...
 * // FAIL  2 scenarios, 6 checks: 4 passed, 1 failed, 1 skipped (3.20 s)
 */
export function renderTerminal(report: ContractReport, options: TerminalOptions): string {
  const w = writer(options.color);
  const verbose = options.verbose ?? false;
  const sections: string[][] = [header(report, w), table(report, w)];
  if (verbose && report.scenarios.length > 0) sections.push(scenarioList(report, w));
  const failures = failureDetails(report, w);
  if (failures.length > 0) sections.push(failures);
  const clients = clientFailures(report, w, verbose);
  if (clients.length > 0) sections.push(clients);
  sections.push([verdictLine(report, w)]);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function header(report: ContractReport, w: Writer): string[] {
  return [`${w.paint('bold', 'contract suite')}: ${report.mode} mode`, `${w.paint('dim', 'target:')} ${w.line(report.target)}`];
}

/** Check names in order of first appearance, so the rows follow the suite's own order. */
function checkNames(report: ContractReport): string[] {
  return [...new Set(report.scenarios.flatMap((scenario) => scenario.checks.map((check) => check.name)))];
}

/** The status of a check in a scenario; the worst one should a name appear twice. Undefined when the scenario has no such check. */
function statusOf(scenario: ScenarioResult, name: string): CheckStatus | undefined {
  const statuses = scenario.checks.filter((check) => check.name === name).map((check) => check.status);
  return (['failed', 'passed', 'skipped'] as const).find((status) => statuses.includes(status));
}

interface Cell {
  readonly text: string;
  readonly style?: Style;
}

function width(text: string): number {
  return Array.from(text).length;
}

function table(report: ContractReport, w: Writer): string[] {
  if (report.scenarios.length === 0) return [w.paint('dim', '(no scenarios)')];
  const head: Cell[] = [{ text: 'check' }, ...report.scenarios.map((scenario) => ({ text: w.line(scenario.scenario, NAME_LIMIT) }))];
  const rows: Cell[][] = checkNames(report).map((name) => [
    { text: w.line(name, NAME_LIMIT) },
    ...report.scenarios.map((scenario): Cell => {
      const status = statusOf(scenario, name);
      return status === undefined ? { text: '' } : { text: w.marks.status[status], style: STATUS_STYLE[status] };
    }),
  ]);
  const widths = head.map((_cell, column) => Math.max(...[head, ...rows].map((row) => width(row[column]?.text ?? ''))));
  // Pad before painting: escape codes take no room on screen but would count in a width.
  const renderRow = (row: readonly Cell[]): string =>
    row
      .map((cell, column) => {
        const padding = ' '.repeat((widths[column] ?? 0) - width(cell.text));
        return (cell.style === undefined ? cell.text : w.paint(cell.style, cell.text)) + padding;
      })
      .join('  ')
      .trimEnd();
  const ruler = widths.map((n) => w.marks.ruler.repeat(n)).join('  ');
  const body = rows.length === 0 ? [w.paint('dim', '(no checks)')] : rows.map(renderRow);
  return [renderRow(head.map((cell) => ({ ...cell, style: 'bold' }))), w.paint('dim', ruler), ...body];
}

function scenarioList(report: ContractReport, w: Writer): string[] {
  const blocks = report.scenarios.map((scenario) => {
    const lines = [`${w.paint('bold', w.line(scenario.scenario, NAME_LIMIT))}: ${w.line(scenario.title)} ${w.paint('dim', `(${formatDuration(scenario.durationMs)})`)}`];
    if (scenario.client !== undefined) lines.push(`  client ${clientOutcome(scenario.client)}`);
    for (const check of scenario.checks) {
      const skipped = check.status === 'skipped' && check.skippedBecause !== undefined ? ` ${w.paint('dim', `(skipped: ${w.line(check.skippedBecause)})`)}` : '';
      lines.push(`  ${w.paint(STATUS_STYLE[check.status], w.marks.status[check.status])} ${w.line(check.name, NAME_LIMIT)}: ${w.line(check.rule)}${skipped}`);
    }
    return lines.join('\n');
  });
  return [blocks.join('\n\n')];
}

function title(w: Writer, scenario: string, subject: string): string {
  return w.paint('red', `${w.marks.status.failed} ${w.paint('bold', `${w.line(scenario, NAME_LIMIT)} ${w.marks.chevron} ${subject}`)}`);
}

function failureDetails(report: ContractReport, w: Writer): string[] {
  const blocks = report.scenarios.flatMap((scenario) =>
    scenario.checks.filter((check) => check.status === 'failed').map((check) => failureBlock(scenario, check, w)),
  );
  if (blocks.length === 0) return [];
  return [w.paint('bold', `Failures (${blocks.length})`), '', blocks.map((lines) => lines.join('\n')).join('\n\n')];
}

function failureBlock(scenario: ScenarioResult, check: CheckResult, w: Writer): string[] {
  const label = (name: string): string => w.paint('dim', `${name}:`);
  const lines = [title(w, scenario.scenario, w.line(check.name, NAME_LIMIT)), `  ${label('rule')} ${w.line(check.rule)}`];
  if (check.evidence.length === 0) lines.push(`  ${w.paint('dim', '(no evidence recorded)')}`);
  for (const evidence of check.evidence) lines.push(...evidenceLines(evidence, w, label));
  // A hint may take two lines; the second is indented under the first.
  const [first = '', ...rest] = cleanText(check.hint).split('\n');
  lines.push(`  ${label('hint')} ${w.paint('yellow', w.line(first))}`, ...rest.map((more) => `        ${w.paint('yellow', w.line(more))}`));
  return lines;
}

function evidenceLines(evidence: Evidence, w: Writer, label: (name: string) => string): string[] {
  const lines = [`  ${label('problem')} ${w.line(evidence.problem)}`, `  ${label('expected')} ${w.line(evidence.expected)}`];
  for (const request of evidence.requests) {
    lines.push(`    ${w.paint('cyan', requestLine(request, w.marks.ellipsis))}`);
    if (request.body !== undefined) lines.push(`      ${label('body')} ${w.line(request.body, EXCERPT_LIMIT)}`);
    if (request.response !== undefined) lines.push(`      ${label('response')} ${w.line(request.response, EXCERPT_LIMIT)}`);
  }
  return lines;
}

function clientFailures(report: ContractReport, w: Writer, verbose: boolean): string[] {
  const blocks = report.scenarios.flatMap((scenario) => {
    if (!clientFailed(scenario.client)) return [];
    const run = scenario.client;
    const tail = lastLines(run.output, verbose ? Number.POSITIVE_INFINITY : TAIL_LINES);
    const lines = [title(w, scenario.scenario, `client ${clientOutcome(run)}`)];
    if (tail.lines.length === 0) {
      lines.push(`  ${w.paint('dim', '(no output)')}`);
    } else {
      const shown = tail.omitted === 0 ? 'output:' : `output, last ${counted(tail.lines.length, 'line')} of ${tail.lines.length + tail.omitted}:`;
      lines.push(`  ${w.paint('dim', shown)}`, ...tail.lines.map((line) => `    ${w.line(line, OUTPUT_LINE_LIMIT)}`.trimEnd()));
    }
    return [lines.join('\n')];
  });
  if (blocks.length === 0) return [];
  return [w.paint('bold', `Client failures (${blocks.length})`), '', blocks.join('\n\n')];
}

function verdictLine(report: ContractReport, w: Writer): string {
  const verdict = report.passed ? w.paint('green', w.paint('bold', 'PASS')) : w.paint('red', w.paint('bold', 'FAIL'));
  return `${verdict}  ${summaryLine(summarize(report))} ${w.paint('dim', `(${formatDuration(report.durationMs)})`)}`;
}
