import { randomBytes } from 'node:crypto';
import type { SlackMessage } from './format-slack-answer.js';
import type { SlackStateStore } from './slack-state-store.js';

export interface SharedAnswers {
  /** Keeps a message for `ttlMs` and returns the short id a "Share with channel" button carries. */
  keep(message: SlackMessage, nowMs: number): string;
  /** The kept message, or undefined when the id is unknown or expired. */
  take(id: string, nowMs: number): SlackMessage | undefined;
}

/** What a share button's value looks like: `share:` and 24 hex characters. */
export const SHARE_ID_PATTERN = /^[0-9a-f]{24}$/;

/**
 * Answers shown to the asker only, kept so the "Share with channel" button can post exactly what the asker saw
 * (an LLM answer asked again could differ; a button value holds only 2,000 characters). Kept in the bot's state
 * store for `ttlMs` (default 24 hours), so a share after a restart still works.
 */
export function createSharedAnswers(options: { readonly store: SlackStateStore; readonly ttlMs?: number }): SharedAnswers {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const { db } = options.store;
  const insert = db.prepare('INSERT INTO shared_answers (id, message, expires_at) VALUES (?, ?, ?)');
  const select = db.prepare('SELECT message FROM shared_answers WHERE id = ? AND expires_at > ?').pluck();
  return {
    keep(message, nowMs) {
      const id = randomBytes(12).toString('hex');
      insert.run(id, JSON.stringify(message), nowMs + ttlMs);
      return id;
    },
    take(id, nowMs) {
      if (!SHARE_ID_PATTERN.test(id)) return undefined;
      const raw = select.get(id, nowMs) as string | undefined;
      return raw === undefined ? undefined : (JSON.parse(raw) as SlackMessage);
    },
  };
}
