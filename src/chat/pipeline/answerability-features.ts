import { featureIndex, type QuestionContext } from './features.js';
import type { RankedSentence } from './rank.js';

/**
 * Stage 4's inputs: one row per question describing how well the article covers it and how clearly the ranker
 * found an answer. The answerability classifier (answerability.ts) turns it into a calibrated probability that
 * the top paragraph answers the question. Names and order are part of the model artifact's contract.
 */
export const ANSWERABILITY_FEATURES = [
  ['topProbability', 'ranker softmax probability of the best sentence'],
  ['topParagraphProbability', 'summed probability of the best sentence\'s paragraph'],
  ['topScore', 'ranker score of the best sentence'],
  ['margin', 'best score minus the best score in another paragraph'],
  ['maxCosSentence', 'best sentence cosine in the article'],
  ['maxCosParagraph', 'best paragraph cosine in the article'],
  ['topCoverMeaning', 'share of question words (WordNet closeness counted) in the best sentence'],
  ['topCoverParagraph', 'the same share in the best sentence\'s paragraph'],
  ['articleCoverage', 'share of question words the article mentions anywhere, WordNet closeness counted'],
  ['unmatchedShare', 'share of question words the article never mentions, not even through WordNet'],
  ['unmatchedNames', 'question names absent from the article (0, 1, 2 or more)'],
  ['kindExpected', 'the question asks for a typed answer'],
  ['topKindMiss', 'a typed question whose best sentence holds no answer of that kind'],
  ['topCountNounMiss', 'a "how many <things>" question whose best sentence has no number of those things'],
  ['topSpeakerOther', 'the question asks for someone\'s words and the best sentence is not theirs'],
  ['bm25Strength', 'best paragraph BM25 over the question\'s total IDF'],
  ['termCount', 'log of the number of question content words'],
  ['topNamesParagraph', 'share of the question\'s names found in the best sentence\'s paragraph (1 when it names none)'],
  ['topWordsParagraph', 'IDF-weighted share of the question\'s other words in that paragraph, WordNet closeness counted'],
  ['weakestWord', 'closeness of the question word the paragraph matches least (1 when every word is there)'],
  ['absentWords', 'question words (not names) the article never mentions, not even through WordNet (0, 1, 2 or more)'],
  ['focusInParagraph', 'closeness of the asked attribute ("population", the counted thing) in the best paragraph; 1 with none'],
  ['focusInArticle', 'closeness of the asked attribute anywhere in the article; 1 with none'],
] as const;

export type AnswerabilityFeatureName = (typeof ANSWERABILITY_FEATURES)[number][0];
export const ANSWERABILITY_FEATURE_NAMES: readonly AnswerabilityFeatureName[] = ANSWERABILITY_FEATURES.map(([name]) => name);

/** How the best paragraph and the article meet the attribute the question asks about. */
function focusMatch(context: QuestionContext, closeness: Float64Array): Pick<Record<AnswerabilityFeatureName, number>, 'focusInParagraph' | 'focusInArticle'> {
  const focus = context.question.focus;
  const k = focus === undefined ? -1 : context.matchers.findIndex((m) => m.term.lemma === focus);
  if (k === -1) return { focusInParagraph: 1, focusInArticle: 1 };
  return { focusInParagraph: closeness[k] ?? 0, focusInArticle: context.matchers[k]!.inArticle };
}

/** How the best paragraph meets the question: its names, its other words, and the word it matches least. */
function paragraphMatch(
  context: QuestionContext,
  closeness: Float64Array,
): Pick<Record<AnswerabilityFeatureName, number>, 'topNamesParagraph' | 'topWordsParagraph' | 'weakestWord' | 'absentWords'> {
  let names = 0;
  let namesHit = 0;
  let words = 0;
  let wordsHit = 0;
  let weakest = 1;
  let absent = 0;
  context.matchers.forEach((m, k) => {
    const c = closeness[k] ?? 0;
    if (m.term.name) {
      names += 1;
      if (c === 1) namesHit += 1;
    } else {
      words += m.weight;
      wordsHit += m.weight * c;
      if (m.inArticle === 0) absent += 1;
    }
    weakest = Math.min(weakest, c);
  });
  return {
    topNamesParagraph: names === 0 ? 1 : namesHit / names,
    topWordsParagraph: words === 0 ? 1 : wordsHit / words,
    weakestWord: weakest,
    absentWords: Math.min(2, absent),
  };
}

export function answerabilityFeatures(context: QuestionContext, ranked: readonly RankedSentence[]): Float64Array {
  const f = new Float64Array(ANSWERABILITY_FEATURE_NAMES.length);
  const top = ranked[0];
  if (top === undefined) return f;
  const topParagraph = top.row.sentence.paragraph.id;
  const other = ranked.find((r) => r.row.sentence.paragraph.id !== topParagraph);
  let paragraphProbability = 0;
  for (const r of ranked) if (r.row.sentence.paragraph.id === topParagraph) paragraphProbability += r.probability;
  const x = top.row.features;
  const values: Record<AnswerabilityFeatureName, number> = {
    topProbability: top.probability,
    topParagraphProbability: paragraphProbability,
    topScore: top.score,
    margin: other === undefined ? 5 : top.score - other.score,
    maxCosSentence: context.maxCosSentence,
    maxCosParagraph: context.maxCosParagraph,
    topCoverMeaning: x[featureIndex('coverSentenceMeaning')]!,
    topCoverParagraph: x[featureIndex('coverParagraphMeaning')]!,
    articleCoverage: context.articleCoverage,
    unmatchedShare: context.unmatchedShare,
    unmatchedNames: Math.min(2, context.unmatchedNames),
    kindExpected: x[featureIndex('kindExpected')]!,
    topKindMiss: x[featureIndex('kindMiss')]!,
    topCountNounMiss: context.question.countNoun !== undefined && x[featureIndex('countNoun')] === 0 ? 1 : 0,
    topSpeakerOther: x[featureIndex('speakerOther')]!,
    bm25Strength: context.bm25Strength,
    termCount: Math.log(1 + context.question.terms.length),
    ...paragraphMatch(context, top.row.paragraphCloseness),
    ...focusMatch(context, top.row.paragraphCloseness),
  };
  ANSWERABILITY_FEATURE_NAMES.forEach((name, i) => {
    f[i] = values[name];
  });
  return f;
}
