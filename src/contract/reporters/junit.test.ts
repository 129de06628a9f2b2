import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { contractReport, type ContractReport } from '../report.js';
import { failingReport, HOSTILE, hostileReport, passingReport, serverReport } from './example-reports.js';
import { renderJunit } from './junit.js';
import { summarize } from './summary.js';
import { requestLine } from './wording.js';

const EXAMPLES: readonly (readonly [string, ContractReport])[] = [
  ['passing', passingReport()],
  ['failing', failingReport()],
  ['server', serverReport()],
  ['hostile', hostileReport()],
];

interface ParsedCase {
  readonly classname: string;
  readonly name: string;
  readonly time: string;
  readonly failure?: { readonly message: string; readonly type: string; readonly text: string };
  readonly skipped?: { readonly message: string };
}

interface ParsedSuite {
  readonly attributes: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, string>>;
  readonly cases: readonly ParsedCase[];
  readonly systemErr?: string;
}

interface ParsedJunit {
  readonly attributes: Readonly<Record<string, string>>;
  readonly suites: readonly ParsedSuite[];
}

// fast-xml-parser returns `any`; everything below narrows it once, here.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  alwaysCreateTextNode: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Attributes too go through isArray: `skipped` is both an element and an attribute here.
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['testsuite', 'testcase', 'property', 'failure', 'skipped', 'system-err'].includes(name),
});

function record(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`not an element: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`not a list: ${JSON.stringify(value)}`);
  return value as unknown[];
}

function string(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`not a string: ${JSON.stringify(value)}`);
  return value;
}

/** The attributes of an element: its string-valued keys other than its text. */
function attributesOf(element: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(element).filter(([key, value]) => key !== '#text' && typeof value === 'string')) as Record<string, string>;
}

function parseJunit(xml: string): ParsedJunit {
  const root = record(record(parser.parse(xml) as unknown).testsuites);
  const suites = list(root.testsuite).map((suiteValue): ParsedSuite => {
    const suite = record(suiteValue);
    const properties = Object.fromEntries(list(record(suite.properties).property).map((p) => [string(record(p).name), string(record(p).value)]));
    const cases = list(suite.testcase).map((caseValue): ParsedCase => {
      const testcase = record(caseValue);
      const [failure] = list(testcase.failure).map(record);
      const [skipped] = list(testcase.skipped).map(record);
      return {
        classname: string(testcase.classname),
        name: string(testcase.name),
        time: string(testcase.time),
        ...(failure && { failure: { message: string(failure.message), type: string(failure.type), text: string(failure['#text']) } }),
        ...(skipped && { skipped: { message: string(skipped.message) } }),
      };
    });
    const [systemErr] = list(suite['system-err']).map((element) => string(record(element)['#text']));
    return { attributes: attributesOf(suite), properties, cases, ...(systemErr !== undefined && { systemErr }) };
  });
  return { attributes: attributesOf(root), suites };
}

/**
 * What fast-xml-parser's validator lets through: a bare `&`, a `<` inside an attribute value,
 * `]]>` in text. Every `<` must open a tag (or the declaration) whose attribute values hold no `<`.
 */
function lexicalIssues(xml: string): string[] {
  const issues = [...xml.matchAll(/&(?!(?:amp|lt|gt|quot|apos);)/g)].map((match) => `bare & at ${match.index}`);
  if (xml.includes(']]>')) issues.push(']]> in text');
  const outsideTags = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>/, '').replace(/<\/?[A-Za-z][\w.-]*(?:\s+[A-Za-z][\w.-]*="[^"<]*")*\s*\/?>/g, '');
  if (outsideTags.includes('<')) issues.push(`< outside a tag: ${outsideTags.slice(outsideTags.indexOf('<'), outsideTags.indexOf('<') + 60)}`);
  return issues;
}

/** Characters XML 1.0 does not allow in a document. */
function invalidXmlCharacters(xml: string): string[] {
  return Array.from(xml).filter((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r') || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff;
  });
}

describe('renderJunit', () => {
  it.each(EXAMPLES)('writes well-formed XML 1.0 for the %s report', (_what, report) => {
    const xml = renderJunit(report);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    // The validator moved to the fast-xml-validator package; one XML devDependency is enough for a test.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(invalidXmlCharacters(xml)).toEqual([]);
    expect(lexicalIssues(xml)).toEqual([]);
  });

  it.each(EXAMPLES)('counts tests, failures and skipped of the %s report as its checks do', (_what, report) => {
    const summary = summarize(report);
    const parsed = parseJunit(renderJunit(report));
    expect(parsed.attributes).toMatchObject({ tests: String(summary.checks), failures: String(summary.failed), skipped: String(summary.skipped), errors: '0' });
    expect(parsed.suites).toHaveLength(report.scenarios.length);
    parsed.suites.forEach((suite, i) => {
      const checks = report.scenarios[i]?.checks ?? [];
      expect(suite.attributes).toMatchObject({
        tests: String(checks.length),
        failures: String(checks.filter((check) => check.status === 'failed').length),
        skipped: String(checks.filter((check) => check.status === 'skipped').length),
      });
      expect(suite.cases).toHaveLength(checks.length);
      expect(suite.cases.filter((testcase) => testcase.failure).length).toBe(Number(suite.attributes.failures));
      expect(suite.cases.filter((testcase) => testcase.skipped).length).toBe(Number(suite.attributes.skipped));
    });
  });

  it('makes one testsuite per scenario and one testcase <mode>.<scenario> / <check> per check', () => {
    const parsed = parseJunit(renderJunit(serverReport()));
    expect(parsed.suites.map((suite) => suite.attributes.name)).toEqual(['paging', 'errors']);
    expect(parsed.suites[1]?.cases.map((testcase) => [testcase.classname, testcase.name])).toEqual([
      ['server.errors', 'exception-info'],
      ['server.errors', 'batch-limit-413'],
    ]);
  });

  it('times suites and the whole run in seconds, and testcases at 0', () => {
    const parsed = parseJunit(renderJunit(failingReport()));
    expect(parsed.attributes.time).toBe('33.450');
    expect(parsed.suites.map((suite) => suite.attributes.time)).toEqual(['1.300', '2.100', '30.050']);
    expect(parsed.suites[0]?.cases[0]?.time).toBe('0.000');
  });

  it('writes each failed check as a <failure> with its rule, its name, every evidence entry and the hint', () => {
    const report = failingReport();
    const parsed = parseJunit(renderJunit(report));
    report.scenarios.forEach((scenario, i) => {
      scenario.checks.forEach((check, j) => {
        const testcase = parsed.suites[i]?.cases[j];
        if (check.status !== 'failed') {
          expect(testcase?.failure).toBeUndefined();
          return;
        }
        expect(testcase?.failure).toMatchObject({ message: check.rule, type: check.name });
        const text = testcase?.failure?.text ?? '';
        for (const evidence of check.evidence) {
          expect(text).toContain(`problem: ${evidence.problem}\nexpected: ${evidence.expected}\n`);
          for (const request of evidence.requests) expect(text).toContain(`  ${requestLine(request)}\n`);
        }
        expect(text.endsWith(`\n\nhint: ${check.hint}`)).toBe(true);
      });
    });
    expect(parsed.suites[0]?.cases[1]?.failure?.text).toContain('    body: {"items":[{"accountingEntryId":"e1","status":"exported"}]}\n');
  });

  it('writes skipped checks as <skipped> with the reason', () => {
    const parsed = parseJunit(renderJunit(failingReport()));
    expect(parsed.suites[0]?.cases[2]?.skipped).toEqual({ message: 'no 429 was injected' });
    expect(parsed.suites[2]?.cases[1]?.skipped).toEqual({ message: 'the client sent no item update' });
  });

  it('puts the output of a failed client in <system-err>, and none for a client that exited 0', () => {
    const parsed = parseJunit(renderJunit(failingReport()));
    expect(parsed.suites.map((suite) => suite.systemErr !== undefined)).toEqual([false, false, true]);
    const systemErr = parsed.suites[2]?.systemErr ?? '';
    expect(systemErr.startsWith('client timed out after 30.00 s\npolling job j1, attempt 1\n')).toBe(true);
    expect(systemErr.endsWith('\nerror: still waiting for job j1')).toBe(true);
  });

  it('carries the mode, target and scenario title as properties', () => {
    const parsed = parseJunit(renderJunit(failingReport()));
    expect(parsed.suites[0]?.properties).toEqual({ mode: 'client', target: 'node ./export-worker.js', title: 'Exports one pending job of 250 items' });
  });

  it('reads back markup and quotes unchanged, and forbidden characters as visible escapes', () => {
    const parsed = parseJunit(renderJunit(hostileReport()));
    const escaped = `<&"'>]]>\\x00\\x01\\x08\\x0B\\x0C\\x7F\\x85\\u202E\\uD800\\uFFFE\\uFFFF`;
    const suite = parsed.suites[0];
    expect(suite?.attributes.name).toBe(`odd${escaped}`);
    expect(suite?.properties.target).toBe(`sh -c 'echo ${escaped}'`);
    expect(suite?.cases[0]).toMatchObject({ classname: `client.odd${escaped}`, name: `check${escaped}` });
    // An attribute holds one line: the rule's newline is written as \n.
    expect(suite?.cases[0]?.failure).toMatchObject({ message: `rule ${escaped}\\nsecond line`, type: `check${escaped}` });
    const text = suite?.cases[0]?.failure?.text ?? '';
    expect(text).toContain(`problem: problem ${escaped}\nexpected: expected ${escaped}\n`);
    expect(text).toContain(`    response: {"message":"${escaped}"}\n`);
    expect(text.endsWith(`hint: hint ${escaped}`)).toBe(true);
    expect(suite?.cases[1]?.skipped).toEqual({ message: `because ${escaped}` });
    expect(suite?.systemErr).toBe(`client exited with code 3 after 9 ms\nfirst line\nsecond ${escaped}\nthird`);
    expect(HOSTILE).toContain('\u0000');
  });

  it('cuts a megabyte request body to an excerpt', () => {
    const xml = renderJunit(hostileReport());
    expect(xml.length).toBeLessThan(20_000);
    const text = parseJunit(xml).suites[0]?.cases[0]?.failure?.text ?? '';
    const body = text.split('\n').find((line) => line.startsWith('    body: ')) ?? '';
    expect(Array.from(body.slice('    body: '.length))).toHaveLength(500);
    expect(body.endsWith('…')).toBe(true);
  });

  it('writes an empty run as an empty <testsuites>', () => {
    const parsed = parseJunit(renderJunit(contractReport('server', 'http://x', [], 0)));
    expect(parsed.attributes).toMatchObject({ tests: '0', failures: '0', skipped: '0' });
    expect(parsed.suites).toEqual([]);
  });
});
