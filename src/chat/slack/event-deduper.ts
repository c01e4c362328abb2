export interface EventDeduperOptions {
  /** How long an event id is remembered; Slack retries within about an hour. Default 2 hours. */
  readonly ttlMs?: number;
  /** At most this many ids are kept; the oldest are forgotten first. Default 10,000. */
  readonly maxEntries?: number;
  /** Current time in milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

export interface EventDeduper {
  /**
   * True the first time an id is claimed within the TTL, false for every later claim. Synchronous
   * check-and-set, so concurrent deliveries of one event cannot both win.
   */
  claim(eventId: string): boolean;
  /** How many ids are remembered (for tests and metrics). */
  readonly size: number;
}

const DEFAULTS = { ttlMs: 2 * 60 * 60 * 1000, maxEntries: 10_000 };

/**
 * Remembers Events API `event_id`s so each event is handled once, however many times Slack re-delivers
 * it. Memory is bounded by `maxEntries` and `ttlMs`; ids are forgotten on restart, so a retry that
 * arrives after a restart is answered again.
 */
export function createEventDeduper(options: EventDeduperOptions = {}): EventDeduper {
  const { ttlMs, maxEntries } = { ...DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  if (!(ttlMs > 0) || !Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError('createEventDeduper: ttlMs must be > 0 and maxEntries a positive integer');
  }
  // A Map iterates in insertion order, and every id is inserted with the same TTL, so the oldest
  // entries (the first to expire) are always at the front.
  const seen = new Map<string, number>();

  function evict(at: number): void {
    for (const [id, expiresAt] of seen) {
      if (expiresAt > at && seen.size < maxEntries) break;
      seen.delete(id);
    }
  }

  return {
    claim(eventId) {
      const at = now();
      evict(at);
      if (seen.has(eventId)) return false;
      seen.set(eventId, at + ttlMs);
      return true;
    },
    get size() {
      return seen.size;
    },
  };
}
