/**
 * The eval suite model: what `parseSuite` reads from a `evals/*.jsonl` file.
 * The file format itself is documented in docs/evals.md; these types are its parsed, validated form.
 */

/** Every metric a suite reports; any of them may carry a threshold. */
export const METRIC_NAMES = [
  'recallAt1',
  'recallAt5',
  'mrr',
  'citationHit',
  'citationPrecision',
  'citationRecall',
  'termAccuracy',
  'refusalAccuracy',
  'falseRefusalRate',
  'turnPassRate',
  'latencyP50Ms',
  'latencyP95Ms',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** Minimums and maximums per metric; a metric absent from both is reported but never fails the suite. */
export interface Thresholds {
  readonly min: Readonly<Partial<Record<MetricName, number>>>;
  readonly max: Readonly<Partial<Record<MetricName, number>>>;
}

/** What a correct answer to one turn looks like. */
export interface TurnExpectation {
  /** Acceptable paragraph numbers (¶N): citing any of them is correct. */
  readonly paragraphs: readonly number[];
  /**
   * Needed facts, each as alternative passages (the `|`-separated parts of one `evidence` entry).
   * A citation is correct when its text contains any passage of any entry; citation recall is the share
   * of entries covered by a correct citation.
   */
  readonly evidence: readonly (readonly string[])[];
  /** Terms the answer text must contain, each as alternatives (`"4,700|4700"`). */
  readonly terms: readonly (readonly string[])[];
  /** The article does not answer: the right answer is a refusal with no citations. */
  readonly unanswerable: boolean;
}

export interface SuiteTurn {
  readonly question: string;
  readonly expect: TurnExpectation;
}

/**
 * `dev`: a case the engine may be tuned on; `test`: a case only ever reported, never tuned on. Cases without a
 * split belong to neither (fixtures, drafts).
 */
export type SuiteSplit = 'dev' | 'test';

/** One case: a single question, or a conversation when it has several turns. */
export interface SuiteCase {
  readonly id: string;
  readonly split: SuiteSplit | undefined;
  /** The article slug the case is about; falls back to the suite's `article`. */
  readonly article: string | undefined;
  readonly turns: readonly SuiteTurn[];
  readonly tags: readonly string[];
  readonly note: string | undefined;
  /** 1-based line of the case in its file. */
  readonly line: number;
}

export interface Suite {
  /** The header's `suite`, or the file name without `.jsonl`. */
  readonly name: string;
  readonly file: string;
  readonly description: string | undefined;
  /** Default article slug for cases that name none. */
  readonly article: string | undefined;
  /** A test fixture: left out of the default run (`npm run eval` with no `--suite`). */
  readonly fixture: boolean;
  readonly thresholds: Thresholds;
  readonly cases: readonly SuiteCase[];
}
