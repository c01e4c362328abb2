import { describe, expect, it } from 'vitest';
import { EvalError } from '../../src/errors.js';
import { buildFeedbackDraft, parseFeedbackLog } from '../../src/eval/import-feedback.js';
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
    expect(messages[1]).toBe('data/feedback.jsonl:3: "kind" must be helpful, wrong_citation (or wrong_paragraph) or not_in_article, got "meh"');
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
