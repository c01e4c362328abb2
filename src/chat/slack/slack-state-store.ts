import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SlackError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/**
 * The Slack bot's durable state: one SQLite file (through better-sqlite3) holding what must survive a restart:
 * claimed event ids and request signatures (so a retry or a replay after a restart is not answered twice),
 * thread conversations, channel pins and answers waiting to be shared. Every table that grows with traffic has an
 * expiry column; rows past it are ignored at once and deleted by {@link SlackStateStore.sweep}.
 *
 * Why SQLite: the check-and-set of an event id must be atomic and durable before the bot acknowledges the event.
 * better-sqlite3's API is synchronous, so `INSERT OR IGNORE` decides within one event-loop turn (concurrent
 * deliveries cannot both win), the write is on disk (WAL, `synchronous=FULL`) when it returns, and a crash mid-write
 * leaves the previous state. A JSON file with atomic replace would rewrite every remembered id on every event.
 */
export interface SlackStateStore {
  /** The open database, for the modules that keep their own tables in it (one job per file). */
  readonly db: Database.Database;
  /** The file, or `:memory:`. */
  readonly file: string;
  /**
   * Claims `key` in `scope` until `expiresAtMs`: true when nobody holds a live claim on it (it was never claimed, or
   * the claim expired), false otherwise. Atomic and synchronous, and on disk when it returns. Expired claims of the
   * scope are deleted first, and the oldest claims beyond `maxEntries` are dropped.
   */
  claim(scope: string, key: string, expiresAtMs: number, nowMs: number, maxEntries: number): boolean;
  /** Live claims in a scope. */
  countClaims(scope: string, nowMs: number): number;
  /** Deletes every expired row of every table that has an `expires_at` column. Returns how many went. */
  sweep(nowMs: number): number;
  close(): void;
}

export interface OpenSlackStateStoreOptions {
  /** The SQLite file (default `DATA_DIR/slack-state.sqlite`); `:memory:` for a store that lives with the process. */
  readonly file: string;
  /** Told when a corrupt file is moved aside. */
  readonly logger?: Logger;
}

/** `IF NOT EXISTS` throughout: opening an existing file changes nothing. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS claims (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS claims_expiry ON claims (scope, expires_at);
CREATE TABLE IF NOT EXISTS threads (
  key TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  last_used INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS threads_last_used ON threads (last_used);
CREATE TABLE IF NOT EXISTS channel_pins (
  channel TEXT PRIMARY KEY,
  articles TEXT NOT NULL,
  pinned_by TEXT NOT NULL,
  pinned_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS shared_answers (
  id TEXT PRIMARY KEY,
  message TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

const EXPIRING_TABLES = ['claims', 'threads', 'shared_answers'] as const;

function openDatabase(file: string): Database.Database {
  const db = new Database(file, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a claimed event id is on disk before the acknowledgement goes out, even across a power cut.
    db.pragma('synchronous = FULL');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens (creating it and its directory if needed) the bot's state file. A file that is not a SQLite database or
 * fails SQLite's integrity check is renamed to `<file>.corrupt-<time>` with a warning and replaced by an empty
 * store: the bot then forgets its threads and claimed ids (a retry of an old event may be answered again) but
 * keeps working. Any other failure (permissions, a read-only disk) throws `SlackError` `SLACK_STATE_UNAVAILABLE`
 * naming the file.
 */
export function openSlackStateStore(options: OpenSlackStateStoreOptions): SlackStateStore {
  const { file } = options;
  const inMemory = file === ':memory:';
  let db: Database.Database;
  try {
    if (!inMemory) mkdirSync(path.dirname(file), { recursive: true });
    db = openDatabase(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const corrupt = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || /quick_check|malformed/.test(String((error as Error).message));
    if (inMemory || !corrupt) {
      throw new SlackError('SLACK_STATE_UNAVAILABLE', `${file}: cannot open the Slack state store (${(error as Error).message})`, { cause: error });
    }
    const aside = `${file}.corrupt-${Date.now()}`;
    try {
      renameSync(file, aside);
      for (const suffix of ['-wal', '-shm']) {
        try {
          renameSync(`${file}${suffix}`, `${aside}${suffix}`);
        } catch {
          // Not every database has them.
        }
      }
      db = openDatabase(file);
    } catch (retry) {
      throw new SlackError('SLACK_STATE_UNAVAILABLE', `${file}: corrupt, and could not be replaced (${(retry as Error).message})`, { cause: retry });
    }
    options.logger?.warn('slack state store was corrupt; moved aside and started empty', { file, movedTo: aside, reason: (error as Error).message });
  }
  const sweeps = EXPIRING_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE expires_at <= ?`));
  const deleteExpired = db.prepare('DELETE FROM claims WHERE scope = ? AND expires_at <= ?');
  const insert = db.prepare(
    'INSERT INTO claims (scope, key, expires_at) VALUES (?, ?, ?) ' +
      'ON CONFLICT (scope, key) DO UPDATE SET expires_at = excluded.expires_at WHERE claims.expires_at <= ?',
  );
  const count = db.prepare('SELECT count(*) AS n FROM claims WHERE scope = ? AND expires_at > ?').pluck();
  const trim = db.prepare(
    'DELETE FROM claims WHERE scope = ? AND key IN (SELECT key FROM claims WHERE scope = ? ORDER BY expires_at, rowid LIMIT ?)',
  );
  const claim = db.transaction((scope: string, key: string, expiresAt: number, now: number, maxEntries: number): boolean => {
    deleteExpired.run(scope, now);
    const claimed = insert.run(scope, key, expiresAt, now).changes === 1;
    const over = (count.get(scope, now) as number) - maxEntries;
    if (over > 0) trim.run(scope, scope, over);
    return claimed;
  });
  return {
    db,
    file,
    claim: (scope, key, expiresAtMs, nowMs, maxEntries) => claim(scope, key, expiresAtMs, nowMs, maxEntries),
    countClaims: (scope, nowMs) => count.get(scope, nowMs) as number,
    sweep(nowMs) {
      return sweeps.reduce((sum, statement) => sum + statement.run(nowMs).changes, 0);
    },
    close() {
      if (db.open) db.close();
    },
  };
}
