import type { ConversationTurn } from './answer-types.js';

/**
 * Makes a follow-up question standalone for retrieval, without an LLM: a follow-up that points back
 * ("he", "they", "that", "what about ...", or a very short question) gets the name it most likely
 * refers to from the previous turn substituted for its first pronoun, and the earlier question's
 * subject appended, so "What happened to the soldier he wounded?" after "Who is Bulat?" retrieves as
 * "What happened to the soldier Bulat wounded? (Bulat)". A question that stands alone is returned as is.
 */
const PRONOUN = /\b(he|she|him|her|his|hers|they|them|their|theirs|it|its)\b/i;
const REFERS_BACK = /\b(?:he|she|him|her|his|they|them|their|it|its|that|this|those|these|there|then)\b|^(?:and|but|so|also|what about|how about|why|what else)\b/i;
const NAME = /\b\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{Ll}'’-]+)*/gu;
const NOT_NAMES = new Set([
  'Who', 'What', 'When', 'Where', 'Why', 'How', 'Which', 'Did', 'Does', 'Do', 'Is', 'Are', 'Was', 'Were', 'Can', 'Could',
  'The', 'A', 'An', 'And', 'But', 'So', 'In', 'On', 'At', 'Tell', 'According', 'I', 'He', 'She', 'They', 'It', 'We', 'Our',
  'Some', 'By', 'For', 'From', 'Also', 'That', 'This', 'There', 'If',
]);

export function standaloneQuestion(question: string, history: readonly ConversationTurn[]): string {
  const previous = history.at(-1);
  if (previous === undefined) return question;
  const words = question.trim().split(/\s+/).length;
  if (!REFERS_BACK.test(question) && words > 4) return question;

  const subject = namesIn(previous.question)[0] ?? namesIn(previous.answer.citations[0]?.quote ?? '')[0];
  if (subject === undefined) return `${question} (${previous.question})`;
  const pronoun = PRONOUN.exec(question);
  if (pronoun === null || namesIn(question).includes(subject)) return `${question} (${subject})`;
  const replacement = /^(?:his|her|their|its|hers|theirs)$/i.test(pronoun[1]!) ? `${subject}'s` : subject;
  const resolved = `${question.slice(0, pronoun.index)}${replacement}${question.slice(pronoun.index + pronoun[1]!.length)}`;
  return `${resolved} (${subject})`;
}

/** Capitalised names in a text, first one first, question words and sentence openers left out. */
function namesIn(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(NAME)) {
    const words = match[0].split(/\s+/).filter((w) => !NOT_NAMES.has(w));
    if (words.length === 0) continue;
    const name = words.join(' ');
    if (!names.includes(name)) names.push(name);
  }
  return names;
}
