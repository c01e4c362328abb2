import { linearScore, type LinearModel } from './answer-model.js';
import type { CandidateRow, QuestionContext } from './features.js';

/**
 * Stage 3: the trained listwise ranker. Each candidate sentence's feature row gets a linear score; a softmax over
 * the article's candidates turns the scores into the probability that each sentence is the answer (the ranker was
 * trained to maximise the probability of the answer sentences among all sentences of their article).
 */
export interface RankedSentence {
  readonly row: CandidateRow;
  readonly score: number;
  /** Softmax probability among the candidates. */
  readonly probability: number;
}

export function rankSentences(context: QuestionContext, ranker: LinearModel): RankedSentence[] {
  const scores = context.rows.map((row) => linearScore(ranker, row.features));
  const max = Math.max(...scores);
  let total = 0;
  const exps = scores.map((s) => {
    const e = Math.exp(s - max);
    total += e;
    return e;
  });
  return context.rows
    .map((row, i) => ({ row, score: scores[i]!, probability: exps[i]! / total }))
    .sort((a, b) => b.score - a.score || a.row.sentence.id - b.row.sentence.id);
}

/** Paragraphs in ranked order, each with its best sentence's rank entry and the summed probability of its sentences. */
export function rankParagraphs(ranked: readonly RankedSentence[]): Array<{ best: RankedSentence; probability: number }> {
  const byParagraph = new Map<string, { best: RankedSentence; probability: number }>();
  for (const entry of ranked) {
    const id = entry.row.sentence.paragraph.id;
    const current = byParagraph.get(id);
    if (current === undefined) byParagraph.set(id, { best: entry, probability: entry.probability });
    else current.probability += entry.probability;
  }
  return [...byParagraph.values()];
}
