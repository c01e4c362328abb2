import type { SlackStateStore } from './slack-state-store.js';

export interface EventDeduperOptions {
  /** Where claimed ids are kept; a file-backed store makes them survive a restart. */
  readonly store: SlackStateStore;
  /** How long an event id is remembered; Slack retries within about an hour. Default 2 hours. */
  readonly ttlMs?: number;
  /** At most this many ids are kept; the oldest are forgotten first. Default 10,000. */
  readonly maxEntries?: number;
  /** Current time in milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

export interface EventDeduper {
  /**
   * True the first time an id is claimed within the TTL, false for every later claim, before or after a restart
   * on the same store. Synchronous check-and-set, so concurrent deliveries of one event cannot both win; the
   * claim is on disk when it returns.
   */
  claim(eventId: string): boolean;
  /** How many ids are remembered (for tests and metrics). */
  readonly size: number;
}

const DEFAULTS = { ttlMs: 2 * 60 * 60 * 1000, maxEntries: 10_000 };

/**
 * Remembers Events API `event_id`s so each event is handled once, however many times Slack re-delivers it,
 * across restarts too: the ids live in the bot's state store. Bounded by `maxEntries` and `ttlMs`.
 */
export function createEventDeduper(options: EventDeduperOptions): EventDeduper {
  const { ttlMs, maxEntries } = { ...DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  if (!(ttlMs > 0) || !Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError('createEventDeduper: ttlMs must be > 0 and maxEntries a positive integer');
  }
  const { store } = options;
  return {
    claim(eventId) {
      const at = now();
      return store.claim('event', eventId, at + ttlMs, at, maxEntries);
    },
    get size() {
      return store.countClaims('event', now());
    },
  };
}
