import type { ConversationTurn } from '../answer-types.js';
import type { SlackStateStore } from './slack-state-store.js';

export interface ThreadConversationsOptions {
  /** Where threads are kept; a file-backed store makes them survive a restart. */
  readonly store: SlackStateStore;
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
  /** The articles the thread's last question was asked about (undefined: the whole corpus, or no thread). */
  articles(threadKey: string): readonly string[] | undefined;
  /** Records a turn at the end of the thread (and the articles it was asked about) and marks the thread recently used. */
  append(threadKey: string, turn: ConversationTurn, articles?: readonly string[]): void;
  readonly size: number;
}

interface ThreadState {
  turns: ConversationTurn[];
  articles?: string[];
}

const DEFAULTS = { maxTurns: 10, maxThreads: 1000, ttlMs: 24 * 60 * 60 * 1000 };

/** The key of a Slack thread: thread timestamps are unique only within a channel. */
export function threadKey(channel: string, threadTs: string): string {
  return `${channel}:${threadTs}`;
}

/** What a later turn needs of an answer: `related` paragraphs are never history, so they are not stored. */
function storedTurn(turn: ConversationTurn): ConversationTurn {
  return { question: turn.question, answer: { ...turn.answer, related: [] } };
}

/**
 * Conversations keyed by Slack thread, so a follow-up in a thread is resolved against the earlier turns, after a
 * restart too: threads live in the bot's state store. Bounded by `maxThreads` x `maxTurns` and `ttlMs` idle.
 */
export function createThreadConversations(options: ThreadConversationsOptions): ThreadConversations {
  const { maxTurns, maxThreads, ttlMs } = { ...DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  if (![maxTurns, maxThreads].every((n) => Number.isInteger(n) && n >= 1) || !(ttlMs > 0)) {
    throw new RangeError('createThreadConversations: maxTurns and maxThreads must be positive integers, ttlMs > 0');
  }
  const { db } = options.store;
  const select = db.prepare('SELECT state FROM threads WHERE key = ? AND expires_at > ?').pluck();
  // REPLACE deletes and re-inserts, so a used thread also gets the newest rowid: the LRU order within one millisecond.
  const upsert = db.prepare('INSERT OR REPLACE INTO threads (key, state, last_used, expires_at) VALUES (?, ?, ?, ?)');
  const deleteExpired = db.prepare('DELETE FROM threads WHERE expires_at <= ?');
  const count = db.prepare('SELECT count(*) FROM threads WHERE expires_at > ?').pluck();
  const trim = db.prepare('DELETE FROM threads WHERE key IN (SELECT key FROM threads ORDER BY last_used, rowid LIMIT ?)');

  function read(key: string, at: number): ThreadState | undefined {
    const raw = select.get(key, at) as string | undefined;
    return raw === undefined ? undefined : (JSON.parse(raw) as ThreadState);
  }

  const append = db.transaction((key: string, turn: ConversationTurn, articles: readonly string[] | undefined, at: number) => {
    deleteExpired.run(at);
    const state = read(key, at) ?? { turns: [] };
    state.turns.push(storedTurn(turn));
    if (state.turns.length > maxTurns) state.turns.splice(0, state.turns.length - maxTurns);
    if (articles === undefined) delete state.articles;
    else state.articles = [...articles];
    upsert.run(key, JSON.stringify(state), at, at + ttlMs);
    const over = (count.get(at) as number) - maxThreads;
    if (over > 0) trim.run(over);
  });

  return {
    history(key) {
      return read(key, now())?.turns ?? [];
    },
    articles(key) {
      return read(key, now())?.articles;
    },
    append(key, turn, articles) {
      append(key, turn, articles, now());
    },
    get size() {
      return count.get(now()) as number;
    },
  };
}
