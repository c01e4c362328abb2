import { performance } from 'node:perf_hooks';
import type { Article } from '../index/article.js';
import type { AnswerSource } from './answer-source.js';
import { REPORT_VERSION, type EvalReport } from './report-json.js';
import type { CaseResult, SuiteResult } from './result-types.js';
import { runSuite } from './run-suite.js';
import type { Suite } from './suite-types.js';
import { validateSuite } from './validate-suite.js';

export interface RunEvalsOptions {
  readonly suites: readonly Suite[];
  readonly source: AnswerSource;
  /** The corpus the suites are checked against (the engine's `articles`, or the local corpus with `--ws`). */
  readonly articles: readonly Article[];
  /** Recorded in the report; `default` when not given. */
  readonly retriever?: string;
  readonly answerer?: string;
  readonly onCase?: (suite: Suite, result: CaseResult, index: number, total: number) => void;
}

/**
 * Runs suites and returns the report. Every suite is validated against the corpus before any case runs, so a
 * broken suite fails fast (`EvalError` `EVAL_SUITE_INVALID` with file:line) instead of after minutes of work.
 */
export async function runEvals(options: RunEvalsOptions): Promise<EvalReport> {
  for (const suite of options.suites) validateSuite(suite, options.articles);
  const createdAt = new Date().toISOString();
  const started = performance.now();
  const results: SuiteResult[] = [];
  for (const suite of options.suites) {
    results.push(
      await runSuite({
        suite,
        source: options.source,
        articles: options.articles,
        ...(options.onCase === undefined ? {} : { onCase: (result, i, total) => options.onCase?.(suite, result, i, total) }),
      }),
    );
  }
  const answerersSeen = [
    ...new Set(results.flatMap((s) => s.cases.flatMap((c) => c.turns.flatMap((t) => (t.answerer === null ? [] : [t.answerer]))))),
  ].sort();
  return {
    version: REPORT_VERSION,
    createdAt,
    source: options.source.name,
    retriever: options.retriever ?? 'default',
    answerer: options.answerer ?? 'default',
    answerersSeen,
    durationMs: Math.round(performance.now() - started),
    passed: results.every((s) => s.passed),
    suites: results,
  };
}
