/**
 * Wording of JSON Schema validation failures (ajv errors), shared by request validation and
 * fixture documents, so both say the same thing in the same words: the value sent and what was
 * expected instead.
 */

/** The part of an ajv error this module reads. */
export interface ValidationIssue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string | undefined;
}

/** What was wrong with `value` (the value at the issue's path), e.g. `'done' is not one of pending, …`. */
export function describeProblem(issue: ValidationIssue, value: unknown): string {
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'format':
      return `${show(value)} is not a valid ${stringParam(issue, 'format') ?? 'value'}`;
    case 'enum':
      return `${show(value)} is not one of ${allowedValues(issue)}`;
    case 'type':
      return `${show(value)} is not ${article(stringParam(issue, 'type') ?? 'valid')}`;
    case 'minimum':
    case 'maximum':
      return `${show(value)} must be ${issue.keyword === 'minimum' ? '>=' : '<='} ${String(issue.params.limit)}`;
    case 'pattern':
      return `${show(value)} does not match ${stringParam(issue, 'pattern') ?? 'the expected pattern'}`;
    case 'maxItems':
      return `has ${Array.isArray(value) ? value.length : 'too many'} items; at most ${String(issue.params.limit)} are allowed in one request`;
    case 'additionalProperties': {
      // The field itself is in the path; `known` is filled in by callers that have the schema.
      const known = issue.params.known;
      return Array.isArray(known) ? `is not a known field; the known fields are ${known.map(String).join(', ')}` : 'is not a known field';
    }
    default:
      return issue.message ?? `is invalid (${issue.keyword})`;
  }
}

/** The field an issue is about beyond its instance path: the missing or unknown property, if any. */
export function issueField(issue: ValidationIssue): string[] {
  const field = issue.keyword === 'required' ? stringParam(issue, 'missingProperty') : issue.keyword === 'additionalProperties' ? stringParam(issue, 'additionalProperty') : undefined;
  return field === undefined ? [] : [field];
}

/** A JSON pointer's segments written the way messages name fields: `jobs[3].status`. */
export function pathOfSegments(root: string, segments: readonly string[]): string {
  const parts = segments.map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 && root === '' ? part : `.${part}`));
  return `${root}${parts.join('')}`;
}

/** The segments of an ajv instance path (`/jobs/3/status` -> `['jobs', '3', 'status']`). */
export function pointerSegments(instancePath: string): string[] {
  return instancePath.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A value as messages quote it: strings in quotes, anything long cut at 80 characters. */
export function show(value: unknown): string {
  if (value === undefined) return 'the value';
  if (typeof value === 'string') return `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    // Too deep (or cyclic) to write out; the message still names where it is.
    return 'a value too deeply nested to show';
  }
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

function allowedValues(issue: ValidationIssue): string {
  const values = issue.params.allowedValues;
  return Array.isArray(values) ? values.filter((v) => v !== null).map(String).join(', ') : 'the allowed values';
}

function article(type: string): string {
  if (type === 'integer' || type === 'array' || type === 'object') return `an ${type}`;
  return `a ${type}`;
}

/** A string parameter of an issue, e.g. `missingProperty`. */
export function stringParam(issue: ValidationIssue, name: string): string | undefined {
  const value = issue.params[name];
  return typeof value === 'string' ? value : undefined;
}
