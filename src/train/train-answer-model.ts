import { ANSWER_MODEL_FORMAT, ANSWER_MODEL_VERSION, linearScore, sigmoid, type AnswerModel, type LinearModel } from '../chat/pipeline/answer-model.js';
import { ANSWERABILITY_FEATURE_NAMES, answerabilityFeatures } from '../chat/pipeline/answerability-features.js';
import { featureIndex, SENTENCE_FEATURE_NAMES } from '../chat/pipeline/features.js';
import { rankSentences } from '../chat/pipeline/rank.js';
import { seededRandom } from '../seeded-random.js';
import type { TrainingExample } from './build-training-set.js';
import { fitListwiseRanker, fitLogistic, type RankingGroup } from './fit-linear.js';

/**
 * Fits the answer model and measures it honestly: leave-one-article-out cross-validation, where every figure for
 * an article comes from a ranker and an answerability model that never saw that article. The answerability
 * classifier is trained on out-of-fold rankings (what the ranker does on articles it was not trained on), and
 * its threshold is chosen on the out-of-fold results of the hand-written dev questions.
 */
export interface TrainOptions {
  readonly examples: readonly TrainingExample[];
  /** Weight of a generated question relative to a hand-written one; default 0.3. */
  readonly generatedWeight?: number;
  readonly l2?: number;
  /**
   * When the threshold is chosen, a wrong citation (or an answered unanswerable question) costs this many correct
   * answers; refusing an answerable question costs half of one. Default 1.5: a wrong citation is the worst outcome.
   */
  readonly wrongCost?: number;
  /** Weights of the answerability examples by source (hand-written questions weigh 1). */
  readonly answerabilityWeights?: { readonly generated?: number; readonly removedSuite?: number; readonly removedGenerated?: number };
}

export interface ArticleReport {
  readonly article: string;
  readonly answerable: number;
  readonly unanswerable: number;
  /** Top paragraph correct, before answerability. */
  readonly rankHit: number;
  readonly hit: number;
  readonly precision: number | null;
  readonly falseRefusals: number;
  readonly refusalAccuracy: number | null;
}

/** One hand-written dev question's out-of-fold result, for error analysis (`npm run train -- --dump FILE`). */
export interface OutOfFoldResult {
  readonly label: string;
  readonly question: string;
  readonly expected: readonly string[];
  readonly confidence: number;
  readonly top: ReadonlyArray<{ paragraph: string; sentence: string; probability: number }>;
}

export interface TrainReport {
  readonly outOfFold: readonly OutOfFoldResult[];
  readonly questions: { readonly suite: number; readonly generated: number; readonly removed: number };
  readonly crossValidation: readonly ArticleReport[];
  readonly overall: ArticleReport;
  readonly threshold: number;
  readonly sweep: ReadonlyArray<{ threshold: number; hit: number; precision: number | null; falseRefusals: number; refusalAccuracy: number | null }>;
  readonly rankerWeights: Record<string, number>;
  readonly answerabilityWeights: Record<string, number>;
}

interface Outcome {
  readonly example: TrainingExample;
  readonly correct: boolean;
  readonly confidence: number;
}

export function trainAnswerModel(options: TrainOptions): { model: AnswerModel; report: TrainReport } {
  const { examples } = options;
  const generatedWeight = options.generatedWeight ?? 0.3;
  const l2 = options.l2 ?? 0.01;
  const slugs = [...new Set(examples.map((e) => e.question.slug))].sort();

  const groupOf = (example: TrainingExample): RankingGroup | undefined => rankingGroup(example, generatedWeight);
  const fitRanker = (train: readonly TrainingExample[]): LinearModel =>
    fitListwiseRanker(
      train.flatMap((e) => {
        const g = groupOf(e);
        return g === undefined ? [] : [g];
      }),
      { features: SENTENCE_FEATURE_NAMES, l2 },
    );
  const answerabilityRows = (pairs: ReadonlyArray<{ example: TrainingExample; ranker: LinearModel }>) =>
    pairs.map(({ example, ranker }) => {
      const ranked = rankSentences(example.context, ranker);
      const top = ranked[0];
      const correct = top !== undefined && example.question.paragraphs.has(top.row.sentence.paragraph.id);
      return { example, x: answerabilityFeatures(example.context, ranked), y: correct ? 1 : 0 };
    });
  const aw = options.answerabilityWeights ?? {};
  const answerabilityWeight = (e: TrainingExample): number =>
    e.question.source === 'suite'
      ? 1
      : e.question.source === 'generated'
        ? (aw.generated ?? generatedWeight)
        : e.question.label.startsWith('generated/')
          ? (aw.removedGenerated ?? generatedWeight)
          : (aw.removedSuite ?? 0.7);
  const fitAnswerability = (rows: ReturnType<typeof answerabilityRows>): LinearModel =>
    fitLogistic(
      rows.map((r) => r.x),
      rows.map((r) => r.y),
      rows.map((r) => answerabilityWeight(r.example)),
      { features: ANSWERABILITY_FEATURE_NAMES, l2 },
    );

  // Out-of-fold rankings for every example, by article.
  const rankersByFold = new Map<string, LinearModel>();
  for (const slug of slugs) rankersByFold.set(slug, fitRanker(examples.filter((e) => e.question.slug !== slug)));
  const oofRows = answerabilityRows(examples.map((example) => ({ example, ranker: rankersByFold.get(example.question.slug)! })));

  // Out-of-fold answerability: trained on the other articles' out-of-fold rows.
  const outcomes: Outcome[] = [];
  const outOfFold: OutOfFoldResult[] = [];
  for (const slug of slugs) {
    const model = fitAnswerability(oofRows.filter((r) => r.example.question.slug !== slug));
    for (const r of oofRows) {
      if (r.example.question.slug !== slug || r.example.question.source !== 'suite') continue;
      const confidence = sigmoid(linearScore(model, r.x));
      outcomes.push({ example: r.example, correct: r.y === 1, confidence });
      const ranked = rankSentences(r.example.context, rankersByFold.get(slug)!);
      outOfFold.push({
        label: r.example.question.label,
        question: r.example.context.question.text,
        expected: [...r.example.question.paragraphs],
        confidence: round(confidence),
        top: ranked.slice(0, 3).map((x) => ({ paragraph: x.row.sentence.paragraph.id, sentence: x.row.sentence.sentence.text, probability: round(x.probability) })),
      });
    }
  }

  const sweep: Array<ReturnType<typeof summarize> & { threshold: number }> = [];
  for (let t = 0.05; t <= 0.951; t += 0.025) sweep.push({ threshold: round(t), ...summarize(outcomes, t) });
  const wrongCost = options.wrongCost ?? 1.5;
  const utility = (s: ReturnType<typeof summarize> & { threshold: number }): number =>
    s.hitCount + s.refusedUnanswerable - wrongCost * (s.wrongCount + s.answeredUnanswerable) - 0.5 * s.falseRefusalCount;
  // The utility at one threshold moves by a dozen points between neighbouring steps (a few questions each way), so
  // the threshold is the one whose neighbourhood (it and the steps either side) does best on average: a peak made
  // by a handful of dev questions is not chosen over a plateau.
  const smoothed = sweep.map((_, i) => {
    const window = sweep.slice(Math.max(0, i - 1), i + 2);
    return window.reduce((a, s) => a + utility(s), 0) / window.length;
  });
  const threshold = sweep[smoothed.indexOf(Math.max(...smoothed))]!.threshold;

  const ranker = fitRanker(examples);
  const answerability = fitAnswerability(answerabilityRows(examples.map((example) => ({ example, ranker: rankersByFold.get(example.question.slug)! }))));
  const perArticle = slugs.map((slug) => articleReport(slug, outcomes.filter((o) => o.example.question.slug === slug), threshold));
  const report: TrainReport = {
    outOfFold,
    questions: {
      suite: examples.filter((e) => e.question.source === 'suite').length,
      generated: examples.filter((e) => e.question.source === 'generated').length,
      removed: examples.filter((e) => e.question.source === 'removed').length,
    },
    crossValidation: perArticle,
    overall: articleReport('all dev articles', outcomes, threshold),
    threshold,
    sweep: sweep.map(({ threshold: t, hit, precision, falseRefusals, refusalAccuracy }) => ({ threshold: t, hit, precision, falseRefusals, refusalAccuracy })),
    rankerWeights: Object.fromEntries(ranker.features.map((f, i) => [f, round(ranker.weights[i]!)])),
    answerabilityWeights: Object.fromEntries(answerability.features.map((f, i) => [f, round(answerability.weights[i]!)])),
  };
  const model: AnswerModel = {
    format: ANSWER_MODEL_FORMAT,
    version: ANSWER_MODEL_VERSION,
    trainedAt: new Date().toISOString(),
    ranker: roundModel(ranker),
    answerability: { ...roundModel(answerability), threshold },
    report: { questions: report.questions, crossValidation: report.crossValidation, overall: report.overall },
  };
  return { model, report };
}

/** One question's candidates for the listwise ranker: its answer rows, the 40 likeliest others and 10 at random. */
function rankingGroup(example: TrainingExample, generatedWeight: number): RankingGroup | undefined {
  const { question, context } = example;
  if (question.sentences.size === 0) return undefined;
  const rows = context.rows;
  const positives = rows.map((r, i) => (question.sentences.has(r.sentence.id) ? i : -1)).filter((i) => i >= 0);
  if (positives.length === 0) return undefined;
  const cos = featureIndex('cosSentence');
  const bm25 = featureIndex('bm25Sentence');
  const prior = rows.map((r, i) => ({ i, p: r.features[cos]! + 0.5 * r.features[bm25]! })).sort((a, b) => b.p - a.p);
  const keep = new Set(positives);
  for (const { i } of prior) {
    if (keep.size >= positives.length + 40) break;
    keep.add(i);
  }
  const random = seededRandom(question.text.length * 31 + rows.length);
  for (let n = 0; n < 10 && rows.length > keep.size; n += 1) keep.add(Math.floor(random() * rows.length));
  const kept = [...keep].sort((a, b) => a - b);
  return {
    rows: kept.map((i) => rows[i]!.features),
    positives: kept.map((i, k) => (question.sentences.has(rows[i]!.sentence.id) ? k : -1)).filter((k) => k >= 0),
    weight: question.source === 'generated' ? generatedWeight : 1,
  };
}

function summarize(outcomes: readonly Outcome[], threshold: number) {
  let answerable = 0;
  let unanswerable = 0;
  let hitCount = 0;
  let wrongCount = 0;
  let falseRefusalCount = 0;
  let refusedUnanswerable = 0;
  let answeredUnanswerable = 0;
  for (const o of outcomes) {
    const answered = o.confidence >= threshold;
    if (o.example.question.paragraphs.size > 0) {
      answerable += 1;
      if (!answered) falseRefusalCount += 1;
      else if (o.correct) hitCount += 1;
      else wrongCount += 1;
    } else {
      unanswerable += 1;
      if (answered) answeredUnanswerable += 1;
      else refusedUnanswerable += 1;
    }
  }
  return {
    hitCount,
    wrongCount,
    falseRefusalCount,
    refusedUnanswerable,
    answeredUnanswerable,
    hit: answerable === 0 ? 0 : round(hitCount / answerable),
    precision: hitCount + wrongCount === 0 ? null : round(hitCount / (hitCount + wrongCount)),
    falseRefusals: answerable === 0 ? 0 : round(falseRefusalCount / answerable),
    refusalAccuracy: unanswerable === 0 ? null : round(refusedUnanswerable / unanswerable),
    answerable,
    unanswerable,
  };
}

function articleReport(article: string, outcomes: readonly Outcome[], threshold: number): ArticleReport {
  const s = summarize(outcomes, threshold);
  const answerable = outcomes.filter((o) => o.example.question.paragraphs.size > 0);
  return {
    article,
    answerable: s.answerable,
    unanswerable: s.unanswerable,
    rankHit: answerable.length === 0 ? 0 : round(answerable.filter((o) => o.correct).length / answerable.length),
    hit: s.hit,
    precision: s.precision,
    falseRefusals: s.falseRefusals,
    refusalAccuracy: s.refusalAccuracy,
  };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function roundModel(m: LinearModel): LinearModel {
  const r = (x: number): number => Math.round(x * 1e6) / 1e6;
  return { features: m.features, mean: m.mean.map(r), scale: m.scale.map(r), weights: m.weights.map(r), bias: r(m.bias) };
}
