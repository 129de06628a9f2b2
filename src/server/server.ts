/**
 * The only module that listens. Binds a built app to a host and port and returns its URL and a
 * close function; the CLI and `createMockServer` both go through here.
 */
import { buildApp, type MockApp, type MockServerOptions } from './app.js';

/** Where and how to listen. */
export interface ListenOptions extends MockServerOptions {
  /** Interface to bind; loopback by default so a laptop's mock is not on the network. */
  readonly host?: string;
  /** Port; 0 picks a free one. */
  readonly port?: number;
}

/** A running mock server. */
export interface RunningMockServer extends MockApp {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  /** Stops accepting connections and closes the server. */
  close(): Promise<void>;
}

/** Builds and starts a mock server. */
export async function listen(options: ListenOptions = {}): Promise<RunningMockServer> {
  const mock = await buildApp(options);
  const host = options.host ?? '127.0.0.1';
  try {
    await mock.app.listen({ host, port: options.port ?? 0 });
  } catch (error) {
    await mock.app.close();
    throw error;
  }
  const address = mock.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port ?? 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { ...mock, url: `http://${urlHost}:${port}`, close: () => mock.app.close() };
}
