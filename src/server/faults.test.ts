import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FaultSchedule,
  FaultSyntaxError,
  RateLimiter,
  describeAction,
  formatFaultRule,
  parseFaultAction,
  parseFaultRule,
  validateFaultRule,
  validateFaultRules,
  type FaultAction,
  type FaultRule,
  type FaultWhen,
} from './faults.js';

const ITEMS = 'getExportItemsV3';
const JOBS = 'getExportJobsListV3';
const ALWAYS: FaultWhen = { kind: 'always' };
const S503: FaultAction = { kind: 'status', status: 503 };
const S500: FaultAction = { kind: 'status', status: 500 };

const rule = (operationId: string, when: FaultWhen, action: FaultAction = S503): FaultRule => ({ operationId, when, action });

/** The 1-based positions, among `requests` calls for `operationId`, at which the schedule fires `ruleIndex`. */
function firingPositions(schedule: FaultSchedule, requests: number, operationId: string | null = ITEMS, ruleIndex = 0): number[] {
  const positions: number[] = [];
  for (let k = 1; k <= requests; k++) {
    if (schedule.decide(operationId)?.rule === ruleIndex) positions.push(k);
  }
  return positions;
}

function syntaxError(run: () => unknown): FaultSyntaxError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FaultSyntaxError);
    return error as FaultSyntaxError;
  }
  throw new Error('expected a FaultSyntaxError');
}

describe('parseFaultAction', () => {
  it.each<[string, FaultAction]>([
    ['503', S503],
    ['500', S500],
    ['502', { kind: 'status', status: 502 }],
    ['429', { kind: 'status', status: 429, retryAfterSeconds: 1 }],
    ['429;retry-after=5', { kind: 'status', status: 429, retryAfterSeconds: 5 }],
    ['429; Retry-After = 0', { kind: 'status', status: 429, retryAfterSeconds: 0 }],
    ['503;retry-after=3600', { kind: 'status', status: 503, retryAfterSeconds: 3600 }],
    ['latency=250', { kind: 'latency', ms: 250 }],
    ['latency=0', { kind: 'latency', ms: 0 }],
    ['latency=60000', { kind: 'latency', ms: 60000 }],
    ['reset', { kind: 'reset' }],
    [' TRUNCATE ', { kind: 'truncate' }],
  ])('reads %j', (text, expected) => {
    expect(parseFaultAction(text)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['', /^fault action '': no action given \(e\.g\. 503, 429;retry-after=2/],
    ['404', /^fault action '404': status 404 cannot be injected; use 429, 500, 502, 503 \(e\.g\. 503\)$/],
    ['200', /status 200 cannot be injected/],
    ['teapot', /unknown action 'teapot' \(e\.g\. 503, 429;retry-after=2, latency=250, reset or truncate\)$/],
    ['5O3', /unknown action '5O3'/],
    ['latency', /latency needs a duration, as latency=MS \(e\.g\. latency=250\)/],
    ['latency=fast', /latency: must be a whole number of milliseconds 0\.\.60000 \(e\.g\. latency=250\)/],
    ['latency=60001', /latency: must be a whole number of milliseconds 0\.\.60000/],
    ['latency=-1', /latency: must be a whole number/],
    ['latency=1.5', /latency: must be a whole number/],
    ['latency=100;retry-after=1', /latency takes no parameters/],
    ['429;retry-after=3601', /retry-after: must be a whole number of seconds 0\.\.3600 \(e\.g\. 429;retry-after=5\)/],
    ['429;retry-after=', /retry-after: must be a whole number of seconds/],
    ['429;retry-after=1e3', /retry-after: must be a whole number of seconds/],
    ['429;retry-after=1;retry-after=2', /retry-after is given more than once/],
    ['429;wait=5', /unknown parameter 'wait=5'; the only one is retry-after=SECONDS \(e\.g\. 429;retry-after=5\)/],
    ['reset;now', /reset takes no parameters \(e\.g\. reset\)/],
  ])('refuses %j', (text, message) => {
    expect(syntaxError(() => parseFaultAction(text)).message).toMatch(message);
  });
});

describe('parseFaultRule', () => {
  it.each<[string, FaultRule]>([
    ['getExportItemsV3@nth:2=503', rule(ITEMS, { kind: 'nth', n: 2 })],
    ['*@p:0.1:seed:7=reset', rule('*', { kind: 'probability', p: 0.1, seed: 7 }, { kind: 'reset' })],
    ['getExportJobsListV3@first:3=429;retry-after=2', rule(JOBS, { kind: 'firstN', n: 3 }, { kind: 'status', status: 429, retryAfterSeconds: 2 })],
    ['*=latency=100', rule('*', ALWAYS, { kind: 'latency', ms: 100 })],
    ['getExportItemsV3=500', rule(ITEMS, ALWAYS, S500)],
    ['getExportItemsV3@always=500', rule(ITEMS, ALWAYS, S500)],
    ['@every:4=truncate', rule('*', { kind: 'everyNth', n: 4 }, { kind: 'truncate' })],
    ['=503', rule('*', ALWAYS)],
    ['*@p:1:seed:4294967295=503', rule('*', { kind: 'probability', p: 1, seed: 4294967295 })],
    ['*@p:.5:seed:0=503', rule('*', { kind: 'probability', p: 0.5, seed: 0 })],
    [' getExportItemsV3 @ NTH:2 = 503 ', rule(ITEMS, { kind: 'nth', n: 2 })],
  ])('reads %j', (text, expected) => {
    expect(parseFaultRule(text)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['getExportItemsV3', /^fault rule 'getExportItemsV3': missing '=' and an action \(e\.g\. getExportItemsV3@nth:2=503\)$/],
    ['getExportItemsV3@nth:2=', /no action given/],
    ['getExportItemsV3@nth:2=404', /^fault rule 'getExportItemsV3@nth:2=404': status 404 cannot be injected/],
    ['getExportItemsV3@nth:0=503', /nth: must be a whole number >= 1 \(e\.g\. getExportItemsV3@nth:2=503\)/],
    ['getExportItemsV3@nth:1.5=503', /nth: must be a whole number >= 1/],
    ['getExportItemsV3@every:-2=503', /every: must be a whole number >= 1 \(e\.g\. getExportItemsV3@every:2=503\)/],
    ['getExportItemsV3@first=503', /first takes one count, as first:N/],
    ['getExportItemsV3@nth:1:2=503', /nth takes one count/],
    ['getExportItemsV3@always:1=503', /always takes no argument/],
    ['getExportItemsV3@sometimes=503', /unknown when 'sometimes'; expected always, nth:N, every:N, first:N or p:P:seed:S/],
    ['getExportItemsV3@=503', /nothing after '@'/],
    ['a@nth:1@nth:2=503', /more than one '@'/],
    ['get items=503', /'get items' is not an operationId or '\*'/],
    ['*@p:0.5=503', /a probability needs a seed, as p:P:seed:S, so that the run replays \(e\.g\. getExportItemsV3@p:0\.25:seed:7=503\)/],
    ['*@p:0.5:salt:1=503', /a probability needs a seed/],
    ['*@p:0:seed:1=503', /p: must be a number greater than 0 and at most 1/],
    ['*@p:1.01:seed:1=503', /p: must be a number greater than 0 and at most 1/],
    ['*@p:half:seed:1=503', /p: must be a number/],
    ['*@p:0.5:seed:4294967296=503', /seed: must be a whole number 0\.\.4294967295/],
    ['*@p:0.5:seed:-1=503', /seed: must be a whole number/],
  ])('refuses %j', (text, message) => {
    expect(syntaxError(() => parseFaultRule(text)).message).toMatch(message);
  });

  it('reads back what formatFaultRule writes', () => {
    const when = fc.oneof(
      fc.constant<FaultWhen>(ALWAYS),
      fc.record({ kind: fc.constantFrom('nth' as const, 'everyNth' as const, 'firstN' as const), n: fc.integer({ min: 1, max: 1e9 }) }),
      fc.record({
        kind: fc.constant('probability' as const),
        p: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
        seed: fc.integer({ min: 0, max: 0xffffffff }),
      }),
    );
    const action = fc.oneof(
      fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(500 as const, 502 as const, 503 as const) }),
      fc.record({ kind: fc.constant('status' as const), status: fc.constantFrom(429 as const, 503 as const), retryAfterSeconds: fc.integer({ min: 0, max: 3600 }) }),
      fc.record({ kind: fc.constant('latency' as const), ms: fc.integer({ min: 0, max: 60000 }) }),
      fc.constantFrom<FaultAction>({ kind: 'reset' }, { kind: 'truncate' }),
    );
    const operationId = fc.constantFrom('*', ITEMS, JOBS);
    fc.assert(
      fc.property(operationId, when, action, (id, w, a) => {
        const original = rule(id, w, a);
        expect(parseFaultRule(formatFaultRule(original))).toEqual(original);
      }),
    );
  });
});

describe('describeAction', () => {
  it.each<[FaultAction, string]>([
    [S503, 'status 503'],
    [{ kind: 'status', status: 429, retryAfterSeconds: 2 }, 'status 429 (Retry-After 2)'],
    [{ kind: 'latency', ms: 200 }, 'latency 200ms'],
    [{ kind: 'reset' }, 'reset'],
    [{ kind: 'truncate' }, 'truncate'],
  ])('describes %j as %j', (action, text) => {
    expect(describeAction(action)).toBe(text);
  });
});

describe('FaultSchedule', () => {
  it.each<[string, FaultWhen, number[]]>([
    ['always', ALWAYS, Array.from({ length: 20 }, (_, i) => i + 1)],
    ['nth', { kind: 'nth', n: 7 }, [7]],
    ['nth beyond the run', { kind: 'nth', n: 21 }, []],
    ['everyNth', { kind: 'everyNth', n: 6 }, [6, 12, 18]],
    ['everyNth 1', { kind: 'everyNth', n: 1 }, Array.from({ length: 20 }, (_, i) => i + 1)],
    ['firstN', { kind: 'firstN', n: 3 }, [1, 2, 3]],
  ])('%s fires at exactly the right requests of 20', (_, when, expected) => {
    expect(firingPositions(new FaultSchedule([rule(ITEMS, when)]), 20)).toEqual(expected);
  });

  it('answers with the action and index of the rule that fired', () => {
    const schedule = new FaultSchedule([rule(JOBS, ALWAYS), rule(ITEMS, ALWAYS, { kind: 'reset' })]);
    expect(schedule.decide(ITEMS)).toEqual({ action: { kind: 'reset' }, rule: 1 });
    expect(schedule.decide(JOBS)).toEqual({ action: S503, rule: 0 });
    expect(new FaultSchedule([]).decide(ITEMS)).toBeUndefined();
  });

  it('lets the first rule that fires win', () => {
    const schedule = new FaultSchedule([rule(ITEMS, { kind: 'everyNth', n: 2 }, S500), rule('*', { kind: 'everyNth', n: 3 })]);
    const decisions = Array.from({ length: 12 }, () => schedule.decide(ITEMS)?.rule);
    // 6 and 12 are multiples of both; rule 0 comes first.
    expect(decisions).toEqual([undefined, 0, 1, 0, undefined, 0, undefined, 0, 1, 0, undefined, 0]);
  });

  it('advances the count of a rule that matched but did not fire, or was beaten by an earlier rule', () => {
    // Rule 1 is shadowed for the first 3 requests, yet it counts them: its nth:4 is the 4th request.
    const schedule = new FaultSchedule([rule(ITEMS, { kind: 'firstN', n: 3 }, S500), rule(ITEMS, { kind: 'nth', n: 4 })]);
    expect(Array.from({ length: 6 }, () => schedule.decide(ITEMS)?.rule)).toEqual([0, 0, 0, 1, undefined, undefined]);
  });

  it('counts only the requests a rule matches, and * matches everything, unknown routes included', () => {
    const schedule = new FaultSchedule([rule(ITEMS, { kind: 'nth', n: 2 }), rule('*', { kind: 'nth', n: 4 }, S500)]);
    const requests: (string | null)[] = [JOBS, ITEMS, null, JOBS, ITEMS, ITEMS];
    // ITEMS' 2nd request is the 5th overall; * counts all, so its 4th is the 4th overall.
    expect(requests.map((operationId) => schedule.decide(operationId)?.rule)).toEqual([undefined, undefined, undefined, 1, 0, undefined]);
  });

  it('never matches a null operationId with a named rule', () => {
    const schedule = new FaultSchedule([rule(ITEMS, ALWAYS)]);
    expect(schedule.decide(null)).toBeUndefined();
    expect(schedule.decide('getExportItemsV2')).toBeUndefined();
  });

  it('keeps its rules, normalised, and validates them on construction', () => {
    const schedule = new FaultSchedule([{ operationId: '*', when: ALWAYS, action: { kind: 'status', status: 429 } }]);
    expect(schedule.rules()).toEqual([rule('*', ALWAYS, { kind: 'status', status: 429, retryAfterSeconds: 1 })]);
    expect(syntaxError(() => new FaultSchedule([rule(ITEMS, ALWAYS), rule(ITEMS, { kind: 'nth', n: 0 })])).message).toMatch(
      /^rules\[1\]\.when\.n: must be a whole number >= 1/,
    );
  });

  describe('probability', () => {
    const probability = (p: number, seed: number, operationId = ITEMS): FaultRule => rule(operationId, { kind: 'probability', p, seed });
    const pArbitrary = fc.double({ min: 0.02, max: 1, noNaN: true });
    const seedArbitrary = fc.integer({ min: 0, max: 0xffffffff });

    it('fires at the same requests for the same seed, and elsewhere for another seed', () => {
      fc.assert(
        fc.property(pArbitrary.filter((p) => p < 0.98), seedArbitrary, seedArbitrary, (p, seed, otherSeed) => {
          fc.pre(seed !== otherSeed);
          const first = firingPositions(new FaultSchedule([probability(p, seed)]), 1000);
          expect(firingPositions(new FaultSchedule([probability(p, seed)]), 1000)).toEqual(first);
          expect(firingPositions(new FaultSchedule([probability(p, otherSeed)]), 1000)).not.toEqual(first);
        }),
        { numRuns: 50 },
      );
    });

    it('fires at a rate close to p', () => {
      // 2000 requests: the standard deviation of the rate is at most 0.0112, so 0.06 is over 5 of them.
      fc.assert(
        fc.property(pArbitrary, seedArbitrary, (p, seed) => {
          const rate = firingPositions(new FaultSchedule([probability(p, seed)]), 2000).length / 2000;
          expect(Math.abs(rate - p)).toBeLessThan(0.06);
        }),
        { numRuns: 50 },
      );
    });

    it('always fires at p = 1', () => {
      expect(firingPositions(new FaultSchedule([probability(1, 123)]), 500)).toHaveLength(500);
    });

    it('fires at the same matched requests whatever other rules and requests there are', () => {
      fc.assert(
        fc.property(pArbitrary, seedArbitrary, fc.array(fc.constantFrom(ITEMS, JOBS, null), { minLength: 50, maxLength: 300 }), (p, seed, traffic) => {
          // Alone, fed only its own operation's requests.
          const alone = new FaultSchedule([probability(p, seed)]);
          const expected = traffic.filter((id) => id === ITEMS).map(() => alone.decide(ITEMS) !== undefined);
          // Behind another probability rule on every request, with other operations interleaved.
          const crowded = new FaultSchedule([probability(0.5, (seed ^ 1) >>> 0, JOBS), probability(p, seed), probability(0.3, seed, '*')]);
          const observed = traffic.flatMap((id) => {
            const decision = crowded.decide(id);
            return id === ITEMS ? [decision?.rule === 1] : [];
          });
          expect(observed).toEqual(expected);
        }),
        { numRuns: 50 },
      );
    });

    it('is only masked, not shifted, by an earlier rule that fires first', () => {
      const alone = firingPositions(new FaultSchedule([probability(0.4, 99)]), 100);
      const behind = firingPositions(new FaultSchedule([rule(ITEMS, { kind: 'firstN', n: 10 }), probability(0.4, 99)]), 100, ITEMS, 1);
      expect(alone.some((k) => k <= 10)).toBe(true);
      expect(behind).toEqual(alone.filter((k) => k > 10));
    });
  });
});

describe('RateLimiter', () => {
  const T0 = 1_700_000_000_000;

  it('allows exactly N requests within a minute', () => {
    const limiter = new RateLimiter(5);
    const results = Array.from({ length: 5 }, (_, i) => limiter.take(T0 + i * 1000).allowed);
    expect(results).toEqual([true, true, true, true, true]);
    expect(limiter.take(T0 + 5000).allowed).toBe(false);
    expect(limiter.take(T0 + 59_999).allowed).toBe(false);
  });

  it('gives the (N+1)th a Retry-After after which a retry succeeds, and not a second earlier', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 59_999 }), (limit, elapsed) => {
        const limiter = new RateLimiter(limit);
        for (let i = 0; i < limit; i++) expect(limiter.take(T0).allowed).toBe(true);
        const refused = limiter.take(T0 + elapsed);
        if (refused.allowed) throw new Error('the (N+1)th request was allowed');
        expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(refused.retryAfterSeconds).toBe(Math.max(1, Math.ceil((60_000 - elapsed) / 1000)));
        if (refused.retryAfterSeconds > 1) expect(limiter.take(T0 + elapsed + (refused.retryAfterSeconds - 1) * 1000).allowed).toBe(false);
        expect(limiter.take(T0 + elapsed + refused.retryAfterSeconds * 1000).allowed).toBe(true);
      }),
    );
  });

  it('says at least 1 second even when the window frees in under one', () => {
    const limiter = new RateLimiter(1);
    limiter.take(T0);
    expect(limiter.take(T0 + 59_999.5)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('slides: each request leaves the window 60 s after it was counted', () => {
    const limiter = new RateLimiter(3);
    for (const at of [0, 10_000, 20_000]) expect(limiter.take(T0 + at).allowed).toBe(true);
    expect(limiter.take(T0 + 30_000)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    // The request at 0 leaves at 60 s; the one at 10 s is still in.
    expect(limiter.take(T0 + 60_000).allowed).toBe(true);
    expect(limiter.take(T0 + 65_000)).toEqual({ allowed: false, retryAfterSeconds: 5 });
    expect(limiter.take(T0 + 70_000).allowed).toBe(true);
    expect(limiter.take(T0 + 80_000).allowed).toBe(true);
    // In the window now: 60 s, 70 s, 80 s; the oldest leaves at 120 s.
    expect(limiter.take(T0 + 80_001)).toEqual({ allowed: false, retryAfterSeconds: 40 });
  });

  it('never lets more than N through in any 60 s, over a long random run', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 200 }), (limit, gaps) => {
        const limiter = new RateLimiter(limit);
        const allowed: number[] = [];
        let now = T0;
        for (const gap of gaps) {
          now += gap;
          if (limiter.take(now).allowed) allowed.push(now);
        }
        allowed.forEach((at, i) => {
          expect(allowed.filter((other) => other > at - 60_000 && other <= at).length).toBeLessThanOrEqual(limit);
          // And it did not refuse when there was room: the previous N allowed reach back a minute or more.
          if (i >= limit) expect(at - (allowed[i - limit] ?? at)).toBeGreaterThanOrEqual(60_000);
        });
      }),
    );
  });

  it('refuses nonsense limits and times', () => {
    expect(() => new RateLimiter(0)).toThrow(RangeError);
    expect(() => new RateLimiter(2.5)).toThrow(RangeError);
    expect(() => new RateLimiter(10_000_000)).toThrow(RangeError);
    expect(() => new RateLimiter(1).take(Number.NaN)).toThrow(RangeError);
  });
});

describe('validateFaultRule', () => {
  it('fills in the defaults', () => {
    expect(validateFaultRule({ action: { kind: 'reset' } })).toEqual(rule('*', ALWAYS, { kind: 'reset' }));
    expect(validateFaultRule({ operationId: ITEMS, action: { kind: 'status', status: 429 } })).toEqual(
      rule(ITEMS, ALWAYS, { kind: 'status', status: 429, retryAfterSeconds: 1 }),
    );
  });

  it('accepts an empty list: no faults', () => {
    expect(validateFaultRules([])).toEqual([]);
  });

  it('accepts every form', () => {
    const rules: FaultRule[] = [
      rule(ITEMS, { kind: 'nth', n: 2 }),
      rule('*', { kind: 'everyNth', n: 3 }, { kind: 'latency', ms: 100 }),
      rule(JOBS, { kind: 'firstN', n: 1 }, { kind: 'status', status: 429, retryAfterSeconds: 0 }),
      rule('*', { kind: 'probability', p: 0.25, seed: 7 }, { kind: 'truncate' }),
      rule(ITEMS, ALWAYS, { kind: 'status', status: 502 }),
    ];
    expect(validateFaultRules(JSON.parse(JSON.stringify(rules)))).toEqual(rules);
  });

  it.each<[unknown, string]>([
    [{}, 'rules: must be an array of rules'],
    [[{ action: { kind: 'reset' } }, 'reset'], 'rules[1]: must be an object'],
    [[{ action: { kind: 'reset' } }, {}], 'rules[1].action: is required'],
    [[{ action: { kind: 'reset' } }, { action: { kind: 'reset' } }, { when: { kind: 'nth', n: 0 }, action: { kind: 'reset' } }], 'rules[2].when.n: must be a whole number >= 1, got 0'],
    [[{ when: { kind: 'everyNth', n: 1.5 }, action: { kind: 'reset' } }], 'rules[0].when.n: must be a whole number >= 1, got 1.5'],
    [[{ when: { kind: 'firstN', n: '3' }, action: { kind: 'reset' } }], 'rules[0].when.n: must be a whole number >= 1, got "3"'],
    [[{ when: { kind: 'firstN' }, action: { kind: 'reset' } }], 'rules[0].when.n: is required and must be a whole number >= 1'],
    [[{ when: { kind: 'sometimes' }, action: { kind: 'reset' } }], 'rules[0].when.kind: must be one of always, nth, everyNth, firstN, probability, got "sometimes"'],
    [[{ when: { kind: 'always', n: 2 }, action: { kind: 'reset' } }], 'rules[0].when.n: unknown property; expected only kind'],
    [[{ when: { kind: 'probability', p: 0, seed: 1 }, action: { kind: 'reset' } }], 'rules[0].when.p: must be a number greater than 0 and at most 1, got 0'],
    [[{ when: { kind: 'probability', p: 0.5 }, action: { kind: 'reset' } }], 'rules[0].when.seed: is required and must be a whole number 0..4294967295'],
    [[{ when: { kind: 'probability', p: 0.5, seed: -1 }, action: { kind: 'reset' } }], 'rules[0].when.seed: must be a whole number 0..4294967295, got -1'],
    [[{ when: 'always', action: { kind: 'reset' } }], 'rules[0].when: must be an object'],
    [[{ operationId: 7, action: { kind: 'reset' } }], 'rules[0].operationId: must be an operationId (e.g. "getExportItemsV3") or "*", got 7'],
    [[{ operationId: 'a=b', action: { kind: 'reset' } }], 'rules[0].operationId: must be an operationId'],
    [[{ action: { kind: 'status', status: 404 } }], 'rules[0].action.status: must be one of 429, 500, 502, 503, got 404'],
    [[{ action: { kind: 'status' } }], 'rules[0].action.status: is required'],
    [[{ action: { kind: 'status', status: 429, retryAfterSeconds: 3601 } }], 'rules[0].action.retryAfterSeconds: must be a whole number of seconds 0..3600, got 3601'],
    [[{ action: { kind: 'status', status: 429, retryAfter: 2 } }], 'rules[0].action.retryAfter: unknown property; expected only kind, status, retryAfterSeconds'],
    [[{ action: { kind: 'latency', ms: 60001 } }], 'rules[0].action.ms: must be a whole number of milliseconds 0..60000, got 60001'],
    [[{ action: { kind: 'latency' } }], 'rules[0].action.ms: is required'],
    [[{ action: { kind: 'explode' } }], 'rules[0].action.kind: must be one of status, latency, reset, truncate, got "explode"'],
    [[{ action: {} }], 'rules[0].action.kind: must be one of status, latency, reset, truncate, got nothing'],
    [[{ action: { kind: 'reset' }, name: 'x' }], 'rules[0].name: unknown property; expected only operationId, when, action'],
  ])('refuses %j naming the path', (value, message) => {
    expect(syntaxError(() => validateFaultRules(value)).message).toContain(message);
  });

  it('names a single rule as rule unless told otherwise', () => {
    expect(syntaxError(() => validateFaultRule(null)).message).toMatch(/^rule: must be an object/);
    expect(syntaxError(() => validateFaultRule({ when: { kind: 'nth', n: 0 }, action: { kind: 'reset' } }, 'faults.rules[2]')).message).toMatch(
      /^faults\.rules\[2\]\.when\.n: must be a whole number >= 1/,
    );
  });
});
