import { describe, expect, it } from 'vitest';
import { checkThresholds } from '../../src/eval/check-thresholds.js';
import { containsTerm } from '../../src/eval/match-text.js';
import type { TurnResult } from '../../src/eval/result-types.js';
import { isCorrectParagraph, percentile, scoreAnswer, scoreRetrieval, type EvalAnswer, type EvalCitation } from '../../src/eval/score.js';
import type { TurnExpectation } from '../../src/eval/suite-types.js';
import { summarizeMetrics } from '../../src/eval/summarize-metrics.js';

const ARTICLE = 'nk';
const P43 = 'Some 4,700 North Korean soldiers were killed fighting in Kursk, according to South Korea\u2019s spy agency.';
const P3 = 'So, too, has North Korea \u2014 which last fall sent 11,000 elite soldiers to support Russia\u2019s military.';
const P36 = 'The soldier had been badly injured in a shootout with a Ukrainian fighter whose call sign is Bulat.';

function expectation(partial: Partial<TurnExpectation>): TurnExpectation {
  return { paragraphs: [], evidence: [], terms: [], unanswerable: false, ...partial };
}

function cite(paragraph: number, text: string, article = ARTICLE): EvalCitation {
  return { article, paragraph, text, quote: text };
}

function answer(text: string, citations: EvalCitation[], grounded = citations.length > 0): EvalAnswer {
  return { answer: text, grounded, citations };
}

const KILLED = expectation({ paragraphs: [43], evidence: [['Some 4,700 North Korean soldiers were killed']], terms: [['4,700', '4700']] });
const UNANSWERABLE = expectation({ unanswerable: true });

describe('isCorrectParagraph', () => {
  it('accepts a paragraph by its number even when its text holds no evidence', () => {
    expect(isCorrectParagraph(cite(43, 'renumbered text'), KILLED, ARTICLE)).toBe(true);
  });

  it('accepts a paragraph whose text holds the evidence under another number, ignoring curly quotes and case', () => {
    const expect43 = expectation({ paragraphs: [43], evidence: [["according to south korea's spy agency"]] });
    expect(isCorrectParagraph(cite(44, P43), expect43, ARTICLE)).toBe(true);
  });

  it('rejects a paragraph of another article even with the right number', () => {
    expect(isCorrectParagraph(cite(43, P43, 'other-article'), KILLED, ARTICLE)).toBe(false);
  });
});

describe('scoreAnswer', () => {
  it('scores a single correct citation with the term as a passing hit', () => {
    const score = scoreAnswer({ expect: KILLED, article: ARTICLE, answer: answer('Some 4,700 were killed [¶43].', [cite(43, P43)]) });
    expect(score).toMatchObject({ hit: true, precision: 1, recall: 1, termAccuracy: 1, falseRefusal: false, refusalCorrect: null, passed: true });
    expect(score.problems).toEqual([]);
  });

  it('lowers precision to 0.5 when a wrong paragraph is cited next to the right one, and fails the turn', () => {
    const score = scoreAnswer({ expect: KILLED, article: ARTICLE, answer: answer('4,700 [¶43]. 11,000 [¶3].', [cite(43, P43), cite(3, P3)]) });
    expect(score.hit).toBe(true);
    expect(score.precision).toBe(0.5);
    expect(score.citationCorrect).toEqual([true, false]);
    expect(score.passed).toBe(false);
    expect(score.problems).toEqual(['also cited ¶3, not expected']);
  });

  it('counts an answer without citations as a miss with zero recall and no precision', () => {
    const score = scoreAnswer({ expect: KILLED, article: ARTICLE, answer: answer('About 4,700.', [], true) });
    expect(score).toMatchObject({ hit: false, precision: null, recall: 0, passed: false });
    expect(score.problems).toEqual(['no citations']);
  });

  it('counts only a wrong citation as a miss with precision 0', () => {
    const score = scoreAnswer({ expect: KILLED, article: ARTICLE, answer: answer('11,000 [¶3].', [cite(3, P3)]) });
    expect(score).toMatchObject({ hit: false, precision: 0, recall: 0, termAccuracy: 0 });
    expect(score.problems).toEqual(['no correct citation (cited ¶3)', 'answer lacks the term "4,700|4700"']);
  });

  it('scores a refusal with no citations on an unanswerable turn as right', () => {
    const score = scoreAnswer({ expect: UNANSWERABLE, article: ARTICLE, answer: answer('The article does not say.', [], false) });
    expect(score).toMatchObject({ refused: true, refusalCorrect: true, hit: null, falseRefusal: null, passed: true });
  });

  it('scores an answered unanswerable turn as wrong, naming what it cited', () => {
    const score = scoreAnswer({ expect: UNANSWERABLE, article: ARTICLE, answer: answer('Argentina [¶3].', [cite(3, P3)]) });
    expect(score.refusalCorrect).toBe(false);
    expect(score.problems).toEqual(['answered an unanswerable question (grounded: true, cited ¶3)']);
  });

  it('scores a refusal that still carries citations as wrong on an unanswerable turn', () => {
    const score = scoreAnswer({ expect: UNANSWERABLE, article: ARTICLE, answer: answer('Not covered.', [cite(3, P3)], false) });
    expect(score.refusalCorrect).toBe(false);
    expect(score.problems).toEqual(['refused but still cited ¶3']);
  });

  it('counts a refusal on an answerable turn as a false refusal', () => {
    const score = scoreAnswer({ expect: KILLED, article: ARTICLE, answer: answer('The article does not say.', [], false) });
    expect(score).toMatchObject({ refused: true, falseRefusal: true, hit: false, passed: false });
    expect(score.problems[0]).toBe('refused an answerable question (grounded: false)');
  });

  it('computes recall over several needed facts as the share covered by correct citations', () => {
    const twoFacts = expectation({ paragraphs: [43, 36], evidence: [['4,700 North Korean soldiers'], ['call sign is Bulat']] });
    const score = scoreAnswer({ expect: twoFacts, article: ARTICLE, answer: answer('4,700 [¶43].', [cite(43, P43)]) });
    expect(score.recall).toBe(0.5);
    expect(score.problems).toEqual(['no citation holds the evidence "call sign is Bulat"']);
    const both = scoreAnswer({ expect: twoFacts, article: ARTICLE, answer: answer('x [¶43] y [¶36].', [cite(43, P43), cite(36, P36)]) });
    expect(both.recall).toBe(1);
  });

  it('scores an error as a false refusal on an answerable turn and as wrong on an unanswerable one', () => {
    const answerable = scoreAnswer({ expect: KILLED, article: ARTICLE, answer: undefined, error: 'QUESTION_TOO_LONG: too long' });
    expect(answerable).toMatchObject({ falseRefusal: true, hit: false, passed: false });
    expect(answerable.problems[0]).toBe('error QUESTION_TOO_LONG: too long');
    const unanswerable = scoreAnswer({ expect: UNANSWERABLE, article: ARTICLE, answer: undefined, error: 'INTERNAL: boom' });
    expect(unanswerable).toMatchObject({ refusalCorrect: false, passed: false });
  });
});

describe('containsTerm', () => {
  it('matches whole words only, so "Ri" is not found inside "Ukrainian"', () => {
    expect(containsTerm('Ukrainian forces captured them', 'Ri')).toBe(false);
    expect(containsTerm('21-year-old Paek and 26-year-old Ri remain', 'Ri')).toBe(true);
    expect(containsTerm('in 1931', '31')).toBe(false);
    expect(containsTerm('Vlad, 31, a medic', '31')).toBe(true);
  });
});

describe('scoreRetrieval', () => {
  const ranked = [
    { article: ARTICLE, paragraph: 39, text: 'He died on the way.' },
    { article: ARTICLE, paragraph: 3, text: P3 },
    { article: ARTICLE, paragraph: 44, text: P43 },
  ];

  it('finds the first correct paragraph by number or evidence and derives recall@k and the reciprocal rank', () => {
    expect(scoreRetrieval(ranked, KILLED, ARTICLE)).toEqual({ rank: 3, recallAt1: 0, recallAt5: 1, reciprocalRank: 1 / 3 });
  });

  it('gives rank null and reciprocal rank 0 when nothing correct was retrieved, and null for unanswerable turns', () => {
    const none = expectation({ paragraphs: [60] });
    expect(scoreRetrieval(ranked, none, ARTICLE)).toEqual({ rank: null, recallAt1: 0, recallAt5: 0, reciprocalRank: 0 });
    expect(scoreRetrieval(ranked, UNANSWERABLE, ARTICLE)).toBeNull();
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 95)).toBe(5);
    expect(percentile([], 50)).toBeNull();
  });
});

function turn(expect: TurnExpectation, given: EvalAnswer, latencyMs: number, rank: number | null): TurnResult {
  return {
    question: 'q',
    expect,
    answer: given,
    answerer: 'extractive',
    error: null,
    latencyMs,
    retrieval: expect.unanswerable ? null : { ...scoreRetrievalFor(rank), query: 'q', top: [] },
    score: scoreAnswer({ expect, article: ARTICLE, answer: given }),
  };
}

function scoreRetrievalFor(rank: number | null) {
  return { rank, recallAt1: rank === 1 ? 1 : 0, recallAt5: rank !== null && rank <= 5 ? 1 : 0, reciprocalRank: rank === null ? 0 : 1 / rank };
}

describe('summarizeMetrics', () => {
  const turns = [
    turn(KILLED, answer('4,700 [¶43].', [cite(43, P43)]), 10, 1),
    turn(KILLED, answer('4,700 [¶43] and [¶3].', [cite(43, P43), cite(3, P3)]), 20, 2),
    turn(KILLED, answer('Not in the article.', [], false), 30, null),
    turn(UNANSWERABLE, answer('Not in the article.', [], false), 40, null),
  ];
  const metrics = summarizeMetrics(turns);

  it('averages retrieval and citation metrics over answerable turns only', () => {
    expect(metrics.recallAt1).toBeCloseTo(1 / 3);
    expect(metrics.recallAt5).toBeCloseTo(2 / 3);
    expect(metrics.mrr).toBeCloseTo((1 + 0.5 + 0) / 3);
    expect(metrics.citationHit).toBeCloseTo(2 / 3);
    expect(metrics.citationPrecision).toBeCloseTo((1 + 0.5) / 2);
    expect(metrics.citationRecall).toBeCloseTo(2 / 3);
    expect(metrics.falseRefusalRate).toBeCloseTo(1 / 3);
  });

  it('scores refusals over unanswerable turns, passes over all turns, and latency percentiles', () => {
    expect(metrics.refusalAccuracy).toBe(1);
    expect(metrics.turnPassRate).toBe(0.5);
    expect(metrics.latencyP50Ms).toBe(20);
    expect(metrics.latencyP95Ms).toBe(40);
  });
});

describe('checkThresholds', () => {
  const metrics = summarizeMetrics([turn(KILLED, answer('4,700 [¶43].', [cite(43, P43)]), 10, 1)]);

  it('passes a minimum met exactly, fails a maximum exceeded, and reports an unmeasured metric without failing', () => {
    const checks = checkThresholds(metrics, { min: { citationHit: 1, refusalAccuracy: 0.9 }, max: { latencyP95Ms: 5 } });
    expect(checks).toEqual([
      { metric: 'citationHit', bound: 'min', limit: 1, value: 1, status: 'pass' },
      { metric: 'refusalAccuracy', bound: 'min', limit: 0.9, value: null, status: 'not-measured' },
      { metric: 'latencyP95Ms', bound: 'max', limit: 5, value: 10, status: 'fail' },
    ]);
  });
});
