/**
 * Export items: the accounting payload of each entry of a job, paged like the other lists. The
 * payload is generated on read from the seed and the entry id (deterministic, never stored), so
 * a million-item job costs no payload memory.
 */
import { MockError } from '../../core/errors.js';
import { EXPORT_ITEM_LIST } from '../../core/lists.js';
import { paginate } from '../../core/pagination.js';
import { echoParameters, pageResponse, readListQuery } from '../list-page.js';
import { canonicalUuid, requiredString } from '../params.js';
import { ok, type OperationContext, type OperationResult } from './context.js';

/** GET /v3/export-items?job_id= */
export function getExportItemsV3({ request, store, pageSize, exportItems }: OperationContext): OperationResult {
  const jobId = canonicalUuid(requiredString(request.query, 'job_id'));
  const query = readListQuery(EXPORT_ITEM_LIST, request.query);
  const list = store.exportItemList(jobId, query.sort);
  const company = store.getCompany(list.job.companyId);
  if (company === undefined) throw new MockError('INTERNAL_ERROR', `job ${jobId} belongs to an unknown company`);
  const page = paginate(list.view, query.page, pageSize, list.isListRow);
  return ok(pageResponse(page, query, echoParameters({ job_id: jobId }), (item) => exportItems.json(item, list.job, company)));
}

/** GET /v2/export-items?job_id=: v2's ExportItem has v3's shape. */
export const getExportItemsV2 = getExportItemsV3;
