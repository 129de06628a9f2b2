/**
 * Public entry of `pleo-export-mock`: start a stateful mock of Pleo's Export API in-process.
 *
 * @example
 * import { createMockServer } from 'pleo-export-mock';
 * const mock = await createMockServer({ seed: 7 });
 * const response = await fetch(`${mock.url}/v3/export-jobs?statuses=pending`);
 * await mock.close();
 */
import { listen, type ListenOptions, type RunningMockServer } from './server/server.js';

export { buildApp, DEFAULTS, type MockApp, type MockServerOptions } from './server/app.js';
export { ERRORS, MockError, type ErrorCode, type ExceptionInfo } from './core/errors.js';
export type { ListenOptions, RunningMockServer } from './server/server.js';

/**
 * Starts a mock server on 127.0.0.1 and a free port (unless told otherwise) and returns its URL
 * and `close()`. Each server owns its own state.
 * @example
 * const mock = await createMockServer({ frozenClock: true });
 * try { await fetch(`${mock.url}/v3/export-jobs`); } finally { await mock.close(); }
 */
export function createMockServer(options: ListenOptions = {}): Promise<RunningMockServer> {
  return listen({ host: '127.0.0.1', port: 0, ...options });
}
