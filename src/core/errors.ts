/**
 * The one error registry. Every failure the mock reports goes through {@link MockError} with a
 * code from this table and reaches the wire as Pleo's `ExceptionInfo {type, message}` in one
 * place (src/server/error-handler.ts). The README's error table mirrors this data and a test
 * keeps the two in step.
 */

/** One entry of the error registry. */
export interface ErrorDefinition {
  /** HTTP status the error is answered with. */
  readonly status: number;
  /** Whether Pleo documents this `type` (false: a type of this mock, where Pleo documents no body). */
  readonly pleo: boolean;
  /** When the error happens. */
  readonly when: string;
  /** What a client should do about it. */
  readonly clientAction: string;
}

/** Every error type the mock answers, keyed by its stable `ExceptionInfo.type`. */
export const ERRORS = {
  EXPORT_NOT_FOUND: {
    status: 404,
    pleo: true,
    when: 'The jobId in the path (or body) names no export job.',
    clientAction: 'Do not retry; re-list jobs, the job id is wrong or belongs to another company.',
  },
  EXPORT_ENTRY_NOT_FOUND: {
    status: 404,
    pleo: true,
    when: 'No export job item of the company has this accounting entry (item look-up).',
    clientAction: 'Do not retry; the entry has not been queued for export in this company.',
  },
  EXPORT_ALREADY_IN_PROGRESS: {
    status: 409,
    pleo: true,
    when: 'A job is created for a company that already has a pending or in_progress job.',
    clientAction: 'Finish (or fail) the active job first, or wait for it to expire; then create the new one.',
  },
  INVALID_EXPORT_JOB_STATUS_CHANGE: {
    status: 422,
    pleo: true,
    when: 'An event the job\'s status does not allow: started on a job that is not pending, a completion event on a job that is not in_progress, any event on a finished job.',
    clientAction: 'Re-read the job and act on its actual status; never resend started when resuming an in_progress job.',
  },
  MISSING_CONTRA_ACCOUNTS: {
    status: 400,
    pleo: true,
    when: 'The company has not mapped its contra accounts, so its entries cannot be exported.',
    clientAction: 'Do not report item results; fail the job with a reason (or let it expire) and ask the bookkeeper to map the contra accounts in Pleo.',
  },
  EXPORT_JOB_ITEMS_UPDATE_LIMIT: {
    status: 413,
    pleo: true,
    when: 'An item update carries more than 100 items; nothing is applied.',
    clientAction: 'Split the update into batches of at most 100 items and send each.',
  },
  EXPORT_JOB_STATUS_UNPROCESSABLE: {
    status: 422,
    pleo: true,
    when: 'Items of a finished job (completed, completed_with_errors, failed) are updated, or its export items are read.',
    clientAction: 'Stop working on this job; it is finished. Re-read it to see why.',
  },
  INVALID_PARAMETER: {
    status: 400,
    pleo: false,
    when: 'A path or query parameter is malformed: not a uuid, not one of the enum values, a negative or non-integer number.',
    clientAction: 'Fix the named parameter; the message says what was expected.',
  },
  INVALID_PAGINATION: {
    status: 400,
    pleo: false,
    when: 'before, after and offset are combined, sorting_keys and sorting_order differ in length, or a sorting key is unknown or repeated.',
    clientAction: 'Send at most one of before/after/offset and one sorting_order per sorting_keys entry, using a documented key.',
  },
  INVALID_CURSOR: {
    status: 400,
    pleo: false,
    when: 'A before/after cursor does not decode, or was issued for another list or sort order.',
    clientAction: 'Use cursors only as returned (startCursor/endCursor) and with the same sorting; restart from the first page otherwise.',
  },
  INVALID_REQUEST_BODY: {
    status: 400,
    pleo: false,
    when: 'The body is not valid JSON or does not have the shape the operation requires (the message names the field).',
    clientAction: 'Fix the named field of the body.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    pleo: false,
    when: 'A body is sent with a Content-Type other than application/json (with or without charset).',
    clientAction: 'Send JSON bodies with Content-Type: application/json.',
  },
  MALFORMED_REQUEST: {
    status: 400,
    pleo: false,
    when: 'The request is not valid HTTP (a malformed request line or header, a body shorter than its Content-Length); the connection is closed after the answer.',
    clientAction: 'Fix the HTTP client; the request never reached an operation.',
  },
  REQUEST_HEADERS_TOO_LARGE: {
    status: 431,
    pleo: false,
    when: 'The request line and headers together exceed Node\'s limit (16 KiB): usually a huge query string.',
    clientAction: 'Send shorter URLs and headers; page with cursors instead of long parameter lists.',
  },
  REQUEST_BODY_TOO_LARGE: {
    status: 413,
    pleo: false,
    when: 'The body exceeds the server\'s byte limit (1 MiB by default).',
    clientAction: 'Send smaller requests; item updates are capped at 100 items anyway.',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    pleo: false,
    when: 'No operation of the Export API has this path.',
    clientAction: 'Check the path against /openapi.json (note the version prefix).',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    pleo: false,
    when: 'The path exists but not with this HTTP method.',
    clientAction: 'Use a method the path supports (listed in the Allow header).',
  },
  UNAUTHORIZED: {
    status: 401,
    pleo: false,
    when: 'With --auth wellformed or listed: the credential is missing, malformed, or (listed) not known.',
    clientAction: 'Send Authorization: Bearer <token>, or Basic base64("<api key>:"), with a credential the mock knows.',
  },
  FORBIDDEN: {
    status: 403,
    pleo: false,
    when: 'With --auth listed: the credential lacks the scope the operation needs (export-jobs:read, export-jobs:write or export-items:read).',
    clientAction: 'Use a credential with the named scope; do not retry with the same one.',
  },
  RATE_LIMITED: {
    status: 429,
    pleo: false,
    when: 'The tenant sent more requests per minute than --rate-limit allows (emulating pleo_rate_limit), or a fault rule injected a 429. Retry-After says how long to wait.',
    clientAction: 'Wait at least Retry-After seconds, then retry; give up after a bounded number of tries.',
  },
  BAD_GATEWAY: {
    status: 502,
    pleo: false,
    when: 'Injected by a fault rule: a proxy in front of Pleo failed.',
    clientAction: 'Retry with backoff; the request was not processed.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    pleo: false,
    when: 'Injected by a fault rule: the service is briefly unavailable.',
    clientAction: 'Retry with backoff (honour Retry-After when present); the request was not processed.',
  },
  INTERNAL_ERROR: {
    status: 500,
    pleo: false,
    when: 'A defect in the mock (never expected; please report it with the request), or a 500 injected by a fault rule.',
    clientAction: 'Retry with backoff; an injected 500 was not processed. Report any other to the mock\'s maintainers.',
  },
} as const satisfies Record<string, ErrorDefinition>;

/** A stable `ExceptionInfo.type` the mock can answer. */
export type ErrorCode = keyof typeof ERRORS;

/** Pleo's error body. */
export interface ExceptionInfo {
  readonly type: string;
  readonly message: string;
}

/** The one error type thrown anywhere in the mock for a failure a client caused or should see. */
export class MockError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'MockError';
    this.code = code;
  }

  /** HTTP status of this error, from the registry. */
  get status(): number {
    return ERRORS[this.code].status;
  }

  /** The wire body. */
  toExceptionInfo(): ExceptionInfo {
    return { type: this.code, message: this.message };
  }
}

/** The message Pleo answers for an unknown job (seed 000/003 examples). */
export const EXPORT_NOT_FOUND_MESSAGE = 'Export job not found.';

/** The 404 every job route answers for an unknown job. */
export function exportNotFound(): MockError {
  return new MockError('EXPORT_NOT_FOUND', EXPORT_NOT_FOUND_MESSAGE);
}
