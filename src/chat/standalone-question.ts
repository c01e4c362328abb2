import type { TextAnalyzer } from '../nlp/text-analyzer.js';
import type { ConversationTurn } from './answer-types.js';

/*
 * Makes a follow-up question standalone for retrieval, without an LLM.
 *
 * - A question that names its own subject and points back at nothing stands alone.
 * - "he/she/him/his/her" is replaced by the person the conversation is about: the first name in the
 *   previous turn's standalone question, else in the previous answer's quote ("What happened to the
 *   soldier he wounded?" after "Who is Bulat?" becomes "What happened to the soldier Bulat wounded?").
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
  const standaloneQuestion: StandaloneQuestion = (question, history) => resolve(question, history, namesIn, standaloneQuestion);
  return standaloneQuestion;
}

function resolve(
  question: string,
  history: readonly ConversationTurn[],
  namesIn: (text: string) => string[],
  standaloneQuestion: StandaloneQuestion,
): string {
  if (history.length === 0) return question;
  const previous = history.at(-1)!;
  const previousStandalone = stripContext(standaloneQuestion(previous.question, history.slice(0, -1)));

  const ownNames = namesIn(question);
  const wordCount = question.trim().split(/\s+/).length;
  if (!REFERS_BACK.test(question) && (wordCount > 4 || ownNames.length > 0)) return question;

  const pronoun = PERSON_PRONOUN.exec(question);
  if (pronoun !== null) {
    const subject =
      namesIn(previousStandalone)[0] ?? namesIn(previous.answer.citations[0]?.quote ?? '').find((n) => n.split(' ').length > 1);
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
