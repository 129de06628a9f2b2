/**
 * The scenarios a client is run through: each is the state its tenant starts from (a fixture
 * document, `openapi/fixture-document.schema.json`), the faults the mock injects, and the checks
 * that judge it beyond the ones every scenario gets. Plain data: the runner loads it over the
 * admin API, so this module knows nothing of the server but the type of a fault rule.
 */
import type { FaultRule } from '../server/faults.js';

/** A fault rule as the admin API takes it (`FaultRule` of openapi/admin-api.yaml). */
export type ScenarioFault = FaultRule;

/** One scenario. */
export interface ContractScenario {
  /** Stable name, e.g. `happy-path`. */
  readonly name: string;
  /** One line: what the client faces and what a correct client does. */
  readonly title: string;
  /** The tenant's state at the start (a fixture document). */
  readonly fixtures: unknown;
  readonly faults: readonly ScenarioFault[];
  /** Checks of this scenario besides the common ones (names from checks.ts). */
  readonly checks: readonly string[];
}

const COMPANY_A = 'c0a00000-0000-4000-8000-00000000000a';
const COMPANY_B = 'c0b00000-0000-4000-8000-00000000000b';
const COMPANY_C = 'c0c00000-0000-4000-8000-00000000000c';
const JOB = '10b00000-0000-4000-8000-000000000001';

/** Slots of the bad-data job whose accounting data has a line without an account. */
export const BAD_DATA_SLOTS: readonly number[] = [2, 9, 33, 70];

/** Checks every scenario gets. */
export const COMMON_CHECKS: readonly string[] = [
  'exit-cleanly',
  'valid-requests',
  'credentials',
  'claim-before-update',
  'read-every-page',
  'batch-limit',
  'items-finished',
  'no-resend-successful',
  'single-final-event',
  'retry-after',
  'bounded-retries',
];

/** The scenarios, in the order they run. */
export const CONTRACT_SCENARIOS: readonly ContractScenario[] = [
  {
    name: 'happy-path',
    title: 'one pending job of 230 items and a small maximum page size: claim, read every page, report in batches, complete',
    fixtures: {
      companies: [{ id: COMPANY_A, name: 'Contract Foods ApS', currency: 'DKK', country: 'DK' }],
      jobs: [{ id: JOB, companyId: COMPANY_A, status: 'pending', itemCount: 230 }],
    },
    faults: [],
    checks: ['finishes-work'],
  },
  {
    name: 'bad-data',
    title: 'some export items have a line without an account: those are reported failed with a reason, and the job ends completed_with_errors',
    fixtures: {
      companies: [{ id: COMPANY_A, name: 'Contract Foods ApS', currency: 'DKK', country: 'DK' }],
      jobs: [
        {
          id: JOB,
          companyId: COMPANY_A,
          status: 'pending',
          itemCount: 120,
          items: Array.from({ length: Math.max(...BAD_DATA_SLOTS) + 1 }, (_, slot) => (BAD_DATA_SLOTS.includes(slot) ? { exportItemDefects: ['missing_account'] } : {})),
        },
      ],
    },
    faults: [],
    checks: ['finishes-work', 'flags-bad-data'],
  },
  {
    name: 'resume',
    title: 'a job already in_progress with part of its items successful: resumed without a new started, successful items not resent',
    fixtures: {
      companies: [{ id: COMPANY_A, name: 'Contract Foods ApS', currency: 'DKK', country: 'DK' }],
      jobs: [
        {
          id: JOB,
          companyId: COMPANY_A,
          status: 'in_progress',
          itemCount: 180,
          items: Array.from({ length: 95 }, (_, slot) => (slot < 90 ? { status: 'successful' } : { status: 'failed', failureReasonType: 'accounting_system_unreachable', failureReason: 'The ERP did not answer.' })),
        },
      ],
    },
    faults: [],
    checks: ['finishes-work', 'no-restart-on-resume'],
  },
  {
    name: 'queue',
    title: 'several pending jobs of different companies: claimed oldest first, one at a time, each finished before the next',
    fixtures: {
      companies: [{ id: COMPANY_A }, { id: COMPANY_B }, { id: COMPANY_C }],
      // Created out of company order, so "oldest first" is not "first listed".
      jobs: [
        { id: '10b00000-0000-4000-8000-00000000000b', companyId: COMPANY_B, status: 'pending', itemCount: 30, createdAt: '2026-01-05T08:40:00Z' },
        { id: '10b00000-0000-4000-8000-00000000000c', companyId: COMPANY_C, status: 'pending', itemCount: 25, createdAt: '2026-01-05T08:35:00Z' },
        { id: '10b00000-0000-4000-8000-00000000000a', companyId: COMPANY_A, status: 'pending', itemCount: 20, createdAt: '2026-01-05T08:50:00Z' },
      ],
    },
    faults: [],
    checks: ['finishes-work', 'oldest-first', 'one-job-at-a-time'],
  },
  {
    name: 'rate-limited',
    title: 'some requests answer 429 with Retry-After: the client waits at least that long, retries a bounded number of times, and finishes',
    fixtures: {
      companies: [{ id: COMPANY_A }],
      jobs: [{ id: JOB, companyId: COMPANY_A, status: 'pending', itemCount: 120 }],
    },
    faults: [
      { operationId: 'getExportItemsV3', when: { kind: 'everyNth', n: 2 }, action: { kind: 'status', status: 429, retryAfterSeconds: 1 } },
      { operationId: 'updateExportJobItemsV3', when: { kind: 'nth', n: 1 }, action: { kind: 'status', status: 429, retryAfterSeconds: 2 } },
      { operationId: 'getExportJobsListV3', when: { kind: 'nth', n: 1 }, action: { kind: 'status', status: 429, retryAfterSeconds: 1 } },
    ],
    checks: ['finishes-work'],
  },
  {
    name: 'flaky',
    title: '5xx answers and dropped connections on some requests (never after processing a write): retried with backoff, finished',
    fixtures: {
      companies: [{ id: COMPANY_A }],
      jobs: [{ id: JOB, companyId: COMPANY_A, status: 'pending', itemCount: 120 }],
    },
    // Writes only fail before processing (5xx, reset), so a retry is always safe; a cut-off body
    // (processed) is only injected on reads.
    faults: [
      { operationId: 'getExportJobItemsV3', when: { kind: 'nth', n: 1 }, action: { kind: 'status', status: 503 } },
      { operationId: 'getExportItemsV3', when: { kind: 'nth', n: 2 }, action: { kind: 'truncate' } },
      { operationId: 'updateExportJobItemsV3', when: { kind: 'nth', n: 1 }, action: { kind: 'reset' } },
      { operationId: 'updateExportJobItemsV3', when: { kind: 'nth', n: 2 }, action: { kind: 'status', status: 502 } },
      { operationId: 'createExportJobEventV3', when: { kind: 'nth', n: 1 }, action: { kind: 'status', status: 500 } },
    ],
    checks: ['finishes-work', 'backoff'],
  },
  {
    name: 'contra-accounts-missing',
    title: 'export items answer 400 MISSING_CONTRA_ACCOUNTS: no item results; the job is failed with a reason (or left to expire)',
    fixtures: {
      companies: [{ id: COMPANY_A, contraAccountsMapped: false }],
      jobs: [{ id: JOB, companyId: COMPANY_A, status: 'pending', itemCount: 40 }],
    },
    faults: [],
    checks: ['no-results-without-contra'],
  },
  {
    name: 'nothing-to-do',
    title: 'no pending or in_progress job, only finished history: the client makes no write request',
    fixtures: {
      companies: [{ id: COMPANY_A }, { id: COMPANY_B }],
      jobs: [
        { companyId: COMPANY_A, status: 'completed', itemCount: 12 },
        { companyId: COMPANY_B, status: 'failed', itemCount: 5 },
        { companyId: COMPANY_A, status: 'completed_with_errors', itemCount: 8 },
      ],
    },
    faults: [],
    checks: ['no-writes'],
  },
];

/** The names of the scenarios. */
export const CONTRACT_SCENARIO_NAMES: readonly string[] = CONTRACT_SCENARIOS.map((scenario) => scenario.name);
