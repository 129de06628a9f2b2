/**
 * Hand-built reports covering what a reporter must cope with: all green, failures with several
 * pieces of evidence, skipped checks, a client that ran out of time, server-mode groups with
 * different checks, and hostile text. The reporters' tests render these, and they show a
 * reporter's output at a glance. (They ship in dist: the build excludes only `*.test.ts`.)
 */

import { contractReport, type CheckResult, type ContractReport, type ScenarioResult } from '../report.js';

const BATCH_RULE = 'At most 100 items per PUT /v3/export-jobs/{jobId}/items.';
const BATCH_HINT = 'Split item updates into batches of at most 100 items and send each.';
const RETRY_RULE = 'After a 429, wait at least Retry-After seconds before the next request.';
const RETRY_HINT = 'Read the Retry-After header and sleep for it before retrying.';
const CLAIM_RULE = 'Claim a pending job with a started event before reading its items.';
const CLAIM_HINT = 'POST {"event":"started"} to /v3/export-job-events first.';

function passed(name: string, rule: string, hint: string): CheckResult {
  return { name, rule, hint, status: 'passed', evidence: [] };
}

function skipped(name: string, rule: string, hint: string, because: string): CheckResult {
  return { name, rule, hint, status: 'skipped', evidence: [], skippedBecause: because };
}

/** Two scenarios, every check passed or skipped, clients exited 0. */
export function passingReport(): ContractReport {
  const scenarios: ScenarioResult[] = [
    {
      scenario: 'happy-path',
      title: 'Exports one pending job of 250 items',
      durationMs: 1200,
      client: { exitCode: 0, timedOut: false, durationMs: 1150, output: '' },
      checks: [
        passed('claim-before-read', CLAIM_RULE, CLAIM_HINT),
        passed('batch-limit', BATCH_RULE, BATCH_HINT),
        skipped('retry-after', RETRY_RULE, RETRY_HINT, 'no 429 was injected'),
      ],
    },
    {
      scenario: 'rate-limited',
      title: 'Every third request answers 429',
      durationMs: 4300,
      client: { exitCode: 0, timedOut: false, durationMs: 4200, output: 'done\n' },
      checks: [passed('claim-before-read', CLAIM_RULE, CLAIM_HINT), passed('batch-limit', BATCH_RULE, BATCH_HINT), passed('retry-after', RETRY_RULE, RETRY_HINT)],
    },
  ];
  return contractReport('client', 'node ./export-worker.js', scenarios, 5600);
}

/** A batch-limit failure with two pieces of evidence, a retry failure, and a client that timed out. */
export function failingReport(): ContractReport {
  const output = [
    ...Array.from({ length: 30 }, (_unused, i) => `polling job j1, attempt ${i + 1}`),
    '\u001b[31merror\u001b[39m: still waiting for job j1',
  ].join('\n');
  const scenarios: ScenarioResult[] = [
    {
      scenario: 'happy-path',
      title: 'Exports one pending job of 250 items',
      durationMs: 1300,
      client: { exitCode: 0, timedOut: false, durationMs: 1250, output: '' },
      checks: [
        passed('claim-before-read', CLAIM_RULE, CLAIM_HINT),
        {
          name: 'batch-limit',
          rule: BATCH_RULE,
          hint: BATCH_HINT,
          status: 'failed',
          evidence: [
            {
              problem: 'PUT of 150 items',
              expected: 'at most 100 items per PUT',
              requests: [
                {
                  sequence: 12,
                  method: 'PUT',
                  url: '/v3/export-jobs/j1/items',
                  status: 413,
                  at: '2026-01-05T09:00:01.234Z',
                  body: '{"items":[{"accountingEntryId":"e1","status":"exported"}]}',
                  response: '{"type":"EXPORT_JOB_ITEMS_UPDATE_LIMIT","message":"At most 100 items."}',
                },
              ],
            },
            {
              problem: 'PUT of 101 items retried unchanged',
              expected: 'a split batch after a 413',
              requests: [
                { sequence: 13, method: 'PUT', url: '/v3/export-jobs/j1/items', status: 413 },
                { method: 'PUT', url: '/v3/export-jobs/j1/items?retry=1', status: 0, at: '2026-01-05T09:00:02.000Z' },
              ],
            },
          ],
        },
        skipped('retry-after', RETRY_RULE, RETRY_HINT, 'no 429 was injected'),
      ],
    },
    {
      scenario: 'rate-limited',
      title: 'Every third request answers 429',
      durationMs: 2100,
      client: { exitCode: 0, timedOut: false, durationMs: 2000, output: '' },
      checks: [
        passed('claim-before-read', CLAIM_RULE, CLAIM_HINT),
        passed('batch-limit', BATCH_RULE, BATCH_HINT),
        {
          name: 'retry-after',
          rule: RETRY_RULE,
          hint: `${RETRY_HINT}\nA fixed back-off shorter than Retry-After is not enough.`,
          status: 'failed',
          evidence: [
            {
              problem: 'retried 200 ms after a 429 with Retry-After: 2',
              expected: 'a wait of at least 2 s',
              requests: [
                { sequence: 4, method: 'GET', url: '/v3/export-jobs?statuses=pending', status: 429, at: '2026-01-05T09:00:00.100Z' },
                { sequence: 5, method: 'GET', url: '/v3/export-jobs?statuses=pending', status: 200, at: '2026-01-05T09:00:00.300Z' },
              ],
            },
          ],
        },
      ],
    },
    {
      scenario: 'slow-export',
      title: 'The job stays pending for a minute',
      durationMs: 30_050,
      client: { exitCode: null, timedOut: true, durationMs: 30_000, output },
      checks: [passed('claim-before-read', CLAIM_RULE, CLAIM_HINT), skipped('batch-limit', BATCH_RULE, BATCH_HINT, 'the client sent no item update')],
    },
  ];
  return contractReport('client', 'node ./export-worker.js', scenarios, 33_450);
}

/** Server mode: probe groups with different checks, so some cells of the table are empty. */
export function serverReport(): ContractReport {
  const scenarios: ScenarioResult[] = [
    {
      scenario: 'paging',
      title: 'Cursors page through every job once',
      durationMs: 80,
      checks: [passed('cursor-round-trip', 'endCursor of a page leads to the next page.', 'Encode cursors the way Pleo does.')],
    },
    {
      scenario: 'errors',
      title: 'Error bodies are ExceptionInfo',
      durationMs: 40,
      checks: [
        passed('exception-info', 'Every 4xx body is {type, message}.', 'Answer ExceptionInfo.'),
        skipped('batch-limit-413', 'A 101-item PUT answers 413.', 'Refuse batches over 100.', 'the server has no in_progress job'),
      ],
    },
  ];
  return contractReport('server', 'http://127.0.0.1:4010', scenarios, 130);
}

/** Every character that may break a reporter: markup, quotes, control characters. */
export const HOSTILE = `<&"'>]]>\u0000\u0001\u0008\u000b\u000c\u001b[2J\u007f\u0085\u202e\ud800\ufffe\uffff`;

/** Hostile names, rules, evidence and client output, and a body of a megabyte. */
export function hostileReport(): ContractReport {
  const scenarios: ScenarioResult[] = [
    {
      scenario: `odd${HOSTILE}`,
      title: `title ${HOSTILE}`,
      durationMs: 10,
      client: { exitCode: 3, timedOut: false, durationMs: 9, output: `first line\r\nsecond ${HOSTILE}\n\u001b]0;pwned\u0007third\n` },
      checks: [
        {
          name: `check${HOSTILE}`,
          rule: `rule ${HOSTILE}\nsecond line`,
          hint: `hint ${HOSTILE}`,
          status: 'failed',
          evidence: [
            {
              problem: `problem ${HOSTILE}`,
              expected: `expected ${HOSTILE}`,
              requests: [
                {
                  sequence: 1,
                  method: 'PUT',
                  url: `/v3/export-jobs/${'x'.repeat(5000)}?q=${HOSTILE}`,
                  status: 400,
                  body: `{"items":[${'{"accountingEntryId":"e","status":"exported"},'.repeat(25_000)}]}`,
                  response: `{"message":"${HOSTILE}"}`,
                },
              ],
            },
          ],
        },
        skipped(`skipped${HOSTILE}`, 'rule', 'hint', `because ${HOSTILE}`),
      ],
    },
  ];
  return contractReport('client', `sh -c 'echo ${HOSTILE}'`, scenarios, 10);
}
