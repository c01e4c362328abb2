import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkThresholds } from '../../src/eval/check-thresholds.js';
import { renderHtmlReport } from '../../src/eval/report-html.js';
import type { EvalReport } from '../../src/eval/report-json.js';
import type { CaseResult, TurnResult } from '../../src/eval/result-types.js';
import { scoreAnswer, type EvalAnswer } from '../../src/eval/score.js';
import type { TurnExpectation } from '../../src/eval/suite-types.js';
import { countResults, summarizeMetrics } from '../../src/eval/summarize-metrics.js';
import { launchTestBrowser, withPage, type TestBrowser } from '../helpers/with-page.js';

const EXPECT: TurnExpectation = { paragraphs: [4], evidence: [], terms: [], unanswerable: false };

/** A turn citing ¶`cited` (¶4 is right), or refusing when `cited` is null. */
function turn(article: string, cited: number | null): TurnResult {
  const answer: EvalAnswer = {
    answer: cited === null ? "The article doesn't say." : `A [¶${cited}].`,
    grounded: cited !== null,
    citations: cited === null ? [] : [{ article, paragraph: cited, text: `Paragraph ${cited}.`, quote: `Paragraph ${cited}.` }],
  };
  return { question: `Q about ${article}?`, expect: EXPECT, answer, answerer: 'extractive', error: null, latencyMs: 1, retrieval: null, score: scoreAnswer({ expect: EXPECT, article, answer }) };
}

function caseOf(id: string, article: string, tags: string[], cited: (number | null)[]): CaseResult {
  const turns = cited.map((c) => turn(article, c));
  return { id, article, line: 1, passed: turns.every((t) => t.score.passed), metrics: summarizeMetrics(turns), turns, tags };
}

// 3 wrong paragraphs (2 in "alpha", tagged x), 2 false refusals (1 in "alpha"), 1 passing turn.
const cases = [
  caseOf('one', 'alpha', ['x'], [7, null, 4]),
  caseOf('two', 'alpha', ['x', 'y'], [9]),
  caseOf('three', 'beta', ['y'], [2, null]),
];
const metrics = summarizeMetrics(cases.flatMap((c) => c.turns));
const checks = checkThresholds(metrics, { min: {}, max: {} });
const report: EvalReport = {
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  source: 'in-process',
  retriever: 'default',
  answerer: 'default',
  answerersSeen: ['extractive'],
  durationMs: 1,
  passed: true,
  suites: [{ name: 's', file: 'evals/s.jsonl', description: undefined, thresholds: { min: {}, max: {} }, metrics, counts: countResults(cases), checks, passed: true, cases }],
};

let browser: TestBrowser;
beforeAll(async () => {
  browser = await launchTestBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('HTML eval report in Chromium', () => {
  it('narrows the failing turns by kind, article and tag with no script, and the three filters combine', async () => {
    await withPage(browser.browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false }, async (page) => {
      await page.setContent(renderHtmlReport(report));
      const visible = () => page.locator('.ft:visible').count();
      expect(await visible()).toBe(5);
      await page.getByLabel('wrong paragraph (3)').check();
      expect(await visible()).toBe(3);
      await page.getByLabel('alpha (3)').check();
      expect(await visible()).toBe(2);
      await page.getByLabel('y (3)').check();
      expect(await visible()).toBe(1);
      await expect.poll(() => page.locator('.ft:visible strong').first().textContent()).toBe('two turn 1');
      await page.locator('#f-kind-all').check();
      await page.locator('#f-article-all').check();
      expect(await visible()).toBe(3);
      // A count in the summary table is a label for its filter.
      await page.locator('#f-tag-all').check();
      await page.locator('label[for="f-kind-false_refusal"]').click();
      expect(await visible()).toBe(2);
      expect(await page.locator('.ft:visible .kind').allTextContents()).toEqual(['false refusal', 'false refusal']);
    });
  });
});
