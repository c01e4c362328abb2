import { describe, expect, it } from 'vitest';
import { analyzeQuestion } from '../../src/chat/pipeline/analyze-question.js';
import { createLexicon } from '../../src/nlp/lexicon.js';
import { createTextAnalyzer } from '../../src/nlp/text-analyzer.js';

const tools = { analyzer: createTextAnalyzer(), lexicon: createLexicon() };
const analyze = (q: string) => analyzeQuestion(q, tools);

describe('analyzeQuestion', () => {
  it.each([
    ['How many troops did North Korea send?', 'count'],
    ['How much did the restoration cost?', 'money'],
    ['How old is the drone operator?', 'age'],
    ['How long will the work take?', 'duration'],
    ['When was the treaty signed?', 'time'],
    ['What year did the plant open?', 'time'],
    ['Which official announced the cuts?', 'person'],
    ['Who led the critics?', 'person'],
    ['What town is the story reported from?', 'place'],
    ['Why did the council raise fares?', 'reason'],
    ['How did the soldiers hide at night?', 'manner'],
    ['Did the company agree to pay for the cleanup?', 'yesno'],
    ['Who is Bulat?', 'definition'],
    ['What did the mayor say about the vote?', 'quote'],
    ['What is the name of the bakery on Fourth Street?', 'name'],
    ['What is the runway being rebuilt called?', 'name'],
    ["What is Vlad's last name?", 'name'],
    ['What name did the team give the dog?', 'name'],
    ["What's the mayor's name?", 'person'],
    ['What did the man named in the suit say?', 'quote'],
  ])('reads "%s" as asking for %s', (question, kind) => {
    expect(analyze(question).expects).toBe(kind);
  });

  it('keeps the counted thing of a "how many" question and leaves question words out of its terms', () => {
    const q = analyze('How many troops did North Korea send to Russia?');
    expect(q.countNoun).toBe('troop');
    expect(q.terms.map((t) => t.lemma)).toEqual(['troop', 'north', 'korea', 'send', 'russia']);
    expect(q.terms.filter((t) => t.name).map((t) => t.text)).toEqual(['North', 'Korea', 'Russia']);
    expect(analyze('How old is Maksym?').terms.map((t) => t.lemma)).toEqual(['maksym']);
  });

  it('leaves the word that asks for a name, and possessive markers, out of the terms', () => {
    expect(analyze('What is the name of the bakery on Fourth Street?').terms.map((t) => t.lemma)).toEqual(['bakery', 'fourth', 'street']);
    expect(analyze('What is the runway being rebuilt called?').terms.map((t) => t.lemma)).toEqual(['runway', 'rebuild']);
    expect(analyze("What is Vlad's last name?").terms.map((t) => t.lemma)).toEqual(['vlad']);
  });

  it('finds whose words a question asks for, by name or by role', () => {
    expect(analyze('What did Cha say about the treaty?').speaker).toBe('Cha');
    expect(analyze('What did the mayor tell reporters?').speaker).toBe('mayor');
    expect(analyze('How can North Korea justify the deployment, according to Cha?').speaker).toBe('Cha');
    expect(analyze('How many soldiers died?').speaker).toBeUndefined();
  });

  it('finds the name a "who / what / where is" question asks to identify', () => {
    expect(analyze('Who is Bulat?').identity).toBe('Bulat');
    expect(analyze('What is the Baba Yaga?').identity).toBe('Baba Yaga');
    expect(analyze('Where is Kursk?').identity).toBe('Kursk');
    expect(analyze('Where is the meeting held?').identity).toBeUndefined();
  });
});
