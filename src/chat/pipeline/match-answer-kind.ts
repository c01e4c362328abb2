import { isDictionaryWord, type Lexicon } from '../../nlp/lexicon.js';
import type { NameSpan, TextToken } from '../../nlp/text-analyzer.js';
import type { AnswerKind, QuestionModel } from './analyze-question.js';
import type { ArticleModel, SentenceModel } from './article-model.js';

/**
 * Whether a sentence holds an answer of the kind the question asks for, and one the question does not already
 * hold ("in Kursk" does not answer "Where is Kursk?", "11,000" does not answer "How many of the 11,000 died?").
 * Values come from the parse (wink's numbers, money, dates, durations), names from the article's name registry,
 * time and person words from WordNet classes.
 */
export interface KindMatcherInput {
  readonly kind: AnswerKind;
  readonly question: QuestionModel;
  readonly model: ArticleModel;
  readonly lexicon: Lexicon;
}

/** Discourse connectives that state a cause or purpose (closed-class English grammar). */
const CAUSAL = new Set(['because', 'since', 'so', 'due', 'therefore', 'thus', 'hence', 'reason', 'cause', 'result', 'order', 'why', 'consequence']);

/** A test for one question, applied to every candidate sentence. */
export function createKindMatcher(input: KindMatcherInput): (sentence: SentenceModel) => boolean {
  const asked = askedWords(input.question);
  const newValue = isNewValue(asked);
  return (sentence) => matchesKind(input, asked, newValue, sentence);
}

/** The question's words, lower-cased: a value made only of them is what the question already holds. */
export function askedWords(question: QuestionModel): ReadonlySet<string> {
  return new Set(question.analysis.tokens.map((t) => t.text.toLowerCase()));
}

/** A value ("11,000", "Kursk") the question does not already hold. */
export function isNewValue(asked: ReadonlySet<string>): (text: string) => boolean {
  return (text) => !text.toLowerCase().split(/\s+/).every((w) => asked.has(w));
}

function matchesKind(input: KindMatcherInput, asked: ReadonlySet<string>, newValue: (text: string) => boolean, sentence: SentenceModel): boolean {
  const { kind, lexicon } = input;
  const tokens = sentence.analysis.tokens;
  const entities = sentence.analysis.entities;
  const newNumber = (t: TextToken): boolean => t.pos === 'NUM' && !asked.has(t.text.toLowerCase());
  switch (kind) {
    case 'count':
    case 'percent':
      return entities.some((e) => (e.kind === 'number' || e.kind === 'percent' || e.kind === 'money') && newValue(e.text)) || tokens.some(newNumber);
    case 'money':
      return entities.some((e) => e.kind === 'money' && newValue(e.text)) || tokens.some((t, i) => newNumber(t) && isCurrencyNear(tokens, i, lexicon));
    case 'age':
      return tokens.some((t, i) => newNumber(t) && isAge(tokens, i));
    case 'time':
      return (
        entities.some((e) => (e.kind === 'date' || e.kind === 'time') && newValue(e.text)) ||
        tokens.some((t, i) => !asked.has(t.text.toLowerCase()) && isTimeWord(tokens, i, lexicon))
      );
    case 'duration':
      // "How long" asks for a span of time or a length: "three years", "14 miles".
      return entities.some((e) => (e.kind === 'duration' || e.kind === 'date') && newValue(e.text)) || tokens.some((t, i) => newNumber(t) && (isTimeWord(tokens, i + 1, lexicon) || tokens[i + 1]?.pos === 'NOUN'));
    case 'person':
      return sentence.people.some((name) => newValue(name));
    case 'place':
      return sentence.places.some((name) => newValue(name)) || sentence.analysis.names.some((n, _, all) => newValue(n.text) && tokens[n.firstToken - 1]?.pos === 'ADP' && all.length > 0 && input.model.nameKind(n.text) !== 'person');
    case 'name':
      return namesOf(input, sentence, newValue).length > 0;
    case 'reason':
      return tokens.some((t) => CAUSAL.has(t.lemma) && !asked.has(t.lemma)) || sentence.termSet.has('becaus');
    case 'quote':
      return sentence.quoted || sentence.speaker !== undefined;
    case 'manner':
    case 'definition':
    case 'yesno':
    case 'other':
      return true;
  }
}

function isCurrencyNear(tokens: readonly TextToken[], i: number, lexicon: Lexicon): boolean {
  const before = tokens[i - 1];
  if (before !== undefined && before.pos === 'SYM') return true;
  for (let j = i + 1; j < Math.min(tokens.length, i + 3); j += 1) {
    const t = tokens[j]!;
    if (t.pos === 'NOUN' && lexicon.classes(t.lemma, 'noun', 1).has('noun.quantity')) return true;
  }
  return false;
}

/** "31-year-old", "Maksym, 22,", "aged 61", "68 years old". */
function isAge(tokens: readonly TextToken[], i: number): boolean {
  const t = tokens[i]!;
  if (!/^\d{1,3}$/.test(t.text)) return false;
  const a = tokens[i + 1];
  const b = tokens[i + 2];
  const c = tokens[i + 3];
  if (a?.text === '-' && b?.lemma === 'year' && c?.text === '-') return true;
  if (a?.lemma === 'year' && b?.lemma === 'old') return true;
  const before = tokens[i - 1];
  if (before?.text === ',' && tokens[i - 2]?.pos === 'PROPN' && (a?.text === ',' || a === undefined || a.pos === 'PUNCT')) return true;
  if (before?.lemma === 'age' || before?.lemma === 'aged') return true;
  return false;
}

/** A year ("2022"), or a word whose first sense is a time ("December", "spring", "Tuesday", "month"). */
function isTimeWord(tokens: readonly TextToken[], i: number, lexicon: Lexicon): boolean {
  const t = tokens[i];
  if (t === undefined) return false;
  if (t.pos === 'NUM' && /^(?:1[89]|20)\d\d$/.test(t.text)) return true;
  if (t.pos !== 'NOUN' && t.pos !== 'PROPN') return false;
  return lexicon.classes(t.lemma, 'noun', 1).has('noun.time');
}

/** Words that may stand between a noun and its name: "a company, Acme", "a program called Essential Air Service". */
const NAMING = new Set([',', 'call', 'name', 'know', 'as', 'dub', ':', '(', '—', '–']);
/** What may stand between a name and the noun after it in apposition ("Tom Hale, 61, a council member"). */
const BETWEEN = new Set([',', '—', '–', '(', ')']);
const APPOSITION_POS = new Set(['DET', 'NUM', 'ADJ']);

/**
 * What answers "What is the name of the X?": proper names in the sentence the question does not hold (dates and
 * times left out: "In January" names no company). When the sentence mentions the X itself, only a name that is
 * the X's own counts: one that holds the word ("Cutler County Memorial Hospital"), stands before it ("the Sable
 * River dam", "Tom Hale, 61, a council member"), or follows it in apposition ("her husband, Tom", "a program
 * called Essential Air Service");
 * "a contractor hauled the limbs" with a city named elsewhere in the sentence does not name the contractor.
 */
export function namesOf(
  input: { readonly question: QuestionModel; readonly model: ArticleModel; readonly lexicon: Lexicon },
  sentence: SentenceModel,
  fresh: (text: string) => boolean,
): string[] {
  const { tokens, entities } = sentence.analysis;
  const focus = input.question.focus;
  const dates = entities.filter((e) => e.kind === 'date' || e.kind === 'time');
  // A capital that only opens the sentence ("Work resumed ...") is a dictionary word, unless the article knows it as a name.
  const opener = (n: NameSpan): boolean =>
    n.firstToken === 0 && n.lastToken === 0 && input.model.nameKind(n.text) === 'other' && isDictionaryWord(input.lexicon, tokens[0]!.lemma);
  const names = sentence.analysis.names.filter((n) => fresh(n.text) && !opener(n) && !dates.some((d) => d.start <= n.start && n.end <= d.end));
  const at = focus === undefined ? [] : tokens.flatMap((t, i) => (t.lemma === focus || t.text.toLowerCase() === focus ? [i] : []));
  if (at.length === 0) return names.map((n) => n.text);
  const own = (n: NameSpan): boolean =>
    at.some((f) => {
      if (n.firstToken <= f && f <= n.lastToken) return true;
      if (n.lastToken < f) {
        // "the Sable River dam", "Tom Hale, 61, a council member".
        let i = f - 1;
        while (i > n.lastToken && i >= f - 5 && (BETWEEN.has(tokens[i]!.text) || APPOSITION_POS.has(tokens[i]!.pos))) i -= 1;
        return i === n.lastToken;
      }
      let i = f + 1;
      while (i < n.firstToken && i <= f + 3 && (NAMING.has(tokens[i]!.lemma) || NAMING.has(tokens[i]!.text) || tokens[i]!.pos === 'DET')) i += 1;
      return i === n.firstToken;
    });
  return names.filter(own).map((n) => n.text);
}
