import type { Paragraph } from '../index/article.js';
import type { Answer } from './answer-types.js';

/** What a reader sees when the article does not answer. Shared by every answerer so refusals read alike. */
export const REFUSAL_TEXT =
  "The article doesn't say. I can only answer from the article's paragraphs, and none of them answers this.";

/** A refusal: not grounded, no citations; the nearest paragraphs offered separately as `related`. */
export function composeRefusal(
  related: readonly Paragraph[],
  answerer = 'extractive',
  notes: readonly string[] = [],
  confidence = 0,
): Answer {
  return {
    answer: REFUSAL_TEXT,
    grounded: false,
    confidence,
    citations: [],
    related: related.map((p) => ({ id: p.id, article: p.article, paragraph: p.number, text: p.text })),
    answerer,
    notes,
  };
}

/**
 * A quoted sentence with its marker: the marker goes before a closing full stop
 * ("... in Kursk [¶43].") and after closing quotation marks ("... point." [¶39]).
 * Quotation marks left unbalanced by cutting a sentence out of a longer quote are dropped from the
 * answer text (the citation's `quote` keeps the exact words).
 */
export function formatCitedSentence(quote: string, paragraph: number): string {
  let text = quote.trim();
  const straight = (text.match(/"/g) ?? []).length;
  if (straight % 2 === 1) text = text.startsWith('"') ? text.slice(1) : text.endsWith('"') ? text.slice(0, -1) : text;
  const marker = `[¶${paragraph}]`;
  if (/[^.]\.$/.test(text)) return `${text.slice(0, -1)} ${marker}.`;
  return `${text} ${marker}`;
}
