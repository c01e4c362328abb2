import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/chat/pipeline/analyze-question.js';
import type { SentenceModel } from '../../src/chat/pipeline/article-model.js';
import { composeReply } from '../../src/chat/pipeline/compose-reply.js';
import type { RankedSentence } from '../../src/chat/pipeline/rank.js';
import { createLexicon } from '../../src/nlp/lexicon.js';
import { createTextAnalyzer } from '../../src/nlp/text-analyzer.js';
import { articleModelOf } from '../helpers/article-model.js';

const tools = { analyzer: createTextAnalyzer(), lexicon: createLexicon() };
const PAGE = `Council approves flood wall

MILLBROOK, Vt. — The city council voted 7-2 on Tuesday to build a flood wall, after spring rains flooded more than 300 homes.

Mayor Ana Ruiz said the wall will cost $42 million. She told reporters the work starts in May.

"We cannot ask families to rebuild a third time," Ruiz said.

Tom Hale, 61, a council member, voted no.

"That," he said, "is the part nobody wants to talk about."

He said the money would be better spent on buyouts.`;

const model = articleModelOf(PAGE, tools);
const find = (start: string): SentenceModel => model.sentences.find((s) => s.sentence.text.startsWith(start))!;
/** The pipeline's ranking, made by hand: these sentences, in this order. */
const ranked = (...starts: string[]): RankedSentence[] =>
  starts.map((start, i) => ({ row: { sentence: find(start), features: new Float64Array(0), paragraphCloseness: new Float64Array(0) }, score: -i, probability: 1 / (i + 2) }));
const reply = (question: string, ...starts: string[]) =>
  composeReply({ question: analyzeQuestion(question, tools), model, ranked: ranked(...starts), lexicon: tools.lexicon });

describe('composeReply', () => {
  it('puts the fact of a typed question first, cut verbatim from the sentence, then the sentence and its marker', () => {
    const r = reply('How many homes did the rains flood?', 'MILLBROOK');
    expect(r.text).toBe('300 — MILLBROOK, Vt. — The city council voted 7-2 on Tuesday to build a flood wall, after spring rains flooded more than 300 homes [¶1].');
    expect(r.citations).toHaveLength(1);
    expect(r.citations[0]!.quote).toBe(find('MILLBROOK').sentence.text);
  });

  it('puts no value first when the sentence holds none of the asked type (an amount does not answer "how many")', () => {
    const r = reply('How many workers will the wall need?', 'Mayor Ana Ruiz said the wall');
    expect(r.text).toBe('Mayor Ana Ruiz said the wall will cost $42 million [¶2].');
    expect(reply('How much will the wall cost?', 'Mayor Ana Ruiz said the wall').text.startsWith('$42 million — ')).toBe(true);
  });

  it('puts the one proper name the question does not hold first for "what is the name of", and none when there are two', () => {
    expect(reply('What is the name of the council member who voted no?', 'Tom Hale, 61').text.startsWith('Tom Hale — Tom Hale, 61')).toBe(true);
    expect(analyzeQuestion('What is the name of the new wall?', tools).expects).toBe('name');
    expect(reply('What is the name of the new wall?', 'MILLBROOK').text.startsWith('MILLBROOK, Vt. — The city')).toBe(true);
  });

  it('widens a sentence that opens with a pronoun to the sentence before it', () => {
    const r = reply('When does the work start?', 'She told reporters');
    expect(r.citations[0]!.quote).toBe('Mayor Ana Ruiz said the wall will cost $42 million. She told reporters the work starts in May.');
    expect(r.text.startsWith('May — Mayor Ana Ruiz said')).toBe(true);
  });

  it('names the speaker of a quotation that does not, keeping the quoted words verbatim', () => {
    const r = reply('What is the part nobody wants to talk about?', '"That," he said');
    expect(r.text).toBe('Tom Hale said: “That … is the part nobody wants to talk about.” [¶5]');
    expect(r.citations[0]!.quote).toBe('"That," he said, "is the part nobody wants to talk about."');
  });

  it('puts the person\'s name in brackets for a pronoun that opens a paragraph', () => {
    const r = reply('What would Hale rather spend the money on?', 'He said the money');
    expect(r.text).toBe('[Tom Hale] said the money would be better spent on buyouts [¶6].');
    expect(r.citations[0]!.quote).toBe('He said the money would be better spent on buyouts.');
  });

  it('marks every citation and quotes only text that is in its paragraph', () => {
    for (const r of [reply('Why did Hale vote no?', 'He said the money', '"That," he said'), reply('Who voted no?', 'Tom Hale')]) {
      const marked = new Set([...r.text.matchAll(/\[¶(\d+)\]/g)].map((m) => Number(m[1])));
      expect(marked).toEqual(new Set(r.citations.map((c) => c.paragraph)));
      for (const c of r.citations) expect(c.text).toContain(c.quote);
    }
  });
});
