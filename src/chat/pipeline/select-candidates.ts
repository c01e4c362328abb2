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
  const top = <T>(items: readonly T[], score: (item: T) => number, count: number): T[] =>
    [...items].sort((a, b) => score(b) - score(a)).slice(0, count);
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
