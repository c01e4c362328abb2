import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkThresholds } from '../../src/eval/check-thresholds.js';
import { compareReports, formatComparison } from '../../src/eval/compare-reports.js';
import { formatFailures, formatSuiteTable } from '../../src/eval/format-suite-text.js';
import { renderHtmlReport, writeHtmlReport } from '../../src/eval/report-html.js';
import { readJsonReport, writeJsonReport, type EvalReport } from '../../src/eval/report-json.js';
import type { CaseResult, TurnResult } from '../../src/eval/result-types.js';
import { scoreAnswer, type EvalAnswer } from '../../src/eval/score.js';
import type { Thresholds, TurnExpectation } from '../../src/eval/suite-types.js';
import { countResults, summarizeMetrics } from '../../src/eval/summarize-metrics.js';

const ARTICLE = 'nk';
const XSS = '<img src=x onerror=alert(1)>';
const P43 = 'Some 4,700 North Korean soldiers were killed fighting in Kursk.';
const KILLED: TurnExpectation = { paragraphs: [43], evidence: [['4,700 North Korean soldiers']], terms: [], unanswerable: false };

function turn(question: string, expect: TurnExpectation, cited: { paragraph: number; text: string }[]): TurnResult {
  const answer: EvalAnswer = {
    answer: `Answer ${cited.map((c) => `[¶${c.paragraph}]`).join(' ')}`,
    grounded: cited.length > 0,
    citations: cited.map((c) => ({ article: ARTICLE, paragraph: c.paragraph, text: c.text, quote: c.text })),
  };
  return {
    question,
    expect,
    answer,
    answerer: 'extractive',
    error: null,
    latencyMs: 5,
    retrieval: null,
    score: scoreAnswer({ expect, article: ARTICLE, answer }),
  };
}

function caseResult(id: string, turns: TurnResult[]): CaseResult {
  return { id, article: ARTICLE, line: 2, passed: turns.every((t) => t.score.passed), metrics: summarizeMetrics(turns), turns };
}

function report(cases: CaseResult[], thresholds: Thresholds = { min: { citationHit: 0.5 }, max: {} }): EvalReport {
  const metrics = summarizeMetrics(cases.flatMap((c) => c.turns));
  const checks = checkThresholds(metrics, thresholds);
  const passed = checks.every((c) => c.status !== 'fail');
  return {
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    source: 'in-process',
    retriever: 'default',
    answerer: 'default',
    answerersSeen: ['extractive'],
    durationMs: 10,
    passed,
    suites: [
      { name: 'example', file: 'evals/example.jsonl', description: XSS, thresholds, metrics, counts: countResults(cases), checks, passed, cases },
    ],
  };
}

const good = caseResult('killed', [turn('How many died?', KILLED, [{ paragraph: 43, text: P43 }])]);
const wrong = caseResult('killed', [turn('How many died?', KILLED, [{ paragraph: 3, text: 'sent 11,000 elite soldiers' }])]);
const hostile = caseResult('hostile', [turn(`Who is ${XSS}?`, KILLED, [{ paragraph: 12, text: `Paragraph with ${XSS} inside` }])]);

describe('formatSuiteTable and formatFailures', () => {
  it('prints each metric with its threshold check, and each failing turn with expected and cited paragraphs', () => {
    const result = report([wrong], { min: { citationHit: 0.5 }, max: {} }).suites[0]!;
    const table = formatSuiteTable(result);
    expect(table).toContain('Suite example (evals/example.jsonl): FAIL');
    expect(table).toMatch(/citation hit\s+0\.000 {3}>= 0\.500 FAILED/);
    const failures = formatFailures(result);
    expect(failures).toContain('✗ killed turn 1 (evals/example.jsonl:2): "How many died?"');
    expect(failures).toContain('expected: ¶43; evidence "4,700 North Korean soldiers"');
    expect(failures).toContain('cited ¶3 (wrong)');
    expect(failures).toContain('¶3: "sent 11,000 elite soldiers"');
    expect(failures).toContain('- no correct citation (cited ¶3)');
  });
});

describe('writeJsonReport and readJsonReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'eval-report-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a report through a file in a new directory', async () => {
    const file = path.join(dir, 'nested', 'report.json');
    const original = report([good]);
    await writeJsonReport(file, original);
    expect(await readJsonReport(file)).toEqual(original);
  });

  it('refuses a file that is not a version-1 report, naming the file', async () => {
    const file = path.join(dir, 'old.json');
    await writeFile(file, JSON.stringify({ version: 0, suites: [] }));
    await expect(readJsonReport(file)).rejects.toMatchObject({
      code: 'EVAL_REPORT_INVALID',
      message: `${file}: not an eval report: "version" is 0, expected 1`,
    });
    await writeFile(file, '{not json');
    await expect(readJsonReport(file)).rejects.toMatchObject({ code: 'EVAL_REPORT_INVALID' });
    await expect(readJsonReport(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'EVAL_REPORT_UNREADABLE' });
  });
});

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(report([good, hostile]));

  it('is one self-contained page with an inline SVG chart and no scripts or external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*role="img"/);
    expect(html).toContain('<rect');
    expect(html).not.toMatch(/<script|<link|src="http/i);
  });

  it('escapes markup from questions, descriptions and cited paragraphs', () => {
    expect(html).not.toContain('<img');
    expect(html).toContain('Who is &lt;img src=x onerror=alert(1)&gt;?');
    expect(html).toContain('Paragraph with &lt;img src=x onerror=alert(1)&gt; inside');
  });

  it('shows the failing turn with its wrong citation and the whole cited text', () => {
    expect(html).toContain('Failing turns (1)');
    expect(html).toContain('¶12 wrong');
    expect(html).toContain('<blockquote>Paragraph with');
  });

  it('is written to a file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'eval-html-'));
    try {
      const file = path.join(dir, 'report.html');
      await writeHtmlReport(file, report([good]));
      expect(await readFile(file, 'utf8')).toContain('<h2>example <span class="pass">PASS</span></h2>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('compareReports', () => {
  it('lists a case that went from passing to failing as worse, with what it cites now', () => {
    const comparison = compareReports(report([good]), report([wrong]));
    expect(comparison.worse.map((c) => [c.id, c.passedBefore, c.passedAfter, c.details])).toEqual([['killed', true, false, ['turn 1: ¶43 -> ¶3']]]);
    expect(comparison.better).toEqual([]);
    const text = formatComparison(comparison);
    expect(text).toContain('citation hit: 1.000 -> 0.000 (worse)');
    expect(text).toContain('example/killed: passed -> fails, quality 1.00 -> 0.00; turn 1: ¶43 -> ¶3');
  });

  it('lists the reverse as better, and cases only in one report as added or removed', () => {
    const comparison = compareReports(report([wrong, hostile]), report([good]));
    expect(comparison.better.map((c) => c.id)).toEqual(['killed']);
    expect(comparison.removed).toEqual(['example/hostile']);
    expect(compareReports(report([good]), report([good, hostile])).added).toEqual(['example/hostile']);
  });
});
