import type { Paragraph } from '../index/article.js';
import type { Chunk } from '../index/chunk-paragraphs.js';
import type { ParagraphIndex } from '../index/paragraph-index.js';
import type { Sentence } from '../index/split-sentences.js';
import type { Answer, Citation } from './answer-types.js';
import { composeRefusal, formatCitedSentence } from './compose-answer.js';

/**
 * "Summarize this story": an extractive summary of one article, three to five of its own sentences, each
 * cited, chosen by a standard method and nothing article-specific:
 *
 * 1. **Centrality** (continuous LexRank, Erkan & Radev 2004): a graph whose nodes are the article's body
 *    sentences and whose edges are the cosine similarities of the sentence vectors the index already stores
 *    (negative similarities dropped); PageRank (damping 0.85) over the row-normalised graph gives each
 *    sentence's centrality. The teleport vector may lean towards early sentences (`leadBias`, a
 *    position-biased PageRank as in PositionRank): news is written in inverted-pyramid order.
 * 2. **Redundancy control** (maximal marginal relevance, Carbonell & Goldstein 1998): sentences are taken
 *    greedily by `lambda * centrality - (1 - lambda) * max similarity to a sentence already taken`, at most
 *    one per paragraph (so every citation names a different ¶ and its quote is unambiguous).
 * 3. **Readability filters** on what may be *selected* (every sentence still votes in the graph): at
 *    least `minWords` words, not a caption, not opening with a quotation mark (a quote is a voice, rarely a
 *    main fact), and not leaning on the sentence before it (a connective or demonstrative opening, or a
 *    personal pronoun among the first five words). When too few sentences pass, the
 *    filters are relaxed rather than returning fewer sentences.
 *
 * The summary is given in article order, each sentence followed by its `[¶N]` marker, each citation's
 * `quote` the verbatim sentence. The settings were chosen with `npx tsx bench/summary-quality.ts`
 * (variants side by side on six articles; figures in docs/evals.md).
 */
export interface SummarySettings {
  /** Weight of centrality against redundancy in MMR; default 0.7. */
  readonly lambda: number;
  /** Share of the PageRank teleport that favours early sentences (0: plain LexRank); default 0.25. */
  readonly leadBias: number;
  /** Shortest sentence (in words) that may be selected; default 8. */
  readonly minWords: number;
}

export const DEFAULT_SUMMARY_SETTINGS: SummarySettings = { lambda: 0.7, leadBias: 0.25, minWords: 8 };

/** PageRank damping, the value LexRank and PageRank use. */
const DAMPING = 0.85;
const MAX_ITERATIONS = 100;
const CONVERGED = 1e-7;
/**
 * Sentences that lean on the one before them: opening with a connective ("So, too, ...", "But ...") or a
 * demonstrative, or with a personal pronoun among their first five words ("In December, he spotted ...").
 */
const DANGLING_OPENING = /^(?:so|but|and|also|still|yet|then|however|instead|meanwhile|this|that|these|those|it|its)\b/i;
const EARLY_PRONOUN = /^(?:\S+\s+){0,4}(?:he|she|they|him|her|them|his|hers|their|theirs)\b/i;
const QUOTE_OPENING = /^["“‘']/;

/** How many sentences a summary has: three for a short story, up to five for a long one. */
export function summaryLength(sentenceCount: number): number {
  if (sentenceCount < 30) return 3;
  if (sentenceCount < 90) return 4;
  return 5;
}

/** One body sentence of the article, with its stored unit vector. */
export interface SummaryCandidate {
  readonly paragraph: Paragraph;
  readonly sentence: Sentence;
  /** Unit vector (the index's sentence vector). */
  readonly vector: Float32Array;
}

/**
 * LexRank centrality of every candidate: PageRank over the cosine-similarity graph. Returns one score per
 * candidate (they sum to 1).
 */
export function lexRankCentrality(candidates: readonly SummaryCandidate[], leadBias: number): Float64Array {
  return centralityOf(similarityMatrix(candidates), candidates.length, leadBias);
}

function centralityOf(similarity: Float64Array, n: number, leadBias: number): Float64Array {
  const scores = new Float64Array(n);
  if (n === 0) return scores;
  // Row-normalised transition weights; a sentence similar to nothing spreads its vote evenly.
  const rowSums = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let sum = 0;
    for (let j = 0; j < n; j += 1) if (i !== j) sum += Math.max(0, similarity[i * n + j]!);
    rowSums[i] = sum;
  }
  const teleport = new Float64Array(n);
  let positional = 0;
  for (let i = 0; i < n; i += 1) positional += 1 / (i + 1);
  for (let i = 0; i < n; i += 1) teleport[i] = (1 - leadBias) / n + (leadBias * (1 / (i + 1))) / positional;
  scores.fill(1 / n);
  const next = new Float64Array(n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    let dangling = 0;
    for (let i = 0; i < n; i += 1) if (rowSums[i] === 0) dangling += scores[i]!;
    for (let j = 0; j < n; j += 1) {
      let incoming = 0;
      for (let i = 0; i < n; i += 1) {
        if (i === j || rowSums[i] === 0) continue;
        const weight = Math.max(0, similarity[i * n + j]!);
        if (weight > 0) incoming += (scores[i]! * weight) / rowSums[i]!;
      }
      next[j] = (1 - DAMPING) * teleport[j]! + DAMPING * (incoming + dangling / n);
    }
    let change = 0;
    for (let i = 0; i < n; i += 1) change += Math.abs(next[i]! - scores[i]!);
    scores.set(next);
    if (change < CONVERGED) break;
  }
  return scores;
}

/**
 * The summary's sentences: indexes into `candidates`, in article order. Pure and deterministic.
 */
export function selectSummarySentences(
  candidates: readonly SummaryCandidate[],
  count: number,
  settings: SummarySettings = DEFAULT_SUMMARY_SETTINGS,
): number[] {
  const n = candidates.length;
  if (n === 0) return [];
  const similarity = similarityMatrix(candidates);
  const centrality = centralityOf(similarity, n, settings.leadBias);
  const top = Math.max(...centrality);
  const strict = (c: SummaryCandidate): boolean =>
    c.paragraph.kind === 'paragraph' &&
    wordCount(c.sentence.text) >= settings.minWords &&
    !QUOTE_OPENING.test(c.sentence.text) &&
    !DANGLING_OPENING.test(c.sentence.text) &&
    !EARLY_PRONOUN.test(c.sentence.text);
  const loose = (c: SummaryCandidate): boolean => c.paragraph.kind === 'paragraph' || candidates.every((x) => x.paragraph.kind === 'caption');
  const pools = [strict, loose, () => true].map((test) => candidates.flatMap((c, i) => (test(c) ? [i] : [])));
  const eligible = pools.find((pool) => distinctParagraphs(candidates, pool) >= Math.min(count, distinctParagraphs(candidates, pools[2]!)))!;

  const chosen: number[] = [];
  const usedParagraphs = new Set<string>();
  while (chosen.length < count) {
    let best = -1;
    let bestScore = -Infinity;
    for (const i of eligible) {
      if (usedParagraphs.has(candidates[i]!.paragraph.ref)) continue;
      let redundancy = 0;
      for (const j of chosen) redundancy = Math.max(redundancy, similarity[i * n + j]!);
      const score = settings.lambda * (centrality[i]! / top) - (1 - settings.lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best === -1) break;
    chosen.push(best);
    usedParagraphs.add(candidates[best]!.paragraph.ref);
  }
  return chosen.sort((a, b) => a - b);
}

/** The candidates of one article, in reading order, from the index's chunks and stored sentence vectors. */
export function summaryCandidates(index: ParagraphIndex, article: string): SummaryCandidate[] {
  const candidates: SummaryCandidate[] = [];
  index.chunks.forEach((chunk: Chunk, position) => {
    if (chunk.paragraph.article !== article) return;
    const first = index.sentenceOffsets[position] ?? 0;
    chunk.sentences.forEach((sentence, s) => {
      const base = (first + s) * index.dimensions;
      candidates.push({ paragraph: chunk.paragraph, sentence, vector: index.sentenceVectors.subarray(base, base + index.dimensions) });
    });
  });
  return candidates;
}

export interface ArticleSummarizerOptions {
  readonly index: ParagraphIndex;
  readonly settings?: Partial<SummarySettings>;
}

export interface SummarizeRequest {
  /** The article's slug; the caller has checked that it exists. */
  readonly article: string;
  readonly onDelta?: (text: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * Builds the summarizer the engine exposes as `engine.summarize`. Summaries are deterministic, so each
 * article's is computed once and remembered (the index is immutable for the engine's lifetime).
 */
export function createArticleSummarizer(options: ArticleSummarizerOptions): (request: SummarizeRequest) => Promise<Answer> {
  const settings: SummarySettings = { ...DEFAULT_SUMMARY_SETTINGS, ...options.settings };
  const cache = new Map<string, Answer>();
  return async (request) => {
    if (request.signal?.aborted) throw request.signal.reason;
    let answer = cache.get(request.article);
    if (answer === undefined) {
      answer = summarize(summaryCandidates(options.index, request.article), settings);
      cache.set(request.article, answer);
    }
    if (request.onDelta !== undefined) {
      for (const piece of answer.answer.match(/[^\s]+\s*/g) ?? []) request.onDelta(piece);
    }
    return answer;
  };
}

function summarize(candidates: readonly SummaryCandidate[], settings: SummarySettings): Answer {
  const picks = selectSummarySentences(candidates, summaryLength(candidates.length), settings);
  if (picks.length === 0) return composeRefusal([], 'summary');
  const citations: Citation[] = [];
  const parts: string[] = [];
  for (const i of picks) {
    const { paragraph, sentence } = candidates[i]!;
    citations.push({ id: paragraph.id, article: paragraph.article, paragraph: paragraph.number, text: paragraph.text, quote: sentence.text });
    parts.push(formatCitedSentence(sentence.text, paragraph.number));
  }
  return {
    answer: parts.join(' '),
    grounded: true,
    // Every sentence is the article's own, verbatim: the only doubt is which ones matter most.
    confidence: 1,
    citations,
    related: [],
    answerer: 'summary',
    notes: [],
  };
}

function similarityMatrix(candidates: readonly SummaryCandidate[]): Float64Array {
  const n = candidates.length;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    const a = candidates[i]!.vector;
    matrix[i * n + i] = 1;
    for (let j = i + 1; j < n; j += 1) {
      const b = candidates[j]!.vector;
      let dot = 0;
      for (let d = 0; d < a.length; d += 1) dot += a[d]! * b[d]!;
      matrix[i * n + j] = dot;
      matrix[j * n + i] = dot;
    }
  }
  return matrix;
}

function distinctParagraphs(candidates: readonly SummaryCandidate[], pool: readonly number[]): number {
  return new Set(pool.map((i) => candidates[i]!.paragraph.ref)).size;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
