import type { SlackStateStore } from './slack-state-store.js';

/** A channel's pin: questions asked there without naming an article go to these articles. */
export interface ChannelPin {
  /** Article slugs, in the order they were given. */
  readonly articles: readonly string[];
  /** Slack user id of whoever pinned. */
  readonly pinnedBy: string;
  /** When, in milliseconds. */
  readonly pinnedAt: number;
}

export interface ChannelPins {
  /** The channel's pin, or undefined when it has none. */
  get(channel: string): ChannelPin | undefined;
  set(channel: string, pin: ChannelPin): void;
  /** True when there was a pin to remove. */
  clear(channel: string): boolean;
}

/**
 * Channel pins (`/ask pin <slug...>`, `/ask unpin`), kept in the bot's state store so they survive restarts. A pin
 * has no expiry: it stays until someone unpins. Pins naming an article that has since left the corpus keep their
 * other articles (the caller filters with the corpus).
 */
export function createChannelPins(options: { readonly store: SlackStateStore }): ChannelPins {
  const { db } = options.store;
  const select = db.prepare('SELECT articles, pinned_by, pinned_at FROM channel_pins WHERE channel = ?');
  const upsert = db.prepare('INSERT OR REPLACE INTO channel_pins (channel, articles, pinned_by, pinned_at) VALUES (?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM channel_pins WHERE channel = ?');
  return {
    get(channel) {
      const row = select.get(channel) as { articles: string; pinned_by: string; pinned_at: number } | undefined;
      if (row === undefined) return undefined;
      return { articles: JSON.parse(row.articles) as string[], pinnedBy: row.pinned_by, pinnedAt: row.pinned_at };
    },
    set(channel, pin) {
      upsert.run(channel, JSON.stringify(pin.articles), pin.pinnedBy, pin.pinnedAt);
    },
    clear(channel) {
      return remove.run(channel).changes > 0;
    },
  };
}
