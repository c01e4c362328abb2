import { createFeedbackStore, type FeedbackStore, type FeedbackStoreRecord } from '../../feedback/feedback-store.js';
import type { FeedbackKind } from './parse-slack-request.js';

/**
 * One line of the feedback log. Together with the article these fields make a labelled eval case:
 * `helpful` means the cited paragraphs (or the refusal) were right, `wrong_paragraph` that the cited
 * paragraphs do not support the answer, `not_in_article` that the article does not answer the question.
 */
export interface FeedbackRecord {
  /** ISO 8601 time the feedback was received. */
  readonly ts: string;
  /** Slack user id of the person who clicked. */
  readonly user: string;
  readonly kind: FeedbackKind;
  readonly question: string;
  /** Article slug. */
  readonly article: string;
  /** Cited paragraph ids (`p43`); empty for a refusal. */
  readonly cited: readonly string[];
  /**
   * `wrong_paragraph` only: the paragraph ids (`p12`) the person named as the ones that answer, when they named any
   * (the same field as the reader widget's wrong-source pick; `import-feedback` reads it).
   */
  readonly expected?: readonly string[];
  readonly answer: {
    /** False when the bot said the article doesn't say. */
    readonly grounded: boolean;
    /** The answer text, when Slack sent the message back with the click; otherwise null. */
    readonly text: string | null;
  };
}

export interface FeedbackLog {
  /**
   * Appends one JSON line and resolves once it is on disk. Appends are serialized and locked across
   * processes, so lines never interleave; an oversized record is shortened (see `FeedbackStore.append`).
   */
  append(record: FeedbackRecord): Promise<void>;
}

export interface FeedbackLogOptions {
  /** The JSONL file; its directory is created on first write. */
  readonly file: string;
  /** The longest line written; default 16384 bytes (see `FeedbackStoreOptions.maxRecordBytes`). */
  readonly maxRecordBytes?: number;
  /** An existing store to append through (the one the chat server uses for the same file). */
  readonly store?: FeedbackStore;
}

/** The Slack bot's append-only JSONL feedback log: a typed front for the shared feedback store. */
export function createFeedbackLog(options: FeedbackLogOptions): FeedbackLog {
  const store =
    options.store ??
    createFeedbackStore({ file: options.file, ...(options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }) });
  return {
    append: (record) => store.append(record as unknown as FeedbackStoreRecord),
  };
}
