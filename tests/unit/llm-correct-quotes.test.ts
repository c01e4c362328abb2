import { describe, expect, it } from 'vitest';
import type { Paragraph } from '../../src/index/article.js';
import { correctQuotes } from '../../src/chat/llm/correct-quotes.js';

function paragraph(number: number, text: string): Paragraph {
  return { id: `p${number}`, number, article: 'a', ref: `a#p${number}`, kind: 'paragraph', section: undefined, text, span: [0, text.length] };
}

const p6 = paragraph(
  6,
  '"They went from using World War II tactics to managing on the battlefield with drones," Capt. Oleh Shyriaiev, commander of the 225th Separate Assault Brigade, told NPR. "And they learned very quickly."',
);
const p48 = paragraph(48, '"They shot down my drones multiple times," Maksym said.');

describe('correctQuotes', () => {
  it('keeps a quotation found word for word in a cited paragraph, and notes nothing', () => {
    const sentence = 'Shyriaiev said "they learned very quickly."';
    expect(correctQuotes(sentence, [p6])).toEqual({ sentence, notes: [] });
  });

  it('corrects an altered quotation to the exact words of the closest passage', () => {
    const result = correctQuotes('He said they "went from using World War I tactics to managing the battlefield with drones".', [p6]);
    expect(result.sentence).toBe('He said they "went from using World War II tactics to managing on the battlefield with drones".');
    expect(result.notes).toEqual([
      'Quote corrected to the exact words of ¶6: "went from using World War I tactics to managing the battlefield with drones" became "went from using World War II tactics to managing on the battlefield with drones".',
    ]);
  });

  it('keeps the closing punctuation the paragraph has after the passage', () => {
    const result = correctQuotes('Maksym said, “They shot down our drones multiple times,” he recalled.', [p48]);
    expect(result.sentence).toBe('Maksym said, “They shot down my drones multiple times,” he recalled.');
    expect(result.notes[0]).toMatch(/^Quote corrected to the exact words of ¶48/);
  });

  it('removes the quotation marks from words no cited paragraph says', () => {
    const result = correctQuotes('Shyriaiev called them "the best soldiers he had ever faced".', [p6, p48]);
    expect(result.sentence).toBe('Shyriaiev called them the best soldiers he had ever faced.');
    expect(result.notes).toEqual(['Quotation marks removed: "the best soldiers he had ever faced" is not word for word in ¶6, ¶48.']);
  });

  it('checks only the cited paragraphs: a quote from another paragraph loses its marks', () => {
    const result = correctQuotes('Maksym said "They shot down my drones multiple times".', [p6]);
    expect(result.sentence).toBe('Maksym said They shot down my drones multiple times.');
    expect(result.notes).toHaveLength(1);
  });

  it('matches curly and straight apostrophes to the paragraph and says so', () => {
    const p = paragraph(19, '"I’ve never seen the Russians do that," Vlad said.');
    const result = correctQuotes(`Vlad said "I've never seen the Russians do that".`, [p]);
    expect(result.sentence).toBe('Vlad said "I’ve never seen the Russians do that".');
    expect(result.notes).toEqual(["Quote's apostrophes and quotation marks matched to ¶19."]);
  });

  it('needs an exact match for a one-word quotation', () => {
    const result = correctQuotes('They were called "heroes".', [paragraph(55, 'hailing the "fortitude and heroism" of North Korean soldiers')]);
    expect(result.sentence).toBe('They were called heroes.');
  });
});
