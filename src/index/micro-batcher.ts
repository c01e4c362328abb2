import { EmbeddingError } from '../errors.js';

/** Something that runs the embedding model: a worker thread, or the calling thread. */
export interface EmbeddingSlot {
  /** Resolves once the slot can run batches; rejects when it cannot start (the model does not load). */
  readonly ready: Promise<void>;
  /** One model call over texts that all have the same token length; one vector per text, in order. */
  run(texts: readonly string[]): Promise<Float32Array[]>;
  /** The model tokenizer's token count of each text, in order, computed where the model runs. */
  count(texts: readonly string[]): Promise<ArrayLike<number>>;
}

/** `interactive` (a reader's question) is always served before `bulk` (index building). */
export type EmbedPriority = 'interactive' | 'bulk';

export interface MicroBatcherOptions {
  readonly slots: readonly EmbeddingSlot[];
  /**
   * The model tokenizer's token count, on the calling thread: only texts of equal count share a model
   * call. Used for `interactive` texts only (a reader's question, one model window at most, well under a
   * millisecond), so a question never waits for a slot just to be counted. `bulk` texts (an index build:
   * tens of thousands of paragraphs) are counted by the slots instead, off the event loop.
   */
  readonly countTokens: (text: string) => number;
  /** Characters of bulk text per counting job at most (at least one text per job); default 65,536. */
  readonly maxCountChars?: number;
  /** Texts per model call at most. */
  readonly maxBatch: number;
  /** Tokens per model call at most (count x length): long paragraphs go in smaller batches. */
  readonly maxBatchTokens: number;
  /**
   * How waiting trades against batch size when a slot picks its next batch: a bucket's score is the
   * texts it would send plus its oldest text's wait divided by this; default 200 ms (a text that has
   * waited 2 s outbids a batch of 10).
   */
  readonly agingMs?: number;
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
  /** `performance.now()` when queued. */
  readonly at: number;
  readonly resolve: (vector: Float32Array) => void;
  readonly reject: (error: unknown) => void;
}

/** A FIFO; `head` avoids O(n) shifts on the 20,000-text queues of an index build. */
interface Fifo {
  items: Pending[];
  head: number;
}

/** The FIFO of one token length. */
interface Bucket extends Fifo {
  readonly tokens: number;
}

/**
 * Micro-batching of embedding requests over a few model slots (worker threads).
 *
 * Requests queue by token length (bulk texts are first counted by a slot: see `countTokens`; counting
 * jobs go before bulk batches and after interactive ones). Whenever a slot is free it gets one batch from the bucket with the
 * best score, batch size plus the wait of its oldest text over `agingMs` (interactive before bulk), up
 * to `maxBatch` texts and `maxBatchTokens` tokens: big batches are cheaper per text (the model's fixed
 * cost per call is large), and aging keeps rare lengths from starving. Texts that arrive together (one
 * event-loop turn: a burst of readers) are gathered before the first dispatch; under load, batches grow
 * by themselves while slots are busy, and a lone question waits for nothing.
 *
 * A batch's vectors are handed out one per event-loop turn: each resolution runs that reader's whole
 * answer synchronously, and twenty answers back to back would stall every other socket.
 *
 * Why equal lengths only: the model pads a batch to its longest text, and padding changes the last bits
 * of the other vectors (about 1e-7). With equal lengths a text's vector is bit-for-bit the vector it gets
 * alone, so an answer never depends on which other questions happened to be waiting.
 */
export class MicroBatcher {
  private readonly options: MicroBatcherOptions;
  private readonly queues: Record<EmbedPriority, Map<number, Bucket>> = { interactive: new Map(), bulk: new Map() };
  /** Bulk texts not yet counted, in arrival order. */
  private readonly uncounted: Fifo = { items: [], head: 0 };
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

  /** Texts waiting for a slot (to be counted or embedded). */
  get waiting(): number {
    return this.queued + this.uncounted.items.length - this.uncounted.head;
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
          const pending = { text, sequence: this.sequence++, at: performance.now(), resolve, reject };
          if (priority === 'interactive') this.enqueue(priority, pending, this.options.countTokens(text));
          else this.uncounted.items.push(pending);
        }),
    );
    this.schedulePump();
    return Promise.all(vectors);
  }

  private enqueue(priority: EmbedPriority, pending: Pending, tokens: number): void {
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
    while (this.idle.length > 0 && this.waiting > 0) {
      if (this.queues.interactive.size === 0 && this.uncounted.head < this.uncounted.items.length) {
        this.countNext(this.idle.pop()!);
        continue;
      }
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
            this.idle.push(slot);
            this.pump();
            resolveInTurns(batch, vectors, 0);
          },
        )
        .catch((error: unknown) => {
          this.idle.push(slot);
          this.pump();
          for (const p of batch) p.reject(error);
        });
    }
  }

  /** Sends the next bulk texts to `slot` for counting, then files them into their buckets. */
  private countNext(slot: EmbeddingSlot): void {
    const maxChars = this.options.maxCountChars ?? 65_536;
    const fifo = this.uncounted;
    const job: Pending[] = [];
    let chars = 0;
    while (fifo.head < fifo.items.length && (job.length === 0 || chars + fifo.items[fifo.head]!.text.length <= maxChars)) {
      const pending = fifo.items[fifo.head]!;
      fifo.items[fifo.head] = undefined as never; // let a huge text go once it is counted
      fifo.head += 1;
      chars += pending.text.length;
      job.push(pending);
    }
    if (fifo.head >= fifo.items.length) {
      fifo.items = [];
      fifo.head = 0;
    }
    slot
      .count(job.map((p) => p.text))
      .then((counts) => {
        if (counts.length !== job.length) {
          throw new EmbeddingError('EMBEDDINGS_FAILED', `the tokenizer returned ${counts.length} counts for ${job.length} texts`);
        }
        job.forEach((pending, i) => this.enqueue('bulk', pending, counts[i]!));
        this.idle.push(slot);
        this.pump();
      })
      .catch((error: unknown) => {
        this.idle.push(slot);
        this.pump();
        for (const p of job) p.reject(error);
      });
  }

  private takeBatch(): Pending[] {
    const queue = this.queues.interactive.size > 0 ? this.queues.interactive : this.queues.bulk;
    const now = performance.now();
    const agingMs = this.options.agingMs ?? 200;
    let best: Bucket | undefined;
    let bestScore = -1;
    let bestLimit = 1;
    for (const bucket of queue.values()) {
      const limit = this.limitFor(bucket.tokens);
      const head = bucket.items[bucket.head]!;
      const score = Math.min(limit, bucket.items.length - bucket.head) + (now - head.at) / agingMs;
      // Ties go to the older text, so equal buckets are served first come, first served.
      if (score > bestScore || (score === bestScore && head.sequence < best!.items[best!.head]!.sequence)) {
        best = bucket;
        bestScore = score;
        bestLimit = limit;
      }
    }
    if (best === undefined) return [];
    const batch = best.items.slice(best.head, best.head + bestLimit);
    best.head += batch.length;
    if (best.head >= best.items.length) queue.delete(best.tokens);
    else if (best.head > 1024) {
      best.items = best.items.slice(best.head);
      best.head = 0;
    }
    this.queued -= batch.length;
    return batch;
  }

  private limitFor(tokens: number): number {
    return Math.max(1, Math.min(this.options.maxBatch, Math.floor(this.options.maxBatchTokens / Math.max(1, tokens))));
  }

  private rejectAll(error: unknown): void {
    const fifo = this.uncounted;
    for (let i = fifo.head; i < fifo.items.length; i += 1) fifo.items[i]!.reject(error);
    fifo.items = [];
    fifo.head = 0;
    for (const queue of Object.values(this.queues)) {
      for (const bucket of queue.values()) {
        for (let i = bucket.head; i < bucket.items.length; i += 1) bucket.items[i]!.reject(error);
      }
      queue.clear();
    }
    this.queued = 0;
  }
}

/** Resolves `batch[i]`, then the next one on the next event-loop turn, and so on. */
function resolveInTurns(batch: readonly Pending[], vectors: readonly Float32Array[], i: number): void {
  batch[i]!.resolve(vectors[i]!);
  if (i + 1 < batch.length) setImmediate(() => resolveInTurns(batch, vectors, i + 1));
}
