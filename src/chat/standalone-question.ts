import type { TextAnalyzer } from '../nlp/text-analyzer.js';
import type { ConversationTurn } from './answer-types.js';
import type { NameKind } from './pipeline/name-registry.js';

/*
 * Makes a follow-up question standalone for retrieval, without an LLM.
 *
 * - A question that names its own subject and points back at nothing stands alone.
 * - "he/she/him/his/her" is replaced by the person the conversation is about: the first person named in
 *   the previous turn's standalone question, else the first person named in the previous answer's quote
 *   ("What happened to the soldier he wounded?" after "Who is Bulat?" becomes "What happened to the soldier
 *   Bulat wounded?"; "What did he say?" after "Who runs the transit agency?" names the director the answer
 *   quoted). With `nameKind`, a name is a person when the cited article's name registry says so, so "his"
 *   never becomes a company; without it, only a multi-word name from the quote counts.
 * - Anything else that points back ("it", "that", "they", "what about ...", a very short question) gets
 *   the previous standalone question appended in brackets, so retrieval sees what "that" was.
 * Earlier turns are resolved first, so a subject carries through a whole conversation.
 */
const PERSON_PRONOUN = /\b(he|she|him|his|her|hers|himself|herself)\b/i;
const REFERS_BACK =
  /\b(?:he|she|him|her|his|hers|himself|herself|they|them|their|theirs|it|its|that|this|those|these|there|then|same)\b|^(?:and|but|so|also|what about|how about|what else)\b/i;
/** See the rules above; `createStandaloneQuestion` binds them to the engine's text analyzer. */
export interface StandaloneQuestionOptions {
  /** Names are the proper-noun runs of its parse (wink POS tags), not capitalised words. */
  readonly analyzer: TextAnalyzer;
  /** What the article with this slug knows a name as (its name registry); without it, names are not told apart. */
  readonly nameKind?: (name: string, slug: string) => NameKind;
}

export type StandaloneQuestion = (question: string, history: readonly ConversationTurn[]) => string;

/** Texts whose names stay cached: a conversation re-reads its earlier turns on every follow-up. */
const NAME_CACHE_SIZE = 2000;

export function createStandaloneQuestion(options: StandaloneQuestionOptions): StandaloneQuestion {
  const cache = new Map<string, string[]>();
  const namesIn = (text: string): string[] => {
    const cached = cache.get(text);
    if (cached !== undefined) return cached;
    const names: string[] = [];
    for (const span of options.analyzer.analyze(text).names) {
      const name = span.text.replace(/['’]s$/, '');
      if (!names.includes(name)) names.push(name);
    }
    if (cache.size >= NAME_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(text, names);
    return names;
  };
  const standaloneQuestion: StandaloneQuestion = (question, history) => resolve(question, history, { namesIn, nameKind: options.nameKind }, standaloneQuestion);
  return standaloneQuestion;
}

interface NameTools {
  readonly namesIn: (text: string) => string[];
  readonly nameKind: StandaloneQuestionOptions['nameKind'];
}

/** The person a "he" or "she" in the question most likely means, from the turn before it. */
function subjectOf(previous: ConversationTurn, previousStandalone: string, tools: NameTools): string | undefined {
  const { namesIn, nameKind } = tools;
  const citation = previous.answer.citations[0];
  const asked = namesIn(previousStandalone);
  const quoted = namesIn(citation?.quote ?? '');
  const slug = citation?.article;
  const kind = (name: string): NameKind | undefined => (nameKind === undefined || slug === undefined ? undefined : nameKind(name, slug));
  // A known person first, in the question, then in the answer (a full name before a single word: "Dorrance
  // said" makes a company look like a person); else, as without a registry, the question's first name that
  // is not a place, or a full name from the answer.
  const quotedPerson = (n: string): boolean => kind(n) === 'person' && !asked.includes(n);
  const fullName = (n: string): boolean => n.includes(' ');
  return (
    asked.find((n) => kind(n) === 'person') ??
    quoted.find((n) => fullName(n) && quotedPerson(n)) ??
    quoted.find(quotedPerson) ??
    asked.find((n) => kind(n) !== 'place') ??
    quoted.find(fullName)
  );
}

function resolve(
  question: string,
  history: readonly ConversationTurn[],
  tools: NameTools,
  standaloneQuestion: StandaloneQuestion,
): string {
  const { namesIn } = tools;
  if (history.length === 0) return question;
  const previous = history.at(-1)!;
  const previousStandalone = stripContext(standaloneQuestion(previous.question, history.slice(0, -1)));

  const ownNames = namesIn(question);
  const wordCount = question.trim().split(/\s+/).length;
  if (!REFERS_BACK.test(question) && (wordCount > 4 || ownNames.length > 0)) return question;

  const pronoun = PERSON_PRONOUN.exec(question);
  if (pronoun !== null) {
    const subject = subjectOf(previous, previousStandalone, tools);
    if (subject !== undefined && !ownNames.includes(subject)) {
      const possessive = /^(?:his|her|hers)$/i.test(pronoun[1]!);
      const reflexive = /self$/i.test(pronoun[1]!);
      const replacement = reflexive ? subject : possessive ? `${subject}'s` : subject;
      return `${question.slice(0, pronoun.index)}${replacement}${question.slice(pronoun.index + pronoun[1]!.length)}`;
    }
    if (subject !== undefined) return question;
  }
  return `${question} (${previousStandalone})`;
}

/** A standalone question without the bracketed context it carried. */
function stripContext(question: string): string {
  return question.replace(/\s*\([^()]*\)\s*$/, '');
}
