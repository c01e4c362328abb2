import type { Lexicon } from '../../nlp/lexicon.js';
import type { AnalyzedText, NameSpan } from '../../nlp/text-analyzer.js';
import { isSpeechVerb, type NameRegistry } from './name-registry.js';

/**
 * Whose words each sentence reports, the way news copy attributes them:
 * - a verb of saying with its speaker next to it: `Ruiz said`, `says Cha Du Hyeogn`, `he told NPR`,
 *   `Capt. Oleh Shyriaiev, commander of the 225th ..., told NPR` (the appositive is skipped), `according to X`;
 * - a pronoun speaker is the person named last before it (in the sentence, else earlier in the story);
 * - a sentence inside a quotation that an earlier sentence of the paragraph attributed keeps that speaker, and a
 *   quote-only paragraph with no attribution of its own continues the previous paragraph's speaker.
 * Returns, per paragraph, per sentence, the speaker's name as the article writes it, or undefined.
 */
export interface AttributeSpeakersOptions {
  readonly paragraphs: ReadonlyArray<readonly AnalyzedText[]>;
  readonly names: NameRegistry;
  readonly lexicon: Lexicon;
  /**
   * Receives, per sentence that holds "he", "she", "him", "his" or "her" before naming anyone, the person the
   * pronoun points back to (the one named last): "She did most of her rehabilitation ..." is about Lindqvist.
   */
  readonly onReferent?: (paragraph: number, sentence: number, person: string) => void;
}

/** "They" in news copy is mostly a group (the soldiers, the council), not one speaker. */
const PERSONAL_PRONOUNS = new Set(['he', 'she']);
const REFERRING_PRONOUNS = new Set(['he', 'she', 'him', 'his', 'her', 'hers', 'himself', 'herself']);

export function attributeSpeakers(options: AttributeSpeakersOptions): Array<Array<string | undefined>> {
  const { names, lexicon } = options;
  let lastPerson: string | undefined;
  // The longest form of a person's name seen so far, by its last token: later mentions use the surname
  // ("Cha" -> "Cha Du Hyeogn"); a lone first name ("Volodymyr") is someone else until shown otherwise.
  const fullNames = new Map<string, string>();
  let previousParagraphSpeaker: string | undefined;

  const remember = (span: NameSpan): void => {
    if (names.kindOf(span.text) !== 'person') return;
    const last = names.nameTokens(span.text).at(-1);
    if (last === undefined) return;
    const known = fullNames.get(last);
    if (known === undefined || known.length < stripTitle(span.text).length) fullNames.set(last, stripTitle(span.text));
    lastPerson = fullNames.get(last);
  };

  return options.paragraphs.map((sentences, paragraphIndex) => {
    let paragraphSpeaker: string | undefined;
    let openQuote = false;
    const result: Array<string | undefined> = sentences.map((analysis, sentenceIndex) => {
      const { tokens, names: spans } = analysis;
      const firstName = spans.find((span) => names.kindOf(span.text) === 'person')?.firstToken ?? tokens.length;
      const pronoun = tokens.findIndex((t, i) => i < firstName && t.pos === 'PRON' && REFERRING_PRONOUNS.has(t.text.toLowerCase()));
      if (pronoun !== -1 && lastPerson !== undefined) options.onReferent?.(paragraphIndex, sentenceIndex, lastPerson);
      let speaker: string | undefined;
      // "one soldier wrote": attributed, but to someone the article does not name.
      let unnamed = false;
      for (let v = 0; v < tokens.length && speaker === undefined && !unnamed; v += 1) {
        const verb = tokens[v]!;
        const according = verb.lemma === 'accord' && tokens[v + 1]?.lemma === 'to';
        if (!according && (verb.pos !== 'VERB' || !isSpeechVerb(lexicon, verb.lemma))) continue;
        const spanAfter = spans.find((s) => s.firstToken > v && s.firstToken <= v + (according ? 3 : 4));
        const spanBefore = spans.find((s) => s.lastToken === v - 1);
        const before = tokens[v - 1];
        if (!according && before?.pos === 'NOUN' && spanBefore === undefined) {
          unnamed = true;
          continue;
        }
        if (!according && spanBefore !== undefined && names.kindOf(spanBefore.text) !== 'place') speaker = spanBefore.text;
        else if (!according && before !== undefined && before.pos === 'PRON' && PERSONAL_PRONOUNS.has(before.text.toLowerCase())) {
          const earlier = spans.filter((s) => s.lastToken < v - 1 && names.kindOf(s.text) === 'person').at(-1);
          speaker = earlier?.text ?? lastPerson;
        } else if (!according && before?.text === ',') {
          // An appositive between the name and the verb: "Shyriaiev, commander of the brigade, told NPR".
          for (let k = v - 2; k >= Math.max(0, v - 16); k -= 1) {
            if (tokens[k]!.text !== ',') continue;
            const named = spans.find((s) => s.lastToken === k - 1);
            if (named !== undefined && names.kindOf(named.text) === 'person') speaker = named.text;
            break;
          }
        }
        // The inverted '"...," says Cha' follows a comma or quote; "told NPR" names the listener.
        const inverted = before !== undefined && before.pos === 'PUNCT';
        if (speaker === undefined && inverted && spanAfter !== undefined && names.kindOf(spanAfter.text) === 'person') speaker = spanAfter.text;
      }
      const quoteMarks = (analysis.text.match(/["“”]/g) ?? []).length;
      if (unnamed) {
        paragraphSpeaker = undefined;
      } else if (speaker !== undefined) {
        paragraphSpeaker = speaker as string;
      } else if (openQuote || (quoteMarks > 0 && paragraphSpeaker !== undefined)) {
        speaker = paragraphSpeaker;
      }
      if (quoteMarks % 2 === 1) openQuote = !openQuote;
      for (const span of spans) remember(span);
      return speaker === undefined ? undefined : fullNames.get(names.nameTokens(speaker).at(-1) ?? '') ?? stripTitle(speaker);
    });
    // A quote-only paragraph with no attribution continues the previous speaker ("That," he says... aside).
    const first = sentences[0]?.text ?? '';
    if (!result.some((s) => s !== undefined) && /^["“]/.test(first) && previousParagraphSpeaker !== undefined) {
      result.fill(previousParagraphSpeaker);
    }
    previousParagraphSpeaker = [...result].reverse().find((s) => s !== undefined);
    return result;
  });
}

/** "Capt. Oleh Shyriaiev" -> "Oleh Shyriaiev"; "Mayor Ana Ruiz" stays (a title word is kept when not abbreviated). */
function stripTitle(name: string): string {
  return name.replace(/^(?:\p{Lu}\p{Ll}{0,4}\.\s+)+/u, '');
}
