/**
 * The catalogue of server-mode checks: each check's stable name, the probe group (scenario) it
 * belongs to, its one-line rule and its fix hint. Constant data, pinned by a test, so a report's
 * names never drift from one release to the next.
 */

/** The probe groups of server mode, in the order they run. */
export const SERVER_SCENARIOS = {
  'read-only': 'GET requests only: paging, filters and error shapes, safe against a shared environment',
  writes: 'Creates its own job under a fresh company and drives it through its lifecycle',
} as const;

/** Name of a server-mode probe group. */
export type ServerScenarioName = keyof typeof SERVER_SCENARIOS;

/** One check of the catalogue. */
export interface ServerCheckDefinition {
  readonly rule: string;
  readonly hint: string;
}

/** Every server-mode check, keyed by its stable kebab-case name. */
export const SERVER_CHECKS = {
  reachable: {
    rule: 'GET /v3/export-jobs gets an HTTP answer, and the credential is accepted (not 401 or 403)',
    hint: 'Check the base URL (scheme, host, port, no path suffix) and that the server is running; on 401/403 pass a credential with export-jobs:read.',
  },
  'paging-consistent': {
    rule: 'Walking a list by endCursor visits every row once (no duplicate, no gap, count = total), total is stable, the first page has no previous page, before mirrors after, and a cursor replays the same page',
    hint: 'Page by keyset: endCursor names the last row, `after` resumes strictly after it and `before` strictly before the row a startCursor names; report the same `total` on every page.',
  },
  'filters-correct': {
    rule: 'statuses, company_id and the items status filter return only matching rows, and their totals agree with the unfiltered list',
    hint: 'Apply filters before paging and count `total` over the filtered rows; an unknown or absent value matches nothing rather than everything.',
  },
  'not-found-shape': {
    rule: 'An unknown jobId answers 404 ExceptionInfo EXPORT_NOT_FOUND, for the job and for its items',
    hint: 'Look the job up before answering, and answer {"type": "EXPORT_NOT_FOUND", "message": "Export job not found."} with 404.',
  },
  'bad-request-shape': {
    rule: 'A malformed jobId, a negative limit, and before combined with after answer 400 with an ExceptionInfo body (type and message non-empty)',
    hint: 'Validate path and query parameters against the spec before handling the request, and answer every error as ExceptionInfo {type, message}.',
  },
  'job-created': {
    rule: 'POST /v3/export-jobs answers 201 with a pending job of the given company, with one pending item per accountingEntryId',
    hint: 'Create the job in pending with numberOfItems equal to the entries given, and one pending item per entry.',
  },
  'item-cap': {
    rule: 'A PUT of 101 items answers 413 EXPORT_JOB_ITEMS_UPDATE_LIMIT and changes no item',
    hint: 'Check the batch size before applying anything; more than 100 entries is refused as a whole.',
  },
  'per-item-errors': {
    rule: 'A PUT mixing a known and an unknown accountingEntryId answers 200, the known one in data and the unknown one in errors[] as ACCOUNTING_ENTRY_DOES_NOT_EXIST',
    hint: 'Apply each entry on its own: report entries not in the job in errors[] and still apply the others.',
  },
  'event-transitions': {
    rule: 'Events follow pending -started-> in_progress -completed-> completed; any other event answers 422 INVALID_EXPORT_JOB_STATUS_CHANGE, and item updates of a finished job 422 EXPORT_JOB_STATUS_UNPROCESSABLE',
    hint: 'Check the transition table before applying an event; set startedAt on started and completedAt on completion; refuse item updates once the job is finished.',
  },
  'responses-match-spec': {
    rule: 'Every response has a status its operation declares and a body valid against the normalized spec; errors are ExceptionInfo {type, message}',
    hint: 'Compare the body the evidence quotes with the operation schema in /openapi.json; error bodies carry only a SCREAMING_SNAKE type and a message.',
  },
} as const satisfies Readonly<Record<string, ServerCheckDefinition>>;

/** Stable name of a server-mode check. */
export type ServerCheckName = keyof typeof SERVER_CHECKS;

/**
 * The checks of each group, in report order. `responses-match-spec` judges the responses of the
 * group it closes, so it appears in both: the write probes' responses are judged too.
 */
export const SCENARIO_CHECKS: Readonly<Record<ServerScenarioName, readonly ServerCheckName[]>> = {
  'read-only': ['reachable', 'paging-consistent', 'filters-correct', 'not-found-shape', 'bad-request-shape', 'responses-match-spec'],
  writes: ['job-created', 'item-cap', 'per-item-errors', 'event-transitions', 'responses-match-spec'],
};
