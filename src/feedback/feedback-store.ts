import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { FeedbackError } from '../errors.js';
import { withFileLock } from './file-lock.js';

/**
 * One line of a feedback log: any JSON object with a time and a kind. The Slack bot's clicks
 * (`src/chat/slack/feedback-log.ts`) and the reader widget's thumbs, wrong-source picks and logged
 * refusals (`src/chat/server/widget-feedback.ts`) share this store and file; `npm run eval --
 * import-feedback` reads both shapes.
 */
export interface FeedbackStoreRecord {
  /** ISO 8601 time the feedback was received. */
  readonly ts: string;
  readonly kind: string;
  readonly [field: string]: unknown;
}

export interface FeedbackStore {
  /**
   * Appends one record as one JSON line and resolves once it is on disk (fsync). Appends from this
   * store are serialized, and every process appending to the same file takes the same lock file
   * (`<file>.lock`), so lines never interleave. A record whose line would exceed `maxRecordBytes` has
   * its longest strings shortened (ending in "…") until it fits, and lists them under `truncated`.
   * Rejects with `FeedbackError` (`FEEDBACK_WRITE_FAILED`, `FEEDBACK_LOCK_TIMEOUT`); a failed append
   * does not block later ones.
   */
  append(record: FeedbackStoreRecord): Promise<void>;
  /** The JSONL file. */
  readonly file: string;
}

export interface FeedbackStoreOptions {
  /** The JSONL file; its directory is created on first write. */
  readonly file: string;
  /**
   * The longest line written, in bytes including the newline; default 16384. Well under Linux's
   * single-write atomicity in practice, and small enough that one hostile record cannot bloat the log.
   */
  readonly maxRecordBytes?: number;
  /** How long to wait for another process's lock; default 5000 ms. */
  readonly lockTimeoutMs?: number;
}

export const DEFAULT_MAX_FEEDBACK_RECORD_BYTES = 16 * 1024;
/** Never shorten a string below this many characters (plus the ellipsis). */
const MIN_KEPT_CHARS = 16;

/** An append-only JSONL feedback log: one writer queue per store, one lock per file, fsync per line. */
export function createFeedbackStore(options: FeedbackStoreOptions): FeedbackStore {
  const maxBytes = options.maxRecordBytes ?? DEFAULT_MAX_FEEDBACK_RECORD_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < 256) throw new RangeError(`options.maxRecordBytes must be an integer >= 256, got ${maxBytes}`);
  const lockFile = `${options.file}.lock`;
  let tail: Promise<void> = Promise.resolve();
  let dirReady = false;

  async function write(line: Buffer): Promise<void> {
    if (!dirReady) {
      await mkdir(path.dirname(options.file), { recursive: true });
      dirReady = true;
    }
    await withFileLock({ file: lockFile, ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }) }, async () => {
      const handle = await open(options.file, 'a');
      try {
        // One buffer, written until done: fs.appendFile splits large writes into chunks, which is how
        // two processes' lines interleaved (issue 11 item 6).
        let offset = 0;
        while (offset < line.length) offset += (await handle.write(line, offset)).bytesWritten;
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  return {
    file: options.file,
    append(record) {
      const line = Buffer.from(`${fitRecord(record, maxBytes)}\n`, 'utf8');
      const done = tail.then(() =>
        write(line).catch((error: unknown) => {
          if (error instanceof FeedbackError) throw error;
          throw new FeedbackError('FEEDBACK_WRITE_FAILED', `${options.file}: cannot append feedback (${(error as Error).message})`, { cause: error });
        }),
      );
      tail = done.catch(() => undefined);
      return done;
    },
  };
}

/**
 * The record as one JSON line of at most `maxBytes - 1` bytes: the longest string values are cut (each
 * to what still has to go, never below a few characters) and their paths listed in `truncated`.
 * Throws `FeedbackError` `FEEDBACK_WRITE_FAILED` when even that cannot fit (a record of many fields).
 */
export function fitRecord(record: FeedbackStoreRecord, maxBytes: number): string {
  let json = JSON.stringify(record);
  if (Buffer.byteLength(json, 'utf8') < maxBytes) return json;
  const copy = structuredClone(record) as Record<string, unknown>;
  const truncated = new Set<string>();
  for (let round = 0; round < 64; round += 1) {
    const strings = stringFields(copy).sort((a, b) => b.value.length - a.value.length);
    const longest = strings[0];
    const over = Buffer.byteLength(JSON.stringify({ ...copy, truncated: [...truncated, longest?.path ?? ''] }), 'utf8') - (maxBytes - 1);
    if (over <= 0) break;
    if (longest === undefined || longest.value.length <= MIN_KEPT_CHARS + 1) break;
    // Every character is at least one byte of JSON, so cutting `over` characters (and one for the
    // ellipsis) is enough or close; the loop measures again.
    const keep = Math.max(MIN_KEPT_CHARS, longest.value.length - over - 3);
    longest.set(`${cutAt(longest.value, keep)}…`);
    truncated.add(longest.path);
  }
  json = JSON.stringify(truncated.size === 0 ? copy : { ...copy, truncated: [...truncated] });
  if (Buffer.byteLength(json, 'utf8') >= maxBytes) {
    throw new FeedbackError('FEEDBACK_WRITE_FAILED', `a ${record.kind} feedback record cannot be shortened to ${maxBytes} bytes`);
  }
  return json;
}

/** The first `length` UTF-16 units of `text`, without splitting a surrogate pair. */
function cutAt(text: string, length: number): string {
  const cut = text.slice(0, length);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

interface StringField {
  readonly path: string;
  readonly value: string;
  set(value: string): void;
}

function stringFields(value: unknown, prefix = ''): StringField[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      typeof item === 'string'
        ? [{ path: `${prefix}[${i}]`, value: item, set: (v: string) => void (value[i] = v) }]
        : stringFields(item, `${prefix}[${i}]`),
    );
  }
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  return Object.entries(record).flatMap(([key, item]) => {
    const at = prefix === '' ? key : `${prefix}.${key}`;
    if (key === 'ts' || key === 'kind') return [];
    return typeof item === 'string' ? [{ path: at, value: item, set: (v: string) => void (record[key] = v) }] : stringFields(item, at);
  });
}
