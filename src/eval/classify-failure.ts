import { containsPassage } from './match-text.js';
import type { SuiteResult, TurnResult } from './result-types.js';

/**
 * Why a turn fails, as one kind, so a report can say where the failures are. Checked in this order; the first that
 * applies is the turn's kind:
 * - `error`: the engine or server returned an error instead of an answer;
 * - `answered_unanswerable`: the article does not answer, but the turn was answered (or its refusal cited something);
 * - `false_refusal`: the article answers, but the turn was refused;
 * - `wrong_paragraph`: answered, but no citation is a correct paragraph (or nothing was cited);
 * - `wrong_sentence`: a correct paragraph is cited, but no correct citation quotes a sentence holding an `evidence`
 *   passage (the answer took the wrong sentence of the right paragraph; only for turns with evidence);
 * - `extra_paragraph`: a correct paragraph is cited along with a wrong one;
 * - `missing_evidence`: a fact the answer needs (an `evidence` entry) is in no correct citation;
 * - `missing_term`: the answer text lacks a required term.
 */
export const FAILURE_KINDS = [
  'wrong_paragraph',
  'wrong_sentence',
  'false_refusal',
  'answered_unanswerable',
  'missing_term',
  'extra_paragraph',
  'missing_evidence',
  'error',
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

export const FAILURE_LABELS: Readonly<Record<FailureKind, string>> = {
  wrong_paragraph: 'wrong paragraph',
  wrong_sentence: 'right paragraph, wrong sentence',
  false_refusal: 'false refusal',
  answered_unanswerable: 'answered an unanswerable',
  missing_term: 'missing term',
  extra_paragraph: 'also cited a wrong paragraph',
  missing_evidence: 'a needed fact not cited',
  error: 'error',
};

/** The kind of a failing turn (see {@link FAILURE_KINDS}); null for a turn that passes. */
export function classifyFailure(turn: TurnResult): FailureKind | null {
  const { score, expect, answer } = turn;
  if (score.passed) return null;
  if (turn.error !== null || answer === null) return 'error';
  if (expect.unanswerable) return 'answered_unanswerable';
  if (score.refused) return 'false_refusal';
  if (score.hit !== true) return 'wrong_paragraph';
  const correct = answer.citations.filter((_, i) => score.citationCorrect[i] === true);
  const passages = expect.evidence.flat();
  if (passages.length > 0 && !correct.some((c) => passages.some((p) => containsPassage(c.quote, p)))) return 'wrong_sentence';
  if (score.citationCorrect.some((ok) => !ok)) return 'extra_paragraph';
  if (score.recall !== null && score.recall < 1) return 'missing_evidence';
  if (score.termsMissing.length > 0) return 'missing_term';
  // Unreachable while scoreAnswer's problems are the ones above; kept so a new problem is still counted.
  return 'wrong_paragraph';
}

export interface ArticleFailures {
  /** The case's article slug, or `(any)` for cases that name none. */
  readonly article: string;
  readonly turns: number;
  readonly failing: number;
  readonly byKind: Readonly<Record<FailureKind, number>>;
}

export interface FailureSummary {
  readonly turns: number;
  readonly failing: number;
  readonly byKind: Readonly<Record<FailureKind, number>>;
  /** One row per article, in the order the articles first appear. */
  readonly byArticle: readonly ArticleFailures[];
}

const NO_ARTICLE = '(any)';

function emptyKinds(): Record<FailureKind, number> {
  return Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, 0])) as Record<FailureKind, number>;
}

/** Counts the failing turns of every suite by kind, in total and per article. */
export function summarizeFailures(suites: readonly SuiteResult[]): FailureSummary {
  const byKind = emptyKinds();
  const articles = new Map<string, { turns: number; failing: number; byKind: Record<FailureKind, number> }>();
  let turns = 0;
  let failing = 0;
  for (const suite of suites) {
    for (const c of suite.cases) {
      const slug = c.article ?? NO_ARTICLE;
      let row = articles.get(slug);
      if (row === undefined) {
        row = { turns: 0, failing: 0, byKind: emptyKinds() };
        articles.set(slug, row);
      }
      for (const turn of c.turns) {
        turns += 1;
        row.turns += 1;
        const kind = classifyFailure(turn);
        if (kind === null) continue;
        failing += 1;
        row.failing += 1;
        byKind[kind] += 1;
        row.byKind[kind] += 1;
      }
    }
  }
  return { turns, failing, byKind, byArticle: [...articles].map(([article, row]) => ({ article, ...row })) };
}
