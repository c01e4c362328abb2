import { EmbeddingError } from '../errors.js';

/** Something that runs the embedding model: a worker thread, or the calling thread. */
export interface EmbeddingSlot {
  /** Resolves once the slot can run batches; rejects when it cannot start (the model does not load). */
  readonly ready: Promise<void>;
  /** One model call over texts that all have the same token length; one vector per text, in order. */
  run(texts: readonly string[]): Promise<Float32Array[]>;
}

/** `interactive` (a reader's question) is always served before `bulk` (index building). */
export type EmbedPriority = 'interactive' | 'bulk';

export interface MicroBatcherOptions {
  readonly slots: readonly EmbeddingSlot[];
  /** The model tokenizer's token count: only texts of equal count share a model call. */
  readonly countTokens: (text: string) => number;
  /** Texts per model call at most. */
  readonly maxBatch: number;
  /** Tokens per model call at most (count x length): long paragraphs go in smaller batches. */
  readonly maxBatchTokens: number;
}

export interface MicroBatcherStats {
  /** Model calls made. */
  readonly calls: number;
  /** Texts embedded. */
  readonly texts: number;
}

interface Pending {
  readonly text: string;
  readonly sequence: number;
  readonly resolve: (vector: Float32Array) => void;
  readonly reject: (error: unknown) => void;
}

/** FIFO of one token length; `head` avoids O(n) shifts on the 20,000-text queues of an index build. */
interface Bucket {
  readonly tokens: number;
  items: Pending[];
  head: number;
}

/**
 * Micro-batching of embedding requests over a few model slots (worker threads).
 *
 * Requests queue by token length. Whenever a slot is free it gets one batch: every waiting text of the
 * token length of the oldest waiting text (interactive before bulk), up to `maxBatch` texts and
 * `maxBatchTokens` tokens. Texts that arrive together (one event-loop turn: a burst of readers) are
 * gathered before the first dispatch; under load, batches grow by themselves while slots are busy, and
 * a lone question waits for nothing.
 *
 * Why equal lengths only: the model pads a batch to its longest text, and padding changes the last bits
 * of the other vectors (about 1e-7). With equal lengths a text's vector is bit-for-bit the vector it gets
 * alone, so an answer never depends on which other questions happened to be waiting.
 */
export class MicroBatcher {
  private readonly options: MicroBatcherOptions;
  private readonly queues: Record<EmbedPriority, Map<number, Bucket>> = { interactive: new Map(), bulk: new Map() };
  private readonly idle: EmbeddingSlot[] = [];
  private readonly failures: unknown[] = [];
  private sequence = 0;
  private queued = 0;
  private pumpScheduled = false;
  private counters = { calls: 0, texts: 0 };

  constructor(options: MicroBatcherOptions) {
    if (options.slots.length === 0) throw new RangeError('MicroBatcher needs at least one slot');
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive whole number, got ${options.maxBatch}`);
    }
    this.options = options;
    for (const slot of options.slots) {
      slot.ready.then(
        () => {
          this.idle.push(slot);
          this.pump();
        },
        (error: unknown) => {
          this.failures.push(error);
          if (this.failures.length === options.slots.length) this.rejectAll(error);
        },
      );
    }
  }

  /** Texts waiting for a slot. */
  get waiting(): number {
    return this.queued;
  }

  get stats(): MicroBatcherStats {
    return { ...this.counters };
  }

  /** One vector per text, in order. Rejects with the slot's error when the model fails. */
  embed(texts: readonly string[], priority: EmbedPriority): Promise<Float32Array[]> {
    if (this.failures.length === this.options.slots.length) return Promise.reject(this.failures[0]);
    const vectors = texts.map(
      (text) =>
        new Promise<Float32Array>((resolve, reject) => {
          this.enqueue(priority, { text, sequence: this.sequence++, resolve, reject });
        }),
    );
    this.schedulePump();
    return Promise.all(vectors);
  }

  private enqueue(priority: EmbedPriority, pending: Pending): void {
    const tokens = this.options.countTokens(pending.text);
    const queue = this.queues[priority];
    let bucket = queue.get(tokens);
    if (bucket === undefined) queue.set(tokens, (bucket = { tokens, items: [], head: 0 }));
    bucket.items.push(pending);
    this.queued += 1;
  }

  /** Dispatch after the current turn's microtasks, so texts submitted together share batches. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queued > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const slot = this.idle.pop()!;
      this.counters.calls += 1;
      this.counters.texts += batch.length;
      slot
        .run(batch.map((p) => p.text))
        .then(
          (vectors) => {
            if (vectors.length !== batch.length) {
              throw new EmbeddingError('EMBEDDINGS_EMPTY', `the model returned ${vectors.length} vectors for ${batch.length} texts`);
            }
            batch.forEach((p, i) => p.resolve(vectors[i]!));
          },
        )
        .catch((error: unknown) => batch.forEach((p) => p.reject(error)))
        .finally(() => {
          this.idle.push(slot);
          this.pump();
        });
    }
  }

  private takeBatch(): Pending[] {
    const queue = this.queues.interactive.size > 0 ? this.queues.interactive : this.queues.bulk;
    let oldest: Bucket | undefined;
    for (const bucket of queue.values()) {
      if (oldest === undefined || bucket.items[bucket.head]!.sequence < oldest.items[oldest.head]!.sequence) oldest = bucket;
    }
    if (oldest === undefined) return [];
    const limit = Math.max(1, Math.min(this.options.maxBatch, Math.floor(this.options.maxBatchTokens / Math.max(1, oldest.tokens))));
    const batch = oldest.items.slice(oldest.head, oldest.head + limit);
    oldest.head += batch.length;
    if (oldest.head >= oldest.items.length) queue.delete(oldest.tokens);
    else if (oldest.head > 1024) {
      oldest.items = oldest.items.slice(oldest.head);
      oldest.head = 0;
    }
    this.queued -= batch.length;
    return batch;
  }

  private rejectAll(error: unknown): void {
    for (const queue of Object.values(this.queues)) {
      for (const bucket of queue.values()) {
        for (let i = bucket.head; i < bucket.items.length; i += 1) bucket.items[i]!.reject(error);
      }
      queue.clear();
    }
    this.queued = 0;
  }
}
