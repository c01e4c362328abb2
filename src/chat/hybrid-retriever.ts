import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Chunk } from '../index/chunk-paragraphs.js';
import type { ParagraphIndex } from '../index/paragraph-index.js';
import type { RetrievedParagraph } from './answer-types.js';
import { Bm25Index } from './bm25-index.js';

export interface SearchRequest {
  readonly query: string;
  /** The query's unit embedding (needed for `dense`). */
  readonly vector?: readonly number[];
  readonly k: number;
  readonly article?: string;
  readonly mode: 'dense' | 'bm25';
}

/** How deep each first-stage search looks when proposing articles for an unscoped question. */
const CANDIDATE_DEPTH = 24;

/**
 * The corpus-level first stage: dense search over the HNSW graph of paragraphs and BM25 over every paragraph,
 * used to propose articles for a question asked of the whole corpus (the trained pipeline then answers within
 * each), as the ablation retrievers of `--retriever dense|bm25`, and by the optional LLM answerer's verifier.
 * A question scoped to one article never reaches the corpus statistics here: its answer must not depend on
 * what else the corpus holds.
 */
export class HybridRetriever {
  readonly bm25: Bm25Index;
  private readonly index: ParagraphIndex;
  private readonly embeddings: EmbeddingsInterface;
  private readonly positions: Map<string, number>;
  private readonly paragraphVectors = new Map<number, Float32Array>();

  constructor(options: { index: ParagraphIndex; embeddings: EmbeddingsInterface }) {
    this.index = options.index;
    this.embeddings = options.embeddings;
    this.bm25 = new Bm25Index(options.index.chunks.map((chunk) => chunk.searchText));
    this.positions = new Map(options.index.chunks.map((chunk, i) => [chunk.paragraph.ref, i]));
  }

  get chunks(): readonly Chunk[] {
    return this.index.chunks;
  }

  async embed(query: string): Promise<number[]> {
    return this.embeddings.embedQuery(query);
  }

  /** Paragraphs by dense similarity (HNSW) or by BM25 over the corpus, best first. */
  async search(request: SearchRequest): Promise<RetrievedParagraph[]> {
    const chunks = this.index.chunks;
    const allow =
      request.article === undefined ? undefined : (doc: number) => chunks[doc]?.paragraph.article === request.article;
    if (request.mode === 'bm25') {
      return this.bm25.search(request.query, request.k, allow).map((hit) => ({
        paragraph: chunks[hit.doc]!.paragraph,
        score: hit.score,
        dense: undefined,
        bm25: hit.score,
      }));
    }
    const vector = request.vector ?? (await this.embed(request.query));
    const available = allow === undefined ? chunks.length : chunks.filter((_, i) => allow(i)).length;
    const k = Math.min(Math.max(request.k, CANDIDATE_DEPTH), available);
    if (k === 0) return [];
    const neighbors = this.index.store.index.searchKnn([...vector], k, allow).neighbors;
    return neighbors
      .map((doc) => ({ doc, dense: this.denseSimilarity(vector, doc) }))
      .sort((a, b) => b.dense - a.dense || a.doc - b.doc)
      .slice(0, request.k)
      .map(({ doc, dense }) => ({ paragraph: chunks[doc]!.paragraph, score: dense, dense, bm25: undefined }));
  }

  /**
   * Articles worth answering an unscoped question from: those holding a paragraph among the dense or the BM25
   * top 24, ordered by their best rank in either list (no weights to tune: the pipeline decides among them).
   */
  async candidateArticles(query: string, vector: readonly number[], limit: number): Promise<string[]> {
    const [dense, lexical] = await Promise.all([
      this.search({ query, vector, k: CANDIDATE_DEPTH, mode: 'dense' }),
      this.search({ query, k: CANDIDATE_DEPTH, mode: 'bm25' }),
    ]);
    const best = new Map<string, number>();
    for (const list of [dense, lexical]) {
      list.forEach((hit, rank) => {
        const slug = hit.paragraph.article;
        best.set(slug, Math.min(best.get(slug) ?? Infinity, rank));
      });
    }
    return [...best].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([slug]) => slug);
  }

  /**
   * How close a paragraph is in meaning: the mean of its own vector's cosine and its best sentence's.
   * A long paragraph's single vector blurs the one sentence a question is about; the blend raised
   * hybrid recall@1 from 0.65 to 0.68 on the project's questions (README "Retrieval").
   */
  denseSimilarity(vector: readonly number[], doc: number): number {
    const paragraph = cosine(vector, this.paragraphVector(doc));
    const first = this.sentenceOffset(doc);
    const count = this.index.chunks[doc]?.sentences.length ?? 0;
    let best = -1;
    for (let i = 0; i < count; i += 1) best = Math.max(best, this.sentenceSimilarity(vector, first + i));
    return count === 0 ? paragraph : (paragraph + best) / 2;
  }

  /**
   * A paragraph's stored vector (unit length), read from hnswlib once: `getPoint` builds a fresh 512-element JS array
   * through N-API on every call (~45 us), and fusion asks for some forty of them per question.
   */
  paragraphVector(doc: number): Float32Array {
    let vector = this.paragraphVectors.get(doc);
    if (vector === undefined) {
      vector = Float32Array.from(this.index.store.index.getPoint(doc));
      let norm = 0;
      for (const x of vector) norm += x * x;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let i = 0; i < vector.length; i += 1) vector[i] = vector[i]! / norm;
      this.paragraphVectors.set(doc, vector);
    }
    return vector;
  }

  get dimensions(): number {
    return this.index.dimensions;
  }

  get sentenceVectors(): Float32Array {
    return this.index.sentenceVectors;
  }

  /** Index in the sentence vectors of the first sentence of the chunk at `position`. */
  sentenceOffset(position: number): number {
    return this.index.sentenceOffsets[position] ?? 0;
  }

  /** Cosine similarity of a unit query vector and a stored (unit) sentence vector. */
  sentenceSimilarity(vector: readonly number[], sentence: number): number {
    const { sentenceVectors, dimensions } = this.index;
    const base = sentence * dimensions;
    let dot = 0;
    for (let i = 0; i < dimensions; i += 1) dot += vector[i]! * sentenceVectors[base + i]!;
    return dot;
  }

  /** Position of a paragraph's chunk, for sentence-vector lookups; -1 when unknown. */
  chunkPosition(ref: string): number {
    return this.positions.get(ref) ?? -1;
  }
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
