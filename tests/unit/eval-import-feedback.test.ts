import { describe, expect, it } from 'vitest';
import { EvalError } from '../../src/errors.js';
import { buildFeedbackDraft, parseFeedbackLog, readFeedbackLog } from '../../src/eval/import-feedback.js';
import { parseSuite } from '../../src/eval/parse-suite.js';

const LOG = 'data/feedback.jsonl';
const lines = [
  // The shape in the eval brief.
  '{"ts":"2026-05-01T10:00:00Z","user":"U1","kind":"helpful","question":"How many North Korean soldiers were killed?","article":"nk","cited":[43],"answer":"Some 4,700 [¶43].","grounded":true}',
  // The Slack bot's log: ids, nested answer, wrong_paragraph.
  '{"ts":"2026-05-01T10:05:00Z","user":"U2","kind":"wrong_paragraph","question":"Who is Bulat?","article":"nk","cited":["p39"],"answer":{"grounded":true,"text":"He died on the way [¶39]."}}',
  '{"ts":"2026-05-01T10:06:00Z","user":"U3","kind":"not_in_article","question":"What is Vlad\'s surname?","article":"nk","cited":[],"answer":{"grounded":false,"text":null}}',
  '{"ts":"2026-05-01T10:07:00Z","user":"U4","kind":"helpful","question":"Who won the World Cup?","article":"nk","cited":[],"answer":{"grounded":false,"text":"The article does not say."}}',
  // The same question twice, with disagreeing verdicts.
  '{"ts":"2026-05-01T10:08:00Z","user":"U5","kind":"helpful","question":"How old is Maksym?","article":"nk","cited":["p54"],"answer":{"grounded":true,"text":"22 [¶54]."}}',
  '{"ts":"2026-05-01T10:09:00Z","user":"U6","kind":"not_in_article","question":"How old is  Maksym?","article":"nk","cited":[],"answer":{"grounded":true,"text":null}}',
];

describe('parseFeedbackLog', () => {
  it('reads both line shapes into paragraph numbers, kinds and grounding', () => {
    const entries = parseFeedbackLog(lines.join('\n'), LOG);
    expect(entries.map((e) => [e.line, e.kind, e.cited, e.grounded])).toEqual([
      [1, 'helpful', [43], true],
      [2, 'wrong_citation', [39], true],
      [3, 'not_in_article', [], false],
      [4, 'helpful', [], false],
      [5, 'helpful', [54], true],
      [6, 'not_in_article', [], true],
    ]);
    expect(entries[1]?.answer).toBe('He died on the way [¶39].');
    expect(entries[5]?.question).toBe('How old is Maksym?');
  });

  it('names the file and line of every bad line', () => {
    let error: unknown;
    try {
      parseFeedbackLog(['{"kind":"helpful","question":"q"}', 'nope', '{"kind":"meh","question":"q"}', '{"kind":"helpful","question":"q","cited":["para 3"]}'].join('\n'), LOG);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EvalError);
    expect((error as EvalError).code).toBe('EVAL_FEEDBACK_INVALID');
    const messages = (error as EvalError).message.split('\n');
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^data\/feedback\.jsonl:2: not valid JSON/);
    expect(messages[1]).toBe('data/feedback.jsonl:3: "kind" must be helpful, unhelpful, wrong_citation (or wrong_paragraph), not_in_article or refused, got "meh"');
    expect(messages[2]).toBe('data/feedback.jsonl:4: "cited" must be an array of paragraph numbers (12) or ids ("p12")');
  });
});

describe('buildFeedbackDraft', () => {
  const draft = buildFeedbackDraft(parseFeedbackLog(lines.join('\n'), LOG), { source: LOG, createdAt: '2026-05-02' });
  const cases = draft.text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('maps helpful to cited paragraphs, not_in_article and helpful refusals to unanswerable, and wrong citations to review', () => {
    expect(draft).toMatchObject({ cases: 5, answerable: 1, unanswerable: 2, review: 2 });
    expect(cases[0]).toMatchObject({
      id: 'fb-how-many-north-korean-soldiers-were',
      article: 'nk',
      turns: [{ question: 'How many North Korean soldiers were killed?', expect: { paragraphs: [43] } }],
    });
    expect(cases[1]).toMatchObject({ id: 'fb-who-is-bulat', turns: [{ expect: {} }] });
    expect(cases[1]?.review).toContain('staff marked the citation of ¶39 as wrong. The answer was: "He died on the way [¶39]."');
    expect(cases[2]).toMatchObject({ turns: [{ expect: { unanswerable: true } }] });
    expect(cases[3]).toMatchObject({ turns: [{ question: 'Who won the World Cup?', expect: { unanswerable: true } }] });
  });

  it('merges feedback on the same question and sends disagreement to review', () => {
    expect(cases[4]?.review).toMatch(/^staff feedback disagrees \(helpful ¶54 vs not_in_article\)/);
  });

  it('writes a draft the suite parser refuses until the review notes are resolved, and accepts once they are', () => {
    expect(() => parseSuite(draft.text, 'evals/drafts/feedback-draft.jsonl')).toThrow(/:3: case "fb-who-is-bulat" is a draft awaiting review/);
    const reviewed = draft.text
      .split('\n')
      .filter((line) => !line.includes('"review"'))
      .join('\n');
    const suite = parseSuite(reviewed, 'evals/drafts/feedback-draft.jsonl');
    expect(suite.name).toBe('feedback-draft');
    expect(suite.cases.map((c) => c.id)).toEqual(['fb-how-many-north-korean-soldiers-were', 'fb-what-is-vlad-s-surname', 'fb-who-won-the-world-cup']);
  });
});

describe('readFeedbackLog', () => {
  it('skips broken lines with their file:line and keeps every good one', () => {
    const text = [lines[0], '{"ts":"t","kind":"helpful","question":"cut off mid-wri', lines[2], '[1,2]', '{"kind":"meh","question":"q"}'].join('\n');
    const { entries, skipped, refusalsWithoutQuestion } = readFeedbackLog(text, LOG);
    expect(entries.map((e) => e.line)).toEqual([1, 3]);
    expect(skipped.map((s) => s.line)).toEqual([2, 4, 5]);
    expect(skipped[0]?.problem).toMatch(/^data\/feedback\.jsonl:2: not valid JSON/);
    expect(skipped[1]?.problem).toBe('data/feedback.jsonl:4: expected a JSON object');
    expect(refusalsWithoutQuestion).toBe(0);
  });

  it('reads the widget shapes: thumbs down, a wrong source with the picked ¶, refusals with and without question text', () => {
    const widget = [
      '{"ts":"w1","channel":"widget","kind":"unhelpful","question":"Who is Vlad?","article":"nk","cited":["p13"],"answer":{"grounded":true,"text":"Vlad, 31 [¶13]"}}',
      '{"ts":"w2","channel":"widget","kind":"wrong_paragraph","question":"Who is Bulat?","article":"nk","cited":["p39"],"expected":["p37"],"answer":{"grounded":true,"text":null}}',
      '{"ts":"w3","channel":"widget","kind":"refused","question":"What is Vlad\'s surname?","article":"nk","cited":[],"answer":{"grounded":false,"text":null}}',
      '{"ts":"w4","channel":"widget","kind":"refused","article":"nk","cited":[],"answer":{"grounded":false,"text":null}}',
      '{"ts":"w5","channel":"widget","kind":"helpful","question":"What is Vlad\'s surname?","article":"nk","cited":[],"answer":{"grounded":false,"text":null}}',
    ].join('\n');
    const { entries, skipped, refusalsWithoutQuestion } = readFeedbackLog(widget, LOG);
    expect(skipped).toEqual([]);
    expect(refusalsWithoutQuestion).toBe(1);
    expect(entries.map((e) => [e.kind, e.channel, e.expected])).toEqual([
      ['unhelpful', 'widget', []],
      ['wrong_citation', 'widget', [37]],
      ['refused', 'widget', []],
      ['helpful', 'widget', []],
    ]);
    const draft = buildFeedbackDraft(entries, { source: LOG, createdAt: 'now' });
    const cases = draft.text.trim().split('\n').slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(cases[0]?.review).toContain('a reader marked the answer citing ¶13 as unhelpful');
    expect(cases[1]).toMatchObject({ turns: [{ expect: { paragraphs: [37] } }] });
    // A logged refusal that a reader then rated as a right refusal: unanswerable, no review needed.
    expect(cases[2]).toMatchObject({ turns: [{ question: "What is Vlad's surname?", expect: { unanswerable: true } }] });
    expect(cases[2]?.review).toBeUndefined();
  });

  it('sends a refusal nobody rated to review', () => {
    const only = '{"ts":"w3","channel":"widget","kind":"refused","question":"Where was Vlad born?","article":"nk","cited":[],"answer":{"grounded":false,"text":null}}';
    const draft = buildFeedbackDraft(readFeedbackLog(only, LOG).entries, { source: LOG, createdAt: 'now' });
    const only1 = JSON.parse(draft.text.trim().split('\n')[1]!) as Record<string, unknown>;
    expect(only1.review).toMatch(/^the engine said the article doesn't say \(refused, 1x\)/);
    expect(draft.review).toBe(1);
  });
});
