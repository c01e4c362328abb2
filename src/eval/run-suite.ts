import type { Article } from '../index/article.js';
import type { AnswerSource } from './answer-source.js';
import { checkThresholds } from './check-thresholds.js';
import type { CaseResult, RetrievalResult, SuiteResult, TurnResult } from './result-types.js';
import { scoreAnswer, scoreRetrieval, type EvalAnswer } from './score.js';
import type { Suite } from './suite-types.js';
import { countResults, summarizeMetrics } from './summarize-metrics.js';
import { resolveCaseArticle } from './validate-suite.js';

export interface RunSuiteOptions {
  /** A suite that `validateSuite` accepted against `articles`. */
  readonly suite: Suite;
  readonly source: AnswerSource;
  /** The corpus the suite was validated against; decides the article of cases that name none. */
  readonly articles: readonly Article[];
  /** Called after each case, e.g. for a progress line. */
  readonly onCase?: (result: CaseResult, index: number, total: number) => void;
}

/**
 * Runs every case of a suite in order, one conversation per case, and scores it. Turns that the engine or
 * server refuses with an error are recorded and scored, never skipped; only a source that cannot run at all
 * (a server that refuses connections) throws.
 */
export async function runSuite(options: RunSuiteOptions): Promise<SuiteResult> {
  const { suite, source } = options;
  const cases: CaseResult[] = [];
  for (const [index, testCase] of suite.cases.entries()) {
    const article = resolveCaseArticle(suite, testCase, options.articles);
    const conversation = await source.openConversation();
    const turns: TurnResult[] = [];
    try {
      for (const turn of testCase.turns) {
        const outcome = await conversation.ask(turn.question, article);
        let retrieval: RetrievalResult | null = null;
        if (conversation.rank !== undefined && !turn.expect.unanswerable) {
          const { query, ranked } = await conversation.rank(turn.question, article);
          const score = scoreRetrieval(ranked, turn.expect, article);
          if (score !== null) retrieval = { ...score, query, top: ranked.slice(0, 5).map((r) => r.paragraph) };
        }
        turns.push({
          question: turn.question,
          expect: turn.expect,
          answer: outcome.answer === null ? null : trimAnswer(outcome.answer),
          answerer: outcome.answerer ?? null,
          error: outcome.error,
          latencyMs: Math.round(outcome.latencyMs * 10) / 10,
          retrieval,
          score: scoreAnswer({
            expect: turn.expect,
            article,
            answer: outcome.answer ?? undefined,
            ...(outcome.error === null ? {} : { error: outcome.error }),
          }),
        });
      }
    } finally {
      await conversation.close();
    }
    const result: CaseResult = {
      id: testCase.id,
      article,
      line: testCase.line,
      passed: turns.every((t) => t.score.passed),
      metrics: summarizeMetrics(turns),
      turns,
    };
    cases.push(result);
    options.onCase?.(result, index, suite.cases.length);
  }
  const allTurns = cases.flatMap((c) => c.turns);
  const metrics = summarizeMetrics(allTurns);
  const checks = checkThresholds(metrics, suite.thresholds);
  return {
    name: suite.name,
    file: suite.file,
    description: suite.description,
    thresholds: suite.thresholds,
    metrics,
    counts: countResults(cases),
    checks,
    passed: checks.every((check) => check.status !== 'fail'),
    cases,
  };
}

/** Only what the report needs: an engine answer also carries related paragraphs and notes. */
function trimAnswer(answer: EvalAnswer): EvalAnswer {
  return {
    answer: answer.answer,
    grounded: answer.grounded,
    citations: answer.citations.map((c) => ({ article: c.article, paragraph: c.paragraph, text: c.text, quote: c.quote })),
  };
}
