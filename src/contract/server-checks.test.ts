import { describe, expect, it } from 'vitest';
import { CheckRecorder, MAX_EVIDENCE } from './server-check-recorder.js';
import { SCENARIO_CHECKS, SERVER_CHECKS, SERVER_SCENARIOS } from './server-checks.js';

describe('the server-mode check catalogue', () => {
  it('pins the published check names: they never change once released', () => {
    expect(Object.keys(SERVER_CHECKS)).toEqual([
      'reachable',
      'paging-consistent',
      'filters-correct',
      'not-found-shape',
      'bad-request-shape',
      'job-created',
      'item-cap',
      'per-item-errors',
      'event-transitions',
      'responses-match-spec',
    ]);
    expect(Object.keys(SERVER_SCENARIOS)).toEqual(['read-only', 'writes']);
  });

  it.each(Object.entries(SERVER_CHECKS))('%s is kebab-case with a one-line rule and hint', (name, definition) => {
    expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    for (const text of [definition.rule, definition.hint]) {
      expect(text).not.toMatch(/\n/);
      expect(text.length).toBeGreaterThan(20);
    }
  });

  it('places every check in a group, and only responses-match-spec in both', () => {
    const placed = Object.values(SCENARIO_CHECKS).flat();
    expect(new Set(placed)).toEqual(new Set(Object.keys(SERVER_CHECKS)));
    expect(placed.filter((name, index) => placed.indexOf(name) !== index)).toEqual(['responses-match-spec']);
    expect(SCENARIO_CHECKS['read-only'][0]).toBe('reachable');
  });
});

describe('CheckRecorder', () => {
  const request = { method: 'GET', url: '/v3/export-jobs', status: 200 };

  it('passes when nothing was recorded', () => {
    expect(new CheckRecorder('item-cap').result()).toEqual({ name: 'item-cap', rule: SERVER_CHECKS['item-cap'].rule, hint: SERVER_CHECKS['item-cap'].hint, status: 'passed', evidence: [] });
  });

  it('is skipped with the first reason given', () => {
    const check = new CheckRecorder('paging-consistent');
    check.skip('no jobs');
    check.skip('another reason');
    expect(check.result()).toMatchObject({ status: 'skipped', skippedBecause: 'no jobs', evidence: [] });
  });

  it('fails when a failure was recorded, even if it was also skipped', () => {
    const check = new CheckRecorder('paging-consistent');
    check.skip('no jobs');
    check.fail('page 2 repeats a row', 'each row once', [request]);
    expect(check.result()).toMatchObject({ status: 'failed', evidence: [{ problem: 'page 2 repeats a row', expected: 'each row once', requests: [request] }] });
    expect(check.result().skippedBecause).toBeUndefined();
  });

  it(`keeps the first ${MAX_EVIDENCE} pieces of evidence and counts the rest in the last`, () => {
    const check = new CheckRecorder('filters-correct');
    for (let index = 1; index <= MAX_EVIDENCE + 3; index++) check.fail(`problem ${index}`, 'nothing wrong', [request]);
    const { evidence } = check.result();
    expect(evidence).toHaveLength(MAX_EVIDENCE);
    expect(evidence.map((entry) => entry.problem)).toEqual(['problem 1', 'problem 2', 'problem 3', 'problem 4', 'problem 5 (and 3 more problems not shown)']);
    expect(check.failureCount).toBe(MAX_EVIDENCE + 3);
  });
});
