import { isDictionaryWord, type Lexicon } from '../../nlp/lexicon.js';
import type { AnalyzedText } from '../../nlp/text-analyzer.js';

/**
 * Corrects a reader's typos against the article's own words: a question word that is neither in the article nor an
 * English word WordNet knows ("dariy", "goverment") is replaced by the closest word of the article (Damerau-
 * Levenshtein distance 1, or 2 for words of seven letters or more; ties go to the more frequent word). A real word
 * the article does not use ("submarines") is never "corrected" into one it does: that question should be refused.
 * Returns the corrected question text (unchanged when nothing needed correcting).
 */
export function correctSpelling(
  question: AnalyzedText,
  vocabulary: ReadonlyMap<string, number>,
  lexicon: Lexicon,
): string {
  let text = question.text;
  let shift = 0;
  for (const token of question.tokens) {
    const word = token.text.toLowerCase();
    if (!/^\p{L}{4,}$/u.test(word) || token.stop || vocabulary.has(word)) continue;
    if (/^\p{Lu}/u.test(token.text) && token.pos === 'PROPN') continue; // a name the article does not hold
    if (isDictionaryWord(lexicon, word) || (token.lemma !== word && isDictionaryWord(lexicon, token.lemma))) continue;
    const best = closestWord(word, vocabulary);
    if (best === undefined) continue;
    const replacement = token.text[0] === token.text[0]!.toUpperCase() ? best[0]!.toUpperCase() + best.slice(1) : best;
    text = text.slice(0, token.start + shift) + replacement + text.slice(token.end + shift);
    shift += replacement.length - token.text.length;
  }
  return text;
}

function closestWord(word: string, vocabulary: ReadonlyMap<string, number>): string | undefined {
  const limit = word.length >= 7 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let bestCount = 0;
  for (const [candidate, count] of vocabulary) {
    if (Math.abs(candidate.length - word.length) > limit || candidate[0] !== word[0] && limit === 1) continue;
    const distance = damerauLevenshtein(word, candidate, limit);
    if (distance < bestDistance || (distance === bestDistance && count > bestCount)) {
      best = candidate;
      bestDistance = distance;
      bestCount = count;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance, stopping early once every path exceeds `limit`. */
export function damerauLevenshtein(a: string, b: string, limit: number): number {
  const cols = b.length + 1;
  // Three rolling rows (the transposition looks two rows back) instead of the whole matrix.
  let twoBack = new Int32Array(cols);
  let previous = Int32Array.from({ length: cols }, (_, j) => j);
  let current = new Int32Array(cols);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, twoBack[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length]!;
}
