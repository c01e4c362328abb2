import { Embeddings } from '@langchain/core/embeddings';
import { tokenize } from '../../src/index/tokenize.js';

/**
 * A deterministic, text-dependent embedding for fast unit tests: each term is hashed into one of
 * `dimensions` buckets (feature hashing), so texts sharing words get similar vectors and ranking is
 * really exercised, unlike LangChain's constant FakeEmbeddings.
 */
export class HashingEmbeddings extends Embeddings {
  readonly calls: string[][] = [];

  constructor(readonly dimensions = 64) {
    super({});
  }

  embedText(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const term of tokenize(text)) {
      let h = 2166136261;
      for (const ch of term) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
      vector[Math.abs(h) % this.dimensions]! += 1;
    }
    vector[0]! += 0.01; // never the zero vector
    const norm = Math.hypot(...vector);
    return vector.map((x) => x / norm);
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    this.calls.push(texts);
    return texts.map((t) => this.embedText(t));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}
