import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineAnswerSource } from '../../src/eval/engine-answer-source.js';
import { findSuites } from '../../src/eval/find-suites.js';
import { formatFailures, formatSuiteTable } from '../../src/eval/format-suite-text.js';
import { runEvals } from '../../src/eval/run-evals.js';
import { createTestEngine, REPO_ROOT, type TestEngine } from '../helpers/create-test-engine.js';

/**
 * The citation quality gate: the shipped suites (evals/*.jsonl, fixtures excluded) run through the runner
 * against the real engine, and every suite must meet the thresholds in its header. A change that makes
 * retrieval or citations worse fails here; the failing turns are in the assertion message.
 */
describe('the shipped eval suites', () => {
  let testEngine: TestEngine;

  beforeAll(async () => {
    testEngine = await createTestEngine();
  });

  afterAll(async () => {
    await testEngine?.cleanup();
  });

  it('meet their thresholds against the real engine', { timeout: 300_000 }, async () => {
    const suites = await findSuites(path.join(REPO_ROOT, 'evals'));
    expect(suites.length).toBeGreaterThan(0);
    const report = await runEvals({
      suites: suites.map((suite) => ({ ...suite, file: path.relative(REPO_ROOT, suite.file) })),
      source: createEngineAnswerSource({ engine: testEngine.engine }),
      articles: testEngine.engine.articles,
    });
    for (const suite of report.suites) process.stdout.write(`\n${formatSuiteTable(suite)}`);
    for (const suite of report.suites) expect(suite.checks.length, `${suite.name} sets no thresholds`).toBeGreaterThan(0);
    const failing = report.suites
      .filter((suite) => !suite.passed)
      .map((suite) => ({
        suite: suite.name,
        thresholds: suite.checks.filter((c) => c.status === 'fail').map((c) => `${c.metric} ${c.value} (${c.bound} ${c.limit})`),
        turns: formatFailures(suite),
      }));
    expect(failing).toEqual([]);
  });
});
