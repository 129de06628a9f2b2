/**
 * A bounded memo for pure functions of immutable records. Records are never changed in place (a
 * change replaces the record), so what a function computed from a record stays right for as long
 * as the record lives; the cache only has to stay small.
 *
 * Two generations of at most `capacity` entries each: when the newer is full, the older is
 * dropped. Entries read recently (a page re-read, a walk in progress) survive a turnover, and a
 * walk through a million records costs at most twice the capacity, not a copy of the store.
 */
export class GenerationalCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('a cache keeps at least one entry');
  }

  /** The value for a key: cached, or computed now and kept. */
  get(key: K, compute: (key: K) => V): V {
    const cached = this.find(key);
    if (cached !== undefined) return cached;
    const value = compute(key);
    this.set(key, value);
    return value;
  }

  /** The value cached for a key, if any; a value of the older generation is kept in the newer. */
  find(key: K): V | undefined {
    const cached = this.current.get(key);
    if (cached !== undefined) return cached;
    const older = this.previous.get(key);
    if (older !== undefined) this.set(key, older);
    return older;
  }

  /** Keeps a value for a key (replacing any), turning the generations over when the newer is full. */
  set(key: K, value: V): void {
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }
}

/**
 * A pure function of a string that remembers its last answer: a batch repeats one value in every
 * item (an `exportedAt`), so a one-entry memo saves all but the first of its checks.
 */
export function rememberLast<T>(compute: (text: string) => T): (text: string) => T {
  let last: { readonly text: string; readonly answer: T } | undefined;
  return (text) => {
    if (last?.text !== text) last = { text, answer: compute(text) };
    return last.answer;
  };
}
