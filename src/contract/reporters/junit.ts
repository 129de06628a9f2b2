/**
 * The CI reporter: JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it. One
 * <testsuite> per scenario, one <testcase> per check. Checks are judged after the scenario ran,
 * so a testcase has no time of its own (0); the scenario's time is on its testsuite.
 *
 * Only the five named entities are written. Attribute values are put on one line first, and line
 * endings in text made `\n`, so no character reference is needed: a parser's whitespace
 * normalisation cannot change what it reads back.
 */

import type { CheckResult, ContractReport, Evidence, ScenarioResult } from '../report.js';
import { cleanText, lastLines, oneLine } from './sanitize.js';
import { clientFailed, countStatus, summarize } from './summary.js';
import { clientOutcome, requestLine } from './wording.js';

/** Code points of text kept in an attribute, and in a body or response excerpt. */
const ATTRIBUTE_LIMIT = 1000;
const EXCERPT_LIMIT = 500;
/** Lines of client output kept in <system-err>. */
const OUTPUT_LINES = 500;

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** For attribute values: all five, whichever quote delimits them. */
function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/**
 * Text content: cleaned (XML 1.0 forbids most control characters), then escaped. Quotes need no
 * escaping in text, and JSON excerpts stay readable without `&quot;` everywhere; `>` is escaped
 * all the same, so a `]]>` in the text is no end of a CDATA section.
 */
function text(value: string): string {
  return cleanText(value).replace(/[&<>]/g, (char) => ENTITIES[char] ?? char);
}

function attributes(pairs: Readonly<Record<string, string | number>>): string {
  return Object.entries(pairs)
    .map(([name, value]) => ` ${name}="${escapeAttribute(typeof value === 'number' ? String(value) : oneLine(value, ATTRIBUTE_LIMIT))}"`)
    .join('');
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? (ms / 1000).toFixed(3) : '0.000';
}

/** The body of a <failure>: each evidence entry with its requests, then the hint. */
function failureText(check: CheckResult): string {
  const entries = check.evidence.map((entry: Evidence) => {
    const lines = [`problem: ${entry.problem}`, `expected: ${entry.expected}`];
    for (const request of entry.requests) {
      lines.push(`  ${requestLine(request)}`);
      if (request.body !== undefined) lines.push(`    body: ${oneLine(request.body, EXCERPT_LIMIT)}`);
      if (request.response !== undefined) lines.push(`    response: ${oneLine(request.response, EXCERPT_LIMIT)}`);
    }
    return lines.join('\n');
  });
  if (entries.length === 0) entries.push('(no evidence recorded)');
  return `${entries.join('\n\n')}\n\nhint: ${check.hint}`;
}

function testcase(report: ContractReport, scenario: ScenarioResult, check: CheckResult): string[] {
  const open = `    <testcase${attributes({ classname: `${report.mode}.${scenario.scenario}`, name: check.name, time: '0.000' })}`;
  switch (check.status) {
    case 'passed':
      return [`${open}/>`];
    case 'skipped':
      return [`${open}>`, `      <skipped${attributes({ message: check.skippedBecause ?? 'skipped' })}/>`, '    </testcase>'];
    case 'failed':
      return [
        `${open}>`,
        `      <failure${attributes({ message: check.rule, type: check.name })}>${text(failureText(check))}</failure>`,
        '    </testcase>',
      ];
  }
}

function testsuite(report: ContractReport, scenario: ScenarioResult): string[] {
  const counts = {
    tests: scenario.checks.length,
    failures: countStatus(scenario.checks, 'failed'),
    errors: 0,
    skipped: countStatus(scenario.checks, 'skipped'),
  };
  const lines = [
    `  <testsuite${attributes({ name: scenario.scenario, ...counts, time: seconds(scenario.durationMs) })}>`,
    '    <properties>',
    `      <property${attributes({ name: 'mode', value: report.mode })}/>`,
    `      <property${attributes({ name: 'target', value: report.target })}/>`,
    `      <property${attributes({ name: 'title', value: scenario.title })}/>`,
    '    </properties>',
    ...scenario.checks.flatMap((check) => testcase(report, scenario, check)),
  ];
  if (clientFailed(scenario.client)) {
    const tail = lastLines(scenario.client.output, OUTPUT_LINES);
    const omitted = tail.omitted === 0 ? '' : `(${tail.omitted} earlier lines left out)\n`;
    lines.push(`    <system-err>${text(`client ${clientOutcome(scenario.client)}\n${omitted}${tail.lines.join('\n')}`)}</system-err>`);
  }
  lines.push('  </testsuite>');
  return lines;
}

/**
 * Renders a report as JUnit XML, ending with a newline.
 *
 * @example
 * writeFileSync('contract-junit.xml', renderJunit(report));
 * // <testsuites name="pleo-export-mock contract, client mode" tests="12" failures="1" errors="0" skipped="1" time="3.200">
 * //   <testsuite name="happy-path" …>
 * //     <testcase classname="client.happy-path" name="batch-limit" time="0.000">
 * //       <failure message="At most 100 items per PUT." type="batch-limit">problem: …</failure>
 */
export function renderJunit(report: ContractReport): string {
  const summary = summarize(report);
  const root = attributes({
    name: `pleo-export-mock contract, ${report.mode} mode`,
    tests: summary.checks,
    failures: summary.failed,
    errors: 0,
    skipped: summary.skipped,
    time: seconds(report.durationMs),
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${root}>`,
    ...report.scenarios.flatMap((scenario) => testsuite(report, scenario)),
    '</testsuites>',
    '',
  ].join('\n');
}
