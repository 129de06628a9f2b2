/**
 * Reading what a server answered, without trusting it: narrowing `unknown` JSON to the few wire
 * shapes the probes judge (ExceptionInfo, `{data: …}`), and phrasing what came back instead of
 * what was expected. Pure; no HTTP.
 */
import type { ExceptionInfo } from '../core/errors.js';
import { requestLine, type Exchange } from './server-http.js';

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as ExceptionInfo, when it has a string `type` (and `message`, empty if absent). */
export function readExceptionInfo(body: unknown): ExceptionInfo | undefined {
  if (!isRecord(body) || typeof body.type !== 'string') return undefined;
  return { type: body.type, message: typeof body.message === 'string' ? body.message : '' };
}

/** What is wrong with an error body as ExceptionInfo; empty when it is one. */
export function exceptionInfoProblems(body: unknown): string[] {
  if (!isRecord(body)) return [`the error body is not an object: ${shortJson(body)}`];
  const problems: string[] = [];
  if (typeof body.type !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(body.type)) problems.push(`the error type is not a SCREAMING_SNAKE string: ${shortJson(body.type)}`);
  if (typeof body.message !== 'string' || body.message.trim() === '') problems.push('the error has no message');
  const extra = Object.keys(body).filter((key) => key !== 'type' && key !== 'message');
  if (extra.length > 0) problems.push(`the error has fields beyond ExceptionInfo: ${extra.join(', ')}`);
  return problems;
}

/** `data` of a `{data: {...}}` body, when it is an object. */
export function readDataRecord(body: unknown): Record<string, unknown> | undefined {
  return isRecord(body) && isRecord(body.data) ? body.data : undefined;
}

/** An array field of a body (`data`, or `errors` of an item update), when it is an array. */
export function readDataArray(body: unknown, field: 'data' | 'errors' = 'data'): unknown[] | undefined {
  if (!isRecord(body)) return undefined;
  const value = body[field];
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

/**
 * How an answer reads after the request line in a problem: `answered 200`, `answered 404
 * EXPORT_NOT_FOUND`, `got no answer: timed out after 5000 ms`, `answered 200 with a body that is not JSON`.
 */
export function describeAnswer(exchange: Exchange): string {
  if (exchange.status === 0) return `got no answer: ${exchange.failure ?? 'unknown failure'}`;
  if (exchange.failure !== undefined) return `answered ${exchange.status}, then ${exchange.failure}`;
  if (exchange.jsonError !== undefined) return `answered ${exchange.status} with a body that is not JSON`;
  const info = exchange.status >= 400 ? readExceptionInfo(exchange.json) : undefined;
  return info === undefined ? `answered ${exchange.status}` : `answered ${exchange.status} ${info.type}`;
}

/**
 * Why an exchange is not the expected error answer (status, ExceptionInfo body and, when given,
 * its type); undefined when it is.
 */
export function errorAnswerProblem(exchange: Exchange, status: number, type?: string): string | undefined {
  const line = requestLine(exchange);
  if (exchange.status !== status || exchange.failure !== undefined) return `${line} ${describeAnswer(exchange)}`;
  if (exchange.jsonError !== undefined || exchange.text === '') return `${line} answered ${status} without a JSON body`;
  const problems = exceptionInfoProblems(exchange.json);
  const info = readExceptionInfo(exchange.json);
  if (type !== undefined && info?.type !== type) problems.unshift(`its type is ${shortJson(info?.type)}`);
  return problems.length === 0 ? undefined : `${line} answered ${status}, but ${problems.join('; ')}`;
}

/** Why an exchange is not a success with this status and a JSON body; undefined when it is. */
export function successAnswerProblem(exchange: Exchange, status: number): string | undefined {
  const line = requestLine(exchange);
  if (exchange.status !== status || exchange.failure !== undefined) return `${line} ${describeAnswer(exchange)}`;
  if (exchange.jsonError !== undefined) return `${line} answered ${status} with a body that is not JSON: ${exchange.jsonError}`;
  return undefined;
}

/** A value as a short JSON excerpt, for problems. */
export function shortJson(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length <= 120 ? text : `${text.slice(0, 120)}…`;
}
