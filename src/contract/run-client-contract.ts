/**
 * Client mode: runs a client through each scenario against a mock and judges what it did.
 *
 * For each scenario the runner, over the mock's admin API only (the package's typed admin client):
 * 1. takes a fresh tenant (a credential of its own), loads the scenario's fixture document and
 *    faults, and reads the state back (every item listed) as the starting point;
 * 2. runs the client with the base URL, the credential and a time limit;
 * 3. reads the tenant's request journal, its final state, and the requests that reached the
 *    default tenant meanwhile (sent without the credential);
 * 4. judges them with the scenario's checks (checks.ts).
 * Scenarios run one after another: the default tenant's journal is shared, and a client may be
 * a process that should have the machine to itself.
 */
import { randomUUID } from 'node:crypto';
import { adminClient, MockAdminError } from '../admin-client.js';
import type { FixtureDocument } from '../fixtures/fixture-document.js';
import { judge, type JudgeContext } from './checks.js';
import { runClient, type ContractClient } from './client-process.js';
import type { ObservedState } from './observations.js';
import { contractReport, type ContractReport, type ScenarioResult } from './report.js';
import { COMMON_CHECKS, CONTRACT_SCENARIOS, type ContractScenario } from './scenarios.js';

/** How to run client mode against a running mock. */
export interface ClientContractOptions {
  readonly client: ContractClient;
  /** Base URL of a running pleo-export-mock (its admin API is used to prepare and observe). */
  readonly mockUrl: string;
  /** Scenarios to run (default: all), by name. */
  readonly scenarios?: readonly string[];
  /** Time limit of the client per scenario, ms (default 60 s). */
  readonly timeLimitMs?: number;
  /** Called as each scenario finishes (progress output). */
  readonly onScenario?: (result: ScenarioResult) => void;
}

/** Default time limit of a client per scenario. */
export const DEFAULT_TIME_LIMIT_MS = 60_000;

/** A refused admin call: the mock is not a pleo-export-mock, or too old. */
export class ContractSetupError extends Error {}

/**
 * Runs the client through the scenarios and judges it.
 * @example
 * const report = await runClientContract({ client: { command: 'node my-integration.js' }, mockUrl: mock.url });
 * report.passed; // true when every check passed
 */
export async function runClientContract(options: ClientContractOptions): Promise<ContractReport> {
  const started = performance.now();
  const scenarios = selectScenarios(options.scenarios);
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const result = await runScenario(scenario, options);
    results.push(result);
    options.onScenario?.(result);
  }
  return contractReport('client', typeof options.client === 'function' ? 'function' : options.client.command, results, performance.now() - started);
}

/** The scenarios named, in the suite's order; an unknown name is refused. */
export function selectScenarios(names: readonly string[] | undefined): ContractScenario[] {
  if (names === undefined || names.length === 0) return [...CONTRACT_SCENARIOS];
  const unknown = names.filter((name) => !CONTRACT_SCENARIOS.some((scenario) => scenario.name === name));
  if (unknown.length > 0) throw new ContractSetupError(`unknown scenario ${unknown.join(', ')}; the scenarios are ${CONTRACT_SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
  return CONTRACT_SCENARIOS.filter((scenario) => names.includes(scenario.name));
}

/** Runs one scenario. */
export async function runScenario(scenario: ContractScenario, options: ClientContractOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const credential = `contract-${scenario.name}-${randomUUID()}`;
  const admin = adminClient(options.mockUrl, credential);
  const initial = await setup(options.mockUrl, async () => {
    await admin.loadState(scenario.fixtures as FixtureDocument);
    await admin.setFaults({ rules: scenario.faults });
    await admin.clearRequests();
    return (await admin.state({ explicitFields: true })) as ObservedState;
  });
  const defaultTenant = adminClient(options.mockUrl);
  const straysBefore = (await setup(options.mockUrl, () => defaultTenant.requests())).total;

  const client = await runClient(options.client, { baseUrl: options.mockUrl, credential, scenario: scenario.name }, timeLimitMs);

  const { journal, final, strays } = await setup(options.mockUrl, async () => {
    // Faults off before observing, so nothing the runner reads is itself faulted.
    await admin.clearFaults();
    return {
      journal: await admin.requests(),
      final: (await admin.state({ explicitFields: true })) as ObservedState,
      strays: (await defaultTenant.requests()).data.filter((request) => request.sequence > straysBefore),
    };
  });
  if (journal.total > journal.data.length) {
    // The journal dropped entries: no verdict could be trusted.
    throw new ContractSetupError(`the mock's journal keeps ${journal.capacity} requests and the client sent ${journal.total}; start the mock with a larger --journal-size`);
  }
  if (journal.droppedBodies > 0) {
    // Bodies are evidence (batches sent, cursors followed): a verdict without them is a guess.
    throw new ContractSetupError(`the mock's journal keeps ${journal.byteBudget} bytes of bodies and dropped ${journal.droppedBodies} entries' bodies; start the mock with a larger --journal-bytes`);
  }
  const context: JudgeContext = { scenario, initial, final, requests: journal.data, strays, client, timeLimitMs };
  const checks = judge(context, [...COMMON_CHECKS, ...scenario.checks]);
  return { scenario: scenario.name, title: scenario.title, durationMs: performance.now() - started, checks, client };
}

/** Admin calls of a setup step; a refused or failed call becomes a ContractSetupError naming it. */
async function setup<T>(mockUrl: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof MockAdminError) throw new ContractSetupError(`the mock at ${mockUrl} refused an admin call: ${error.message}`);
    throw new ContractSetupError(`cannot reach the mock at ${mockUrl} (${error instanceof Error ? error.message : String(error)})`);
  }
}
