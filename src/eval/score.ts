import { containsPassage, containsTerm } from './match-text.js';
import type { TurnExpectation } from './suite-types.js';

/**
 * Pure scoring of one turn: no I/O, no engine. Definitions (mirrored in docs/evals.md):
 * - A citation (or retrieved paragraph) is **correct** when it belongs to the case's article and its number is
 *   in `paragraphs` or its text contains one passage of any `evidence` entry.
 * - A turn is **refused** when the answer has `grounded: false`.
 * - An **unanswerable** turn is right when `grounded === false` and it has no citations.
 */

/** The parts of an answer the scoring looks at (an engine `Answer` or a WebSocket `answer` frame). */
export interface EvalCitation {
  readonly article: string;
  readonly paragraph: number;
  readonly text: string;
  readonly quote: string;
}

export interface EvalAnswer {
  readonly answer: string;
  readonly grounded: boolean;
  readonly citations: readonly EvalCitation[];
}

/** A paragraph as the retriever ranked it. */
export interface RankedParagraph {
  readonly article: string;
  readonly paragraph: number;
  readonly text: string;
}

export interface RetrievalScore {
  /** 1-based rank of the first correct paragraph, or null when none was retrieved. */
  readonly rank: number | null;
  readonly recallAt1: number;
  readonly recallAt5: number;
  readonly reciprocalRank: number;
}

export interface AnswerScore {
  /** `grounded === false`. */
  readonly refused: boolean;
  /** Per citation, in answer order: is it correct? */
  readonly citationCorrect: readonly boolean[];
  /** Answerable turns: at least one correct citation. Null on unanswerable turns. */
  readonly hit: boolean | null;
  /** Answerable turns with at least one citation: correct / all citations. */
  readonly precision: number | null;
  /** Answerable turns: share of the needed facts covered (see `scoreAnswer`). */
  readonly recall: number | null;
  /** Term entries (`a|b`) the answer text lacks. */
  readonly termsMissing: readonly string[];
  /** Turns with terms: share of term entries found in the answer text. */
  readonly termAccuracy: number | null;
  /** Unanswerable turns: refused with no citations. Null on answerable turns. */
  readonly refusalCorrect: boolean | null;
  /** Answerable turns: refused. Null on unanswerable turns. */
  readonly falseRefusal: boolean | null;
  /** Why the turn fails, one line each; empty when it passes. */
  readonly problems: readonly string[];
  readonly passed: boolean;
}

/** The correctness rule for one cited or retrieved paragraph. `article` undefined: any article is accepted. */
export function isCorrectParagraph(
  ref: { readonly article: string; readonly paragraph: number; readonly text: string },
  expect: TurnExpectation,
  article: string | undefined,
): boolean {
  if (article !== undefined && ref.article !== article) return false;
  if (expect.paragraphs.includes(ref.paragraph)) return true;
  return expect.evidence.some((alternatives) => alternatives.some((passage) => containsPassage(ref.text, passage)));
}

/**
 * Where the first correct paragraph sits in a ranked list. Returns null for unanswerable turns (nothing is
 * expected). recall@k is 1 when a correct paragraph is in the top k; the reciprocal rank is 0 when none is listed.
 */
export function scoreRetrieval(
  ranked: readonly RankedParagraph[],
  expect: TurnExpectation,
  article: string | undefined,
): RetrievalScore | null {
  if (expect.unanswerable) return null;
  const index = ranked.findIndex((ref) => isCorrectParagraph(ref, expect, article));
  const rank = index < 0 ? null : index + 1;
  return {
    rank,
    recallAt1: rank === 1 ? 1 : 0,
    recallAt5: rank !== null && rank <= 5 ? 1 : 0,
    reciprocalRank: rank === null ? 0 : 1 / rank,
  };
}

export interface ScoreAnswerInput {
  readonly expect: TurnExpectation;
  /** The case's article slug; undefined accepts citations of any article. */
  readonly article: string | undefined;
  /** Undefined when the turn failed with an error. */
  readonly answer: EvalAnswer | undefined;
  /** `CODE: message` of an error the engine or server returned instead of an answer. */
  readonly error?: string;
}

/**
 * Scores one answer against its expectation.
 * Citation recall: with two or more `evidence` entries, the share of entries whose passage appears in a correct
 * citation's text (each entry is a fact the answer needs); otherwise 1 on a hit and 0 on a miss.
 * An error scores like a refusal on an answerable turn and as a wrong answer on an unanswerable one.
 */
export function scoreAnswer(input: ScoreAnswerInput): AnswerScore {
  const { expect, article } = input;
  const answer: EvalAnswer = input.answer ?? { answer: '', grounded: false, citations: [] };
  const problems: string[] = [];
  if (input.error !== undefined) problems.push(`error ${input.error}`);
  const refused = !answer.grounded;
  const citationCorrect = answer.citations.map((citation) => isCorrectParagraph(citation, expect, article));
  const cited = answer.citations.map((c) => `¶${c.paragraph}`).join(', ');

  if (expect.unanswerable) {
    const refusalCorrect = input.error === undefined && refused && answer.citations.length === 0;
    if (input.error === undefined && !refused) problems.push(`answered an unanswerable question (grounded: true${cited ? `, cited ${cited}` : ''})`);
    else if (input.error === undefined && answer.citations.length > 0) problems.push(`refused but still cited ${cited}`);
    return {
      refused,
      citationCorrect,
      hit: null,
      precision: null,
      recall: null,
      termsMissing: [],
      termAccuracy: null,
      refusalCorrect,
      falseRefusal: null,
      problems,
      passed: problems.length === 0,
    };
  }

  const correctCount = citationCorrect.filter(Boolean).length;
  const hit = correctCount > 0;
  const precision = answer.citations.length === 0 ? null : correctCount / answer.citations.length;
  const correctCitations = answer.citations.filter((_, i) => citationCorrect[i]);
  let recall: number;
  const missingEvidence: string[] = [];
  if (expect.evidence.length >= 2) {
    for (const alternatives of expect.evidence) {
      const covered = correctCitations.some((c) => alternatives.some((passage) => containsPassage(c.text, passage)));
      if (!covered) missingEvidence.push(alternatives.join('|'));
    }
    recall = (expect.evidence.length - missingEvidence.length) / expect.evidence.length;
  } else {
    recall = hit ? 1 : 0;
  }
  const termsMissing = expect.terms
    .filter((alternatives) => !alternatives.some((term) => containsTerm(answer.answer, term)))
    .map((alternatives) => alternatives.join('|'));
  const termAccuracy = expect.terms.length === 0 ? null : (expect.terms.length - termsMissing.length) / expect.terms.length;

  if (input.error === undefined) {
    if (refused) problems.push('refused an answerable question (grounded: false)');
    if (!refused && answer.citations.length === 0) problems.push('no citations');
    else if (!hit && answer.citations.length > 0) problems.push(`no correct citation (cited ${cited})`);
    const wrong = answer.citations.filter((_, i) => !citationCorrect[i]).map((c) => `¶${c.paragraph}`);
    if (hit && wrong.length > 0) problems.push(`also cited ${wrong.join(', ')}, not expected`);
    if (hit) for (const entry of missingEvidence) problems.push(`no citation holds the evidence "${entry}"`);
    for (const term of termsMissing) problems.push(`answer lacks the term "${term}"`);
  }
  return {
    refused,
    citationCorrect,
    hit,
    precision,
    recall,
    termsMissing,
    termAccuracy,
    refusalCorrect: null,
    falseRefusal: refused,
    problems,
    passed: problems.length === 0,
  };
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list; null for an empty one. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Mean of a list; null for an empty one (the metric does not apply). */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
