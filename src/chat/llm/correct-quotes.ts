import type { Paragraph } from '../../index/article.js';
import { foldText } from '../../index/tokenize.js';

/**
 * Checks every quotation in an answer sentence against the paragraphs the sentence cites. A quotation
 * ("..." or “...”) must appear word for word in one of them. When it does not, it is corrected to the
 * paragraph's exact words if a close passage exists (at least `minSimilarity` of the words in order, by
 * word-level edit distance: a changed word, a dropped "and"), and otherwise its quotation marks are
 * removed, so an altered quote is never presented as the source's words. Every change is described in `notes`.
 */
export interface QuoteCheck {
  readonly sentence: string;
  readonly notes: readonly string[];
}

export interface CorrectQuotesOptions {
  /** Share of words (1 - edit distance / length) a passage needs to replace a quote; default 0.75. */
  readonly minSimilarity?: number;
}

const QUOTATION = /"([^"\n]+)"|“([^”\n]+)”/gu;
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

interface Word {
  readonly folded: string;
  readonly start: number;
  readonly end: number;
}

export function correctQuotes(sentence: string, cited: readonly Paragraph[], options: CorrectQuotesOptions = {}): QuoteCheck {
  const minSimilarity = options.minSimilarity ?? 0.75;
  const notes: string[] = [];
  const fixed = sentence.replace(QUOTATION, (whole, straight: string | undefined, curly: string | undefined) => {
    const inner = straight ?? curly ?? '';
    const [open, close] = straight === undefined ? ['“', '”'] : ['"', '"'];
    const refs = cited.map((p) => `¶${p.number}`).join(', ');
    if (cited.some((p) => p.text.includes(inner))) return whole;
    const typographic = findTypographic(inner, cited);
    if (typographic !== undefined) {
      notes.push(`Quote's apostrophes and quotation marks matched to ¶${typographic.paragraph.number}.`);
      return `${open}${typographic.text}${close}`;
    }
    const passage = findClosest(inner, cited, minSimilarity);
    if (passage !== undefined) {
      notes.push(`Quote corrected to the exact words of ¶${passage.paragraph.number}: ${open}${inner}${close} became ${open}${passage.text}${close}.`);
      return `${open}${passage.text}${close}`;
    }
    notes.push(`Quotation marks removed: ${open}${inner}${close} is not word for word in ${refs || 'a cited paragraph'}.`);
    return inner;
  });
  return { sentence: fixed, notes };
}

/** The same words with only curly/straight apostrophes or quotes differing: the paragraph's own characters. */
function findTypographic(inner: string, cited: readonly Paragraph[]): { paragraph: Paragraph; text: string } | undefined {
  const plain = (text: string) => text.replace(/[’‘]/g, "'").replace(/[“”]/g, '"');
  const wanted = plain(inner);
  for (const paragraph of cited) {
    const at = plain(paragraph.text).indexOf(wanted);
    if (at >= 0) return { paragraph, text: paragraph.text.slice(at, at + inner.length) };
  }
  return undefined;
}

/** The passage of a cited paragraph closest to the quote, when similar enough. */
function findClosest(
  inner: string,
  cited: readonly Paragraph[],
  minSimilarity: number,
): { paragraph: Paragraph; text: string } | undefined {
  const quote = wordsOf(inner);
  if (quote.length === 0) return undefined;
  let best: { paragraph: Paragraph; text: string; similarity: number } | undefined;
  for (const paragraph of cited) {
    const words = wordsOf(paragraph.text);
    for (let length = Math.max(1, quote.length - 2); length <= quote.length + 2; length += 1) {
      for (let start = 0; start + length <= words.length; start += 1) {
        const window = words.slice(start, start + length);
        const similarity = 1 - editDistance(quote, window) / Math.max(quote.length, length);
        if (similarity < minSimilarity || (best !== undefined && similarity <= best.similarity)) continue;
        let end = window.at(-1)!.end;
        // Keep the quote's closing punctuation when the paragraph has the same mark there ("quickly." / "quickly,").
        const trailing = /[.,!?;:]$/.exec(inner.trimEnd())?.[0];
        if (trailing !== undefined && paragraph.text[end] === trailing) end += 1;
        best = { paragraph, text: paragraph.text.slice(window[0]!.start, end), similarity };
      }
    }
  }
  return best;
}

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(WORD)) {
    words.push({ folded: foldText(match[0]).replace(/'/g, ''), start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/** Levenshtein distance over words. */
function editDistance(a: readonly Word[], b: readonly Word[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1]!.folded === b[j - 1]!.folded ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}
