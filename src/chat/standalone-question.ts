import type { ConversationTurn } from './answer-types.js';

/**
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
const NAME = /\b\p{Lu}[\p{Ll}'’-]*(?:\s+\p{Lu}[\p{Ll}'’-]*)*/gu;
const NOT_NAMES = new Set([
  'Who', 'What', 'When', 'Where', 'Why', 'How', 'Which', 'Did', 'Does', 'Do', 'Is', 'Are', 'Was', 'Were', 'Can', 'Could',
  'Would', 'Will', 'Has', 'Have', 'Had', 'The', 'A', 'An', 'And', 'But', 'So', 'In', 'On', 'At', 'Tell', 'According', 'I',
  'He', 'She', 'They', 'It', 'We', 'Our', 'Some', 'By', 'For', 'From', 'Also', 'That', 'This', 'There', 'If', 'Capt', 'Gen',
  'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
  'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'Early', 'Late', 'Last', 'One', 'Two',
]);

export function standaloneQuestion(question: string, history: readonly ConversationTurn[]): string {
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

/** Capitalised names in a text, first one first; question words, months and sentence openers left out. */
function namesIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(NAME)) {
    const words = match[0]
      .split(/\s+/)
      .map((w) => w.replace(/['’]s$/, ''))
      .filter((w) => !NOT_NAMES.has(w) && !/-\p{Ll}/u.test(w));
    if (words.length === 0) continue;
    const name = words.join(' ');
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
