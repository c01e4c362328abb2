import type { ConversationTurn } from '../answer-types.js';

export interface ThreadConversationsOptions {
  /** Turns kept per thread (oldest dropped first). Default 10. */
  readonly maxTurns?: number;
  /** Threads kept (least recently used dropped first). Default 1,000. */
  readonly maxThreads?: number;
  /** A thread idle this long is forgotten. Default 24 hours. */
  readonly ttlMs?: number;
  /** Current time in milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

export interface ThreadConversations {
  /** Earlier turns of the thread, oldest first; empty for an unknown or expired thread. */
  history(threadKey: string): readonly ConversationTurn[];
  /** Records a turn at the end of the thread and marks the thread recently used. */
  append(threadKey: string, turn: ConversationTurn): void;
  readonly size: number;
}

interface Thread {
  turns: ConversationTurn[];
  lastUsed: number;
}

const DEFAULTS = { maxTurns: 10, maxThreads: 1000, ttlMs: 24 * 60 * 60 * 1000 };

/** The key of a Slack thread: thread timestamps are unique only within a channel. */
export function threadKey(channel: string, threadTs: string): string {
  return `${channel}:${threadTs}`;
}

/**
 * In-memory conversations keyed by Slack thread, so a follow-up in a thread is resolved against the
 * earlier turns. Bounded by `maxThreads` x `maxTurns` and `ttlMs`; lost on restart (a thread then starts over).
 */
export function createThreadConversations(options: ThreadConversationsOptions = {}): ThreadConversations {
  const { maxTurns, maxThreads, ttlMs } = { ...DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  if (![maxTurns, maxThreads].every((n) => Number.isInteger(n) && n >= 1) || !(ttlMs > 0)) {
    throw new RangeError('createThreadConversations: maxTurns and maxThreads must be positive integers, ttlMs > 0');
  }
  // Map order doubles as recency order: a used thread is deleted and re-inserted at the end.
  const threads = new Map<string, Thread>();

  function live(key: string, at: number): Thread | undefined {
    const thread = threads.get(key);
    if (thread === undefined) return undefined;
    if (at - thread.lastUsed > ttlMs) {
      threads.delete(key);
      return undefined;
    }
    return thread;
  }

  return {
    history(key) {
      return [...(live(key, now())?.turns ?? [])];
    },
    append(key, turn) {
      const at = now();
      const thread = live(key, at) ?? { turns: [], lastUsed: at };
      thread.turns.push(turn);
      if (thread.turns.length > maxTurns) thread.turns.splice(0, thread.turns.length - maxTurns);
      thread.lastUsed = at;
      threads.delete(key);
      threads.set(key, thread);
      for (const [oldKey, old] of threads) {
        if (threads.size <= maxThreads && at - old.lastUsed <= ttlMs) break;
        threads.delete(oldKey);
      }
    },
    get size() {
      return threads.size;
    },
  };
}
