/**
 * Every operation the mock serves, by the spec's operationId. The app refuses to start if the
 * spec and this table differ.
 */
import type { OperationHandler } from './operations/context.js';
import { createExportJobEventV2, createExportJobEventV3 } from './operations/export-job-events.js';
import {
  getExportJobItemsV2,
  getExportJobItemsV3,
  getExportJobItemV3,
  searchExportJobItemsV3,
  updateExportJobItemsV1,
  updateExportJobItemsV2,
  updateExportJobItemsV3,
} from './operations/export-job-items.js';
import {
  createExportJobV2,
  createExportJobV3,
  getExportJobByIdV2,
  getExportJobByIdV3,
  getExportJobsListV2,
  getExportJobsListV3,
} from './operations/export-jobs.js';
import { getExportItemsV2, getExportItemsV3 } from './operations/export-items.js';

export type { OperationContext, OperationHandler, OperationResult } from './operations/context.js';

/** Handlers by operationId. */
export const OPERATIONS: Readonly<Record<string, OperationHandler>> = {
  getExportJobsListV3,
  getExportJobsListV2,
  getExportJobByIdV3,
  getExportJobByIdV2,
  createExportJobV3,
  createExportJobV2,
  createExportJobEventV3,
  createExportJobEventV2,
  getExportJobItemsV3,
  getExportJobItemsV2,
  updateExportJobItemsV3,
  updateExportJobItemsV2,
  updateExportJobItemsV1,
  getExportJobItemV3,
  searchExportJobItemsV3,
  getExportItemsV3,
  getExportItemsV2,
};
