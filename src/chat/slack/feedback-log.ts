import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
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
  /** Appends one JSON line; appends are serialized so lines never interleave. */
  append(record: FeedbackRecord): Promise<void>;
}

export interface FeedbackLogOptions {
  /** The JSONL file; its directory is created on first write. */
  readonly file: string;
}

/** An append-only JSONL feedback log (one JSON object per line), read by the eval tooling. */
export function createFeedbackLog(options: FeedbackLogOptions): FeedbackLog {
  let tail: Promise<void> = Promise.resolve();
  let dirReady = false;
  return {
    append(record) {
      const line = `${JSON.stringify(record)}\n`;
      const write = tail.then(async () => {
        if (!dirReady) {
          await mkdir(path.dirname(options.file), { recursive: true });
          dirReady = true;
        }
        await appendFile(options.file, line, 'utf8');
      });
      // A failed write must not block later ones; the caller still sees its own failure.
      tail = write.catch(() => undefined);
      return write;
    },
  };
}
