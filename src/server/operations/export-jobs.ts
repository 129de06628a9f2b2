/** Export jobs: list, read and create, in v2 and v3. */
import { MockError } from '../../core/errors.js';
import { EXPORT_JOB_LIST } from '../../core/lists.js';
import { EXPORT_JOB_STATUSES, type JobRecord } from '../../core/model.js';
import { paginate } from '../../core/pagination.js';
import { cachedJson } from '../json-text.js';
import { echoParameters, pageResponse, readListQuery } from '../list-page.js';
import { canonicalUuid, oneOf, optionalString, requiredString, stringArray } from '../params.js';
import type { ValidatedRequest } from '../spec-validator.js';
import { toExportJob, toExportJobV3 } from '../views.js';
import { ok, type OperationContext, type OperationResult } from './context.js';

/** The job id of a job route, in canonical form. */
export function jobIdOf(request: ValidatedRequest): string {
  return canonicalUuid(requiredString(request.params, 'jobId'));
}

function listJobs({ request, store, pageSize }: OperationContext, renderJson: (job: JobRecord) => string): OperationResult {
  const companyParam = optionalString(request.query, 'company_id');
  const companyId = companyParam === undefined ? undefined : canonicalUuid(companyParam);
  const statuses = stringArray(request.query, 'statuses').map((status) => oneOf(EXPORT_JOB_STATUSES, status, 'statuses'));
  const query = readListQuery(EXPORT_JOB_LIST, request.query);
  const list = store.jobList({ companyId, statuses }, query.sort);
  const page = paginate(list.view, query.page, pageSize, list.isListRow);
  return ok(pageResponse(page, query, echoParameters({ company_id: companyId, statuses }), renderJson));
}

const exportJobV3Json = cachedJson(toExportJobV3);
const exportJobJson = cachedJson(toExportJob);

/** GET /v3/export-jobs */
export function getExportJobsListV3(context: OperationContext): OperationResult {
  return listJobs(context, exportJobV3Json);
}

/** GET /v2/export-jobs */
export function getExportJobsListV2(context: OperationContext): OperationResult {
  return listJobs(context, exportJobJson);
}

/** GET /v3/export-jobs/{jobId} */
export function getExportJobByIdV3({ request, store }: OperationContext): OperationResult {
  return ok({ data: toExportJobV3(store.requireJob(jobIdOf(request))) });
}

/** GET /v2/export-jobs/{jobId} */
export function getExportJobByIdV2({ request, store }: OperationContext): OperationResult {
  return ok({ data: toExportJob(store.requireJob(jobIdOf(request))) });
}

function createJob({ request, store, hooks }: OperationContext, render: (job: JobRecord) => unknown): OperationResult {
  const body = asObject(request.body);
  const accountingEntryIds = uuidList(body.accountingEntryIds, 'accountingEntryIds');
  const employeeId = body.employeeId;
  const options = body.options === undefined || body.options === null ? {} : asObject(body.options, 'body.options');
  const job = store.createJob({
    companyId: canonicalUuid(requiredString(body, 'companyId')),
    accountingEntryIds,
    createdBy: typeof employeeId === 'string' ? canonicalUuid(employeeId) : null,
    // Pleo's defaults: a job is interactive unless said otherwise; vendor bookkeeping is opt-in.
    isInteractive: body.isInteractive !== false,
    vendorBasedBookkeeping: options.vendorBasedBookkeeping === true,
  });
  hooks.jobCreated(job);
  return { status: 201, body: { data: render(job) } };
}

/** POST /v3/export-jobs */
export function createExportJobV3(context: OperationContext): OperationResult {
  return createJob(context, toExportJobV3);
}

/** POST /v2/export-jobs */
export function createExportJobV2(context: OperationContext): OperationResult {
  return createJob(context, toExportJob);
}

/** The validated body as a record (validation guarantees an object; this narrows it). */
export function asObject(value: unknown, where = 'body'): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MockError('INVALID_REQUEST_BODY', `${where}: expected a JSON object`);
  return value as Readonly<Record<string, unknown>>;
}

/** A list of uuids in canonical form; a repeated one is refused, since one entry cannot be exported twice in a job. */
function uuidList(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) throw new MockError('INVALID_REQUEST_BODY', `body.${name}: expected an array of uuids`);
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    if (typeof entry !== 'string') throw new MockError('INVALID_REQUEST_BODY', `body.${name}[${index}]: expected a uuid`);
    const id = canonicalUuid(entry);
    if (seen.has(id)) throw new MockError('INVALID_REQUEST_BODY', `body.${name}[${index}]: ${entry} is listed more than once`);
    seen.add(id);
    return id;
  });
}
