/**
 * Fault injection: rules that make chosen requests fail the way Pleo and networks fail (a 429
 * with Retry-After, a 5xx, a slow answer, a dropped connection, a body cut off mid-way), and a
 * sliding-window rate limiter. Pure logic: the server asks which fault, if any, a request gets
 * and applies it. Nothing here reads a clock or a random source, so a CI run that failed on an
 * injected fault replays exactly.
 *
 * Rules come from three places, all normalised to the same {@link FaultRule}: the `--fault` flag
 * ({@link parseFaultRule}), `PUT /__admin/faults` ({@link validateFaultRules}) and, for a single
 * request, the `x-mock-fault` header ({@link parseFaultAction}).
 */
import { fmix32 } from '../core/word-hash.js';

/** What happens to a request a rule fires on. */
export type FaultAction =
  | { readonly kind: 'status'; readonly status: FaultStatus; readonly retryAfterSeconds?: number }
  /** Delay, then answer normally. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Drop the connection without answering. */
  | { readonly kind: 'reset' }
  /** Send the headers and part of the body, then drop the connection. */
  | { readonly kind: 'truncate' };

/** The statuses a fault can answer with: the ones Pleo and its gateways are seen to send. */
export const FAULT_STATUSES = [429, 500, 502, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** Which of the requests a rule matches it fires on; counts are 1-based. */
export type FaultWhen =
  | { readonly kind: 'always' }
  /** Only the nth matching request. */
  | { readonly kind: 'nth'; readonly n: number }
  /** Requests n, 2n, 3n, ... */
  | { readonly kind: 'everyNth'; readonly n: number }
  /** The first n matching requests. */
  | { readonly kind: 'firstN'; readonly n: number }
  /** Each matching request with probability p, decided by (seed, request count) alone. */
  | { readonly kind: 'probability'; readonly p: number; readonly seed: number };

/** One rule: which requests, when, and what happens. */
export interface FaultRule {
  /** The spec operation the rule applies to; `*` for every request, unmatched routes included. */
  readonly operationId: string;
  readonly when: FaultWhen;
  readonly action: FaultAction;
}

/** A malformed fault rule or action; the message names what is wrong and shows the right form. */
export class FaultSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSyntaxError';
  }
}

/** Every operation. */
export const ANY_OPERATION = '*';
/** Longest injectable latency: longer than any sane client timeout, short enough to not hang CI. */
export const MAX_LATENCY_MS = 60_000;
/** Largest Retry-After a fault may send. */
export const MAX_RETRY_AFTER_SECONDS = 3_600;
/** Retry-After of a 429 that does not say: the smallest wait a client can honour. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;
const MAX_SEED = 0xffff_ffff;
const ALWAYS: FaultWhen = { kind: 'always' };
// Spec operationIds are identifiers; `@` and `=` are excluded because the text syntax uses them.
const OPERATION_ID = /^[A-Za-z0-9_.-]+$/;

const ACTION_EXAMPLE = '503, 429;retry-after=2, latency=250, reset or truncate';
const RULE_EXAMPLE = 'getExportItemsV3@nth:2=503';

// --- Deciding ----------------------------------------------------------------------------------

/**
 * The rules in force for a tenant. Each rule counts the requests it matches; every matching
 * rule's count advances on every request, whether or not it fires, so adding a rule never shifts
 * when another one fires. The first rule (in order) that fires wins.
 */
export class FaultSchedule {
  private readonly list: readonly FaultRule[];
  private readonly matched: number[];

  /** Validates the rules (as {@link validateFaultRules} does) and starts every count at zero. */
  constructor(rules: readonly FaultRule[]) {
    this.list = Object.freeze(validateFaultRules(rules));
    this.matched = this.list.map(() => 0);
  }

  /** The fault for a request of `operationId` (null: no operation matched), if any, and its rule's index. */
  decide(operationId: string | null): { action: FaultAction; rule: number } | undefined {
    let decision: { action: FaultAction; rule: number } | undefined;
    for (const [index, rule] of this.list.entries()) {
      if (rule.operationId !== ANY_OPERATION && rule.operationId !== operationId) continue;
      const count = (this.matched[index] ?? 0) + 1;
      this.matched[index] = count;
      // No early return: later rules still count this request.
      if (decision === undefined && fires(rule.when, count)) decision = { action: rule.action, rule: index };
    }
    return decision;
  }

  /** The rules, normalised (a 429 without Retry-After gets the default), in order. */
  rules(): readonly FaultRule[] {
    return this.list;
  }
}

/** Whether a rule fires on the `count`-th request it matches. */
function fires(when: FaultWhen, count: number): boolean {
  switch (when.kind) {
    case 'always':
      return true;
    case 'nth':
      return count === when.n;
    case 'everyNth':
      return count % when.n === 0;
    case 'firstN':
      return count <= when.n;
    case 'probability':
      // p = 1 always fires: the unit value is below 1.
      return unitValue(when.seed, count) < when.p;
  }
}

/**
 * A value in [0, 1) that depends only on (seed, count): the decision for a request is the same
 * in every run, whatever other rules and requests there are and however long each takes.
 */
function unitValue(seed: number, count: number): number {
  // Counts beyond 2^32 are folded in through their high part, so no two counts collide.
  let hash = fmix32(seed ^ 0x9e37_79b9);
  hash = fmix32((hash + Math.imul(count >>> 0, 0x85eb_ca77)) >>> 0);
  hash = fmix32(hash ^ Math.floor(count / 0x1_0000_0000));
  return hash / 0x1_0000_0000;
}

/** A short description of an action for journal entries and logs, e.g. `status 429 (Retry-After 2)`. */
export function describeAction(action: FaultAction): string {
  switch (action.kind) {
    case 'status':
      return action.retryAfterSeconds === undefined ? `status ${action.status}` : `status ${action.status} (Retry-After ${action.retryAfterSeconds})`;
    case 'latency':
      return `latency ${action.ms}ms`;
    case 'reset':
    case 'truncate':
      return action.kind;
  }
}

// --- Rate limiting -----------------------------------------------------------------------------

/** Most requests per minute a limiter may allow; it keeps one timestamp (8 bytes) per request. */
export const MAX_REQUESTS_PER_MINUTE = 1_000_000;
const WINDOW_MS = 60_000;

/**
 * At most `requestsPerMinute` requests in any sliding 60 seconds. Times are real time (epoch or
 * monotonic ms), not the mock clock: a client waits out a Retry-After in real time even when the
 * mock clock is frozen. Only allowed requests count, and only the last `requestsPerMinute` of
 * them are kept (a ring), since an older one cannot decide anything.
 */
export class RateLimiter {
  private readonly times: Float64Array;
  private oldest = 0;
  private kept = 0;

  constructor(readonly requestsPerMinute: number) {
    if (!Number.isSafeInteger(requestsPerMinute) || requestsPerMinute < 1 || requestsPerMinute > MAX_REQUESTS_PER_MINUTE) {
      throw new RangeError(`requestsPerMinute must be a whole number 1..${MAX_REQUESTS_PER_MINUTE}`);
    }
    this.times = new Float64Array(requestsPerMinute);
  }

  /**
   * Counts a request at `nowMs` if the window has room; otherwise says how many whole seconds
   * until the oldest counted request leaves the window (at least 1).
   */
  take(nowMs: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    if (!Number.isFinite(nowMs)) throw new RangeError('nowMs must be a finite number of milliseconds');
    const capacity = this.times.length;
    if (this.kept < capacity) {
      this.times[(this.oldest + this.kept) % capacity] = nowMs;
      this.kept++;
      return { allowed: true };
    }
    const waitMs = (this.times[this.oldest] ?? nowMs) + WINDOW_MS - nowMs;
    if (waitMs <= 0) {
      this.times[this.oldest] = nowMs;
      this.oldest = (this.oldest + 1) % capacity;
      return { allowed: true };
    }
    // Capped at the window: more only happens when the caller's clock stepped backwards.
    return { allowed: false, retryAfterSeconds: Math.min(Math.max(Math.ceil(waitMs / 1000), 1), WINDOW_MS / 1000) };
  }
}

// --- Limits shared by the text and JSON forms ---------------------------------------------------

// Each returns what is wrong with a value, or undefined when it is fine, so that `--fault`, the
// header and the admin API word the same mistake the same way.

function countProblem(n: number): string | undefined {
  return Number.isSafeInteger(n) && n >= 1 ? undefined : 'must be a whole number >= 1';
}

function probabilityProblem(p: number): string | undefined {
  return Number.isFinite(p) && p > 0 && p <= 1 ? undefined : 'must be a number greater than 0 and at most 1';
}

function seedProblem(seed: number): string | undefined {
  return Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED ? undefined : `must be a whole number 0..${MAX_SEED}`;
}

function statusProblem(status: number): string | undefined {
  return isFaultStatus(status) ? undefined : `must be one of ${FAULT_STATUSES.join(', ')}`;
}

function latencyProblem(ms: number): string | undefined {
  return Number.isInteger(ms) && ms >= 0 && ms <= MAX_LATENCY_MS ? undefined : `must be a whole number of milliseconds 0..${MAX_LATENCY_MS}`;
}

function retryAfterProblem(seconds: number): string | undefined {
  return Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_RETRY_AFTER_SECONDS
    ? undefined
    : `must be a whole number of seconds 0..${MAX_RETRY_AFTER_SECONDS}`;
}

function isFaultStatus(status: number): status is FaultStatus {
  return (FAULT_STATUSES as readonly number[]).includes(status);
}

function statusAction(status: FaultStatus, retryAfterSeconds: number | undefined): FaultAction {
  // A 429 always says how long to wait: clients that honour Retry-After need one to test against.
  const retryAfter = retryAfterSeconds ?? (status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
  return retryAfter === undefined ? { kind: 'status', status } : { kind: 'status', status, retryAfterSeconds: retryAfter };
}

// --- Text syntax ---------------------------------------------------------------------------------

/**
 * Parses an action as the `x-mock-fault` header gives it: `503`, `500`, `502`, `429` (Retry-After
 * 1), `429;retry-after=5`, `latency=250`, `reset` or `truncate`. Keywords ignore case.
 */
export function parseFaultAction(text: string): FaultAction {
  return actionFromText(text, `fault action '${text}'`);
}

/**
 * Parses a rule as `--fault` gives it: `[operationId|*][@when]=action`, when being `always`
 * (the default), `nth:N`, `every:N`, `first:N` or `p:P:seed:S`; e.g. `getExportItemsV3@nth:2=503`,
 * `*@p:0.1:seed:7=reset`, `*=latency=100`. An absent operationId means `*`.
 */
export function parseFaultRule(text: string): FaultRule {
  const subject = `fault rule '${text}'`;
  // The action may itself contain `=` (latency=100), the selector never does.
  const equals = text.indexOf('=');
  if (equals < 0) fail(subject, "missing '=' and an action", RULE_EXAMPLE);
  const selector = text.slice(0, equals).trim();
  const at = selector.indexOf('@');
  const target = (at < 0 ? selector : selector.slice(0, at)).trim();
  const whenText = at < 0 ? '' : selector.slice(at + 1).trim();
  if (whenText.includes('@')) fail(subject, "more than one '@'", RULE_EXAMPLE);
  const operationId = target === '' ? ANY_OPERATION : target;
  if (operationId !== ANY_OPERATION && !OPERATION_ID.test(operationId)) {
    fail(subject, `'${operationId}' is not an operationId or '*'`, RULE_EXAMPLE);
  }
  if (at >= 0 && whenText === '') fail(subject, "nothing after '@'; give always, nth:N, every:N, first:N or p:P:seed:S", RULE_EXAMPLE);
  const when = whenText === '' ? ALWAYS : whenFromText(whenText, subject);
  return { operationId, when, action: actionFromText(text.slice(equals + 1), subject) };
}

/** The text form of a rule, which {@link parseFaultRule} reads back as the same rule. */
export function formatFaultRule(rule: FaultRule): string {
  const when = rule.when.kind === 'always' ? '' : `@${formatWhen(rule.when)}`;
  return `${rule.operationId}${when}=${formatAction(rule.action)}`;
}

function formatWhen(when: FaultWhen): string {
  switch (when.kind) {
    case 'always':
      return 'always';
    case 'nth':
      return `nth:${when.n}`;
    case 'everyNth':
      return `every:${when.n}`;
    case 'firstN':
      return `first:${when.n}`;
    case 'probability':
      return `p:${when.p}:seed:${when.seed}`;
  }
}

function formatAction(action: FaultAction): string {
  switch (action.kind) {
    case 'status':
      return action.retryAfterSeconds === undefined ? `${action.status}` : `${action.status};retry-after=${action.retryAfterSeconds}`;
    case 'latency':
      return `latency=${action.ms}`;
    case 'reset':
    case 'truncate':
      return action.kind;
  }
}

const WHOLE = /^\d+$/;
const DECIMAL = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

// Digits only, so `1e3`, `+2`, `0x10` and `2.0` are refused rather than read as numbers.
function wholeFromText(text: string): number {
  return WHOLE.test(text) ? Number(text) : Number.NaN;
}

function whenFromText(text: string, subject: string): FaultWhen {
  const [kind = '', ...args] = text.split(':').map((part) => part.trim());
  const example = (form: string): string => `getExportItemsV3@${form}=503`;
  switch (kind.toLowerCase()) {
    case 'always':
      if (args.length > 0) fail(subject, 'always takes no argument', example('always'));
      return ALWAYS;
    case 'nth':
    case 'every':
    case 'first': {
      const name = kind.toLowerCase();
      const form = `${name}:2`;
      if (args.length !== 1) fail(subject, `${name} takes one count, as ${name}:N`, example(form));
      const n = wholeFromText(args[0] ?? '');
      const problem = countProblem(n);
      if (problem !== undefined) fail(subject, `${name}: ${problem}`, example(form));
      if (name === 'nth') return { kind: 'nth', n };
      return name === 'every' ? { kind: 'everyNth', n } : { kind: 'firstN', n };
    }
    case 'p': {
      const form = 'p:0.25:seed:7';
      const [pText = '', seedWord = '', seedText = ''] = args;
      if (args.length !== 3 || seedWord.toLowerCase() !== 'seed') {
        fail(subject, 'a probability needs a seed, as p:P:seed:S, so that the run replays', example(form));
      }
      const p = DECIMAL.test(pText) ? Number(pText) : Number.NaN;
      const pProblem = probabilityProblem(p);
      if (pProblem !== undefined) fail(subject, `p: ${pProblem}`, example(form));
      const seed = wholeFromText(seedText);
      const seedIssue = seedProblem(seed);
      if (seedIssue !== undefined) fail(subject, `seed: ${seedIssue}`, example(form));
      return { kind: 'probability', p, seed };
    }
    default:
      fail(subject, `unknown when '${kind}'; expected always, nth:N, every:N, first:N or p:P:seed:S`, RULE_EXAMPLE);
  }
}

function actionFromText(raw: string, subject: string): FaultAction {
  const text = raw.trim();
  if (text === '') fail(subject, 'no action given', ACTION_EXAMPLE);
  const [head = '', ...parameters] = text.split(';').map((part) => part.trim());
  const word = head.toLowerCase();
  if (word === 'reset' || word === 'truncate') {
    if (parameters.length > 0) fail(subject, `${word} takes no parameters`, word);
    return { kind: word };
  }
  if (word.startsWith('latency')) {
    const match = /^latency\s*=\s*(.*)$/.exec(word);
    if (match === null) fail(subject, 'latency needs a duration, as latency=MS', 'latency=250');
    const ms = wholeFromText(match[1] ?? '');
    const problem = latencyProblem(ms);
    if (problem !== undefined) fail(subject, `latency: ${problem}`, 'latency=250');
    if (parameters.length > 0) fail(subject, 'latency takes no parameters', 'latency=250');
    return { kind: 'latency', ms };
  }
  if (!WHOLE.test(word)) fail(subject, `unknown action '${head}'`, ACTION_EXAMPLE);
  const status = Number(word);
  if (!isFaultStatus(status)) fail(subject, `status ${status} cannot be injected; use ${FAULT_STATUSES.join(', ')}`, '503');
  let retryAfterSeconds: number | undefined;
  for (const parameter of parameters) {
    const match = /^retry-after\s*=\s*(.*)$/i.exec(parameter);
    if (match === null) fail(subject, `unknown parameter '${parameter}'; the only one is retry-after=SECONDS`, '429;retry-after=5');
    if (retryAfterSeconds !== undefined) fail(subject, 'retry-after is given more than once', '429;retry-after=5');
    retryAfterSeconds = wholeFromText(match[1] ?? '');
    const problem = retryAfterProblem(retryAfterSeconds);
    if (problem !== undefined) fail(subject, `retry-after: ${problem}`, '429;retry-after=5');
  }
  return statusAction(status, retryAfterSeconds);
}

function fail(subject: string, reason: string, example: string): never {
  throw new FaultSyntaxError(`${subject}: ${reason} (e.g. ${example})`);
}

// --- JSON form -----------------------------------------------------------------------------------

type JsonObject = Readonly<Record<string, unknown>>;

/** Narrows the `rules` array of `PUT /__admin/faults`; errors name the path, e.g. `rules[2].when.n`. */
export function validateFaultRules(value: unknown, path = 'rules'): FaultRule[] {
  if (!Array.isArray(value)) throw new FaultSyntaxError(`${path}: must be an array of rules`);
  return value.map((rule: unknown, index) => validateFaultRule(rule, `${path}[${index}]`));
}

/**
 * Narrows one rule in its JSON form (`operationId` defaults to `*`, `when` to always; a 429
 * without `retryAfterSeconds` gets 1). Unknown properties are refused, since a misspelt one
 * would otherwise be ignored in silence. Errors name the path, e.g. `rule.when.n: ...`.
 */
export function validateFaultRule(value: unknown, path = 'rule'): FaultRule {
  const rule = objectAt(value, path, '{ "operationId": "getExportItemsV3", "when": { "kind": "nth", "n": 2 }, "action": { "kind": "status", "status": 503 } }');
  onlyKeys(rule, ['operationId', 'when', 'action'], path);
  let operationId = ANY_OPERATION;
  if (rule.operationId !== undefined) {
    if (typeof rule.operationId !== 'string' || (rule.operationId !== ANY_OPERATION && !OPERATION_ID.test(rule.operationId))) {
      throw new FaultSyntaxError(`${path}.operationId: must be an operationId (e.g. "getExportItemsV3") or "*", got ${show(rule.operationId)}`);
    }
    operationId = rule.operationId;
  }
  const when = rule.when === undefined ? ALWAYS : whenFromJson(rule.when, `${path}.when`);
  if (rule.action === undefined) throw new FaultSyntaxError(`${path}.action: is required (e.g. { "kind": "status", "status": 503 })`);
  return { operationId, when, action: actionFromJson(rule.action, `${path}.action`) };
}

function whenFromJson(value: unknown, path: string): FaultWhen {
  const when = objectAt(value, path, '{ "kind": "nth", "n": 2 }');
  switch (when.kind) {
    case 'always':
      onlyKeys(when, ['kind'], path);
      return ALWAYS;
    case 'nth':
    case 'everyNth':
    case 'firstN': {
      onlyKeys(when, ['kind', 'n'], path);
      const n = numberAt(when.n, `${path}.n`, countProblem);
      return { kind: when.kind, n };
    }
    case 'probability': {
      onlyKeys(when, ['kind', 'p', 'seed'], path);
      const p = numberAt(when.p, `${path}.p`, probabilityProblem);
      const seed = numberAt(when.seed, `${path}.seed`, seedProblem);
      return { kind: 'probability', p, seed };
    }
    default:
      throw new FaultSyntaxError(`${path}.kind: must be one of always, nth, everyNth, firstN, probability, got ${show(when.kind)}`);
  }
}

function actionFromJson(value: unknown, path: string): FaultAction {
  const action = objectAt(value, path, '{ "kind": "status", "status": 429, "retryAfterSeconds": 2 }');
  switch (action.kind) {
    case 'status': {
      onlyKeys(action, ['kind', 'status', 'retryAfterSeconds'], path);
      const status = numberAt(action.status, `${path}.status`, statusProblem);
      const retryAfter = action.retryAfterSeconds === undefined ? undefined : numberAt(action.retryAfterSeconds, `${path}.retryAfterSeconds`, retryAfterProblem);
      // statusProblem let it through, so it is one of the fault statuses.
      return statusAction(status as FaultStatus, retryAfter);
    }
    case 'latency':
      onlyKeys(action, ['kind', 'ms'], path);
      return { kind: 'latency', ms: numberAt(action.ms, `${path}.ms`, latencyProblem) };
    case 'reset':
    case 'truncate':
      onlyKeys(action, ['kind'], path);
      return { kind: action.kind };
    default:
      throw new FaultSyntaxError(`${path}.kind: must be one of status, latency, reset, truncate, got ${show(action.kind)}`);
  }
}

function objectAt(value: unknown, path: string, example: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaultSyntaxError(`${path}: must be an object, e.g. ${example}`);
  }
  return value as JsonObject;
}

function onlyKeys(object: JsonObject, allowed: readonly string[], path: string): void {
  const unknown = Object.keys(object).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new FaultSyntaxError(`${path}.${unknown}: unknown property; expected only ${allowed.join(', ')}`);
}

function numberAt(value: unknown, path: string, problemOf: (n: number) => string | undefined): number {
  if (value === undefined) throw new FaultSyntaxError(`${path}: is required and ${problemOf(Number.NaN) ?? ''}`);
  const problem = typeof value === 'number' ? problemOf(value) : problemOf(Number.NaN);
  if (problem !== undefined) throw new FaultSyntaxError(`${path}: ${problem}, got ${show(value)}`);
  return value as number;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/**
 * Refuses rules that name an operation the spec does not have: such a rule would never fire, and
 * a misspelt operationId in CI would silently test nothing.
 */
export function assertKnownOperations(rules: readonly FaultRule[], operationIds: ReadonlySet<string>, path = 'rules'): void {
  rules.forEach((rule, index) => {
    if (rule.operationId !== ANY_OPERATION && !operationIds.has(rule.operationId)) {
      throw new FaultSyntaxError(`${path}[${index}].operationId: '${rule.operationId}' is not an operation of the Export API; use an operationId from /openapi.json, or '*'`);
    }
  });
}
