import { describe, expect, it } from 'vitest';
import { sampleJobs } from './server-probes.js';

describe('sampleJobs', () => {
  it('takes the largest, the smallest and a middle job that have items', () => {
    const jobs = [7, 0, 200, 3, 54, 21].map((numberOfItems, index) => ({ id: `job-${index}`, numberOfItems }));
    expect(sampleJobs(jobs).map((job) => job.numberOfItems)).toEqual([200, 3, 21]);
  });

  it('takes each job once when there are few', () => {
    expect(sampleJobs([{ id: 'a', numberOfItems: 4 }]).map((job) => job.id)).toEqual(['a']);
    expect(sampleJobs([{ id: 'a', numberOfItems: 4 }, { id: 'b', numberOfItems: 2 }]).map((job) => job.id)).toEqual(['a', 'b']);
  });

  it('keeps jobs whose item count is unknown, and drops rows without an id', () => {
    expect(sampleJobs([{ id: 'a' }, { numberOfItems: 3 }, { id: 'b', numberOfItems: 0 }]).map((job) => job.id)).toEqual(['a']);
  });
});
