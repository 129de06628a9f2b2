/**
 * The one place errors reach the wire: anything thrown while serving a request, by our code or
 * by Fastify's body parsing, becomes Pleo's `ExceptionInfo {type, message}` with the status of
 * its registry entry. Nothing a client sends may surface as a raw framework error or a 500.
 */
import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';
import { ERRORS, MockError, type ErrorCode } from '../core/errors.js';
import { noteResponseText } from './request-context.js';

/** Content type of every response, as the spec declares it. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Fastify's own client errors, by code, mapped onto the registry. */
const FASTIFY_ERRORS: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST_BODY',
  FST_ERR_BAD_URL: 'INVALID_PARAMETER',
  FST_ERR_MAX_PARAM_LENGTH: 'INVALID_PARAMETER',
};

/** Friendlier wording for Fastify's messages, which speak of its internals. */
const FASTIFY_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'body: Content-Type must be application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body: the request body is larger than the server accepts',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'body: its length does not match the Content-Length header',
  FST_ERR_BAD_URL: 'path: the URL is not validly percent-encoded',
  FST_ERR_MAX_PARAM_LENGTH: 'path: a path parameter is longer than the mock accepts',
};

/** Translates anything thrown into a MockError. Unknown errors become INTERNAL_ERROR. */
export function toMockError(error: unknown): MockError {
  if (error instanceof MockError) return error;
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    const mapped = code === undefined ? undefined : FASTIFY_ERRORS[code];
    if (code !== undefined && mapped !== undefined) return new MockError(mapped, FASTIFY_MESSAGES[code] ?? `request: ${error.message}`);
    // Any other client error Fastify raises (it sets a 4xx statusCode) is still the client's.
    const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) return new MockError('INVALID_REQUEST_BODY', `request: ${error.message}`);
  }
  return new MockError('INTERNAL_ERROR', 'The mock failed to handle this request; this is a defect of the mock.');
}

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (a malformed head, headers
 * over the size limit, a body cut short), as ExceptionInfo on the raw socket, then closes it.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const mockError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new MockError('REQUEST_HEADERS_TOO_LARGE', 'request: the request line and headers are larger than 16 KiB; send a shorter URL')
      : new MockError('MALFORMED_REQUEST', `request: not valid HTTP (${error.code ?? error.message})`);
  const body = JSON.stringify(mockError.toExceptionInfo());
  socket.end(
    `HTTP/1.1 ${ERRORS[mockError.code].status} ${mockError.code === 'REQUEST_HEADERS_TOO_LARGE' ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `content-type: ${JSON_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Writes an error as ExceptionInfo. */
export function sendError(reply: FastifyReply, error: MockError, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  return sendJson(reply, ERRORS[error.code].status, JSON.stringify(error.toExceptionInfo()), headers);
}

/**
 * Writes a JSON body, noting its text for the journal. Every answer with a body goes through
 * here (or is recorded directly, when cut off): the journal reads the text from the note rather
 * than from an onSend hook, which Fastify would run for every reply.
 */
export function sendJson(reply: FastifyReply, status: number, text: string, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  noteResponseText(reply.request, text);
  return reply.code(status).headers(headers).type(JSON_CONTENT_TYPE).send(text);
}
