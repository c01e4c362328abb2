export interface RateLimiterOptions {
  /** How many events one key may have within `windowMs`. */
  readonly limit: number;
  /** The sliding window, default 60 000 ms. */
  readonly windowMs?: number;
  /** Clock, default `Date.now`; tests pass their own. */
  readonly now?: () => number;
}

export interface RateLimiter {
  /**
   * Records one event for `key` and returns true, or returns false (recording nothing) when the key
   * already had `limit` events within the last `windowMs`.
   */
  take(key: string): boolean;
  /** Milliseconds until `key` may take again; 0 when it may now. */
  retryAfterMs(key: string): number;
  /** Drops keys with no events inside the window, so memory follows active keys only. */
  prune(): void;
  /** Number of keys currently tracked. */
  readonly size: number;
}

/**
 * A sliding-window log limiter: exact ("no more than N in any 60 s"), memory O(limit) per active key.
 * State belongs to the instance; the chat server owns one per IP and one per connection.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs = 60_000, now = Date.now } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  const events = new Map<string, number[]>();

  function recent(key: string, at: number): number[] {
    const list = events.get(key);
    if (list === undefined) return [];
    while (list.length > 0 && (list[0] as number) <= at - windowMs) list.shift();
    if (list.length === 0) events.delete(key);
    return list;
  }

  return {
    take(key) {
      const at = now();
      const list = recent(key, at);
      if (list.length >= limit) return false;
      list.push(at);
      events.set(key, list);
      return true;
    },
    retryAfterMs(key) {
      const at = now();
      const list = recent(key, at);
      if (list.length < limit) return 0;
      return Math.max(0, (list[0] as number) + windowMs - at);
    },
    prune() {
      const at = now();
      for (const key of [...events.keys()]) recent(key, at);
    },
    get size() {
      return events.size;
    },
  };
}
