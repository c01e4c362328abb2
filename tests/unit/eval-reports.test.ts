import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotateReport } from '../../src/eval/annotate-report.js';
import { checkThresholds } from '../../src/eval/check-thresholds.js';
import { classifyFailure, summarizeFailures } from '../../src/eval/classify-failure.js';
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

describe('failure kinds', () => {
  const OTHER = 'council';
  const P43_TEXT = 'Some 4,700 North Korean soldiers were killed fighting in Kursk. Most died early in their deployments.';
  const WITH_TERM: TurnExpectation = { paragraphs: [43], evidence: [['4,700 North Korean soldiers']], terms: [['4,700|4700']], unanswerable: false };
  const UNANSWERABLE: TurnExpectation = { paragraphs: [], evidence: [], terms: [], unanswerable: true };
  const FARE: TurnExpectation = { paragraphs: [3], evidence: [['from $1.50 to $2']], terms: [], unanswerable: false };

  /** A hand-made turn: `answer` text, grounded flag and citations (article, ¶, paragraph text, quote), scored for real. */
  function made(
    question: string,
    expect: TurnExpectation,
    article: string,
    text: string,
    grounded: boolean,
    cited: { paragraph: number; text: string; quote: string }[],
  ): TurnResult {
    const answer: EvalAnswer = { answer: text, grounded, citations: cited.map((c) => ({ article, ...c })) };
    return { question, expect, answer, answerer: 'extractive', error: null, latencyMs: 3, retrieval: null, score: scoreAnswer({ expect, article, answer }) };
  }
  const inCase = (id: string, article: string, turns: TurnResult[], tags: string[]): CaseResult => ({
    id,
    article,
    line: 1,
    passed: turns.every((t) => t.score.passed),
    metrics: summarizeMetrics(turns),
    turns,
    tags,
  });

  const turns = {
    wrongParagraph: made('How many died?', KILLED, ARTICLE, 'Elite troops [¶3].', true, [{ paragraph: 3, text: 'sent 11,000 elite soldiers', quote: 'sent 11,000 elite soldiers' }]),
    wrongSentence: made('How many died?', WITH_TERM, ARTICLE, 'Most died early in their deployments [¶43].', true, [{ paragraph: 43, text: P43_TEXT, quote: 'Most died early in their deployments.' }]),
    falseRefusal: made('How many died?', KILLED, ARTICLE, "The article doesn't say.", false, []),
    answeredUnanswerable: made('Who won the World Cup?', UNANSWERABLE, ARTICLE, 'Kursk [¶12].', true, [{ paragraph: 12, text: 'Kursk.', quote: 'Kursk.' }]),
    missingTerm: made('How many died?', WITH_TERM, ARTICLE, 'Thousands of soldiers were killed [¶43].', true, [{ paragraph: 43, text: P43_TEXT, quote: 'Some 4,700 North Korean soldiers were killed fighting in Kursk.' }]),
    extraParagraph: made('How many died?', KILLED, ARTICLE, 'Some 4,700 [¶43]. Elite [¶3].', true, [
      { paragraph: 43, text: P43_TEXT, quote: 'Some 4,700 North Korean soldiers were killed fighting in Kursk.' },
      { paragraph: 3, text: 'sent 11,000 elite soldiers', quote: 'sent 11,000 elite soldiers' },
    ]),
    passing: made('How many died?', KILLED, ARTICLE, 'Some 4,700 [¶43].', true, [{ paragraph: 43, text: P43_TEXT, quote: 'Some 4,700 North Korean soldiers were killed fighting in Kursk.' }]),
    otherWrong: made('What is the new fare?', FARE, OTHER, 'Sunday service ends [¶12].', true, [{ paragraph: 12, text: 'Routes lose Sunday service.', quote: 'Routes lose Sunday service.' }]),
    otherRefused: made('What is the new fare?', FARE, OTHER, "The article doesn't say.", false, []),
  };
  const errorTurn: TurnResult = {
    question: 'How many died?',
    expect: KILLED,
    answer: null,
    answerer: null,
    error: 'INTERNAL: boom',
    latencyMs: 1,
    retrieval: null,
    score: scoreAnswer({ expect: KILLED, article: ARTICLE, answer: undefined, error: 'INTERNAL: boom' }),
  };

  it('names the kind of each hand-made failing turn, and none for a passing one', () => {
    expect(
      Object.fromEntries(Object.entries({ ...turns, errorTurn }).map(([name, t]) => [name, classifyFailure(t)])),
    ).toEqual({
      wrongParagraph: 'wrong_paragraph',
      wrongSentence: 'wrong_sentence',
      falseRefusal: 'false_refusal',
      answeredUnanswerable: 'answered_unanswerable',
      missingTerm: 'missing_term',
      extraParagraph: 'extra_paragraph',
      passing: null,
      otherWrong: 'wrong_paragraph',
      otherRefused: 'false_refusal',
      errorTurn: 'error',
    });
  });

  const cases = [
    inCase('a', ARTICLE, [turns.wrongParagraph, turns.passing], ['numbers']),
    inCase('b', ARTICLE, [turns.wrongSentence, turns.missingTerm], ['numbers', 'follow-up']),
    inCase('c', ARTICLE, [turns.falseRefusal, turns.answeredUnanswerable, turns.extraParagraph, errorTurn], []),
    inCase('d', OTHER, [turns.otherWrong, turns.otherRefused, turns.passing], ['fares']),
  ];
  const handMade = report(cases);

  it('counts the failing turns by kind and per article', () => {
    const summary = summarizeFailures(handMade.suites);
    expect(summary.turns).toBe(11);
    expect(summary.failing).toBe(9);
    expect(summary.byKind).toEqual({
      wrong_paragraph: 2,
      wrong_sentence: 1,
      false_refusal: 2,
      answered_unanswerable: 1,
      missing_term: 1,
      extra_paragraph: 1,
      missing_evidence: 0,
      error: 1,
    });
    expect(summary.byArticle.map((row) => [row.article, row.turns, row.failing, row.byKind.wrong_paragraph, row.byKind.false_refusal])).toEqual([
      [ARTICLE, 8, 7, 1, 1],
      [OTHER, 3, 2, 1, 1],
    ]);
  });

  describe('renderHtmlReport with the failure summary', () => {
    const annotated = annotateReport(handMade, {
      suites: [],
      articles: [
        {
          slug: ARTICLE,
          headline: 'H',
          dateline: undefined,
          authors: [],
          credits: [],
          sections: [],
          source: 'x',
          sourceHash: 'y',
          paragraphs: [43, 3].map((number) => ({
            id: `p${number}`,
            number,
            article: ARTICLE,
            ref: `${ARTICLE}#p${number}`,
            kind: 'paragraph' as const,
            section: undefined,
            text: number === 43 ? P43_TEXT : 'sent 11,000 elite soldiers',
            span: [0, 1] as const,
          })),
        },
      ],
    });
    const html = renderHtmlReport(annotated, { articleBaseUrl: 'https://news.example.org/' });

    it('opens with the failures by kind and by article, before any suite', () => {
      const summaryAt = html.indexOf('<h2 id="summary-title">Failures: 9 of 11 turns</h2>');
      expect(summaryAt).toBeGreaterThan(0);
      expect(summaryAt).toBeLessThan(html.indexOf('<section>\n<h2>example'));
      expect(html).toContain('<th scope="row">wrong paragraph</th><td class="num"><label for="f-kind-wrong_paragraph">2 <span class="muted">(22%)</span></label></td>');
      expect(html).toContain('<th scope="row">right paragraph, wrong sentence</th><td class="num"><label for="f-kind-wrong_sentence">1 ');
      expect(html).toContain('<th scope="row">answered an unanswerable</th>');
      expect(html).toContain(`<th scope="row"><label for="f-article-1">${OTHER}</label></th><td class="num">3</td><td class="num"><label for="f-article-1">2 <span class="muted">(67%)</span></label></td>`);
    });

    it('filters failing turns by kind, article and tag with radio buttons and CSS, no script', () => {
      expect(html).not.toMatch(/<script|<link|src="http/i);
      expect(html).toContain('<input type="radio" name="f-kind" id="f-kind-all" checked>');
      expect(html).toContain('body:has(#f-kind-missing_term:checked) .ft:not(.k-missing_term) { display: none; }');
      expect(html).toContain('body:has(#f-article-1:checked) .ft:not(.a-1) { display: none; }');
      expect(html).toContain('id="f-tag-1"> follow-up (2)</label>');
      expect(html).toContain('body:has(#f-tag-1:checked) .ft:not(.t-1) { display: none; }');
      expect(html.match(/<div class="ft /g)).toHaveLength(9);
      expect(html).toContain('<div class="ft k-wrong_sentence a-0 t-0 t-1">');
      expect(html).toContain('<div class="ft k-false_refusal a-1 t-2">');
    });

    it('shows the expected paragraph beside what was cited, with the quote and the evidence marked and links into the article page', () => {
      const turn = html.slice(html.indexOf('<div class="ft k-wrong_sentence'), html.indexOf('</div>\n', html.indexOf('<div class="ft k-wrong_sentence')) + 200);
      expect(turn).toContain(
        `<h4>Expected</h4><p><a href="https://news.example.org/articles/${ARTICLE}#p43">¶43</a> Some <mark>4,700 North Korean soldiers</mark> were killed`,
      );
      expect(turn).toContain(
        `<h4>Cited</h4><p><a href="https://news.example.org/articles/${ARTICLE}#p43">¶43</a> <span class="right">correct</span> Some 4,700 North Korean soldiers were killed fighting in Kursk. <mark>Most died early in their deployments.</mark></p>`,
      );
      // The second article is not in the corpus given to annotateReport: its paragraph is still linked.
      expect(html).toContain(`<p class="muted"><a href="https://news.example.org/articles/${OTHER}#p3">¶3</a> (text not in this report)</p>`);
    });

    it('adds the tags from the suites and keeps the rest of the report as it was', () => {
      const tagged = annotateReport(report([good]), {
        suites: [{ name: 'example', file: 'f', description: undefined, article: ARTICLE, fixture: false, thresholds: { min: {}, max: {} }, cases: [{ id: 'killed', split: undefined, article: undefined, turns: [], tags: ['x'], note: undefined, line: 2 }] }],
        articles: [],
      });
      expect(tagged.suites[0]?.cases[0]?.tags).toEqual(['x']);
      expect(tagged.suites[0]?.metrics).toEqual(report([good]).suites[0]?.metrics);
    });
  });
});

describe('renderHtmlReport with --compare', () => {
  it('shows the metric changes as an SVG chart and a table', () => {
    const comparison = compareReports(report([good]), report([wrong]));
    const html = renderHtmlReport(report([wrong]), { comparison });
    const section = html.slice(html.indexOf('<h2 id="compare-title">'));
    expect(section).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*aria-label="Change of each rate in example: [^"]*citation hit -1\.000/);
    // citation hit fell by 1: a full-width red bar left of the axis.
    expect(section).toMatch(/<rect x="230\.0" y="\d+" width="200\.0" height="14" fill="#a4161a"><title>citation hit: 1\.000 → 0\.000<\/title>/);
    expect(section).toContain('<tr><th scope="row">citation hit</th><td class="num">1.000</td><td class="num">0.000</td><td class="num wrong">−1.000 worse</td></tr>');
    expect(section).toContain('example/killed: passed → fails, quality 1.00 → 0.00; turn 1: ¶43 -&gt; ¶3');
  });
});
