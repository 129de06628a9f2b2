/**
 * The write probes of server mode (only with `allowWrites`). They create a job of their own,
 * under a fresh random company with fresh accounting entries, so no one else's job is touched,
 * then drive it: a completion too early, the claim, an oversized batch, a mixed batch, the
 * completion, and whatever is refused once it is finished.
 */
import { randomUUID } from 'node:crypto';
import type { CheckRecorder } from './server-check-recorder.js';
import { requestLine, type Exchange } from './server-http.js';
import { walkKeys, walkPages } from './server-paging.js';
import { fail, toPageFetch, withQuery, type ProbeContext } from './server-probe-context.js';
import { JOBS_PATH } from './server-probes.js';
import { describeAnswer, errorAnswerProblem, isRecord, readDataArray, readDataRecord, shortJson, successAnswerProblem } from './server-wire.js';

/** How many accounting entries the probe job gets: more than one batch of 100, so the cap can be tried. */
export const PROBE_JOB_ENTRIES = 150;
const EVENTS_PATH = '/v3/export-job-events';
/** The probe job's items are read to the end even from a server that clamps pages small; only a runaway walk stops here. */
const MAX_ITEM_PAGES = 200;
const ITEMS_PAGE = 100;

/** The items of the probe job, keyed by accountingEntryId, as read at one moment. */
interface ItemsRead {
  readonly rows: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  readonly exchanges: readonly Exchange[];
  /** Why they could not all be read. */
  readonly problem?: { readonly text: string; readonly exchange: Exchange } | undefined;
}

/** Runs the write probes, recording into job-created, item-cap, per-item-errors and event-transitions. */
export async function runWriteProbes(context: ProbeContext): Promise<void> {
  const { client } = context;
  const companyId = randomUUID();
  const entries = Array.from({ length: PROBE_JOB_ENTRIES }, () => randomUUID());
  const created = await client.post(JOBS_PATH, { companyId, accountingEntryIds: entries });
  const job = readDataRecord(created.json);
  const jobId = typeof job?.id === 'string' ? job.id : undefined;
  const creationProblem = successAnswerProblem(created, 201) ?? (job === undefined || jobId === undefined ? `${requestLine(created)} answered 201 without data.id: ${shortJson(created.json)}` : undefined);
  if (creationProblem !== undefined || job === undefined || jobId === undefined) {
    for (const name of ['job-created', 'item-cap', 'per-item-errors', 'event-transitions'] as const) {
      fail(context.check(name), `the probe job could not be created: ${creationProblem ?? 'no job id'}`, `201 and a pending job of the fresh company ${companyId}, to run this check on`, created);
    }
    return;
  }
  const jobPath = `${JOBS_PATH}/${encodeURIComponent(jobId)}`;

  // job-created
  const createdCheck = context.check('job-created');
  const expectField = (field: string, expected: unknown): void => {
    if (job[field] !== expected) fail(createdCheck, `${requestLine(created)} answered a job whose ${field} is ${shortJson(job[field])}`, `${field} ${shortJson(expected)}`, created);
  };
  expectField('status', 'pending');
  expectField('companyId', companyId);
  expectField('numberOfItems', PROBE_JOB_ENTRIES);
  const initial = await readItems(context, jobPath);
  if (initial.problem !== undefined) {
    fail(createdCheck, initial.problem.text, "the new job's items to be readable", created, initial.problem.exchange);
  } else {
    const missing = entries.filter((entry) => !initial.rows.has(entry));
    const sent = new Set<string>(entries);
    const extra = [...initial.rows.keys()].filter((key) => !sent.has(key));
    const notPending = [...initial.rows.values()].filter((row) => row.status !== 'pending');
    const evidence = [created, ...initial.exchanges];
    if (missing.length > 0) fail(createdCheck, `${missing.length} of the ${PROBE_JOB_ENTRIES} accountingEntryIds have no item (first: ${missing[0] ?? '?'})`, 'one item per accountingEntryId sent', ...evidence);
    if (extra.length > 0) fail(createdCheck, `the new job has ${extra.length} item(s) for entries that were not sent (first: ${extra[0] ?? '?'})`, 'only the accountingEntryIds sent', ...evidence);
    if (notPending.length > 0) fail(createdCheck, `${notPending.length} item(s) of the new job are not pending (first: ${shortJson(notPending[0]?.status)})`, 'every item of a new job pending', ...evidence);
  }

  const events = context.check('event-transitions');
  const sendEvent = (event: string): Promise<Exchange> =>
    client.post(EVENTS_PATH, event === 'failed' ? { jobId, event, failureReasonType: 'canceled_by_user', failureReason: 'contract suite probe' } : { jobId, event });
  const expectRefused = async (event: string, state: string): Promise<void> => {
    const exchange = await sendEvent(event);
    const problem = errorAnswerProblem(exchange, 422, 'INVALID_EXPORT_JOB_STATUS_CHANGE');
    if (problem !== undefined) fail(events, problem, `422 INVALID_EXPORT_JOB_STATUS_CHANGE: ${event} is not allowed on a ${state} job`, exchange);
  };
  const expectAccepted = async (event: string, status: string, timeField: string): Promise<void> => {
    const exchange = await sendEvent(event);
    if (exchange.status !== 202 || exchange.failure !== undefined) {
      fail(events, `${requestLine(exchange)} (${event}) ${describeAnswer(exchange)}`, `202: ${event} is allowed here`, exchange);
      return;
    }
    const read = await client.get(jobPath);
    const after = readDataRecord(read.json);
    const readProblem = successAnswerProblem(read, 200);
    if (readProblem !== undefined || after === undefined) {
      fail(events, readProblem ?? `${requestLine(read)} answered no job: ${shortJson(read.json)}`, `the job to be readable after ${event}`, exchange, read);
      return;
    }
    if (after.status !== status) fail(events, `after ${event} the job's status is ${shortJson(after.status)}`, `status ${status}`, exchange, read);
    if (typeof after[timeField] !== 'string' || after[timeField] === '') fail(events, `after ${event} the job's ${timeField} is ${shortJson(after[timeField])}`, `${timeField} set by ${event}`, exchange, read);
  };

  // event-transitions, first half: a pending job can only be started (or failed).
  await expectRefused('completed', 'pending');
  await expectAccepted('started', 'in_progress', 'startedAt');
  await expectRefused('started', 'in_progress');

  await probeItemCap(context, jobPath, entries);
  await probePerItemErrors(context, jobPath, entries);

  // event-transitions, second half: completion, then nothing more.
  await expectAccepted('completed', 'completed', 'completedAt');
  for (const event of ['started', 'completed', 'completed_with_errors', 'failed']) await expectRefused(event, 'completed');
  const late = await client.put(`${jobPath}/items`, [{ accountingEntryId: entries[1], status: 'successful', externalId: 'contract-probe-late' }]);
  const lateProblem = errorAnswerProblem(late, 422, 'EXPORT_JOB_STATUS_UNPROCESSABLE');
  if (lateProblem !== undefined) fail(events, lateProblem, '422 EXPORT_JOB_STATUS_UNPROCESSABLE: the items of a completed job cannot change', late);
}

/** 101 items in one PUT: 413 EXPORT_JOB_ITEMS_UPDATE_LIMIT, and the items read back unchanged. */
async function probeItemCap(context: ProbeContext, jobPath: string, entries: readonly string[]): Promise<void> {
  const check = context.check('item-cap');
  const before = await readItems(context, jobPath);
  const batch = entries.slice(0, 101).map((accountingEntryId, index) => ({ accountingEntryId, status: 'successful', externalId: `contract-probe-${index}` }));
  const put = await context.client.put(`${jobPath}/items`, batch);
  const problem = errorAnswerProblem(put, 413, 'EXPORT_JOB_ITEMS_UPDATE_LIMIT');
  if (problem !== undefined) fail(check, problem, '413 EXPORT_JOB_ITEMS_UPDATE_LIMIT: at most 100 items per PUT', put);
  const after = await readItems(context, jobPath);
  compareItems(check, before, after, put);
}

function compareItems(check: CheckRecorder, before: ItemsRead, after: ItemsRead, put: Exchange): void {
  const unreadable = before.problem ?? after.problem;
  if (unreadable !== undefined) {
    fail(check, unreadable.text, 'the items to be readable before and after the refused PUT', put, unreadable.exchange);
    return;
  }
  const changed = [...after.rows.entries()].filter(([key, row]) => JSON.stringify(before.rows.get(key)) !== JSON.stringify(row));
  const vanished = [...before.rows.keys()].filter((key) => !after.rows.has(key));
  const [firstChanged] = changed;
  if (firstChanged !== undefined) {
    const [key, row] = firstChanged;
    fail(
      check,
      `${changed.length} item(s) changed after the refused PUT (first: ${key}, status ${shortJson(before.rows.get(key)?.status)} -> ${shortJson(row.status)}, externalId ${shortJson(row.externalId)})`,
      'no item changed: an oversized batch is refused as a whole',
      put,
      ...after.exchanges,
    );
  }
  if (vanished.length > 0) fail(check, `${vanished.length} item(s) disappeared after the refused PUT (first: ${vanished[0] ?? '?'})`, 'the same items before and after', put, ...after.exchanges);
}

/** A PUT of a known and an unknown entry: 200, the known one in data, the unknown one in errors[]. */
async function probePerItemErrors(context: ProbeContext, jobPath: string, entries: readonly string[]): Promise<void> {
  const check = context.check('per-item-errors');
  const known = entries[0] ?? randomUUID();
  const unknown = randomUUID();
  const put = await context.client.put(`${jobPath}/items`, [
    { accountingEntryId: known, status: 'successful', externalId: 'contract-probe-known' },
    { accountingEntryId: unknown, status: 'successful', externalId: 'contract-probe-unknown' },
  ]);
  const problem = successAnswerProblem(put, 200);
  if (problem !== undefined) {
    fail(check, problem, '200 with the known entry in data and the unknown one in errors[]', put);
    return;
  }
  const data = readDataArray(put.json, 'data');
  const errors = readDataArray(put.json, 'errors');
  if (data === undefined || errors === undefined) {
    fail(check, `${requestLine(put)} answered 200 without data[] and errors[]: ${shortJson(put.json)}`, '{"data": [...], "errors": [...]}', put);
    return;
  }
  const entryOf = (value: unknown): unknown => (isRecord(value) ? value.accountingEntryId : undefined);
  const knownRows = data.filter((row) => entryOf(row) === known);
  const knownRow = knownRows[0];
  if (knownRows.length !== 1 || !isRecord(knownRow)) fail(check, `data holds ${knownRows.length} entr(ies) for the known accountingEntryId ${known}`, 'the known entry exactly once in data', put);
  else if (knownRow.status !== 'successful') fail(check, `the known entry in data has status ${shortJson(knownRow.status)}`, 'status successful, as reported', put);
  if (data.some((row) => entryOf(row) === unknown)) fail(check, `data holds the unknown accountingEntryId ${unknown}`, 'the unknown entry only in errors[]', put);
  const unknownErrors = errors.filter((error) => entryOf(error) === unknown);
  const unknownError = unknownErrors[0];
  if (unknownErrors.length !== 1 || !isRecord(unknownError)) fail(check, `errors[] holds ${unknownErrors.length} entr(ies) for the unknown accountingEntryId`, 'the unknown entry exactly once in errors[]', put);
  else if (unknownError.type !== 'ACCOUNTING_ENTRY_DOES_NOT_EXIST') fail(check, `the unknown entry's error type is ${shortJson(unknownError.type)}`, 'type ACCOUNTING_ENTRY_DOES_NOT_EXIST', put);
  if (errors.some((error) => entryOf(error) === known)) fail(check, 'errors[] holds the known accountingEntryId', 'no error for an entry of the job', put);
}

/** Every item of the probe job, in pages of 100. */
async function readItems(context: ProbeContext, jobPath: string): Promise<ItemsRead> {
  const exchanges: Exchange[] = [];
  const walk = await walkPages(
    async (cursor) => {
      const exchange = await context.client.get(withQuery(`${jobPath}/items`, { limit: ITEMS_PAGE, after: cursor }));
      exchanges.push(exchange);
      return toPageFetch(exchange, 'accountingEntryId');
    },
    { direction: 'forward', maxPages: MAX_ITEM_PAGES, what: "the probe job's items" },
  );
  const rows = new Map<string, Readonly<Record<string, unknown>>>();
  for (const { page } of walk.pages) page.rows.forEach((row, index) => rows.set(page.keys[index] ?? '', row));
  const stoppedAt = walk.stopped?.refs[walk.stopped.refs.length - 1];
  if (walk.stopped !== undefined && stoppedAt !== undefined) return { rows, exchanges, problem: { text: walk.stopped.problem, exchange: stoppedAt } };
  if (!walk.complete) {
    const last = exchanges[exchanges.length - 1];
    if (last !== undefined) return { rows, exchanges, problem: { text: `the job's items did not end within ${MAX_ITEM_PAGES} pages (${walkKeys(walk).length} of ${PROBE_JOB_ENTRIES} rows read)`, exchange: last } };
  }
  return { rows, exchanges };
}
