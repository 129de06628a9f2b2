/**
 * Turns spec validation failures (ajv errors from openapi-backend) into one MockError whose
 * message names the parameter or field, the value sent and what was expected.
 */
import { MockError, type ErrorCode } from '../core/errors.js';
import { describeProblem, issueField, pointerSegments, stringParam, type ValidationIssue } from '../core/schema-issues.js';

export type { ValidationIssue };

/** What was validated, by the top-level names openapi-backend uses in instance paths. */
export interface ValidatedInput {
  readonly path: unknown;
  readonly query: unknown;
  readonly requestBody: unknown;
}

const CURSOR_PARAMETERS = new Set(['before', 'after']);

/** The MockError for a failed validation (the first issue decides; ajv stops at the first). */
export function validationError(issues: readonly ValidationIssue[], input: ValidatedInput): MockError {
  const issue = issues[0];
  if (issue === undefined) return new MockError('INVALID_PARAMETER', 'the request is invalid');
  const segments = pointerSegments(issue.instancePath);
  const [area = '', ...rest] = segments;
  if (area === '' && issue.keyword === 'required' && stringParam(issue, 'missingProperty') === 'requestBody') {
    return new MockError('INVALID_REQUEST_BODY', 'body: this operation needs a JSON body (Content-Type: application/json), and none was sent');
  }
  const location = describeLocation(area, rest, issue);
  const value = valueAt(input, segments);
  const separator = issue.keyword === 'required' ? ' ' : ': ';
  return new MockError(codeFor(area, rest, issue), `${location}${separator}${describeProblem(issue, value)}`);
}

function codeFor(area: string, rest: readonly string[], issue: ValidationIssue): ErrorCode {
  if (area === 'requestBody') {
    // The 100-item cap (quirk f): Pleo's own status and type, before anything is applied.
    return rest.length === 0 && issue.keyword === 'maxItems' ? 'EXPORT_JOB_ITEMS_UPDATE_LIMIT' : 'INVALID_REQUEST_BODY';
  }
  if (area === 'query' && CURSOR_PARAMETERS.has(rest[0] ?? '')) return 'INVALID_CURSOR';
  return 'INVALID_PARAMETER';
}

/** `jobId`, `limit`, `statuses[1]`, `body`, `body[3].status`, `body[0].accountingEntryId`. */
function describeLocation(area: string, rest: readonly string[], issue: ValidationIssue): string {
  const all = [...rest, ...issueField(issue)];
  if (area === 'requestBody') return `body${all.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('')}`;
  const [name = area, ...more] = all;
  return `${name}${more.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('')}`;
}

function valueAt(input: ValidatedInput, segments: readonly string[]): unknown {
  let current: unknown = input;
  for (const segment of segments) {
    // A repeated query parameter sent once is validated as a one-element array.
    if (typeof current === 'string' && segment === '0') continue;
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
