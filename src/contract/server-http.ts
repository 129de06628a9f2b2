/**
 * The HTTP client of server mode. It never throws: a refused connection, a timeout, a dropped
 * response or a body that is not JSON all come back as an {@link Exchange} that says so, and
 * every exchange is kept, so the spec check and the evidence can cite it afterwards.
 */
import { Agent, request } from 'undici';
import type { RequestSummary } from './report.js';

/** Methods the probes use. */
export type ProbeMethod = 'GET' | 'POST' | 'PUT';

/** One request a probe made and what came back. */
export interface Exchange {
  readonly method: ProbeMethod;
  /** Path with query string, relative to the base URL. */
  readonly url: string;
  /** The JSON sent, serialised. */
  readonly requestBody: string | undefined;
  /** 0 when no HTTP answer arrived (see `failure`). */
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The parsed body; undefined when the body is empty or not JSON (see `jsonError`). */
  readonly json: unknown;
  /** Set when a non-empty body did not parse as JSON. */
  readonly jsonError: string | undefined;
  /** Set when no complete answer arrived: refused, timed out, reset. */
  readonly failure: string | undefined;
  /** Real time the request was sent, ISO 8601 with milliseconds. */
  readonly at: string;
}

/** Options of a {@link ProbeClient}. */
export interface ProbeClientOptions {
  readonly credential?: string | undefined;
  /** Per request, headers and body included. */
  readonly timeoutMs: number;
}

const EXCERPT = 300;

/**
 * Sends the probes' requests to one base URL and keeps every exchange, in order.
 * @example
 * const client = new ProbeClient('http://127.0.0.1:4010', { timeoutMs: 5000 });
 * const exchange = await client.get('/v3/export-jobs?limit=5');
 * await client.close();
 */
export class ProbeClient {
  private readonly log: Exchange[] = [];
  private readonly agent: Agent;
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly options: ProbeClientOptions,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    // An agent of our own, closed at the end of a run, so no keep-alive socket outlives it.
    this.agent = new Agent({ connect: { timeout: options.timeoutMs } });
  }

  /** Every exchange so far, oldest first. */
  get exchanges(): readonly Exchange[] {
    return this.log;
  }

  get(url: string): Promise<Exchange> {
    return this.send('GET', url, undefined);
  }

  post(url: string, json: unknown): Promise<Exchange> {
    return this.send('POST', url, JSON.stringify(json));
  }

  put(url: string, json: unknown): Promise<Exchange> {
    return this.send('PUT', url, JSON.stringify(json));
  }

  async close(): Promise<void> {
    try {
      await this.agent.close();
    } catch {
      // Closing is best effort: a run's result never depends on it.
    }
  }

  private async send(method: ProbeMethod, url: string, requestBody: string | undefined): Promise<Exchange> {
    const at = new Date().toISOString();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.credential !== undefined) headers.authorization = `Bearer ${this.options.credential}`;
    if (requestBody !== undefined) headers['content-type'] = 'application/json';
    const base = { method, url, requestBody, at };
    let exchange: Exchange;
    try {
      const response = await request(`${this.baseUrl}${url}`, {
        method,
        headers,
        body: requestBody,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const contentType = headerValue(response.headers['content-type']);
      let text: string;
      try {
        text = await response.body.text();
      } catch (error) {
        exchange = { ...base, status: response.statusCode, contentType, text: '', json: undefined, jsonError: undefined, failure: `the body did not arrive: ${describeError(error, this.options.timeoutMs)}` };
        this.log.push(exchange);
        return exchange;
      }
      const { json, jsonError } = parseJson(text);
      exchange = { ...base, status: response.statusCode, contentType, text, json, jsonError, failure: undefined };
    } catch (error) {
      exchange = { ...base, status: 0, contentType: '', text: '', json: undefined, jsonError: undefined, failure: describeError(error, this.options.timeoutMs) };
    }
    this.log.push(exchange);
    return exchange;
  }
}

function headerValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : value;
}

function parseJson(text: string): { json: unknown; jsonError: string | undefined } {
  if (text === '') return { json: undefined, jsonError: undefined };
  try {
    return { json: JSON.parse(text) as unknown, jsonError: undefined };
  } catch (error) {
    return { json: undefined, jsonError: error instanceof Error ? error.message : String(error) };
  }
}

/** A transport error in one phrase, with its code when Node gives one (ECONNREFUSED, …). */
export function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
    const code = errorCode(error) ?? errorCode(error.cause);
    const message = error.message === '' && error.cause instanceof Error ? error.cause.message : error.message;
    return code === undefined || message.includes(code) ? message : `${message} (${code})`;
  }
  return String(error);
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** The report's view of an exchange: the request, its status and short excerpts of both bodies. */
export function summarize(exchange: Exchange): RequestSummary {
  const response = exchange.failure ?? (exchange.text === '' ? undefined : excerpt(exchange.text));
  return {
    method: exchange.method,
    url: exchange.url,
    status: exchange.status,
    at: exchange.at,
    ...(exchange.requestBody === undefined ? {} : { body: excerpt(exchange.requestBody) }),
    ...(response === undefined ? {} : { response }),
  };
}

/** `GET /v3/export-jobs?limit=5`: how problems name a request. */
export function requestLine(exchange: Exchange): string {
  return `${exchange.method} ${exchange.url}`;
}

function excerpt(text: string): string {
  return text.length <= EXCERPT ? text : `${text.slice(0, EXCERPT)}… (${text.length} chars)`;
}
