import { describe, expect, it } from 'vitest';
import { failingReport } from './example-reports.js';
import { isReporterName, render, renderJson, renderJunit, renderTerminal, REPORTER_NAMES, REPORTERS } from './index.js';

describe('reporters', () => {
  it('offers exactly the terminal, JSON and JUnit reporters, in the order REPORTER_NAMES lists them', () => {
    expect(Object.keys(REPORTERS)).toEqual(['terminal', 'json', 'junit']);
    expect(REPORTER_NAMES).toEqual(Object.keys(REPORTERS));
  });

  it.each([
    ['terminal', renderTerminal(failingReport(), { color: true, verbose: true }), { color: true, verbose: true }],
    ['json', renderJson(failingReport()), {}],
    ['junit', renderJunit(failingReport()), { color: true }],
  ] as const)('render(%s) gives what the reporter itself gives', (name, expected, options) => {
    expect(render(name, failingReport(), options)).toBe(expected);
  });

  it('renders plain, terse terminal text when no options are given', () => {
    expect(render('terminal', failingReport())).toBe(renderTerminal(failingReport(), { color: false, verbose: false }));
  });

  it.each([
    ['terminal', true],
    ['json', true],
    ['junit', true],
    ['JUnit', false],
    ['tap', false],
    ['', false],
    ['toString', false],
  ])('knows whether "%s" names a reporter', (value, known) => {
    expect(isReporterName(value)).toBe(known);
  });
});
