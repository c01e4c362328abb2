import { createHash } from 'node:crypto';
import type { Answer, ConversationTurn } from './answer-types.js';

/** A finished answer and the deltas it was streamed in, replayed as they were. */
export interface CachedAnswer {
  readonly answer: Answer;
  readonly deltas: readonly string[];
}

/** Everything a deterministic (extractive) answer depends on. */
export interface AnswerKeyParts {
  /** The validated question (whitespace already collapsed). */
  readonly question: string;
  readonly article: string | undefined;
  readonly retriever: string;
  readonly history: readonly ConversationTurn[];
}

/**
 * An LRU of extractive answers. Readers of one article ask the same questions, and the extractive
 * answerer is deterministic: the same question, article, retriever and conversation always give the
 * same answer, so the second reader gets the first reader's answer without the model. The key covers
 * the whole conversation (each earlier turn's question, answer and quotes), so a follow-up is only
 * reused in the same conversation state. LLM answers are never cached (they are not deterministic).
 */
export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private readonly capacity: number;
  private counters = { hits: 0, misses: 0 };

  constructor(options: { readonly capacity: number }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 0) {
      throw new RangeError(`capacity must be a whole number, got ${options.capacity}`);
    }
    this.capacity = options.capacity;
  }

  get stats(): { readonly hits: number; readonly misses: number; readonly size: number } {
    return { ...this.counters, size: this.entries.size };
  }

  static key(parts: AnswerKeyParts): string {
    const history = parts.history.map((turn) => [
      turn.question,
      turn.answer.answer,
      turn.answer.citations.map((c) => [c.article, c.id, c.quote]),
    ]);
    return createHash('sha256')
      .update(JSON.stringify([parts.question, parts.article ?? null, parts.retriever, history]))
      .digest('base64');
  }

  get(key: string): CachedAnswer | undefined {
    const hit = this.entries.get(key);
    if (hit === undefined) {
      this.counters.misses += 1;
      return undefined;
    }
    this.counters.hits += 1;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit;
  }

  set(key: string, value: CachedAnswer): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }
}
