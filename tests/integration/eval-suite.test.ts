import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRegressions, formatRegressions, readBaseline } from '../../src/eval/baseline.js';
import { createEngineAnswerSource } from '../../src/eval/engine-answer-source.js';
import { findSuites } from '../../src/eval/find-suites.js';
import { formatSuiteTable } from '../../src/eval/format-suite-text.js';
import { loadEvalCorpus } from '../../src/eval/load-eval-corpus.js';
import { runEvals } from '../../src/eval/run-evals.js';
import type { Suite } from '../../src/eval/suite-types.js';
import { loadArticle } from '../../src/index/load-article.js';
import { createTestEngine, REPO_ROOT, type TestEngine } from '../helpers/create-test-engine.js';

/**
 * The citation quality gate. Every shipped suite (evals/*.jsonl) runs, dev and test split apart, against the real
 * engine over every eval article plus one more article nobody wrote questions for (a fifth article dropped into
 * the corpus must change no scoped answer). Each suite's hit, precision, refusal accuracy, false refusals and
 * turns passed must stay within 2 points of evals/baseline.json; the failing turns are in the assertion message.
 */
describe('the shipped eval suites', () => {
  let testEngine: TestEngine;
  let suites: Suite[];

  beforeAll(async () => {
    const articles = await loadEvalCorpus(path.join(REPO_ROOT, 'corpus'), path.join(REPO_ROOT, 'evals/corpus'));
    const dropIn = await loadArticle(path.join(REPO_ROOT, 'tests/fixtures/short-article.txt'));
    testEngine = await createTestEngine({ articles: [...articles, dropIn] });
    suites = (await findSuites(path.join(REPO_ROOT, 'evals'))).map((suite) => ({ ...suite, file: path.relative(REPO_ROOT, suite.file) }));
  }, 300_000);

  afterAll(async () => {
    await testEngine?.cleanup();
  });

  it.each(['test', 'dev'] as const)('stay within 2 points of the baseline on the %s split', { timeout: 300_000 }, async (split) => {
    const baseline = await readBaseline(path.join(REPO_ROOT, 'evals/baseline.json'));
    const selected = suites.map((s) => ({ ...s, cases: s.cases.filter((c) => c.split === split) })).filter((s) => s.cases.length > 0);
    expect(selected.length).toBeGreaterThan(0);
    const report = await runEvals({
      suites: selected,
      source: createEngineAnswerSource({ engine: testEngine.engine }),
      articles: testEngine.engine.articles,
    });
    for (const suite of report.suites) process.stdout.write(`\n[${split}] ${formatSuiteTable(suite)}`);
    expect(report.suites.filter((s) => baseline.suites[s.name]?.[split] === undefined).map((s) => s.name), 'suites without a baseline').toEqual([]);
    expect(formatRegressions(findRegressions(report, baseline, split))).toBe('');
  });
});
