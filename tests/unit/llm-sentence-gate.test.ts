import { describe, expect, it } from 'vitest';
import { createSentenceGate, type GatedSentence } from '../../src/chat/llm/sentence-gate.js';

function gate(pieces: readonly string[]): { released: GatedSentence[][]; all: string[] } {
  const g = createSentenceGate();
  const released = pieces.map((p) => g.push(p));
  released.push(g.flush());
  return { released, all: released.flat().map((s) => s.text) };
}

describe('createSentenceGate', () => {
  it('releases a sentence only once the next one has begun, with its marker', () => {
    const { released } = gate(['Some 4,700 died in Kursk ', '[¶43].', ' Most', ' died early [¶43].']);
    expect(released[0]).toEqual([]);
    expect(released[1]).toEqual([]);
    expect(released[2]).toEqual([{ text: 'Some 4,700 died in Kursk [¶43].', pieces: ['Some 4,700 died in Kursk ', '[¶43].'] }]);
    expect(released[4]).toEqual([{ text: 'Most died early [¶43].', pieces: ['Most', ' died early [¶43].'] }]);
  });

  it('keeps a marker written after the full stop with its sentence', () => {
    expect(gate(['Kursk fell. [¶7] ', 'Then it was retaken. [¶55]']).all).toEqual(['Kursk fell. [¶7]', 'Then it was retaken. [¶55]']);
  });

  it('keeps a quotation of several sentences together with the marker after it', () => {
    const text = '"Our medic did what he could," Bulat said. "And then we continued to fight. We hoped he would survive." [¶39] He died.';
    expect(gate([text]).all).toEqual([
      '"Our medic did what he could," Bulat said.',
      '"And then we continued to fight. We hoped he would survive." [¶39]',
      'He died.',
    ]);
  });

  it('does not end a sentence at "Capt." or an initial', () => {
    expect(gate(['Capt. Oleh Shyriaiev said John F. Kennedy was not there [¶6]. Next.']).all).toEqual([
      'Capt. Oleh Shyriaiev said John F. Kennedy was not there [¶6].',
      'Next.',
    ]);
  });

  it('treats a line break as a boundary', () => {
    expect(gate(['First point [¶3]\n\nSecond point [¶4]']).all).toEqual(['First point [¶3]', 'Second point [¶4]']);
  });

  it('cuts pieces at sentence edges so they concatenate to the sentence text', () => {
    const { released } = gate(['One [¶1]. Tw', 'o [¶2]. Three']);
    const sentences = released.flat();
    expect(sentences.map((s) => s.pieces)).toEqual([['One [¶1].'], ['Tw', 'o [¶2].'], ['Three']]);
    for (const s of sentences) expect(s.pieces.join('')).toBe(s.text);
  });

  it('returns nothing at flush when only whitespace is left', () => {
    expect(gate(['Done [¶1].', '   ']).all).toEqual(['Done [¶1].']);
  });
});
