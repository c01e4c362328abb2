import { describe, expect, it } from 'vitest';
import { correctSpelling, damerauLevenshtein } from '../../src/chat/pipeline/correct-spelling.js';
import { createLexicon } from '../../src/nlp/lexicon.js';
import { createTextAnalyzer } from '../../src/nlp/text-analyzer.js';
import { articleModelOf } from '../helpers/article-model.js';

const analyzer = createTextAnalyzer();
const lexicon = createLexicon();
const modelOf = (page: string) => articleModelOf(page, { analyzer, lexicon });

const PAGE = `Council approves flood wall

MILLBROOK, Vt. — The city council voted 7-2 on Tuesday to build a flood wall, after spring rains flooded more than 300 homes and a dairy barn.

Mayor Ana Ruiz said the wall will cost $42 million. She told reporters the work starts in May.

"We cannot ask families to rebuild a third time," Ruiz said. "Not again."

Tom Hale, 61, a council member, voted no.

"That," he said, "is the part nobody wants to talk about."

Critics say North Koreans and Ukrainians are not in this story, and neither is NPR.`;

describe('buildArticleModel', () => {
  const model = modelOf(PAGE);
  const sentence = (start: string) => model.sentences.find((s) => s.sentence.text.startsWith(start))!;

  it('knows people from how the story uses their names, and not every capitalised word', () => {
    expect(model.nameKind('Ana Ruiz')).toBe('person');
    expect(model.nameKind('Ruiz')).toBe('person');
    expect(model.nameKind('Tom Hale')).toBe('person');
    expect(model.nameKind('North Koreans')).toBe('other');
    expect(model.nameKind('NPR')).not.toBe('person');
  });

  it('attributes quotes to their speaker, across a pronoun and into a quote-only paragraph', () => {
    expect(sentence('"We cannot ask').speaker).toBe('Mayor Ana Ruiz');
    expect(sentence('"Not again.').speaker).toBe('Mayor Ana Ruiz');
    expect(sentence('"That," he said').speaker).toBe('Tom Hale');
    expect(sentence('She told reporters').speaker).toBe('Mayor Ana Ruiz');
  });

  it('resolves a leading pronoun to the person named last', () => {
    expect(sentence('She told reporters').referent).toBe('Mayor Ana Ruiz');
    expect(sentence('She told reporters').terms).toContain('ruiz');
  });

  it('records typed values per sentence', () => {
    expect([...sentence('Mayor Ana Ruiz').entityKinds]).toContain('money');
    expect([...sentence('MILLBROOK').entityKinds]).toEqual(expect.arrayContaining(['date', 'number']));
  });

  it('corrects a typo against the story\'s own words, never a real word the story does not use', () => {
    expect(correctSpelling(analyzer.analyze('What happened to the dariy barn?'), model.words, lexicon)).toBe('What happened to the dairy barn?');
    expect(correctSpelling(analyzer.analyze('Were submarines involved?'), model.words, lexicon)).toBe('Were submarines involved?');
    expect(correctSpelling(analyzer.analyze('What did Hael say?'), model.words, lexicon)).toBe('What did Hael say?');
  });
});

describe('damerauLevenshtein', () => {
  it('counts a transposition as one edit and stops past the limit', () => {
    expect(damerauLevenshtein('dariy', 'dairy', 2)).toBe(1);
    expect(damerauLevenshtein('goverment', 'government', 2)).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting', 1)).toBe(2);
  });
});
