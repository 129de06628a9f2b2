/**
 * The reporters by name, for a CLI flag such as `--reporter junit`. Each turns a ContractReport
 * into the whole text of its output, ending with a newline; writing it somewhere is the caller's
 * business.
 */

import type { ContractReport } from '../report.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderTerminal } from './terminal.js';

export { renderJson, type JsonReport } from './json.js';
export { renderJunit } from './junit.js';
export { clientFailed, summarize, type ReportSummary } from './summary.js';
export { renderTerminal, type TerminalOptions } from './terminal.js';

/** The name of a reporter. */
export type ReporterName = 'terminal' | 'json' | 'junit';

/** Options of any reporter; each reads the ones it knows (only the terminal has any so far). */
export interface RenderOptions {
  /** Terminal: ANSI colors and Unicode marks. Off by default, as in a CI log. */
  readonly color?: boolean;
  /** Terminal: list every check and the whole client output. */
  readonly verbose?: boolean;
}

/** Renders a report as the whole text of one output. */
export type Reporter = (report: ContractReport, options: RenderOptions) => string;

/**
 * Every reporter, by name.
 *
 * @example
 * const output = REPORTERS.junit(report, {});
 */
export const REPORTERS: Readonly<Record<ReporterName, Reporter>> = Object.freeze({
  terminal: (report: ContractReport, options: RenderOptions) => renderTerminal(report, { color: options.color ?? false, verbose: options.verbose ?? false }),
  json: (report: ContractReport) => renderJson(report),
  junit: (report: ContractReport) => renderJunit(report),
});

/** The reporter names, in the order a help text lists them. */
export const REPORTER_NAMES: readonly ReporterName[] = Object.freeze(['terminal', 'json', 'junit'] as const);

/**
 * Whether a string (a CLI flag's value, say) names a reporter.
 *
 * @example
 * isReporterName('junit'); // true
 * isReporterName('tap');   // false
 */
export function isReporterName(value: string): value is ReporterName {
  return (REPORTER_NAMES as readonly string[]).includes(value);
}

/**
 * Renders a report with the named reporter.
 *
 * @example
 * process.stdout.write(render('terminal', report, { color: process.stdout.isTTY }));
 * writeFileSync('contract.xml', render('junit', report));
 */
export function render(name: ReporterName, report: ContractReport, options: RenderOptions = {}): string {
  return REPORTERS[name](report, options);
}
