import { termsMatch, tokenize } from '../../index/tokenize.js';
import type { Lexicon } from '../../nlp/lexicon.js';
import type { QuestionModel, QuestionTerm } from './analyze-question.js';
import type { ArticleModel } from './article-model.js';

/**
 * How each question word is found in an article: as itself (same lemma, or the same BM25 stem, "Korea" /
 * "Korean"), or through WordNet (a synonym, a hypernym, a derivation: "troops" -> "soldiers"). Computed once per
 * question and article, as a map from the article's lemmas to how closely they stand for the question word, so
 * scoring a sentence is a lookup per word.
 */
export interface TermMatcher {
  readonly term: QuestionTerm;
  /** How rare the word is in the article (BM25 IDF; unknown words get the highest). */
  readonly weight: number;
  /** Article lemmas meaning the question word, with closeness 0..1 (1: the word itself). */
  readonly lemmas: ReadonlyMap<string, number>;
  /** BM25 stems of the word, for exact matching. */
  readonly stems: readonly string[];
  /** The article's BM25 terms that are this word (equal stems, or "korea" / "korean"). */
  readonly exactTerms: ReadonlySet<string>;
  /** The best closeness anywhere in the article (0: the article never mentions it, not even by a synonym). */
  readonly inArticle: number;
}

export function matchTerms(question: QuestionModel, model: ArticleModel, lexicon: Lexicon): TermMatcher[] {
  const bm25 = model.paragraphBm25;
  return question.terms.map((term) => {
    const stems = tokenize(term.text);
    const idfs = stems.map((s) => bm25.idf(s)).filter((x) => x > 0);
    const weight = idfs.length > 0 ? Math.max(...idfs) : bm25.maxIdf;
    const lemmas = new Map<string, number>();
    if (model.lemmaCounts.has(term.lemma)) lemmas.set(term.lemma, 1);
    if (term.pos !== undefined) {
      // The surface form too: WordNet lists "troops" (soldiers collectively) apart from "troop" (a unit).
      const surface = term.text.toLowerCase();
      for (const form of surface === term.lemma ? [term.lemma] : [term.lemma, surface]) {
        for (const [word, closeness] of lexicon.related(form, term.pos)) {
          if (model.lemmaCounts.has(word) && (lemmas.get(word) ?? 0) < closeness) lemmas.set(word, closeness);
        }
      }
    }
    // termsMatch joins only terms that share their first four letters (or are equal).
    const exactTerms = new Set<string>();
    for (const stem of stems) for (const t of model.termsByPrefix.get(stem.slice(0, 4)) ?? []) if (termsMatch(stem, t)) exactTerms.add(t);
    let inArticle = lemmas.size > 0 ? Math.max(...lemmas.values()) : 0;
    if (exactTerms.size > 0) inArticle = 1;
    return { term, weight, lemmas, stems, exactTerms, inArticle };
  });
}

/** Closeness of one question word to a sentence: 1 for the word itself, a WordNet closeness, or 0. */
export function termCloseness(matcher: TermMatcher, terms: ReadonlySet<string>, lemmas: ReadonlySet<string>): number {
  for (const t of matcher.exactTerms) if (terms.has(t)) return 1;
  let best = 0;
  for (const [lemma, c] of matcher.lemmas) if (c > best && lemmas.has(lemma)) best = c;
  return best;
}
