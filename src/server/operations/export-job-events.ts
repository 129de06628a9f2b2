/** Export job events: the job lifecycle (api-notes.md section 4), in v2 and v3. */
import { EXPORT_JOB_EVENT_TYPES } from '../../core/lifecycle.js';
import { EXPORT_JOB_FAILURE_REASON_TYPES } from '../../core/model.js';
import { canonicalUuid, oneOf, optionalString, requiredString } from '../params.js';
import type { OperationContext, OperationResult } from './context.js';
import { asObject } from './export-jobs.js';

/** POST /v3/export-job-events: 202 with no body; 404 for an unknown job (mock decision), 422 for a transition the status does not allow. */
export function createExportJobEventV3({ request, store }: OperationContext): OperationResult {
  const body = asObject(request.body);
  const failureReasonType = optionalString(body, 'failureReasonType');
  store.applyEvent(canonicalUuid(requiredString(body, 'jobId')), {
    event: oneOf(EXPORT_JOB_EVENT_TYPES, requiredString(body, 'event'), 'body.event'),
    failureReason: optionalString(body, 'failureReason'),
    failureReasonType: failureReasonType === undefined ? undefined : oneOf(EXPORT_JOB_FAILURE_REASON_TYPES, failureReasonType, 'body.failureReasonType'),
  });
  return { status: 202, body: undefined };
}

/** POST /v2/export-job-events: as v3. */
export const createExportJobEventV2 = createExportJobEventV3;
