import type { Answer } from './answer-types.js';
import { composeRefusal } from './compose-answer.js';
import type { AnswerInput, Answerer } from './engine-types.js';
import type { AnswerPipeline, Decision } from './pipeline/answer-pipeline.js';
import { composeReply } from './pipeline/compose-reply.js';
import { isInstruction } from './pipeline/detect-instruction.js';
import type { QuestionContext } from './pipeline/features.js';
import type { RankedSentence } from './pipeline/rank.js';

/**
 * The default answerer: deterministic, offline, no LLM. For the article in scope (or, for an unscoped question,
 * each article the router proposes) it runs the pipeline (candidates and features, the trained ranker, the
 * calibrated answerability model) and composes a reply from the best sentences; when the article probably does
 * not answer, it says so, cites nothing, and offers the nearest passages as `related`.
 */
export interface ExtractiveAnswererOptions {
  readonly pipeline: AnswerPipeline;
  /** The engine's (cached) query embedder; vectors are unit length. */
  readonly embedQuery: (text: string) => Promise<readonly number[]>;
  /** Articles to try for a question asked of the whole corpus, best first. */
  readonly routeArticles: (question: string) => Promise<readonly string[]>;
}

/** Refusals below this confidence say plainly that the article does not say; above it, that it may not. */
const CLEAR_REFUSAL = 0.15;
export const MAY_NOT_SAY_TEXT =
  'The article may not say this. I found no passage that clearly answers it; the closest ones are listed below as related, not as sources.';

export interface ScopedResult {
  readonly slug: string;
  readonly context: QuestionContext;
  readonly ranked: readonly RankedSentence[];
  readonly decision: Decision;
}

export function createExtractiveAnswerer(options: ExtractiveAnswererOptions): Answerer & {
  /** The pipeline's result for one article (for `engine.retrieve` and diagnostics). */
  score(question: string, slug: string, history?: AnswerInput['history']): Promise<ScopedResult>;
} {
  const { pipeline } = options;

  const score = async (question: string, slug: string, history: AnswerInput['history'] = []): Promise<ScopedResult> => {
    const analyzed = pipeline.analyze(question, slug);
    const vector = await options.embedQuery(analyzed.text);
    const recent = history.slice(-2).flatMap((turn) => turn.answer.citations.filter((c) => c.article === slug));
    const context = pipeline.features({
      question: analyzed,
      slug,
      vector,
      history: { quotes: recent.map((c) => c.quote), paragraphs: new Set(recent.map((c) => c.id)) },
    });
    const ranked = pipeline.rank(context);
    return { slug, context, ranked, decision: pipeline.decide(context, ranked) };
  };

  return {
    name: 'extractive',
    score,
    async answer(input: AnswerInput): Promise<Answer> {
      const question = input.standaloneQuestion;
      const slugs = input.article !== undefined ? [input.article] : await options.routeArticles(question);
      if (slugs.length === 0) return emit(composeRefusal([], 'extractive', [], 0), input);
      const results = await Promise.all(slugs.map((slug) => score(question, slug, input.history)));
      const best = results.reduce((a, b) => (b.decision.confidence > a.decision.confidence ? b : a));
      const related = relatedParagraphs(best.ranked);
      if (isInstruction(input.question) || isInstruction(question) || !best.decision.answerable || best.ranked.length === 0) {
        const refusal = composeRefusal(related, 'extractive', [], best.decision.confidence);
        return emit(best.decision.confidence >= CLEAR_REFUSAL && !isInstruction(question) ? { ...refusal, answer: MAY_NOT_SAY_TEXT } : refusal, input);
      }
      const model = pipeline.articleModel(best.slug);
      const reply = composeReply({ question: best.context.question, model, ranked: best.ranked, lexicon: pipeline.lexicon });
      // Asked of the whole corpus, the answer says which story it comes from.
      const from = input.article === undefined && pipeline.articles.length > 1 ? `From “${model.article.headline}”: ` : '';
      return emit(
        {
          answer: from + reply.text,
          grounded: true,
          confidence: best.decision.confidence,
          citations: reply.citations,
          related: [],
          answerer: 'extractive',
          notes: [],
        },
        input,
      );
    },
  };
}

/** The three best distinct paragraphs, offered beside a refusal. */
function relatedParagraphs(ranked: readonly RankedSentence[]) {
  const seen = new Set<string>();
  const out = [];
  for (const entry of ranked) {
    const p = entry.row.sentence.paragraph;
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    out.push(p);
    if (out.length === 3) break;
  }
  return out;
}

/** Streams the answer's text through `onDelta` word by word, then returns it. */
function emit(answer: Answer, input: AnswerInput): Answer {
  if (input.onDelta !== undefined) {
    for (const piece of answer.answer.match(/[^\s]+\s*/g) ?? []) input.onDelta(piece);
  }
  return answer;
}
