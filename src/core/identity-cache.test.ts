import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GenerationalCache } from './identity-cache.js';

describe('GenerationalCache', () => {
  it('computes a key once while it is cached', () => {
    const cache = new GenerationalCache<object, number>(4);
    const key = {};
    let calls = 0;
    const compute = () => ++calls;
    expect(cache.get(key, compute)).toBe(1);
    expect(cache.get(key, compute)).toBe(1);
    expect(calls).toBe(1);
  });

  it('always answers what compute would, and recomputes only keys it has dropped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 80 }), (capacity, keys) => {
        const cache = new GenerationalCache<number, string>(capacity);
        let computed = 0;
        keys.forEach((key, index) => {
          const before = computed;
          expect(cache.get(key, (k) => { computed++; return `v${k}`; })).toBe(`v${key}`);
          // A key looked up again before `capacity` other distinct keys were is never recomputed;
          // a key never looked up before always is.
          const last = index === 0 ? -1 : keys.lastIndexOf(key, index - 1);
          if (last === -1) expect(computed).toBe(before + 1);
          else if (new Set(keys.slice(last + 1, index)).size < capacity) expect(computed).toBe(before);
        });
        // Nothing is recomputed while every key fits in one generation.
        const distinct = new Set(keys).size;
        if (distinct <= capacity) expect(computed).toBe(distinct);
      }),
    );
  });

  it('drops the older generation when the newer fills', () => {
    const cache = new GenerationalCache<number, number>(2);
    const computed: number[] = [];
    const compute = (k: number) => { computed.push(k); return k; };
    for (const key of [1, 2, 3, 4, 5]) cache.get(key, compute);
    cache.get(5, compute);
    cache.get(4, compute);
    cache.get(1, compute);
    expect(computed).toEqual([1, 2, 3, 4, 5, 1]);
  });

  it('find answers only what is kept, keeping an older value in the newer generation; set replaces', () => {
    const cache = new GenerationalCache<string, number>(2);
    expect(cache.find('a')).toBeUndefined();
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.find('a')).toBe(2);
    cache.set('b', 3);
    cache.set('c', 4); // a and b are the older generation now
    expect(cache.find('a')).toBe(2); // and a is kept in the newer one again
    cache.set('d', 5); // c and a are the older generation; b is gone
    expect(cache.find('b')).toBeUndefined();
    expect(cache.find('a')).toBe(2);
    expect(cache.get('b', () => 7)).toBe(7);
  });

  it('refuses a capacity below one', () => {
    expect(() => new GenerationalCache(0)).toThrow(RangeError);
  });
});
