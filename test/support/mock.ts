/**
 * Starts a mock through the package's public entry, as a user would, with a frozen clock so
 * results are deterministic, and gives a spec-validating client for it.
 */
import { createMockServer, type ListenOptions, type RunningMockServer } from '../../src/index.js';
import { ResponseValidator, SpecClient } from './spec-client.js';

let validator: Promise<ResponseValidator> | undefined;

/** A running mock and a client for it. Always `close()` it (afterAll / finally). */
export interface TestMock {
  readonly server: RunningMockServer;
  readonly client: SpecClient;
  close(): Promise<void>;
}

/** Starts a mock on 127.0.0.1 and a free port. */
export async function startMock(options: ListenOptions = {}): Promise<TestMock> {
  validator ??= ResponseValidator.create();
  const server = await createMockServer({ frozenClock: true, ...options });
  const client = new SpecClient(server.url, await validator);
  return { server, client, close: () => server.close() };
}
