#!/usr/bin/env node
/**
 * Reference integration for Pleo's Export API (v3): exports every waiting export job the way
 * Pleo documents it. Copy it as a starting point and replace `book()` with your ERP.
 *
 *   PLEO_EXPORT_API_URL=http://127.0.0.1:4010 PLEO_EXPORT_API_TOKEN=my-token \
 *     node examples/reference-integration.mjs
 *
 * What a run does, top to bottom:
 *   1. Resume: every job already `in_progress` (a previous run crashed or was stopped) is carried
 *      on without sending `started` again.
 *   2. Queue: the oldest `pending` job is claimed with the event `started`, exported to its end,
 *      and the list is read again, until no pending job is left.
 *   3. For one job: read every page of its items (control data: what is still to do) and every
 *      page of its export items (the accounting data to book).
 *   4. Validate each entry, book it in the ERP, and report the results in batches of at most 100.
 *   5. Finish the job with exactly one event: `completed`, `completed_with_errors` or `failed`.
 *
 * Every request goes through one small helper, `createApiClient`, which sends the token, retries
 * what is safe to retry (429, 5xx, dropped connections, cut-off bodies) a bounded number of times,
 * and turns Pleo's error bodies (`{type, message}`) into `ApiError`s the workflow can act on.
 *
 * Exit codes: 0 done, 1 the run failed (one line on stderr), 2 missing configuration.
 * Needs Node.js 20 and `undici` (`npm install undici`).
 */
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL, URLSearchParams } from 'node:url';
import { Agent, request } from 'undici';

// ---------------------------------------------------------------------------------------------
// The shapes this program reads and writes (a subset of openapi/export-api.yaml).
// ---------------------------------------------------------------------------------------------

/**
 * An export job (`ExportJobV3`).
 * @typedef {object} ExportJob
 * @property {string} id
 * @property {string} companyId
 * @property {string} status pending | in_progress | completed | completed_with_errors | failed
 * @property {string} createdAt
 * @property {number} numberOfItems
 */

/**
 * One item of a job (`ExportJobItemV3`): control data, no accounting payload.
 * @typedef {object} ExportJobItem
 * @property {string} accountingEntryId
 * @property {string} status pending | in_progress | successful | failed | abandoned
 */

/**
 * One line of an accounting entry. `account` is null when no account is mapped.
 * @typedef {object} AccountingEntryLine
 * @property {string} accountingEntryLineId
 * @property {{ currency: string, value: number }} lineAmount
 * @property {{ id: string, name: string, code?: string | null } | null} [account]
 */

/**
 * The accounting payload of one entry (`ExportItemV3`), what the ERP books. Only the fields this
 * program looks at are listed; the real payload has many more (amounts, tax, vendor, files, ...).
 * @typedef {object} ExportItem
 * @property {string} accountingEntryId
 * @property {string} companyId
 * @property {string} date
 * @property {string} type
 * @property {AccountingEntryLine[]} accountingEntryLines
 */

/**
 * The result of one item, as `PUT /v3/export-jobs/{jobId}/items` takes it.
 * @typedef {object} ItemResult
 * @property {string} accountingEntryId
 * @property {'successful' | 'failed'} status
 * @property {string} [exportedAt]
 * @property {string} [externalId]
 * @property {string} [externalUrl]
 * @property {string} [failureReasonType]
 * @property {string} [failureReason]
 */

/**
 * What the ERP answers for a booked entry: its voucher (or document) number and a link to it.
 * @typedef {object} Booking
 * @property {string} externalId
 * @property {string} [externalUrl]
 */

/**
 * Books one entry in the ERP. Throw to refuse the entry (it is reported `failed`, with the
 * error's `failureReasonType` when it has one), or throw a `JobFailure` when nothing of the job
 * can be booked (e.g. the ERP rejects the credentials): the job is then failed as a whole.
 * Make it idempotent: after a crash between booking and reporting, a resumed run books the entry
 * again, so look it up in the ERP first (e.g. by `accountingEntryId`) and return that voucher.
 * @typedef {(exportItem: ExportItem) => Booking | Promise<Booking>} BookFunction
 */

/** @typedef {(line: string) => void} Logger */

/**
 * How one job ended for this run.
 * @typedef {object} JobOutcome
 * @property {string} jobId
 * @property {'completed' | 'completed_with_errors' | 'failed' | 'skipped' | 'stopped'} outcome
 *   `skipped`: another worker claimed it first; `stopped`: it expired or vanished while we worked.
 * @property {number} successful items reported successful by this run
 * @property {number} failed items reported failed (or refused by Pleo) by this run
 */

// ---------------------------------------------------------------------------------------------
// Limits.
// ---------------------------------------------------------------------------------------------

/** Page size we ask for. The server may clamp it, so we always follow cursors instead. */
const PAGE_LIMIT = 100;
/** Pleo refuses an item update of more than 100 entries (413 EXPORT_JOB_ITEMS_UPDATE_LIMIT). */
const UPDATE_BATCH_LIMIT = 100;
/** Attempts per request in total, the first one included. */
const MAX_ATTEMPTS = 6;
/** Exponential backoff for 5xx and connection problems: 200 ms, 400 ms, ... capped at 3 s. */
const BACKOFF_FIRST_MS = 200;
const BACKOFF_CAP_MS = 3000;
/** Wait after a 429 that does not say how long (Retry-After missing or unreadable). */
const DEFAULT_RETRY_AFTER_MS = 1000;

// ---------------------------------------------------------------------------------------------
// Errors.
// ---------------------------------------------------------------------------------------------

/** A 4xx answer from Pleo (never retried), carrying its ExceptionInfo `{type, message}`. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} type e.g. `EXPORT_NOT_FOUND`
   * @param {string} message
   */
  constructor(status, type, message) {
    super(`${status} ${type}: ${message}`);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
  }
}

/** Thrown by `book()` when the whole job cannot be exported; the job is then failed with this reason. */
export class JobFailure extends Error {
  /**
   * @param {string} failureReasonType an `ExportJobFailureReasonType`, e.g. `accounting_system_authentication_failure`
   * @param {string} message shown to the bookkeeper in Pleo
   */
  constructor(failureReasonType, message) {
    super(message);
    this.name = 'JobFailure';
    this.failureReasonType = failureReasonType;
  }
}

/**
 * @param {unknown} error
 * @param {...string} types
 * @returns {error is ApiError}
 */
function isApiError(error, ...types) {
  return error instanceof ApiError && types.includes(error.type);
}

// ---------------------------------------------------------------------------------------------
// The HTTP helper: every request of the run goes through it.
// ---------------------------------------------------------------------------------------------

/** Error codes of a connection that failed or dropped (Node's and undici's). Safe to retry. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/**
 * @param {unknown} error
 * @returns {string | undefined} the error code when it is a connection problem
 */
function connectionErrorCode(error) {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = /** @type {{ code?: unknown }} */ (cause).code;
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return code;
  }
  return undefined;
}

/**
 * Backoff before attempt `attempt + 1`: doubling from 200 ms, capped at 3 s, with ±25 % jitter so
 * many clients do not retry in step.
 * @param {number} attempt the attempt that just failed (1-based)
 */
function backoffMs(attempt) {
  const base = BACKOFF_FIRST_MS * 2 ** (attempt - 1);
  return Math.round(Math.min(BACKOFF_CAP_MS, base * (0.75 + Math.random() * 0.5)));
}

/**
 * `Retry-After` in milliseconds: integer seconds or an HTTP-date; undefined when absent or unreadable.
 * @param {string | string[] | undefined} header
 */
function retryAfterMs(header) {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A client for one base URL and token.
 * @param {{ baseUrl: string, token: string, log: Logger }} options
 */
function createApiClient({ baseUrl, token, log }) {
  const root = baseUrl.replace(/\/+$/, '');
  // Our own connection pool, closed at the end of the run (so a CLI run exits at once).
  const agent = new Agent({ headersTimeout: 30_000, bodyTimeout: 30_000 });

  /**
   * One attempt. Answers the parsed body of a 2xx, throws ApiError for another 4xx, or says why
   * and how long to wait before the next attempt.
   * @param {string} method
   * @param {string} url
   * @param {string | undefined} payload
   * @param {number} attempt
   * @returns {Promise<{ body: unknown } | { retry: string, waitMs: number }>}
   */
  async function attemptOnce(method, url, payload, attempt) {
    /** @type {Record<string, string>} */
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';

    let response;
    try {
      response = await request(url, { method: /** @type {'GET' | 'POST' | 'PUT'} */ (method), headers, body: payload, dispatcher: agent });
    } catch (error) {
      const code = connectionErrorCode(error);
      if (code === undefined) throw error;
      return { retry: `connection failed (${code})`, waitMs: backoffMs(attempt) };
    }

    const status = response.statusCode;
    let text;
    try {
      text = await response.body.text();
    } catch (error) {
      const code = connectionErrorCode(error);
      if (code === undefined) throw error;
      // A 202 (an accepted event) has no body to lose: the request was processed. Sending the
      // event again would only answer 422, so take the 202 as it is.
      if (status === 202) return { body: undefined };
      return { retry: `connection dropped while reading a ${status} answer (${code})`, waitMs: backoffMs(attempt) };
    }

    // Rate limited: wait at least what the server asks for (plus a little jitter).
    if (status === 429) {
      const waitMs = (retryAfterMs(response.headers['retry-after']) ?? DEFAULT_RETRY_AFTER_MS) + Math.round(Math.random() * 100);
      return { retry: 'rate limited (429)', waitMs };
    }
    // Server errors were not processed: back off, honouring Retry-After when it is longer.
    if (status >= 500) {
      const waitMs = Math.max(backoffMs(attempt), retryAfterMs(response.headers['retry-after']) ?? 0);
      return { retry: `server error ${status}`, waitMs };
    }

    let body;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return { retry: `${status} answer whose body is not valid JSON (cut off?)`, waitMs: backoffMs(attempt) };
    }
    if (status >= 200 && status < 300) return { body };
    const info = /** @type {{ type?: unknown, message?: unknown }} */ (body ?? {});
    throw new ApiError(status, typeof info.type === 'string' ? info.type : 'UNKNOWN', typeof info.message === 'string' ? info.message : text);
  }

  /**
   * Sends a request, retrying up to MAX_ATTEMPTS in total. A retry sends exactly the same body.
   * @param {'GET' | 'POST' | 'PUT'} method
   * @param {string} path e.g. `/v3/export-jobs`
   * @param {{ query?: Record<string, string>, body?: unknown }} [options]
   * @returns {Promise<any>} the parsed response body (undefined for a 202)
   */
  async function call(method, path, { query, body } = {}) {
    const url = `${root}${path}${query === undefined ? '' : `?${new URLSearchParams(query).toString()}`}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await attemptOnce(method, url, payload, attempt);
      if ('body' in outcome) return outcome.body;
      if (attempt === MAX_ATTEMPTS) {
        throw new Error(`${method} ${path}: gave up after ${MAX_ATTEMPTS} attempts (last: ${outcome.retry})`);
      }
      log(`${method} ${path}: ${outcome.retry}; retrying in ${outcome.waitMs} ms (attempt ${attempt + 1} of ${MAX_ATTEMPTS})`);
      await sleep(outcome.waitMs);
    }
  }

  /**
   * Every page of a list, one page at a time: follows `endCursor` until `hasNextPage` is false.
   * @param {string} path
   * @param {Record<string, string>} query
   * @returns {AsyncGenerator<any[]>}
   */
  async function* pages(path, query) {
    /** @type {string | undefined} */
    let after;
    for (;;) {
      const page = await call('GET', path, { query: after === undefined ? query : { ...query, after } });
      yield page.data;
      if (page.pagination.hasNextPage !== true) return;
      after = page.pagination.endCursor;
      if (typeof after !== 'string') throw new Error(`GET ${path}: hasNextPage is true but there is no endCursor`);
    }
  }

  /**
   * Every row of a list.
   * @param {string} path
   * @param {Record<string, string>} query
   */
  async function readAll(path, query) {
    const rows = [];
    for await (const data of pages(path, query)) rows.push(...data);
    return rows;
  }

  return {
    /** @param {string} path @param {Record<string, string>} [query] */
    get: (path, query) => call('GET', path, { query }),
    /** @param {string} path @param {unknown} body */
    post: (path, body) => call('POST', path, { body }),
    /** @param {string} path @param {unknown} body */
    put: (path, body) => call('PUT', path, { body }),
    pages,
    readAll,
    close: () => agent.close(),
  };
}

/** @typedef {ReturnType<typeof createApiClient>} ApiClient */

// ---------------------------------------------------------------------------------------------
// The workflow.
// ---------------------------------------------------------------------------------------------

/**
 * Exports every job waiting for this integration: first the ones left in progress, then the
 * queue of pending ones, oldest first, one at a time.
 * @param {object} options
 * @param {string} options.baseUrl e.g. `https://external.pleo.io` or a mock's URL
 * @param {string} options.token sent as `Authorization: Bearer <token>`
 * @param {Logger} [options.log] one line per call; stderr by default
 * @param {BookFunction} [options.book] the ERP booking step; a fake ERP by default
 * @returns {Promise<{ jobs: JobOutcome[] }>} how each job this run touched ended
 */
export async function runExport({ baseUrl, token, log = logToStderr, book = createFakeErp().book }) {
  const api = createApiClient({ baseUrl, token, log });
  /** @type {JobOutcome[]} */
  const outcomes = [];
  /** Jobs this run has already dealt with, so a job is never picked twice. */
  const seen = new Set();
  try {
    // 1. Resume what a previous run left in progress. Never send `started` again for these.
    const inProgress = /** @type {ExportJob[]} */ (await api.readAll('/v3/export-jobs', { statuses: 'in_progress', limit: String(PAGE_LIMIT) }));
    for (const job of inProgress) {
      seen.add(job.id);
      log(`job ${job.id}: resuming (in_progress, ${job.numberOfItems} items)`);
      outcomes.push(await exportJob(api, job, { book, log }));
    }

    // 2. The queue: claim the oldest pending job, export it to its end, then look again (new
    //    jobs may have arrived meanwhile), until no pending job is left.
    for (;;) {
      const job = await oldestPendingJob(api, seen);
      if (job === undefined) break;
      seen.add(job.id);
      if (!(await claim(api, job, log))) {
        outcomes.push({ jobId: job.id, outcome: 'skipped', successful: 0, failed: 0 });
        continue;
      }
      outcomes.push(await exportJob(api, job, { book, log }));
    }
  } finally {
    await api.close();
  }
  log(outcomes.length === 0 ? 'nothing to export' : `done: ${outcomes.map((o) => `${o.jobId} ${o.outcome}`).join(', ')}`);
  return { jobs: outcomes };
}

/**
 * The oldest pending job not seen yet by this run, or undefined.
 * @param {ApiClient} api
 * @param {Set<string>} seen
 * @returns {Promise<ExportJob | undefined>}
 */
async function oldestPendingJob(api, seen) {
  const query = { statuses: 'pending', sorting_keys: 'createdAt', sorting_order: 'ASC', limit: String(PAGE_LIMIT) };
  for await (const jobs of api.pages('/v3/export-jobs', query)) {
    const job = /** @type {ExportJob[]} */ (jobs).find((candidate) => !seen.has(candidate.id));
    if (job !== undefined) return job;
  }
  return undefined;
}

/**
 * Claims a pending job with the event `started`. False when another worker was faster (422) or
 * the job is gone (404): it is then not ours to export.
 * @param {ApiClient} api
 * @param {ExportJob} job
 * @param {Logger} log
 */
async function claim(api, job, log) {
  try {
    await api.post('/v3/export-job-events', { jobId: job.id, event: 'started' });
    log(`job ${job.id}: claimed (${job.numberOfItems} items)`);
    return true;
  } catch (error) {
    if (!isApiError(error, 'INVALID_EXPORT_JOB_STATUS_CHANGE', 'EXPORT_NOT_FOUND')) throw error;
    log(`job ${job.id}: skipped, it is no longer pending (${error.type})`);
    return false;
  }
}

/**
 * Exports one claimed (in_progress) job to its end.
 * @param {ApiClient} api
 * @param {ExportJob} job
 * @param {{ book: BookFunction, log: Logger }} options
 * @returns {Promise<JobOutcome>}
 */
async function exportJob(api, job, { book, log }) {
  let successful = 0;
  let failed = 0;
  try {
    // 3a. Control data: every item and its status. Items already `successful` are done for
    //     good; `pending`, `in_progress` and `failed` ones are (re)booked.
    const items = /** @type {ExportJobItem[]} */ (await api.readAll(`/v3/export-jobs/${job.id}/items`, { limit: String(PAGE_LIMIT) }));
    /** The status of every item as far as we know: what decides the final event. */
    const statusOf = new Map(items.map((item) => [item.accountingEntryId, item.status]));

    // 3b. Accounting data: every export item of the job, by accounting entry.
    let exportItems;
    try {
      exportItems = /** @type {ExportItem[]} */ (await api.readAll('/v3/export-items', { job_id: job.id, limit: String(PAGE_LIMIT) }));
    } catch (error) {
      // Without contra accounts nothing of the company can be booked: report no item, fail the job.
      if (!isApiError(error, 'MISSING_CONTRA_ACCOUNTS')) throw error;
      return await failJob(api, job, 'missing_configuration',
        'The company\'s contra accounts are not mapped in Pleo. Ask a bookkeeper to map the contra accounts, then export again.', log);
    }
    const exportItemOf = new Map(exportItems.map((exportItem) => [exportItem.accountingEntryId, exportItem]));

    const toExport = items.filter((item) => item.status === 'pending' || item.status === 'in_progress' || item.status === 'failed');
    log(`job ${job.id}: ${items.length} items, ${toExport.length} to export`);

    // 4. Book, then report, at most 100 entries at a time: a crash loses at most one batch of
    //    reports, and a resumed run skips everything already reported successful.
    for (let start = 0; start < toExport.length; start += UPDATE_BATCH_LIMIT) {
      /** @type {ItemResult[]} */
      const results = [];
      /** @type {JobFailure | undefined} */
      let jobFailure;
      for (const item of toExport.slice(start, start + UPDATE_BATCH_LIMIT)) {
        try {
          results.push(await exportOne(item, exportItemOf.get(item.accountingEntryId), book));
        } catch (error) {
          if (!(error instanceof JobFailure)) throw error;
          jobFailure = error;
          break;
        }
      }

      // 5. Report the batch. Entries Pleo could not apply come back in `errors[]`: they are
      //    not successful.
      if (results.length > 0) {
        const rejected = await reportResults(api, job, results, log);
        for (const result of results) {
          const status = rejected.has(result.accountingEntryId) ? 'failed' : result.status;
          statusOf.set(result.accountingEntryId, status);
          if (status === 'successful') successful += 1;
          else failed += 1;
        }
      }
      if (jobFailure !== undefined) {
        const outcome = await failJob(api, job, jobFailure.failureReasonType, jobFailure.message, log);
        return { ...outcome, successful, failed };
      }
    }

    // 6. Finish with one event: `completed` only when every item of the job is successful.
    const event = [...statusOf.values()].every((status) => status === 'successful') ? 'completed' : 'completed_with_errors';
    await api.post('/v3/export-job-events', { jobId: job.id, event });
    log(`job ${job.id}: ${event} (${successful} successful, ${failed} failed in this run)`);
    return { jobId: job.id, outcome: event, successful, failed };
  } catch (error) {
    // The job expired (one hour after its last action) or vanished while we worked on it:
    // nothing more can be done for it. Go on with the next one.
    if (!isApiError(error, 'EXPORT_JOB_STATUS_UNPROCESSABLE', 'EXPORT_NOT_FOUND', 'INVALID_EXPORT_JOB_STATUS_CHANGE')) throw error;
    log(`job ${job.id}: stopped, the job expired or vanished (${error.type})`);
    return { jobId: job.id, outcome: 'stopped', successful, failed };
  }
}

/**
 * Validates and books one entry, and says how it went.
 * @param {ExportJobItem} item
 * @param {ExportItem | undefined} exportItem its accounting data
 * @param {BookFunction} book
 * @returns {Promise<ItemResult>}
 */
async function exportOne(item, exportItem, book) {
  const accountingEntryId = item.accountingEntryId;
  if (exportItem === undefined) {
    return { accountingEntryId, status: 'failed', failureReasonType: 'unexpected_failure', failureReason: 'Pleo returned no accounting data for this entry' };
  }

  // Pre-booking validation: a line without an account cannot be booked.
  const unmapped = exportItem.accountingEntryLines.filter((line) => line.account == null);
  if (unmapped.length > 0) {
    const failureReason = unmapped.map((line) => `Line ${line.accountingEntryLineId} has no account mapped`).join('; ');
    return { accountingEntryId, status: 'failed', failureReasonType: 'missing_configuration', failureReason };
  }

  try {
    const booking = await book(exportItem);
    return { accountingEntryId, status: 'successful', externalId: booking.externalId, externalUrl: booking.externalUrl, exportedAt: new Date().toISOString() };
  } catch (error) {
    if (error instanceof JobFailure) throw error;
    const reasonType = /** @type {{ failureReasonType?: unknown }} */ (error).failureReasonType;
    return {
      accountingEntryId,
      status: 'failed',
      failureReasonType: typeof reasonType === 'string' ? reasonType : 'unexpected_failure',
      failureReason: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * Reports up to 100 results. Returns the accounting entries Pleo refused (`errors[]` of the 200).
 * @param {ApiClient} api
 * @param {ExportJob} job
 * @param {ItemResult[]} results
 * @param {Logger} log
 * @returns {Promise<Set<string>>}
 */
async function reportResults(api, job, results, log) {
  const answer = /** @type {{ errors?: { accountingEntryId: string, type: string, message: string }[] }} */ (
    await api.put(`/v3/export-jobs/${job.id}/items`, results)
  );
  const errors = answer.errors ?? [];
  for (const error of errors) log(`job ${job.id}: item ${error.accountingEntryId} not updated: ${error.type} ${error.message}`);
  return new Set(errors.map((error) => error.accountingEntryId));
}

/**
 * Fails a job that cannot be exported at all, with a reason the bookkeeper sees in Pleo.
 * @param {ApiClient} api
 * @param {ExportJob} job
 * @param {string} failureReasonType
 * @param {string} failureReason
 * @param {Logger} log
 * @returns {Promise<JobOutcome>}
 */
async function failJob(api, job, failureReasonType, failureReason, log) {
  await api.post('/v3/export-job-events', { jobId: job.id, event: 'failed', failureReasonType, failureReason });
  log(`job ${job.id}: failed (${failureReasonType}: ${failureReason})`);
  return { jobId: job.id, outcome: 'failed', successful: 0, failed: 0 };
}

// ---------------------------------------------------------------------------------------------
// The ERP. Replace this with your own client.
// ---------------------------------------------------------------------------------------------

/**
 * A fake ERP that books everything: voucher numbers `V-1001`, `V-1002`, ... and a link to each.
 * @param {{ firstVoucher?: number, url?: string }} [options]
 * @returns {{ book: BookFunction }}
 */
export function createFakeErp({ firstVoucher = 1001, url = 'https://erp.example.com/vouchers' } = {}) {
  let next = firstVoucher;
  return {
    book() {
      const externalId = `V-${next}`;
      next += 1;
      return { externalId, externalUrl: `${url}/${externalId}` };
    },
  };
}

/** @type {Logger} */
function logToStderr(line) {
  process.stderr.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// Command line: runs only when this file is the program (not when it is imported).
// ---------------------------------------------------------------------------------------------

async function main() {
  const baseUrl = process.env.PLEO_EXPORT_API_URL;
  const token = process.env.PLEO_EXPORT_API_TOKEN;
  if (baseUrl === undefined || baseUrl === '' || token === undefined || token === '') {
    process.stderr.write('reference-integration: set PLEO_EXPORT_API_URL and PLEO_EXPORT_API_TOKEN\n');
    return 2;
  }
  try {
    await runExport({ baseUrl, token });
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`reference-integration: ${message.replace(/\s+/g, ' ')}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
