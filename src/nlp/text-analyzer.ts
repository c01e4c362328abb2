import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/**
 * Part of speech, lemmas and typed values (numbers, money, dates, durations) of English text, from wink-nlp and
 * its `wink-eng-lite-web-model` (a statistical POS tagger and rule-based value recogniser that ship in the
 * package; nothing is downloaded). The engine asks these parsed texts instead of re-parsing with regexes.
 *
 * Every token and value keeps its character offsets in the analysed text, so the answer composer can cut
 * verbatim spans (the fact of a "how many" answer) out of a quoted sentence.
 */
export type EntityKind = 'number' | 'money' | 'percent' | 'date' | 'time' | 'duration' | 'ordinal';

export interface TextToken {
  readonly text: string;
  /** Lower-case base form ("troops" -> "troop", "went" -> "go"). */
  readonly lemma: string;
  /** Universal POS tag: NOUN, PROPN, VERB, AUX, ADJ, ADV, NUM, PRON, DET, ADP, PUNCT, ... */
  readonly pos: string;
  readonly start: number;
  readonly end: number;
  /** A function word (wink's stop-word list). */
  readonly stop: boolean;
}

export interface TextEntity {
  readonly kind: EntityKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Index of its first and last token. */
  readonly firstToken: number;
  readonly lastToken: number;
}

/** A run of proper-noun tokens ("Capt. Oleh Shyriaiev", "North Korea"). */
export interface NameSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly firstToken: number;
  readonly lastToken: number;
}

export interface AnalyzedText {
  readonly text: string;
  readonly tokens: readonly TextToken[];
  readonly entities: readonly TextEntity[];
  readonly names: readonly NameSpan[];
}

export interface TextAnalyzer {
  analyze(text: string): AnalyzedText;
}

const ENTITY_KINDS: Record<string, EntityKind> = {
  CARDINAL: 'number',
  MONEY: 'money',
  PERCENT: 'percent',
  DATE: 'date',
  TIME: 'time',
  DURATION: 'duration',
  ORDINAL: 'ordinal',
};

/** Loads the model (about 100 ms); one analyzer per engine, passed to whoever needs it. */
export function createTextAnalyzer(): TextAnalyzer {
  const nlp: WinkMethods = winkNLP(model, ['sbd', 'pos', 'ner', 'negation']);
  const its = nlp.its;
  return {
    analyze(text: string): AnalyzedText {
      const doc = nlp.readDoc(text);
      const tokens: TextToken[] = [];
      // wink's typings do not accept its own lemma helper for `out`; every helper returns one value per token.
      const column = <T>(helper: unknown): T[] => doc.tokens().out(helper as never) as unknown as T[];
      const values = column<string>(its.value);
      const spaces = column<string>(its.precedingSpaces);
      const pos = column<string>(its.pos);
      const lemmas = column<string>(its.lemma);
      const stops = column<boolean>(its.stopWordFlag);
      let offset = 0;
      for (let i = 0; i < values.length; i += 1) {
        offset += spaces[i]!.length;
        let start = offset;
        const value = values[i]!;
        // wink keeps every character, so offsets add up; search only if a model version ever disagrees.
        if (text.slice(start, start + value.length) !== value) {
          const found = text.indexOf(value, Math.max(0, start - 2));
          if (found !== -1) start = found;
        }
        tokens.push({ text: value, lemma: (lemmas[i] ?? value).toLowerCase(), pos: pos[i] ?? 'X', start, end: start + value.length, stop: stops[i] === true });
        offset = start + value.length;
      }
      const entities: TextEntity[] = [];
      doc.entities().each((entity: { out(helper: unknown): unknown }) => {
        const kind = ENTITY_KINDS[entity.out(its.type) as string];
        if (kind === undefined) return;
        const [first, last] = entity.out(its.span) as [number, number];
        const a = tokens[first];
        const b = tokens[last];
        if (a === undefined || b === undefined) return;
        entities.push({ kind, text: text.slice(a.start, b.end), start: a.start, end: b.end, firstToken: first, lastToken: last });
      });
      return { text, tokens, entities, names: nameSpans(text, tokens) };
    },
  };
}

/**
 * Runs of PROPN tokens, joined across hyphens and initials ("O'Brien-Smith", "U.S."), split at sentence starts
 * only when the tagger split them. A run is a name candidate; what kind of name is the article model's question.
 */
function nameSpans(text: string, tokens: readonly TextToken[]): NameSpan[] {
  const spans: NameSpan[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (tokens[i]!.pos !== 'PROPN' || !/^\p{Lu}/u.test(tokens[i]!.text)) {
      i += 1;
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length) {
      const next = tokens[j + 1]!;
      if (next.pos === 'PROPN' && /^\p{Lu}/u.test(next.text)) j += 1;
      else if (next.text === '-' && tokens[j + 2]?.pos === 'PROPN' && next.start === tokens[j]!.end) j += 2;
      else break;
    }
    const first = tokens[i]!;
    const last = tokens[j]!;
    spans.push({ text: text.slice(first.start, last.end), start: first.start, end: last.end, firstToken: i, lastToken: j });
    i = j + 1;
  }
  return spans;
}
