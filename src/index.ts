/**
 * Public entry of `pleo-export-mock`: start a stateful mock of Pleo's Export API in-process.
 *
 * @example
 * import { createMockServer } from 'pleo-export-mock';
 * const mock = await createMockServer({ seed: 7 });
 * const response = await fetch(`${mock.url}/v3/export-jobs?statuses=pending`);
 * await mock.close();
 */
import { adminClient, type MockAdminClient } from './admin-client.js';
import { listen, type ListenOptions, type RunningMockServer } from './server/server.js';

export { buildApp, DEFAULTS, type MockApp, type MockServerOptions } from './server/app.js';
export { ERRORS, MockError, type ErrorCode, type ExceptionInfo } from './core/errors.js';
export type { ListenOptions, RunningMockServer } from './server/server.js';
export { adminClient, MockAdminError, type FaultsView, type JournalEntryView, type JournalView, type MockAdminClient, type MockClockState } from './admin-client.js';
export type { FaultAction, FaultRule, FaultWhen } from './server/faults.js';
export {
  assertFixtureDocument,
  FixtureDocumentError,
  loadFixtureDocument,
  toFixtureDocument,
  type FixtureCompany,
  type FixtureDocument,
  type FixtureItem,
  type FixtureJob,
  type FixtureLoadOptions,
  type FixtureWriteOptions,
} from './fixtures/fixture-document.js';
export { writeFixtureDocument, type FixtureFormat, type WriteFixtureOptions } from './fixtures/document-writer.js';
export { scenarioDocument, SCENARIO_NAMES, type ScenarioName, type ScenarioOptions } from './fixtures/scenarios.js';
export { StateFileError } from './server/state-file.js';

/** A mock started in-process, with typed helpers over its admin API. */
export interface InProcessMockServer extends RunningMockServer {
  /** Admin helpers for the tenant of `credential` (none: the default tenant). */
  admin(credential?: string): MockAdminClient;
}

/**
 * Starts a mock server on 127.0.0.1 and a free port (unless told otherwise) and returns its URL,
 * typed admin helpers and `close()`. Each server owns its own state.
 * @example
 * const mock = await createMockServer({ frozenClock: true });
 * try {
 *   await fetch(`${mock.url}/v3/export-jobs`);
 *   await mock.admin().advanceClock(3600);
 * } finally {
 *   await mock.close();
 * }
 */
export async function createMockServer(options: ListenOptions = {}): Promise<InProcessMockServer> {
  const server = await listen({ host: '127.0.0.1', port: 0, ...options });
  return { ...server, admin: (credential) => adminClient(server.url, credential, options.adminToken) };
}
