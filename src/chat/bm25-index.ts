import { tokenize } from '../index/tokenize.js';

export interface Bm25Options {
  /** Term-frequency saturation; default 1.2. */
  readonly k1?: number;
  /** Length normalisation; default 0.75. */
  readonly b?: number;
}

export interface Bm25Hit {
  /** Position of the document in the list the index was built from. */
  readonly doc: number;
  readonly score: number;
}

/**
 * Okapi BM25 over a fixed list of texts (paragraph chunks). Built in memory at startup: for an
 * archive of thousands of paragraphs this takes milliseconds, so it is not persisted.
 */
export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly postings = new Map<string, Array<{ doc: number; tf: number }>>();
  private readonly lengths: number[];
  private readonly averageLength: number;
  readonly size: number;

  constructor(texts: readonly string[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.size = texts.length;
    this.lengths = [];
    texts.forEach((text, doc) => {
      const terms = tokenize(text);
      this.lengths.push(terms.length);
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = this.postings.get(term);
        if (list === undefined) this.postings.set(term, (list = []));
        list.push({ doc, tf });
      }
    });
    this.averageLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.size);
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for unknown terms. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** IDF a term would have if it were unseen: the rarest possible. */
  get maxIdf(): number {
    return Math.log(1 + (this.size + 0.5) / 0.5);
  }

  /**
   * The best `k` documents for a query, highest score first; documents scoring 0 are left out.
   * `allow` restricts the search (e.g. to one article).
   */
  search(query: string, k: number, allow?: (doc: number) => boolean): Bm25Hit[] {
    const scores = new Map<number, number>();
    for (const term of new Set(tokenize(query))) {
      const list = this.postings.get(term);
      if (list === undefined) continue;
      const idf = this.idf(term);
      for (const { doc, tf } of list) {
        if (allow !== undefined && !allow(doc)) continue;
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / norm);
      }
    }
    return [...scores]
      .map(([doc, score]) => ({ doc, score }))
      .sort((x, y) => y.score - x.score || x.doc - y.doc)
      .slice(0, k);
  }
}
