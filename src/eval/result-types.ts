import type { AnswerScore, EvalAnswer, RetrievalScore } from './score.js';
import type { MetricName, Thresholds, TurnExpectation } from './suite-types.js';

/**
 * What a run produces; the JSON report is these objects serialised as they are (report-json.ts).
 */

/** Every metric of a case or a suite; null when it does not apply (no such turns, or not measured). */
export type Metrics = Record<MetricName, number | null>;

export interface Counts {
  readonly cases: number;
  readonly casesPassed: number;
  readonly turns: number;
  readonly turnsPassed: number;
  readonly answerable: number;
  readonly unanswerable: number;
  readonly errors: number;
}

export interface RetrievalResult extends RetrievalScore {
  /** The query sent to `engine.retrieve` (the question, plus earlier questions on a follow-up). */
  readonly query: string;
  /** Paragraph numbers of the top five, best first. */
  readonly top: readonly number[];
}

export interface TurnResult {
  readonly question: string;
  readonly expect: TurnExpectation;
  /** The answer, or null when the turn ended in an error. */
  readonly answer: EvalAnswer | null;
  /** Which answerer produced it (`extractive`, `llm`), when the source says. */
  readonly answerer: string | null;
  /** `CODE: message` when the engine or server refused the question. */
  readonly error: string | null;
  readonly latencyMs: number;
  /** Null on unanswerable turns and when retrieval is not measured (`--ws`). */
  readonly retrieval: RetrievalResult | null;
  readonly score: AnswerScore;
  /**
   * Answerable turns: the expected paragraphs with their text, for the report to show beside what was cited. Added
   * by `annotateReport` (absent from reports written before it, and from turns whose article is unknown).
   */
  readonly expected?: readonly ExpectedParagraph[];
}

/** An expected paragraph of a turn, as the article has it. */
export interface ExpectedParagraph {
  readonly article: string;
  readonly paragraph: number;
  readonly text: string;
}

export interface CaseResult {
  readonly id: string;
  readonly article: string | undefined;
  readonly line: number;
  readonly passed: boolean;
  readonly metrics: Metrics;
  readonly turns: readonly TurnResult[];
  /** The case's tags from the suite (added by `annotateReport`; absent from older reports). */
  readonly tags?: readonly string[];
}

export type ThresholdStatus = 'pass' | 'fail' | 'not-measured';

export interface ThresholdCheck {
  readonly metric: MetricName;
  readonly bound: 'min' | 'max';
  readonly limit: number;
  readonly value: number | null;
  readonly status: ThresholdStatus;
}

export interface SuiteResult {
  readonly name: string;
  readonly file: string;
  readonly description: string | undefined;
  readonly thresholds: Thresholds;
  readonly metrics: Metrics;
  readonly counts: Counts;
  readonly checks: readonly ThresholdCheck[];
  /** Every threshold met (a metric that was not measured does not fail). */
  readonly passed: boolean;
  readonly cases: readonly CaseResult[];
}
