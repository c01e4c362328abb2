import type { Answer, ConversationTurn } from '../answer-types.js';
import type { Engine } from '../engine-types.js';

export interface AnswerInScopeOptions {
  readonly engine: Engine;
  readonly question: string;
  /** Earlier turns of the thread, oldest first. */
  readonly history: readonly ConversationTurn[];
  /** The articles to answer from; undefined or empty: the whole corpus. */
  readonly articles: readonly string[] | undefined;
}

/**
 * Answers a question from one article, a set of articles, or the whole corpus. The engine restricts retrieval to
 * one article at most, so a set is answered article by article and the grounded answer with the highest confidence
 * wins (when every article refuses, the most confident refusal). Throws what `engine.ask` throws (`QuestionError`
 * for a question it refuses, the same for every article).
 */
export async function answerInScope(options: AnswerInScopeOptions): Promise<Answer> {
  const { engine, question, history, articles } = options;
  if (articles === undefined || articles.length === 0) return engine.ask(question, { history });
  if (articles.length === 1) return engine.ask(question, { history, article: articles[0] });
  const answers = await Promise.all(articles.map((article) => engine.ask(question, { history, article })));
  const grounded = answers.filter((a) => a.grounded);
  const pool = grounded.length > 0 ? grounded : answers;
  // Ties go to the article named first (the pin's order).
  return pool.reduce((best, a) => (a.confidence > best.confidence ? a : best));
}
