/**
 * `pleo-export-mock/contract`: the contract suite, from code.
 *
 * - Client mode ({@link runContract}): runs an integration (a command in any language, or a
 *   function) through the scenarios of Pleo's export workflow against a mock, and judges what it
 *   did from the mock's request journal and final state.
 * - Server mode (`runServerContract`): checks any base URL (this mock, Pleo's staging) against
 *   the spec and the API's rules.
 *
 * @example
 * import { runContract, renderTerminal } from 'pleo-export-mock/contract';
 * const report = await runContract({ client: { command: 'node dist/integration.js' } });
 * console.log(renderTerminal(report, { color: false }));
 * process.exitCode = report.passed ? 0 : 1;
 */
import { createMockServer } from '../index.js';
import type { ContractClient } from './client-process.js';
import type { ContractReport, ScenarioResult } from './report.js';
import { runClientContract } from './run-client-contract.js';

export type { ClientContext, ContractClient } from './client-process.js';
export { clientEnvironment } from './client-process.js';
export { CHECKS, type Check } from './checks.js';
export { contractReport, scenarioPassed, type CheckResult, type CheckStatus, type ClientRun, type ContractReport, type Evidence, type RequestSummary, type ScenarioResult } from './report.js';
export { ContractSetupError, DEFAULT_TIME_LIMIT_MS, runClientContract, selectScenarios, type ClientContractOptions } from './run-client-contract.js';
export { CONTRACT_SCENARIOS, CONTRACT_SCENARIO_NAMES, type ContractScenario } from './scenarios.js';
export { render, renderJson, renderJunit, renderTerminal, REPORTER_NAMES, type ReporterName } from './reporters/index.js';
export { DEFAULT_TIMEOUT_MS, runServerContract, type ServerContractOptions } from './server-mode.js';

/**
 * The settings of the mock the suite starts for a client: a small maximum page size, so a client
 * that does not follow cursors is caught, and a journal large enough for every request of a run.
 */
export const CONTRACT_MOCK_OPTIONS = { maxPageSize: 50, defaultPageSize: 20, journalSize: 100_000, journalBytes: 1024 * 1024 * 1024 } as const;

/** Options of {@link runContract}. */
export interface RunContractOptions {
  readonly client: ContractClient;
  /** Scenarios to run, by name (default: all). */
  readonly scenarios?: readonly string[];
  /** Time limit of the client per scenario, ms (default 60 s). */
  readonly timeLimitMs?: number;
  /** A running pleo-export-mock to use instead of starting one (it should run with {@link CONTRACT_MOCK_OPTIONS}). */
  readonly mockUrl?: string;
  /** Called as each scenario finishes. */
  readonly onScenario?: (result: ScenarioResult) => void;
}

/**
 * Runs a client through every scenario against a mock started for the run (on 127.0.0.1, a free
 * port; closed afterwards), unless `mockUrl` names one.
 * @example
 * const report = await runContract({ client: async ({ baseUrl, credential }) => { await myIntegration(baseUrl, credential); } });
 */
export async function runContract(options: RunContractOptions): Promise<ContractReport> {
  if (options.mockUrl !== undefined) return runClientContract({ ...options, mockUrl: options.mockUrl });
  const mock = await createMockServer(CONTRACT_MOCK_OPTIONS);
  try {
    return await runClientContract({ ...options, mockUrl: mock.url });
  } finally {
    await mock.close();
  }
}
