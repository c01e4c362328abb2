import type { ArticleModel, SentenceModel } from './article-model.js';

/**
 * Stage 1 of the answering pipeline: which sentences get the full feature table. A cascade, as search engines
 * rank: the cheap first-stage signals (cosine and BM25, of sentences and of paragraphs) are computed for every
 * sentence, and only the sentences near the top of any of them, with the whole paragraphs near the top, go on.
 * On the dev questions (1,081 answerable, 14 articles) this keeps the paragraph that answers for 99.1% of them
 * while the later stages read 57 sentences a question on average instead of every sentence (the cost of a question
 * then grows with the answer's neighbourhood, not with the length of the article).
 */
export interface CandidateSignals {
  readonly sentences: readonly SentenceModel[];
  readonly sentenceCos: Float64Array;
  readonly paragraphCos: Float64Array;
  readonly sentenceBm25: ReadonlyMap<number, number>;
  readonly paragraphBm25: ReadonlyMap<number, number>;
}

/** Sentences kept by each sentence-level signal, and paragraphs kept whole by each paragraph-level one. */
export const CANDIDATE_SENTENCES = 30;
export const CANDIDATE_PARAGRAPHS = 12;

export function selectCandidates(model: ArticleModel, signals: CandidateSignals): SentenceModel[] {
  const { sentences } = signals;
  const keep = new Set<number>();
  for (const s of top(sentences, (x) => signals.sentenceCos[x.id]!, CANDIDATE_SENTENCES)) keep.add(s.id);
  for (const s of top(sentences, (x) => signals.sentenceBm25.get(x.id) ?? 0, CANDIDATE_SENTENCES)) keep.add(s.id);
  const paragraphs = [...new Set(sentences.map((s) => s.paragraphIndex))];
  const wholeParagraphs = new Set([
    ...top(paragraphs, (p) => signals.paragraphCos[p]!, CANDIDATE_PARAGRAPHS),
    ...top(paragraphs, (p) => signals.paragraphBm25.get(p) ?? 0, CANDIDATE_PARAGRAPHS),
  ]);
  for (const s of sentences) if (wholeParagraphs.has(s.paragraphIndex)) keep.add(s.id);
  return sentences.filter((s) => keep.has(s.id) && model.sentences[s.id] === s);
}

/**
 * The `count` items with the highest scores, ties going to the earlier item (the set a stable sort by score
 * would put first), in input order. Found through the count-th highest score, from a numeric sort of the scores
 * alone, rather than by sorting the items with a comparator: this runs four times a question.
 */
function top<T>(items: readonly T[], score: (item: T) => number, count: number): T[] {
  if (items.length <= count) return [...items];
  const scores = Float64Array.from(items, score);
  const cut = Float64Array.from(scores).sort()[items.length - count]!;
  let above = 0;
  for (const value of scores) if (value > cut) above += 1;
  let ties = count - above;
  const out: T[] = [];
  for (let i = 0; i < items.length; i += 1) {
    if (scores[i]! > cut) out.push(items[i]!);
    else if (scores[i] === cut && ties > 0) {
      out.push(items[i]!);
      ties -= 1;
    }
  }
  return out;
}
