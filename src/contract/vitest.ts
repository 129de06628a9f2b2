/**
 * `pleo-export-mock/contract/vitest`: the contract suite as vitest tests, one per scenario. A
 * failing scenario fails its test with the suite's explanation (the checks that failed, the
 * offending requests, what was expected, how to fix it).
 *
 * @example
 * // integration.contract.test.ts
 * import { contractTests } from 'pleo-export-mock/contract/vitest';
 * contractTests({ command: 'node dist/integration.js' });
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createMockServer, type InProcessMockServer } from '../index.js';
import type { ContractClient } from './client-process.js';
import { CONTRACT_MOCK_OPTIONS } from './index.js';
import { renderTerminal } from './reporters/index.js';
import { contractReport, scenarioPassed } from './report.js';
import { DEFAULT_TIME_LIMIT_MS, runScenario, selectScenarios } from './run-client-contract.js';

/** Options of {@link contractTests}. */
export interface ContractTestsOptions {
  /** Scenarios to run (default: all). */
  readonly scenarios?: readonly string[];
  /** Time limit of the client per scenario, ms (default 60 s). */
  readonly timeLimitMs?: number;
  /** Title of the describe block. */
  readonly title?: string;
}

/** Declares one vitest test per scenario, sharing one mock started for the block. */
export function contractTests(client: ContractClient, options: ContractTestsOptions = {}): void {
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  describe(options.title ?? 'Pleo export contract', () => {
    let mock: InProcessMockServer | undefined;
    beforeAll(async () => {
      mock = await createMockServer(CONTRACT_MOCK_OPTIONS);
    });
    afterAll(async () => {
      await mock?.close();
    });
    for (const scenario of selectScenarios(options.scenarios)) {
      it(
        scenario.name,
        async () => {
          if (mock === undefined) throw new Error('the contract mock did not start');
          const result = await runScenario(scenario, { client, mockUrl: mock.url, timeLimitMs });
          if (!scenarioPassed(result)) {
            const target = typeof client === 'function' ? 'function' : client.command;
            throw new Error(renderTerminal(contractReport('client', target, [result], result.durationMs), { color: false }));
          }
        },
        // Room for the client's own time limit plus preparing and judging.
        timeLimitMs + 30_000,
      );
    }
  });
}
