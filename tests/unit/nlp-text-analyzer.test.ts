import { describe, expect, it } from 'vitest';
import { createTextAnalyzer } from '../../src/nlp/text-analyzer.js';

describe('createTextAnalyzer (wink-nlp)', () => {
  const analyzer = createTextAnalyzer();
  const text = 'The barrier will cost $42 million, said Mayor Ana Ruiz on June 3, 2024; 300 homes flooded.';

  it('keeps every token\'s offsets in the analysed text', () => {
    const { tokens } = analyzer.analyze(text);
    for (const token of tokens) expect(text.slice(token.start, token.end)).toBe(token.text);
    expect(tokens.find((t) => t.text === 'homes')?.lemma).toBe('home');
    expect(tokens.find((t) => t.text === 'said')?.pos).toBe('VERB');
  });

  it('recognises money, dates and numbers as typed values', () => {
    const entities = analyzer.analyze(text).entities.map((e) => [e.kind, e.text]);
    expect(entities).toEqual([
      ['money', '$42 million'],
      ['date', 'June 3, 2024'],
      ['number', '300'],
    ]);
  });

  it('finds runs of proper nouns as name candidates, titles included', () => {
    const names = analyzer.analyze('"They learned quickly," Capt. Oleh Shyriaiev told NPR.').names.map((n) => n.text);
    expect(names).toContain('Capt. Oleh Shyriaiev');
    expect(names).toContain('NPR');
  });
});
