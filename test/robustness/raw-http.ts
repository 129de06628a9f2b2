/**
 * A raw HTTP/1.1 exchange over `node:net`, for requests no well-behaved client would send:
 * bytes dribbled out slowly, a body cut short, a connection half-closed or dropped. It reports
 * what came back (if anything) and whether the server closed the connection.
 */
import { connect } from 'node:net';

/** What the server did with a raw exchange. */
export interface RawExchange {
  /** The response, when a whole one arrived. */
  readonly response: RawResponse | undefined;
  /** Every byte received, as latin1 text. */
  readonly received: string;
  /** The server closed (or reset) the connection before the exchange ended. */
  readonly closedByServer: boolean;
  /** Nothing more happened within the time limit. */
  readonly timedOut: boolean;
}

/** One parsed HTTP response. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How to send the chunks and what to do after the last one. */
export interface RawOptions {
  /** Pause before each chunk after the first, in ms. */
  readonly delayMs?: number;
  /**
   * After the last chunk: `keep` the connection open and wait for an answer, half-close it with
   * `end` (FIN, still reading), or `destroy` it at once (nothing is read).
   */
  readonly then?: 'keep' | 'end' | 'destroy';
  /** Give up waiting after this long, in ms. */
  readonly timeoutMs?: number;
}

/**
 * Connects to 127.0.0.1:port, writes `chunks` in order, and waits for one whole response, the
 * server closing the connection, or the time limit.
 */
export function rawExchange(port: number, chunks: readonly (string | Buffer)[], options: RawOptions = {}): Promise<RawExchange> {
  const { delayMs = 0, then = 'keep', timeoutMs = 5_000 } = options;
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = Buffer.alloc(0);
    let settled = false;
    let closedByUs = false;
    const finish = (closedByServer: boolean, timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      closedByUs = true;
      socket.destroy();
      const text = received.toString('latin1');
      resolve({ response: parseResponse(text), received: text, closedByServer, timedOut });
    };
    const timer = setTimeout(() => {
      finish(false, true);
    }, timeoutMs);
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (parseResponse(received.toString('latin1')) !== undefined) finish(false, false);
    });
    // A reset or a write after the server closed: the server ended the exchange.
    socket.on('error', () => {
      finish(!closedByUs, false);
    });
    socket.on('close', () => {
      finish(!closedByUs, false);
    });
    socket.on('connect', () => {
      void (async () => {
        for (const [index, chunk] of chunks.entries()) {
          if (index > 0 && delayMs > 0) await new Promise((wait) => setTimeout(wait, delayMs));
          if (settled || socket.destroyed) return;
          socket.write(chunk);
        }
        if (then === 'end') socket.end();
        if (then === 'destroy') {
          closedByUs = true;
          socket.destroy();
          finish(false, false);
        }
      })();
    });
  });
}

/** The first whole response in `text` (Content-Length or chunked), or undefined while incomplete. */
export function parseResponse(text: string): RawResponse | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine = '', ...headerLines] = text.slice(0, headEnd).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  if (status === undefined) return undefined;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = text.slice(headEnd + 4);
  const length = headers['content-length'];
  if (length !== undefined) {
    const bytes = Buffer.from(rest, 'latin1');
    if (bytes.length < Number(length)) return undefined;
    return { status: Number(status), headers, body: bytes.subarray(0, Number(length)).toString('utf8') };
  }
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    let body = '';
    for (let at = 0; ; ) {
      const lineEnd = rest.indexOf('\r\n', at);
      if (lineEnd === -1) return undefined;
      const size = parseInt(rest.slice(at, lineEnd), 16);
      if (Number.isNaN(size)) return undefined;
      if (size === 0) return { status: Number(status), headers, body: Buffer.from(body, 'latin1').toString('utf8') };
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
  // No length: a bodiless answer (204, 304) is whole at its head.
  return { status: Number(status), headers, body: '' };
}
