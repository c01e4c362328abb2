import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/index/split-sentences.js';
import { stem, termsMatch, tokenize } from '../../src/index/tokenize.js';

describe('splitSentences', () => {
  it('keeps a quote and its attribution together', () => {
    expect(splitSentences('"That," he says, "is a fact."').map((s) => s.text)).toEqual(['"That," he says, "is a fact."']);
  });

  it('does not split after abbreviations or initials', () => {
    const text = 'Gen. Valery Gerasimov spoke. John F. Kennedy did not. Capt. Oleh Shyriaiev agreed.';
    expect(splitSentences(text).map((s) => s.text)).toEqual([
      'Gen. Valery Gerasimov spoke.',
      'John F. Kennedy did not.',
      'Capt. Oleh Shyriaiev agreed.',
    ]);
  });

  it('splits inside a long quotation and reports exact offsets', () => {
    const text = '"Our medic did what he could," Bulat said. "And then we continued to fight. He died on the way."';
    const sentences = splitSentences(text);
    expect(sentences.map((s) => s.text)).toEqual([
      '"Our medic did what he could," Bulat said.',
      '"And then we continued to fight.',
      'He died on the way."',
    ]);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});

describe('tokenize', () => {
  it('drops stop words, joins thousands and stems inflections', () => {
    expect(tokenize('Some 4,700 soldiers were killed fighting')).toEqual(['4700', 'soldier', 'kill', 'fight']);
    expect(stem('killed')).toBe(stem('kills'));
    expect(stem('drones')).toBe(stem('drone'));
  });

  it('splits hyphenated words into their parts', () => {
    expect(tokenize('a 31-year-old medic')).toEqual(['31', 'year', 'old', 'medic']);
  });
});

describe('termsMatch', () => {
  it('matches a country and its adjective but not unrelated short words', () => {
    expect(termsMatch('korea', 'korean')).toBe(true);
    expect(termsMatch(stem('ukraine'), stem('ukrainian'))).toBe(true);
    expect(termsMatch('war', 'warn')).toBe(false);
    expect(termsMatch('2022', '20221')).toBe(false);
  });
});
