/**
 * The checks of client mode: each judges, from what the mock observed (the tenant's request
 * journal and its state before and after), one rule of Pleo's export workflow. Pure functions of
 * the observations; each has a stable name, a one-line rule, a hint, and returns evidence: the
 * offending requests and what was expected instead.
 *
 * Each check judges its own rule only, so a client that breaks one rule fails one check: e.g.
 * `items-finished` looks at jobs the client completed, not at jobs it never finished (that is
 * `finishes-work`).
 */
import {
  asRecord,
  attemptKey,
  errorType,
  eventOf,
  excerpt,
  FINAL_EVENTS,
  isItemUpdate,
  isRetryableFailure,
  isWrite,
  jobsById,
  pageInfo,
  pathJobId,
  queryJobId,
  refusedEntries,
  summarize,
  updateEntries,
  wallMs,
  type ObservedJob,
  type ObservedRequest,
  type ObservedState,
} from './observations.js';
import type { CheckResult, ClientRun, Evidence } from './report.js';
import type { ContractScenario } from './scenarios.js';

/** Everything a check may look at. */
export interface JudgeContext {
  readonly scenario: ContractScenario;
  /** The tenant's state before the client ran (every item listed). */
  readonly initial: ObservedState;
  /** The tenant's state after. */
  readonly final: ObservedState;
  /** The tenant's journal of the run, oldest first. */
  readonly requests: readonly ObservedRequest[];
  /** Requests that reached the mock without the scenario's credential (the default tenant's journal). */
  readonly strays: readonly ObservedRequest[];
  readonly client: ClientRun;
  readonly timeLimitMs: number;
}

/** A check: its identity and its judgement (evidence, or why it does not apply). */
export interface Check {
  readonly name: string;
  readonly rule: string;
  readonly hint: string;
  readonly judge: (context: JudgeContext) => readonly Evidence[] | { readonly skip: string };
}

/** Evidence shown per failed check, at most. */
const MAX_EVIDENCE = 5;

/** Retries of one request a client may make after failures (attempts = retries + 1). */
export const MAX_RETRIES = 5;

/** Least wait before retrying after a 5xx or a dropped connection to count as backoff. */
export const MIN_BACKOFF_MS = 50;

/** Slack on Retry-After, for clocks and timers. */
const RETRY_AFTER_SLACK_MS = 50;

/** Error types that mean the request itself was malformed (spec-invalid). */
const INVALID_REQUEST_TYPES = new Set([
  'INVALID_PARAMETER',
  'INVALID_PAGINATION',
  'INVALID_CURSOR',
  'INVALID_REQUEST_BODY',
  'UNSUPPORTED_MEDIA_TYPE',
  'REQUEST_BODY_TOO_LARGE',
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
]);

/** Failure reason types that fit an item whose lines have no account. */
export const FITTING_MISSING_ACCOUNT_REASONS: readonly string[] = ['missing_configuration', 'account_unknown', 'validation_failure', 'invalid_configuration'];

/** Jobs that were pending or in_progress at the start. */
function activeAtStart(context: JudgeContext): ObservedJob[] {
  return (context.initial.jobs ?? []).filter((job) => job.status === 'pending' || job.status === 'in_progress');
}

/** Accepted (202) events, oldest first. */
function acceptedEvents(context: JudgeContext): { request: ObservedRequest; jobId: string; event: string }[] {
  return context.requests.flatMap((request) => {
    const event = eventOf(request);
    return event !== undefined && request.status === 202 ? [{ request, jobId: event.jobId, event: event.event }] : [];
  });
}

/** Item updates that were applied (200), oldest first. */
function appliedUpdates(context: JudgeContext): ObservedRequest[] {
  return context.requests.filter((request) => isItemUpdate(request) && request.status === 200);
}

/** Jobs the client worked on: claimed, reported items for, or sent a final event to. */
function workedJobs(context: JudgeContext): Set<string> {
  const jobs = new Set<string>();
  for (const { jobId, event } of acceptedEvents(context)) if (event === 'started' || FINAL_EVENTS.includes(event)) jobs.add(jobId);
  for (const request of appliedUpdates(context)) {
    const jobId = pathJobId(request);
    if (jobId !== undefined) jobs.add(jobId);
  }
  return jobs;
}

const exitCleanly: Check = {
  name: 'exit-cleanly',
  rule: 'The client exits with code 0 within its time limit.',
  hint: 'Make the client finish its work and exit 0; exit non-zero only when it could not do its job.',
  judge: ({ client, timeLimitMs }) => {
    if (client.timedOut) return [{ problem: `still running after the time limit of ${timeLimitMs / 1000} s; it was stopped`, expected: 'exit within the time limit', requests: [] }];
    if (client.exitCode !== 0) return [{ problem: `exited with code ${String(client.exitCode)}${client.output === '' ? '' : `: ${client.output.split('\n').slice(-3).join(' | ')}`}`, expected: 'exit code 0', requests: [] }];
    return [];
  },
};

const validRequests: Check = {
  name: 'valid-requests',
  rule: 'Every request is valid against the spec: known path and method, well-formed parameters and body.',
  hint: 'Compare the refused request with openapi/export-api.yaml (served at /openapi.json); the mock\'s message names the parameter or field.',
  judge: ({ requests }) =>
    requests
      .filter((request) => request.status >= 400 && request.status < 500 && INVALID_REQUEST_TYPES.has(errorType(request) ?? ''))
      .map((request) => ({
        problem: `${errorType(request) ?? 'refused'}: ${excerpt(asRecord(request.responseBody).message ?? '')}`,
        expected: 'a request the spec allows',
        requests: [summarize(request, { body: true })],
      })),
};

const credentials: Check = {
  name: 'credentials',
  rule: 'Every request carries the credential (Authorization: Bearer <token>, or Basic with the API key).',
  hint: 'Send the Authorization header on every call, retries included.',
  judge: ({ strays }) =>
    strays.length === 0
      ? []
      : [{ problem: `${strays.length} request(s) arrived without the scenario's credential`, expected: 'Authorization on every request', requests: strays.slice(0, MAX_EVIDENCE).map((request) => summarize(request)) }],
};

const claimBeforeUpdate: Check = {
  name: 'claim-before-update',
  rule: 'A pending job is claimed with a started event before its items are updated or it is completed.',
  hint: 'POST /v3/export-job-events {jobId, event: "started"} and wait for 202 before reporting items.',
  judge: (context) => {
    const pendingAtStart = new Set((context.initial.jobs ?? []).filter((job) => job.status === 'pending').map((job) => job.id.toLowerCase()));
    const claimed = new Set<string>();
    const evidence: Evidence[] = [];
    for (const request of context.requests) {
      const event = eventOf(request);
      if (event?.event === 'started' && request.status === 202) claimed.add(event.jobId);
      const jobId = isItemUpdate(request) ? pathJobId(request) : event !== undefined && event.event !== 'started' && event.event !== 'failed' ? event.jobId : undefined;
      if (jobId !== undefined && pendingAtStart.has(jobId) && !claimed.has(jobId)) {
        evidence.push({ problem: `job ${jobId} was ${isItemUpdate(request) ? 'updated' : `sent ${event?.event ?? 'an event'}`} before it was claimed`, expected: 'an accepted started event first', requests: [summarize(request)] });
      }
    }
    return evidence;
  },
};

/**
 * Every page walk reaches its end: each page answered with hasNextPage: true is followed by a
 * request for the page after its endCursor. Judged per job for its items and its export items.
 */
const readEveryPage: Check = {
  name: 'read-every-page',
  rule: 'Every page of a job\'s items and of its export items is read: endCursor followed until hasNextPage is false.',
  hint: 'Loop on GET …?after=<endCursor> while pagination.hasNextPage is true; the server may return fewer rows than the limit asked for.',
  judge: (context) => {
    const evidence: Evidence[] = [];
    const worked = workedJobs(context);
    const lists: { kind: string; operations: readonly string[]; jobOf: (request: ObservedRequest) => string | undefined }[] = [
      { kind: 'items', operations: ['getExportJobItemsV3', 'getExportJobItemsV2'], jobOf: pathJobId },
      { kind: 'export items', operations: ['getExportItemsV3', 'getExportItemsV2'], jobOf: queryJobId },
    ];
    for (const jobId of worked) {
      for (const list of lists) {
        const pages = context.requests.filter((request) => request.status === 200 && list.operations.includes(request.operationId ?? '') && list.jobOf(request) === jobId);
        const refused = context.requests.some((request) => list.operations.includes(request.operationId ?? '') && list.jobOf(request) === jobId && request.status >= 400 && request.status < 500);
        if (pages.length === 0) {
          // A job whose export items are refused (contra accounts, finished) cannot be read.
          if (!refused) evidence.push({ problem: `the ${list.kind} of job ${jobId} were never read`, expected: `every page of the job's ${list.kind} read before reporting results`, requests: [] });
          continue;
        }
        const requested = new Set(pages.flatMap((request) => request.query.after ?? []));
        for (const page of pages) {
          const info = pageInfo(page);
          if (info?.hasNextPage === true && info.endCursor !== undefined && !requested.has(info.endCursor)) {
            evidence.push({ problem: `a page of the ${list.kind} of job ${jobId} said hasNextPage: true, and the page after its endCursor was never requested`, expected: `GET … after=${info.endCursor}`, requests: [summarize(page)] });
          }
        }
      }
    }
    return evidence;
  },
};

const batchLimit: Check = {
  name: 'batch-limit',
  rule: 'No item update carries more than 100 items.',
  hint: 'Split results into batches of at most 100 per PUT /v3/export-jobs/{jobId}/items.',
  judge: ({ requests }) =>
    requests
      .filter((request) => isItemUpdate(request) && Array.isArray(request.body) && request.body.length > 100)
      .map((request) => ({ problem: `an item update of ${Array.isArray(request.body) ? request.body.length : 0} items (answered ${request.status})`, expected: 'at most 100 items per PUT', requests: [summarize(request)] })),
};

const itemsFinished: Check = {
  name: 'items-finished',
  rule: 'When a client completes a job, every item of the job is successful or failed.',
  hint: 'Report a result for every item (failed with a reason when it cannot be booked) before sending completed or completed_with_errors.',
  judge: (context) => {
    const finalJobs = jobsById(context.final);
    const evidence: Evidence[] = [];
    for (const { request, jobId, event } of acceptedEvents(context)) {
      if (event !== 'completed' && event !== 'completed_with_errors') continue;
      const open = (finalJobs.get(jobId)?.items ?? []).filter((item) => item.status !== 'successful' && item.status !== 'failed');
      if (open.length > 0) {
        evidence.push({
          problem: `job ${jobId} was completed with ${open.length} item(s) neither successful nor failed (e.g. ${open.slice(0, 3).map((item) => `${item.accountingEntryId}: ${item.status}`).join(', ')})`,
          expected: 'a result for every item before the completion event',
          requests: [summarize(request, { body: true })],
        });
      }
    }
    return evidence;
  },
};

const noResendSuccessful: Check = {
  name: 'no-resend-successful',
  rule: 'An item that is already successful is never reported again.',
  hint: 'Read the job\'s items first and skip those whose status is successful; only pending (and failed, to retry) items need a result.',
  judge: (context) => {
    // Replays the applied updates over the initial statuses.
    const status = new Map<string, string>();
    for (const job of context.initial.jobs ?? []) for (const item of job.items ?? []) status.set(`${job.id.toLowerCase()}/${item.accountingEntryId.toLowerCase()}`, item.status);
    const evidence: Evidence[] = [];
    // Items whose last update the client never saw answered (cut off mid-body): resending them is a retry.
    const unconfirmed = new Set<string>();
    for (const request of appliedUpdates(context)) {
      const jobId = pathJobId(request) ?? '';
      const refused = refusedEntries(request);
      const resent = updateEntries(request).filter((entry) => {
        const key = `${jobId}/${entry.accountingEntryId}`;
        return status.get(key) === 'successful' && !unconfirmed.has(key);
      });
      const cutOff = request.fault?.startsWith('truncate') === true;
      for (const entry of updateEntries(request)) {
        const key = `${jobId}/${entry.accountingEntryId}`;
        if (cutOff) unconfirmed.add(key);
        else unconfirmed.delete(key);
      }
      if (resent.length > 0) {
        evidence.push({ problem: `${resent.length} item(s) already successful were reported again (e.g. ${resent.slice(0, 3).map((entry) => entry.accountingEntryId).join(', ')})`, expected: 'only items that are not successful yet', requests: [summarize(request)] });
      }
      for (const entry of updateEntries(request)) if (!refused.has(entry.accountingEntryId)) status.set(`${jobId}/${entry.accountingEntryId}`, entry.status);
    }
    return evidence;
  },
};

const singleFinalEvent: Check = {
  name: 'single-final-event',
  rule: 'A job gets at most one final event (completed, completed_with_errors or failed), and it agrees with the item results.',
  hint: 'Send completed when every item is successful, completed_with_errors when some failed, failed (with failureReasonType and failureReason) when the job cannot be exported; send it once.',
  judge: (context) => {
    const finalJobs = jobsById(context.final);
    const evidence: Evidence[] = [];
    const finals = new Map<string, ObservedRequest[]>();
    for (const request of context.requests) {
      const event = eventOf(request);
      if (event === undefined || !FINAL_EVENTS.includes(event.event)) continue;
      const earlier = finals.get(event.jobId) ?? [];
      // Once the client has seen a 202 for a final event, any further final event is a second
      // one (the mock refuses it with 422). A retry after an answer cut off mid-body is not.
      const seen = earlier.some((previous) => previous.status === 202 && previous.fault?.startsWith('truncate') !== true);
      if (request.status === 202 || seen) finals.set(event.jobId, [...earlier, request]);
    }
    for (const [jobId, requests] of finals) {
      if (requests.length > 1) evidence.push({ problem: `job ${jobId} was sent ${requests.length} final events`, expected: 'exactly one final event', requests: requests.map((request) => summarize(request, { body: true })) });
      const [first] = requests;
      const event = first === undefined ? undefined : eventOf(first);
      if (first === undefined || event === undefined || first.status !== 202) continue;
      const items = finalJobs.get(jobId)?.items ?? [];
      const failed = items.filter((item) => item.status === 'failed').length;
      if (event.event === 'completed' && failed > 0) evidence.push({ problem: `job ${jobId} was completed while ${failed} item(s) are failed`, expected: 'completed_with_errors when any item failed', requests: [summarize(first, { body: true })] });
      if (event.event === 'completed_with_errors' && failed === 0) evidence.push({ problem: `job ${jobId} was completed_with_errors while no item failed`, expected: 'completed when every item is successful', requests: [summarize(first, { body: true })] });
      if (event.event === 'failed' && (typeof event.failureReasonType !== 'string' || typeof event.failureReason !== 'string' || event.failureReason.trim() === '')) {
        evidence.push({ problem: `job ${jobId} was failed without a failureReasonType and a failureReason`, expected: 'failed with failureReasonType and a failureReason a bookkeeper can act on', requests: [summarize(first, { body: true })] });
      }
    }
    return evidence;
  },
};

/** The requests after `index` that repeat the same attempt. */
function nextAttempt(requests: readonly ObservedRequest[], index: number): ObservedRequest | undefined {
  const request = requests[index];
  if (request === undefined) return undefined;
  const key = attemptKey(request);
  return requests.slice(index + 1).find((candidate) => attemptKey(candidate) === key);
}

const retryAfter: Check = {
  name: 'retry-after',
  rule: 'After a 429, the client waits at least Retry-After seconds before retrying.',
  hint: 'Read the Retry-After header of a 429 (seconds, or an HTTP date) and sleep at least that long before the retry.',
  judge: ({ requests }) => {
    const limited = requests.map((request, index) => ({ request, index })).filter(({ request }) => request.status === 429);
    if (limited.length === 0) return { skip: 'no request was answered 429' };
    const evidence: Evidence[] = [];
    for (const { request, index } of limited) {
      const retry = nextAttempt(requests, index);
      const seconds = Number(request.responseHeaders['retry-after'] ?? '1');
      if (retry === undefined || !Number.isFinite(seconds)) continue;
      const waited = wallMs(retry) - wallMs(request);
      if (waited + RETRY_AFTER_SLACK_MS < seconds * 1000) {
        evidence.push({ problem: `retried after ${waited} ms; Retry-After said ${seconds} s`, expected: `a retry no sooner than ${seconds} s later`, requests: [summarize(request), summarize(retry)] });
      }
    }
    return evidence;
  },
};

const boundedRetries: Check = {
  name: 'bounded-retries',
  rule: `A failed request (429, 5xx, dropped) is retried at most ${MAX_RETRIES} times.`,
  hint: 'Cap the attempts per request (e.g. 6 in total) and give up with an error after that.',
  judge: ({ requests }) => {
    const failures = requests.filter(isRetryableFailure);
    if (failures.length === 0) return { skip: 'no request failed in a retryable way' };
    const evidence: Evidence[] = [];
    const streaks = new Map<string, ObservedRequest[]>();
    for (const request of requests) {
      const key = attemptKey(request);
      const streak = streaks.get(key) ?? [];
      // An attempt after MAX_RETRIES + 1 failures of the same request is one retry too many.
      if (streak.length === MAX_RETRIES + 1) {
        evidence.push({ problem: `the same request failed ${streak.length} times and was tried again`, expected: `at most ${MAX_RETRIES} retries (${MAX_RETRIES + 1} attempts)`, requests: [summarize(streak[0] ?? request), summarize(request)] });
      }
      if (isRetryableFailure(request)) streaks.set(key, [...streak, request]);
      else streaks.delete(key);
    }
    return evidence;
  },
};

const backoff: Check = {
  name: 'backoff',
  rule: `After a 5xx, a dropped connection or a cut-off body, the client waits at least ${MIN_BACKOFF_MS} ms before retrying.`,
  hint: 'Retry with exponential backoff and jitter (e.g. 200 ms, 400 ms, 800 ms …), not in a tight loop.',
  judge: ({ requests }) => {
    const failed = requests.map((request, index) => ({ request, index })).filter(({ request }) => request.status === 0 || request.status >= 500 || request.fault?.startsWith('truncate') === true);
    if (failed.length === 0) return { skip: 'no request failed with a 5xx, a dropped connection or a cut-off body' };
    const evidence: Evidence[] = [];
    for (const { request, index } of failed) {
      const retry = nextAttempt(requests, index);
      if (retry === undefined) continue;
      const waited = wallMs(retry) - wallMs(request);
      if (waited < MIN_BACKOFF_MS) evidence.push({ problem: `retried ${waited} ms after a ${request.status === 0 ? 'dropped connection' : request.status >= 500 ? String(request.status) : 'cut-off body'}`, expected: `a wait of at least ${MIN_BACKOFF_MS} ms`, requests: [summarize(request), summarize(retry)] });
    }
    return evidence;
  },
};

const finishesWork: Check = {
  name: 'finishes-work',
  rule: 'Every job waiting at the start (pending, or in_progress to resume) gets a final event from the client.',
  hint: 'Resume in_progress jobs, then work the pending ones; finish each with completed, completed_with_errors or failed.',
  judge: (context) => {
    const finished = new Set(acceptedEvents(context).filter(({ event }) => FINAL_EVENTS.includes(event)).map(({ jobId }) => jobId));
    const finalJobs = jobsById(context.final);
    return activeAtStart(context)
      .filter((job) => !finished.has(job.id.toLowerCase()))
      .map((job) => ({ problem: `job ${job.id} (${job.status} at the start) got no final event; it is ${finalJobs.get(job.id.toLowerCase())?.status ?? 'gone'} now`, expected: 'a final event for every waiting job', requests: [] }));
  },
};

const noRestartOnResume: Check = {
  name: 'no-restart-on-resume',
  rule: 'A job already in_progress is resumed without sending started again.',
  hint: 'List jobs with statuses=in_progress first and continue them; started is only for pending jobs.',
  judge: (context) => {
    const inProgress = new Set((context.initial.jobs ?? []).filter((job) => job.status === 'in_progress').map((job) => job.id.toLowerCase()));
    return context.requests
      .filter((request) => {
        const event = eventOf(request);
        return event?.event === 'started' && inProgress.has(event.jobId);
      })
      .map((request) => ({ problem: `started sent to job ${eventOf(request)?.jobId ?? ''}, which was already in_progress (answered ${request.status})`, expected: 'no started event for an in_progress job', requests: [summarize(request, { response: true })] }));
  },
};

const oldestFirst: Check = {
  name: 'oldest-first',
  rule: 'Pending jobs are claimed oldest first (by createdAt).',
  hint: 'List pending jobs with sorting_keys=createdAt&sorting_order=ASC and take the first.',
  judge: (context) => {
    const createdAt = new Map((context.initial.jobs ?? []).map((job) => [job.id.toLowerCase(), Date.parse(job.createdAt)]));
    const claims = acceptedEvents(context).filter(({ event }) => event === 'started');
    const evidence: Evidence[] = [];
    for (let index = 1; index < claims.length; index++) {
      const previous = claims[index - 1];
      const current = claims[index];
      if (previous === undefined || current === undefined) continue;
      if ((createdAt.get(current.jobId) ?? 0) < (createdAt.get(previous.jobId) ?? 0)) {
        evidence.push({ problem: `job ${current.jobId} was claimed after the younger job ${previous.jobId}`, expected: 'claims in order of createdAt, oldest first', requests: [summarize(previous.request, { body: true }), summarize(current.request, { body: true })] });
      }
    }
    return evidence;
  },
};

const oneJobAtATime: Check = {
  name: 'one-job-at-a-time',
  rule: 'A job is claimed only after the previous claimed job got its final event.',
  hint: 'Finish (or fail) the current job before claiming the next one.',
  judge: (context) => {
    const evidence: Evidence[] = [];
    let open: { jobId: string; request: ObservedRequest } | undefined;
    for (const { request, jobId, event } of acceptedEvents(context)) {
      if (event === 'started') {
        if (open !== undefined && open.jobId !== jobId) evidence.push({ problem: `job ${jobId} was claimed while job ${open.jobId} was still open`, expected: 'one job at a time', requests: [summarize(open.request, { body: true }), summarize(request, { body: true })] });
        open = { jobId, request };
      } else if (FINAL_EVENTS.includes(event) && open?.jobId === jobId) {
        open = undefined;
      }
    }
    return evidence;
  },
};

const flagsBadData: Check = {
  name: 'flags-bad-data',
  rule: 'An item whose accounting data cannot be booked (a line without an account) is reported failed with a fitting reason.',
  hint: 'Validate each export item before booking: a line whose account is null gets status failed, failureReasonType missing_configuration and a failureReason naming the line.',
  judge: (context) => {
    const finalJobs = jobsById(context.final);
    const evidence: Evidence[] = [];
    for (const job of context.initial.jobs ?? []) {
      const flawed = (job.items ?? []).filter((item) => (item.exportItemDefects ?? []).includes('missing_account'));
      const after = new Map((finalJobs.get(job.id.toLowerCase())?.items ?? []).map((item) => [item.accountingEntryId.toLowerCase(), item]));
      for (const item of flawed) {
        const result = after.get(item.accountingEntryId.toLowerCase());
        const fitting = result?.status === 'failed' && FITTING_MISSING_ACCOUNT_REASONS.includes(result.failureReasonType ?? '') && (result.failureReason ?? '').trim() !== '';
        if (!fitting) {
          evidence.push({
            problem: `item ${item.accountingEntryId} has a line without an account, and ended ${result?.status ?? 'missing'}${result?.status === 'failed' ? ` with failureReasonType ${String(result.failureReasonType)}` : ''}`,
            expected: `failed, with failureReasonType one of ${FITTING_MISSING_ACCOUNT_REASONS.join(', ')} and a failureReason`,
            requests: [],
          });
        }
      }
    }
    return evidence;
  },
};

const noResultsWithoutContra: Check = {
  name: 'no-results-without-contra',
  rule: 'When export items answer MISSING_CONTRA_ACCOUNTS, no item results are reported; the job is failed with a reason or left to expire.',
  hint: 'On 400 MISSING_CONTRA_ACCOUNTS stop: send failed (failureReasonType missing_configuration, a reason asking to map the contra accounts) or leave the job.',
  judge: (context) => {
    const evidence: Evidence[] = context.requests
      .filter((request) => isItemUpdate(request))
      .map((request) => ({ problem: 'item results were reported for a job whose contra accounts are not mapped', expected: 'no item update', requests: [summarize(request)] }));
    for (const { request, event } of acceptedEvents(context)) {
      if (event === 'completed' || event === 'completed_with_errors') evidence.push({ problem: `the job was sent ${event}`, expected: 'failed with a reason, or no final event', requests: [summarize(request, { body: true })] });
    }
    return evidence;
  },
};

const noWrites: Check = {
  name: 'no-writes',
  rule: 'With nothing to export, the client makes no write request.',
  hint: 'When no job is pending or in_progress, exit without creating jobs, sending events or updating items.',
  judge: ({ requests }) => requests.filter(isWrite).map((request) => ({ problem: `a write with nothing to export: ${request.method} ${request.path}`, expected: 'no write request', requests: [summarize(request, { body: true })] })),
};

/** Every check, by name. */
export const CHECKS: ReadonlyMap<string, Check> = new Map(
  [
    exitCleanly,
    validRequests,
    credentials,
    claimBeforeUpdate,
    readEveryPage,
    batchLimit,
    itemsFinished,
    noResendSuccessful,
    singleFinalEvent,
    retryAfter,
    boundedRetries,
    backoff,
    finishesWork,
    noRestartOnResume,
    oldestFirst,
    oneJobAtATime,
    flagsBadData,
    noResultsWithoutContra,
    noWrites,
  ].map((check) => [check.name, check]),
);

/** Runs the checks a scenario gets and reports each. */
export function judge(context: JudgeContext, checkNames: readonly string[]): CheckResult[] {
  return checkNames.map((name) => {
    const check = CHECKS.get(name);
    if (check === undefined) throw new Error(`unknown check ${name}`);
    const verdict = check.judge(context);
    const base = { name: check.name, rule: check.rule, hint: check.hint };
    if ('skip' in verdict) return { ...base, status: 'skipped', evidence: [], skippedBecause: verdict.skip };
    return { ...base, status: verdict.length === 0 ? 'passed' : 'failed', evidence: verdict.slice(0, MAX_EVIDENCE) };
  });
}
