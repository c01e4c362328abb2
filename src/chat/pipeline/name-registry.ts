import type { Lexicon } from '../../nlp/lexicon.js';
import type { AnalyzedText, NameSpan, TextToken } from '../../nlp/text-analyzer.js';

/**
 * Which names in an article are people and which are places, decided from how the article itself uses them,
 * so a name the dictionary never heard of ("Maksym", "Ruiz") is still known as a person:
 * - a person: titled ("Capt.", "Mayor"), given an age or an appositive role ("Maksym, 22, an FPV drone operator"),
 *   or the subject of a verb of saying ("Ruiz said", "says Cha Du Hyeogn"); WordNet's people count too (Putin);
 * - a place: a WordNet location (Idaho, Seoul), or named after a locative preposition.
 * Evidence is kept per name token, so "Shyriaiev" alone is a person once "Capt. Oleh Shyriaiev" was.
 */
export interface NameRegistry {
  /** The kind of a name as written ("Cha", "North Korea"): the kind most of its tokens have evidence for. */
  kindOf(name: string): NameKind;
  /** The role nouns the article gives the person ("commander", "mayor"); empty for non-persons. */
  rolesOf(name: string): ReadonlySet<string>;
  /** Lower-case tokens of a name without titles: "Capt. Oleh Shyriaiev" -> ["oleh", "shyriaiev"]. */
  nameTokens(name: string): string[];
}

export type NameKind = 'person' | 'place' | 'other';

interface Evidence {
  person: number;
  place: number;
  readonly roles: Set<string>;
}

const LOCATIVE = new Set(['in', 'at', 'near', 'from', 'across', 'outside', 'inside', 'around']);

export function buildNameRegistry(texts: readonly AnalyzedText[], lexicon: Lexicon): NameRegistry {
  const evidence = new Map<string, Evidence>();
  const isTitle = (token: TextToken | undefined): boolean =>
    token !== undefined && (isAbbreviatedTitle(token) || isPersonNoun(lexicon, token.lemma));

  const nameTokensOf = (tokens: readonly TextToken[], span: NameSpan): TextToken[] => {
    const out: TextToken[] = [];
    for (let i = span.firstToken; i <= span.lastToken; i += 1) {
      const token = tokens[i]!;
      if (token.text === '-') continue;
      // Leading titles are not part of the name: "Capt.", "Mayor", "President".
      if (out.length === 0 && i < span.lastToken && isTitle(token)) continue;
      out.push(token);
    }
    return out;
  };

  for (const text of texts) {
    const { tokens } = text;
    for (const span of text.names) {
      const parts = nameTokensOf(tokens, span);
      if (parts.length === 0) continue;
      let person = 0;
      let place = 0;
      const roles = new Set<string>();
      const before = tokens[span.firstToken - 1];
      const first = tokens[span.firstToken]!;
      if (isTitle(first) && span.lastToken > span.firstToken) {
        person += 2;
        if (!isAbbreviatedTitle(first)) roles.add(first.lemma);
      }
      if (before !== undefined && isTitle(before)) {
        person += 2;
        if (!isAbbreviatedTitle(before)) roles.add(before.lemma);
      }
      // "Maksym, 22," / "Cha Du Hyeogn, a former intelligence adviser" / "Oleh Shyriaiev, commander of"
      const after = tokens.slice(span.lastToken + 1, span.lastToken + 8);
      if (after[0]?.text === ',') {
        if (after[1]?.pos === 'NUM' && /^\d{1,3}$/.test(after[1].text) && after[2]?.text === ',') person += 3;
        for (let k = 1; k < after.length; k += 1) {
          const token = after[k]!;
          if (token.text === ',' || token.pos === 'VERB' || token.pos === 'ADP') break;
          if (token.pos === 'NOUN' && isPersonNoun(lexicon, token.lemma)) {
            person += 2;
            roles.add(token.lemma);
            break;
          }
        }
      }
      // "Ruiz said"; the inverted '..., said Mayor Ana Ruiz' (after a comma or quote: "told NPR" names the listener).
      const next = tokens[span.lastToken + 1];
      if (next !== undefined && next.pos === 'VERB' && isSpeechVerb(lexicon, next.lemma)) person += 2;
      const beforeVerb = tokens[span.firstToken - 2];
      if (before !== undefined && before.pos === 'VERB' && isSpeechVerb(lexicon, before.lemma) && beforeVerb?.pos === 'PUNCT') person += 1;
      // "21-year-old Paek"
      if (before?.lemma === 'old' && tokens[span.firstToken - 2]?.text === '-' && tokens[span.firstToken - 3]?.lemma === 'year') person += 3;
      const full = parts.map((p) => p.text.toLowerCase()).join(' ').replace(/['’]s$/, '');
      const classes = lexicon.classes(full, 'noun', 1);
      if (classes.has('noun.location')) place += 2;
      if (classes.has('noun.person')) person += 1;
      if (before !== undefined && before.pos === 'ADP' && LOCATIVE.has(before.lemma)) place += 1;
      for (const part of parts) {
        const key = normalizeNameToken(part.text);
        if (key === '') continue;
        let e = evidence.get(key);
        if (e === undefined) evidence.set(key, (e = { person: 0, place: 0, roles: new Set() }));
        e.person += person;
        e.place += place;
        for (const role of roles) e.roles.add(role);
      }
    }
  }

  const tokensOf = (name: string): string[] =>
    name
      .split(/[\s-]+/)
      .filter((word, i, all) => !(i < all.length - 1 && /^\p{Lu}\p{Ll}{0,4}\.$/u.test(word)))
      .map(normalizeNameToken)
      .filter((word) => word !== '');

  const dictionaryKinds = new Map<string, NameKind | null>();
  /**
   * What WordNet says of the whole name: a named instance (Putin, Idaho, Korean Peninsula) has its class; a common
   * noun that is only capitalised ("North Koreans", "Ukrainian") is no one's name; unknown names are undecided.
   */
  const dictionaryKind = (name: string): NameKind | null => {
    const key = name.toLowerCase().replace(/['’]s$/, '');
    let kind = dictionaryKinds.get(key);
    if (kind !== undefined) return kind;
    kind = null;
    for (const form of [key, key.replace(/s$/, '')]) {
      const synset = lexicon.firstSense(form, 'noun');
      if (synset === undefined) continue;
      if (!synset.instance) kind = 'other';
      else kind = synset.lexname === 'noun.person' ? 'person' : synset.lexname === 'noun.location' ? 'place' : 'other';
      break;
    }
    dictionaryKinds.set(key, kind);
    return kind;
  };

  return {
    kindOf(name) {
      const known = dictionaryKind(tokensOf(name).join(' '));
      if (known !== null && tokensOf(name).length > 1) return known;
      let person = 0;
      let place = 0;
      for (const token of tokensOf(name)) {
        const e = evidence.get(token);
        if (e === undefined) continue;
        person += e.person;
        place += e.place;
      }
      // A capitalised common noun ("Russian", "Korean") is nobody's name; a one-word name the article gives
      // strong evidence for ("Ri, 26,") outweighs a dictionary instance of the same spelling (RI, Rhode Island).
      if (known === 'other') return 'other';
      if (known !== null && person < 3) return known;
      if (person === 0 && place === 0) return 'other';
      return person >= place ? 'person' : 'place';
    },
    rolesOf(name) {
      const roles = new Set<string>();
      for (const token of tokensOf(name)) for (const role of evidence.get(token)?.roles ?? []) roles.add(role);
      return roles;
    },
    nameTokens: tokensOf,
  };
}

/** "Shyriaiev's" -> "shyriaiev", "Capt." -> "capt". */
export function normalizeNameToken(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/[^\p{L}\p{N}'-]/gu, '');
}

/** "Capt.", "Gen.", "Dr.", "Sgt.": a short capitalised abbreviation, the way titles are written. */
function isAbbreviatedTitle(token: TextToken): boolean {
  return /^\p{Lu}\p{Ll}{0,4}\.$/u.test(token.text);
}

export function isPersonNoun(lexicon: Lexicon, lemma: string): boolean {
  return lexicon.classes(lemma, 'noun', 1).has('noun.person');
}

/** A verb of saying (say, tell, add, warn, recall, explain, write ...), by its WordNet class. */
export function isSpeechVerb(lexicon: Lexicon, lemma: string): boolean {
  return lexicon.classes(lemma, 'verb', 2).has('verb.communication');
}
