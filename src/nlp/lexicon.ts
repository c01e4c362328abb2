import { openWordNet, type Synset, type WordNet, type WordNetPos } from './wordnet.js';

/**
 * What the engine asks WordNet: the semantic class of a word ("commander" is a person, "Idaho" a location,
 * "month" a time, "say" a communication verb) and the words related to it (synonyms, hypernyms and hyponyms,
 * derivations, causes), so "troops" meets "soldiers" and "died" meets "killed" without a hand-written list.
 *
 * Only a word's most frequent senses are used (`maxSenses`): rare senses ("soldier" the ant) are noise.
 */
export interface Lexicon {
  /** The lexicographer classes of a word's first `maxSenses` senses (`noun.person`, `verb.communication`...). */
  classes(lemma: string, pos: WordNetPos, maxSenses?: number): ReadonlySet<string>;
  /** Whether WordNet knows the word in this part of speech at all. */
  knows(lemma: string, pos: WordNetPos): boolean;
  /** The word's most frequent sense: its class and whether it names one thing (an instance: Putin, Idaho). */
  firstSense(lemma: string, pos: WordNetPos): { readonly lexname: string; readonly instance: boolean } | undefined;
  /**
   * Words related to `lemma` with a closeness from 0 to 1: 1 the word itself, 0.9 a synonym, 0.8 a derivation
   * or an entailed / caused verb, 0.7 a direct hypernym or hyponym, 0.5 two hypernym steps away.
   */
  related(lemma: string, pos: WordNetPos): ReadonlyMap<string, number>;
  close(): void;
}

/** Whether WordNet knows the word in any part of speech: an English word, not a name or a typo. */
export function isDictionaryWord(lexicon: Lexicon, word: string): boolean {
  return lexicon.knows(word, 'noun') || lexicon.knows(word, 'verb') || lexicon.knows(word, 'adj') || lexicon.knows(word, 'adv');
}

export interface LexiconOptions {
  readonly wordnet?: WordNet;
  /** Senses of a word considered; default 3. */
  readonly maxSenses?: number;
}

/** Words whose related words and classes stay cached: enough for a newsroom's questions, bounded for memory. */
const CACHE_SIZE = 4000;

export function createLexicon(options: LexiconOptions = {}): Lexicon {
  const wordnet = options.wordnet ?? openWordNet({ cacheSize: 5000 });
  const defaultSenses = options.maxSenses ?? 3;
  const relatedCache = new Map<string, ReadonlyMap<string, number>>();
  const classCache = new Map<string, ReadonlySet<string>>();

  const senses = (lemma: string, pos: WordNetPos): readonly Synset[] => wordnet.synsets(lemma, pos);

  return {
    classes(lemma, pos, maxSenses = 2) {
      const key = `${pos}:${maxSenses}:${lemma}`;
      let classes = classCache.get(key);
      if (classes === undefined) {
        classes = new Set(senses(lemma, pos).slice(0, maxSenses).map((s) => s.lexname));
        if (classCache.size >= CACHE_SIZE * 4) classCache.delete(classCache.keys().next().value as string);
        classCache.set(key, classes);
      }
      return classes;
    },
    knows(lemma, pos) {
      return senses(lemma, pos).length > 0;
    },
    firstSense(lemma, pos) {
      const first = senses(lemma, pos)[0];
      if (first === undefined) return undefined;
      return { lexname: first.lexname, instance: first.pointers.some((p) => p.symbol === '@i') };
    },
    related(lemma, pos) {
      const key = `${pos}:${lemma}`;
      const cached = relatedCache.get(key);
      if (cached !== undefined) return cached;
      const out = new Map<string, number>([[lemma, 1]]);
      const add = (word: string, weight: number): void => {
        if ((out.get(word) ?? 0) < weight) out.set(word, weight);
      };
      for (const synset of senses(lemma, pos).slice(0, defaultSenses)) {
        for (const word of synset.words) add(word, 0.9);
        for (const pointer of synset.pointers) {
          const symbol = pointer.symbol;
          const weight =
            symbol === '+' || symbol === '>' || symbol === '*' || symbol === '&' || symbol === '\\' || symbol === '='
              ? 0.8
              : symbol === '@' || symbol === '@i' || symbol === '~' || symbol === '~i'
                ? 0.7
                : 0;
          if (weight === 0) continue;
          const target = wordnet.synset(pointer.offset, pointer.pos);
          for (const word of target.words) add(word, weight);
          if (symbol === '@' || symbol === '@i') {
            for (const next of target.pointers) {
              if (next.symbol !== '@' && next.symbol !== '@i') continue;
              for (const word of wordnet.synset(next.offset, next.pos).words) add(word, 0.5);
            }
          }
        }
      }
      if (relatedCache.size >= CACHE_SIZE) relatedCache.delete(relatedCache.keys().next().value as string);
      relatedCache.set(key, out);
      return out;
    },
    close() {
      wordnet.close();
    },
  };
}
