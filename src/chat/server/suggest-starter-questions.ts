import type { Article } from '../../index/article.js';
import type { Answer } from '../answer-types.js';
import type { Engine } from '../engine-types.js';

/**
 * Starter questions for the reader widget, in two separate parts:
 * - a **candidate source**: the engine's own (`engine.suggestQuestions`: the people the story names most, then
 *   questions generated from its sentences);
 * - the **selection** (`selectStarterQuestions`): asks the engine each candidate and keeps, in candidate
 *   order and at most `max`, only those answered grounded with `confidence >= minConfidence` whose answer
 *   is not a bare quote fragment.
 * "Summarize this story" is not among them: the widget always offers it first, as its own request.
 */

/** Only answers the engine is this sure of become starters: a starter must never lead to a weak answer. */
export const STARTER_MIN_CONFIDENCE = 0.8;
/** How many starters the widget shows. */
export const STARTER_MAX = 4;

export interface StarterSelectionOptions {
  /** Keep only answers at least this sure; default `STARTER_MIN_CONFIDENCE`. */
  readonly minConfidence?: number;
  /** Default `STARTER_MAX`. */
  readonly max?: number;
}

/**
 * Asks each candidate in order and keeps those whose answer is grounded, cites something, is at least
 * `minConfidence` sure and is not a bare quote fragment (see `isBareQuoteFragment`), until `max` are
 * kept. A candidate whose answer fails (throws) is dropped.
 */
export async function selectStarterQuestions(
  candidates: readonly string[],
  ask: (question: string) => Promise<Answer>,
  options: StarterSelectionOptions = {},
): Promise<string[]> {
  const minConfidence = options.minConfidence ?? STARTER_MIN_CONFIDENCE;
  const max = options.max ?? STARTER_MAX;
  const chosen: string[] = [];
  for (const question of candidates) {
    if (chosen.length >= max) break;
    let answer: Answer;
    try {
      answer = await ask(question);
    } catch {
      continue; // a refused candidate is simply not offered
    }
    if (!answer.grounded || answer.citations.length === 0 || answer.confidence < minConfidence) continue;
    if (isBareQuoteFragment(answer)) continue;
    chosen.push(question);
  }
  return chosen;
}

/**
 * True when the answer, read on its own, is a bare quote fragment: most of its words lie inside quotation
 * marks ("That," he says, "is a fact."), or it is a few words (under six) that stand for no statement.
 * Such an answer is right but useless as the first thing a reader sees.
 */
export function isBareQuoteFragment(answer: Answer): boolean {
  const text = answer.answer.replace(/\s*\[¶\d+\]/g, '').trim();
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < 6) return true;
  let quoted = 0;
  for (const match of text.matchAll(/["“]([^"”]*)["”]?/g)) quoted += match[1]!.split(/\s+/).filter(Boolean).length;
  return quoted / words > 0.6;
}

/**
 * The widget's starter questions for an article: the candidates, then the selection, asked of the
 * extractive answerer (it is enough to know the article answers, and never waits on an LLM).
 */
export async function suggestStarterQuestions(engine: Engine, article: Article, options: StarterSelectionOptions = {}): Promise<string[]> {
  return selectStarterQuestions(
    engine.suggestQuestions(article.slug),
    (question) => engine.ask(question, { article: article.slug, answerer: 'extractive' }),
    options,
  );
}
