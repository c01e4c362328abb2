import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EvalError } from '../../src/errors.js';
import type { Article } from '../../src/index/article.js';
import { loadEvalCorpus } from '../../src/eval/load-eval-corpus.js';
import { loadCorpus } from '../../src/index/load-corpus.js';
import { findSuites } from '../../src/eval/find-suites.js';
import { loadSuite, parseSuite } from '../../src/eval/parse-suite.js';
import { validateSuite } from '../../src/eval/validate-suite.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = 'evals/example.jsonl';
const HEADER = '{"suite":"example","article":"nk-troops-drone-warfare","thresholds":{"min":{"citationHit":0.9},"max":{"latencyP95Ms":500}}}';
const KILLED = '{"id":"killed","turns":[{"question":"How many died?","expect":{"paragraphs":[43],"evidence":["Some 4,700 North Korean soldiers were killed"],"terms":["4,700|4700"]}}]}';
const OFF_TOPIC = '{"id":"off-topic","turns":[{"question":"Who won the World Cup?","expect":{"unanswerable":true}}]}';

function parseError(text: string): EvalError {
  try {
    parseSuite(text, FILE);
  } catch (error) {
    if (error instanceof EvalError) return error;
    throw error;
  }
  throw new Error('expected parseSuite to throw');
}

describe('parseSuite', () => {
  it('reads the header, thresholds and cases, splitting "|" alternatives', () => {
    const suite = parseSuite([HEADER, '', KILLED, OFF_TOPIC, ''].join('\n'), FILE);
    expect(suite).toMatchObject({ name: 'example', article: 'nk-troops-drone-warfare', fixture: false });
    expect(suite.thresholds).toEqual({ min: { citationHit: 0.9 }, max: { latencyP95Ms: 500 } });
    expect(suite.cases.map((c) => [c.id, c.line])).toEqual([
      ['killed', 3],
      ['off-topic', 4],
    ]);
    expect(suite.cases[0]?.turns[0]?.expect).toEqual({
      paragraphs: [43],
      evidence: [['Some 4,700 North Korean soldiers were killed']],
      terms: [['4,700', '4700']],
      unanswerable: false,
    });
  });

  it('names the suite after its file when there is no header', () => {
    expect(parseSuite(KILLED, 'evals/my-suite.jsonl').name).toBe('my-suite');
  });

  it('fails a line that is not JSON with EVAL_SUITE_MALFORMED naming the file and line', () => {
    const error = parseError([HEADER, KILLED, '{"id":"broken","turns":[', OFF_TOPIC].join('\n'));
    expect(error.code).toBe('EVAL_SUITE_MALFORMED');
    expect(error.message).toMatch(/^evals\/example\.jsonl:3: not valid JSON/);
  });

  it('reports every invalid line, each with its line number', () => {
    const error = parseError(
      [
        KILLED,
        '{"id":"typo","turns":[{"question":"q","expcet":{"paragraphs":[1]}}]}',
        '{"id":"killed","turns":[{"question":"again","expect":{"paragraphs":[43]}}]}',
        '{"id":"mixed","turns":[{"question":"q","expect":{"unanswerable":true,"paragraphs":[3]}}]}',
        '{"id":"empty","turns":[{"question":"q","expect":{"terms":["x"]}}]}',
      ].join('\n'),
    );
    expect(error.code).toBe('EVAL_SUITE_INVALID');
    const lines = error.message.split('\n');
    expect(lines).toEqual([
      'evals/example.jsonl:2: case "typo" turn 1: unknown field "expcet" (expected question, expect, note)',
      'evals/example.jsonl:2: case "typo" turn 1: "expect" must be an object with "paragraphs", "evidence", "terms" or "unanswerable"',
      'evals/example.jsonl:3: case id "killed" is already used on line 1',
      'evals/example.jsonl:4: case "mixed" turn 1: an unanswerable turn expects no "paragraphs", "evidence" or "terms"',
      'evals/example.jsonl:5: case "empty" turn 1: expects "paragraphs" or "evidence" (or "unanswerable": true)',
    ]);
  });

  it('refuses a draft case that still carries a review note', () => {
    const error = parseError('{"id":"fb-x","review":"staff marked ¶12 wrong","turns":[{"question":"q","expect":{}}]}');
    expect(error.message).toContain('evals/example.jsonl:1: case "fb-x" is a draft awaiting review');
  });

  it('refuses a header after the first line and an unknown threshold metric', () => {
    expect(parseError([KILLED, HEADER].join('\n')).message).toBe(
      'evals/example.jsonl:2: the suite header ({"suite": ...}) must be the first line of the file',
    );
    expect(parseError(['{"suite":"x","thresholds":{"min":{"hitRate":0.9}}}', KILLED].join('\n')).message).toMatch(
      /^evals\/example\.jsonl:1: thresholds\.min: unknown metric "hitRate"/,
    );
  });

  it('refuses a file without cases', () => {
    expect(parseError(`${HEADER}\n`).message).toBe('evals/example.jsonl:1: the suite holds no cases');
  });
});

describe('validateSuite', () => {
  let articles: Article[];
  beforeAll(async () => {
    articles = await loadCorpus(path.join(ROOT, 'corpus'));
  });

  it('accepts evidence that occurs in an expected paragraph', () => {
    expect(() => validateSuite(parseSuite([HEADER, KILLED].join('\n'), FILE), articles)).not.toThrow();
  });

  it('names the line of evidence missing from the article, evidence in another paragraph, and a paragraph that does not exist', () => {
    const suite = parseSuite(
      [
        HEADER,
        '{"id":"a","turns":[{"question":"q","expect":{"evidence":["killed by a meteor"]}}]}',
        '{"id":"b","turns":[{"question":"q","expect":{"paragraphs":[3],"evidence":["Some 4,700 North Korean soldiers"]}}]}',
        '{"id":"c","turns":[{"question":"q","expect":{"paragraphs":[99]}}]}',
      ].join('\n'),
      FILE,
    );
    let error: unknown;
    try {
      validateSuite(suite, articles);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EvalError);
    expect((error as EvalError).code).toBe('EVAL_SUITE_INVALID');
    expect((error as EvalError).message.split('\n')).toEqual([
      'evals/example.jsonl:2: case "a" turn 1: evidence "killed by a meteor" is not in the article',
      'evals/example.jsonl:3: case "b" turn 1: evidence "Some 4,700 North Korean soldiers" is in ¶43, not in the expected ¶3',
      'evals/example.jsonl:4: case "c" turn 1: ¶99 does not exist (the article has ¶1..¶68)',
    ]);
  });
});

describe('the shipped suites', () => {
  it('parse, validate against the eval corpus, and leave the smoke fixture out of the default run', async () => {
    const articles = await loadEvalCorpus(path.join(ROOT, 'corpus'), path.join(ROOT, 'evals/corpus'));
    const suites = await findSuites(path.join(ROOT, 'evals'));
    expect(suites.map((s) => s.name)).toContain('nk-troops-drone-warfare');
    expect(suites.some((s) => s.fixture)).toBe(false);
    for (const suite of suites) validateSuite(suite, articles);
    const smoke = await loadSuite(path.join(ROOT, 'evals/smoke.jsonl'));
    expect(smoke.fixture).toBe(true);
    expect(smoke.cases).toHaveLength(5);
    validateSuite(smoke, await loadCorpus(path.join(ROOT, 'corpus')));
  });

  it('put every case in a dev or test split, and every article written for the evals has enough of each kind', async () => {
    const suites = await findSuites(path.join(ROOT, 'evals'));
    for (const suite of suites) {
      expect(suite.cases.filter((c) => c.split === undefined).map((c) => `${suite.name}/${c.id}`)).toEqual([]);
      if (suite.article === 'nk-troops-drone-warfare') continue;
      const single = suite.cases.filter((c) => c.turns.length === 1);
      expect(single.filter((c) => !c.turns[0]!.expect.unanswerable).length, suite.name).toBeGreaterThanOrEqual(30);
      expect(suite.cases.filter((c) => c.turns.length > 1).length, suite.name).toBeGreaterThanOrEqual(4);
      expect(single.filter((c) => c.turns[0]!.expect.unanswerable).length, suite.name).toBeGreaterThanOrEqual(6);
    }
  });

  it('cite every paragraph and caption of the NPR story, with enough conversations and unanswerable questions', async () => {
    const articles = await loadCorpus(path.join(ROOT, 'corpus'));
    const suite = await loadSuite(path.join(ROOT, 'evals/nk-troops-drone-warfare.jsonl'));
    const expected = new Set(suite.cases.flatMap((c) => c.turns.flatMap((t) => t.expect.paragraphs)));
    const numbers = articles[0]!.paragraphs.map((p) => p.number);
    expect(numbers.filter((n) => !expected.has(n))).toEqual([]);
    expect(suite.cases.length).toBeGreaterThanOrEqual(85);
    expect(suite.cases.filter((c) => c.turns.length > 1).length).toBeGreaterThanOrEqual(12);
    expect(suite.cases.filter((c) => c.turns.some((t) => t.expect.unanswerable)).length).toBeGreaterThanOrEqual(12);
    const answerable = suite.cases.flatMap((c) => c.turns).filter((t) => !t.expect.unanswerable);
    expect(answerable.every((t) => t.expect.paragraphs.length > 0 && t.expect.evidence.length > 0)).toBe(true);
  });
});
