/**
 * A compact, correct integration of Pleo's Export API (v3), written for the contract suite's own
 * tests and independent of examples/reference-integration.mjs. It follows Pleo's workflow:
 * resume in_progress jobs (no started), then claim pending jobs oldest first, one at a time; read
 * every page of a job's items and export items; report results in batches of at most 100 (an
 * export item with a line without an account is failed with missing_configuration); finish each
 * job with exactly one event. 429s wait Retry-After, 5xx / dropped connections / cut-off bodies
 * back off exponentially from 150 ms, and a request is attempted at most 6 times.
 *
 * `breakage` makes it a broken client that differs from the correct one by one behaviour, so the
 * tests can show that the suite catches each by the one check it breaks.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { ClientContext } from '../../../src/contract/client-process.js';

/** One wrong behaviour of a broken client (each described in {@link BREAKAGES}). */
export type Breakage =
  | 'first-page-only'
  | 'batches-of-150'
  | 'ignores-retry-after'
  | 'restarts-on-resume'
  | 'never-completes'
  | 'resends-successful'
  | 'no-backoff'
  | 'completes-despite-failures'
  | 'skips-validation'
  | 'retries-forever'
  | 'writes-when-idle'
  | 'newest-first';

/** Every breakage, with what the client does wrong. */
export const BREAKAGES: Readonly<Record<Breakage, string>> = {
  'first-page-only': 'reads only the first page of a job\'s export items; items without a payload are booked as successful',
  'batches-of-150': 'sends its first item update with up to 150 entries; on 413 it splits into batches of 100 and carries on',
  'ignores-retry-after': 'retries a 429 after 50 ms whatever Retry-After says',
  'restarts-on-resume': 'sends started to an in_progress job before resuming it (and ignores the 422)',
  'never-completes': 'reports every item but never sends completed / completed_with_errors',
  'resends-successful': 'reports every item of a job, those already successful included',
  'no-backoff': 'retries a 5xx, a dropped connection or a cut-off body at once',
  'completes-despite-failures': 'sends completed even when some items failed',
  'skips-validation': 'books an export item with a line without an account as successful',
  'retries-forever': 'retries a failing request without an attempt cap',
  'writes-when-idle': 'with nothing to export, sends started to a finished job',
  'newest-first': 'claims pending jobs newest first',
};

export interface TestIntegrationOptions {
  readonly breakage?: Breakage;
  /** One line per notable step (default: silent). */
  readonly log?: (line: string) => void;
}

/** Entries per item update. */
const BATCH_LIMIT = 100;
/** Rows asked per page: the contract mock's maximum page size. */
const PAGE_LIMIT = '50';
/** Attempts per request, the first one included. */
const MAX_ATTEMPTS = 6;
const BACKOFF_FIRST_MS = 150;
/** Connection errors (Node's and undici's) after which a request is retried. */
const CONNECTION_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** A 4xx answer (never retried), with its ExceptionInfo type. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(`${status} ${type}: ${message}`);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT';
type Query = Readonly<Record<string, string>>;
type Row = Readonly<Record<string, unknown>>;

interface ItemResult {
  readonly accountingEntryId: string;
  readonly status: 'successful' | 'failed';
  readonly externalId?: string;
  readonly failureReasonType?: string;
  readonly failureReason?: string;
}

function asRow(value: unknown): Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : {};
}

function text(row: Row, field: string): string {
  const value = row[field];
  return typeof value === 'string' ? value : '';
}

function connectionError(error: unknown): string | undefined {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) return code;
  }
  return undefined;
}

/** Retry-After in ms (seconds or an HTTP date); 1 s when missing or unreadable. */
function retryAfterMs(header: string | string[] | undefined): number {
  const value = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - Date.now());
}

/** The HTTP side: credential on every request, bounded retries, ExceptionInfo as ApiError. */
function createApi(context: ClientContext, breakage: Breakage | undefined, log: (line: string) => void) {
  const root = context.baseUrl.replace(/\/+$/, '');
  const agent = new Agent({ headersTimeout: 30_000, bodyTimeout: 30_000 });
  const maxAttempts = breakage === 'retries-forever' ? Number.POSITIVE_INFINITY : MAX_ATTEMPTS;
  const backoffMs = (attempt: number): number => (breakage === 'no-backoff' ? 0 : BACKOFF_FIRST_MS * 2 ** (attempt - 1));

  /** One attempt: the parsed body of a 2xx, an ApiError thrown for another 4xx, or why and how long to wait. */
  async function attemptOnce(method: Method, url: string, payload: string | undefined, attempt: number): Promise<{ body: unknown } | { retry: string; waitMs: number }> {
    const headers: Record<string, string> = { authorization: `Bearer ${context.credential}`, accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let raw: string;
    let retryAfter: string | string[] | undefined;
    try {
      const response = await request(url, { method, headers, body: payload, dispatcher: agent, signal: context.signal });
      status = response.statusCode;
      retryAfter = response.headers['retry-after'];
      try {
        raw = await response.body.text();
      } catch (error) {
        const code = connectionError(error);
        if (code === undefined) throw error;
        // An accepted event has no body to lose: it was processed, so it is not sent again.
        if (status === 202) return { body: undefined };
        return { retry: `${status} answer cut off (${code})`, waitMs: backoffMs(attempt) };
      }
    } catch (error) {
      const code = connectionError(error);
      if (code === undefined) throw error;
      return { retry: `connection dropped (${code})`, waitMs: backoffMs(attempt) };
    }
    if (status === 429) return { retry: '429', waitMs: breakage === 'ignores-retry-after' ? 50 : retryAfterMs(retryAfter) + 20 };
    if (status >= 500) return { retry: String(status), waitMs: backoffMs(attempt) };
    let body: unknown;
    try {
      body = raw === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      return { retry: `${status} answer is not JSON`, waitMs: backoffMs(attempt) };
    }
    if (status >= 200 && status < 300) return { body };
    const info = asRow(body);
    throw new ApiError(status, text(info, 'type') || 'UNKNOWN', text(info, 'message') || raw);
  }

  async function call(method: Method, path: string, query?: Query, body?: unknown): Promise<unknown> {
    const url = `${root}${path}${query === undefined ? '' : `?${new URLSearchParams(query).toString()}`}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await attemptOnce(method, url, payload, attempt);
      if ('body' in outcome) return outcome.body;
      if (attempt >= maxAttempts) throw new Error(`${method} ${path}: gave up after ${attempt} attempts (${outcome.retry})`);
      log(`${method} ${path}: ${outcome.retry}, retry in ${outcome.waitMs} ms`);
      await sleep(outcome.waitMs, undefined, { signal: context.signal });
    }
  }

  /** Pages of a list, following endCursor while hasNextPage is true. */
  async function* pages(path: string, query: Query): AsyncGenerator<Row[]> {
    let after: string | undefined;
    for (;;) {
      const page = asRow(await call('GET', path, after === undefined ? query : { ...query, after }));
      const data = page.data;
      if (!Array.isArray(data)) throw new Error(`GET ${path}: no data in the answer`);
      yield data.map(asRow);
      const pagination = asRow(page.pagination);
      if (pagination.hasNextPage !== true) return;
      after = text(pagination, 'endCursor');
      if (after === '') throw new Error(`GET ${path}: hasNextPage without an endCursor`);
    }
  }

  async function readAll(path: string, query: Query): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const data of pages(path, query)) rows.push(...data);
    return rows;
  }

  return {
    pages,
    readAll,
    post: (path: string, body: unknown) => call('POST', path, undefined, body),
    put: (path: string, body: unknown) => call('PUT', path, undefined, body),
    close: () => agent.close(),
  };
}

type Api = ReturnType<typeof createApi>;

/**
 * The integration as a contract client: `runContract({ client: testIntegration() })`, or
 * `testIntegration({ breakage: 'newest-first' })` for a broken one.
 */
export function testIntegration(options: TestIntegrationOptions = {}): (context: ClientContext) => Promise<void> {
  const { breakage, log = () => undefined } = options;
  const broken = (name: Breakage): boolean => breakage === name;

  async function event(api: Api, jobId: string, name: string, failure?: { type: string; reason: string }): Promise<void> {
    await api.post('/v3/export-job-events', { jobId, event: name, ...(failure === undefined ? {} : { failureReasonType: failure.type, failureReason: failure.reason }) });
  }

  /** Validates and books one item (the fake ERP books everything valid). */
  function result(accountingEntryId: string, exportItem: Row | undefined, voucher: number): ItemResult {
    if (exportItem === undefined && !broken('first-page-only')) {
      return { accountingEntryId, status: 'failed', failureReasonType: 'unexpected_failure', failureReason: 'Pleo returned no accounting data for this entry' };
    }
    const lines = exportItem?.accountingEntryLines;
    const unmapped = (Array.isArray(lines) ? lines.map(asRow) : []).filter((line) => line.account === null || line.account === undefined);
    if (unmapped.length > 0 && !broken('skips-validation')) {
      const failureReason = unmapped.map((line) => `Line ${text(line, 'accountingEntryLineId')} has no account mapped`).join('; ');
      return { accountingEntryId, status: 'failed', failureReasonType: 'missing_configuration', failureReason };
    }
    return { accountingEntryId, status: 'successful', externalId: `T-${voucher}` };
  }

  /** Reports results; the entries Pleo refused (errors[] of the 200) come back. */
  async function report(api: Api, jobId: string, results: readonly ItemResult[]): Promise<Set<string>> {
    const errors = asRow(await api.put(`/v3/export-jobs/${jobId}/items`, results)).errors;
    return new Set((Array.isArray(errors) ? errors : []).map((error) => text(asRow(error), 'accountingEntryId')));
  }

  /** Exports one job that is in_progress (claimed or resumed) to its end. */
  async function exportJob(api: Api, jobId: string): Promise<void> {
    const items = await api.readAll(`/v3/export-jobs/${jobId}/items`, { limit: PAGE_LIMIT });
    const statusOf = new Map(items.map((item) => [text(item, 'accountingEntryId'), text(item, 'status')]));
    const exportItems: Row[] = [];
    try {
      for await (const page of api.pages('/v3/export-items', { job_id: jobId, limit: PAGE_LIMIT })) {
        exportItems.push(...page);
        if (broken('first-page-only')) break;
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.type === 'MISSING_CONTRA_ACCOUNTS')) throw error;
      log(`job ${jobId}: contra accounts missing, failing it`);
      await event(api, jobId, 'failed', { type: 'missing_configuration', reason: 'The company\'s contra accounts are not mapped in Pleo: map them, then export again.' });
      return;
    }
    const exportItemOf = new Map(exportItems.map((exportItem) => [text(exportItem, 'accountingEntryId'), exportItem]));
    const toReport = items.filter((item) => broken('resends-successful') || text(item, 'status') !== 'successful');
    const results = toReport.map((item, index) => result(text(item, 'accountingEntryId'), exportItemOf.get(text(item, 'accountingEntryId')), index + 1));

    let start = 0;
    if (broken('batches-of-150') && results.length > 0) {
      const first = results.slice(0, 150);
      try {
        const refused = await report(api, jobId, first);
        for (const entry of first) statusOf.set(entry.accountingEntryId, refused.has(entry.accountingEntryId) ? 'failed' : entry.status);
        start = first.length;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 413)) throw error;
        log(`job ${jobId}: 413 for ${first.length} entries, splitting`);
      }
    }
    for (; start < results.length; start += BATCH_LIMIT) {
      const batch = results.slice(start, start + BATCH_LIMIT);
      const refused = await report(api, jobId, batch);
      for (const entry of batch) statusOf.set(entry.accountingEntryId, refused.has(entry.accountingEntryId) ? 'failed' : entry.status);
    }

    if (broken('never-completes')) return;
    const allSuccessful = [...statusOf.values()].every((status) => status === 'successful');
    await event(api, jobId, allSuccessful || broken('completes-despite-failures') ? 'completed' : 'completed_with_errors');
    log(`job ${jobId}: ${allSuccessful ? 'completed' : 'completed_with_errors'}`);
  }

  /** The first pending job (oldest first, or newest first when broken) this run has not seen. */
  async function nextPending(api: Api, seen: ReadonlySet<string>): Promise<string | undefined> {
    const query = { statuses: 'pending', sorting_keys: 'createdAt', sorting_order: broken('newest-first') ? 'DESC' : 'ASC', limit: PAGE_LIMIT };
    for await (const jobs of api.pages('/v3/export-jobs', query)) {
      const job = jobs.map((candidate) => text(candidate, 'id')).find((id) => !seen.has(id));
      if (job !== undefined) return job;
    }
    return undefined;
  }

  return async (context) => {
    const api = createApi(context, breakage, log);
    const seen = new Set<string>();
    try {
      for (const job of await api.readAll('/v3/export-jobs', { statuses: 'in_progress', limit: PAGE_LIMIT })) {
        const jobId = text(job, 'id');
        seen.add(jobId);
        if (broken('restarts-on-resume')) {
          try {
            await event(api, jobId, 'started');
          } catch (error) {
            if (!(error instanceof ApiError && error.status === 422)) throw error;
          }
        }
        await exportJob(api, jobId);
      }
      for (let jobId = await nextPending(api, seen); jobId !== undefined; jobId = await nextPending(api, seen)) {
        seen.add(jobId);
        try {
          await event(api, jobId, 'started');
        } catch (error) {
          // Another worker claimed it first, or it is gone: not ours.
          if (error instanceof ApiError && (error.status === 422 || error.status === 404)) continue;
          throw error;
        }
        await exportJob(api, jobId);
      }
      if (seen.size === 0 && broken('writes-when-idle')) {
        const [finished] = await api.readAll('/v3/export-jobs', { statuses: 'completed', limit: PAGE_LIMIT });
        if (finished !== undefined) {
          try {
            await event(api, text(finished, 'id'), 'started');
          } catch (error) {
            if (!(error instanceof ApiError && error.status === 422)) throw error;
          }
        }
      }
    } finally {
      await api.close();
    }
  };
}
