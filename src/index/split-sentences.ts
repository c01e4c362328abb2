/**
 * Splits a paragraph into sentences, keeping exact offsets so a quote can be highlighted in the page.
 * Quoted speech stays attached to its attribution when the attribution continues the sentence
 * (`"That," he says, "is a fact."` is one sentence); abbreviations such as "Capt." or "Gen." and
 * initials do not end a sentence.
 */
export interface Sentence {
  readonly text: string;
  /** Offsets `[start, end)` in the paragraph text. */
  readonly start: number;
  readonly end: number;
}

const ABBREVIATIONS = new Set([
  'capt', 'gen', 'col', 'lt', 'sgt', 'maj', 'adm', 'cmdr', 'cpl', 'pvt', 'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep',
  'gov', 'pres', 'st', 'jr', 'sr', 'no', 'vs', 'etc', 'inc', 'corp', 'co', 'ltd', 'jan', 'feb', 'mar', 'apr', 'aug',
  'sept', 'sep', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'u.n', 'e.g', 'i.e', 'a.m', 'p.m', 'approx', 'dept', 'mt', 'ft',
]);

/** End punctuation, optional closing quotes/brackets, then space and what can open a sentence. */
const BOUNDARY = /([.!?…]+)(["”’')\]]*)(\s+)(?=["“‘'(\[]?[\p{Lu}\p{N}])/gu;

export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const punctuationAt = match.index;
    const end = punctuationAt + match[1]!.length + match[2]!.length;
    if (match[1] === '.' && match[2] === '' && isAbbreviation(text, punctuationAt)) continue;
    pushTrimmed(sentences, text, start, end);
    start = end + match[3]!.length;
  }
  pushTrimmed(sentences, text, start, text.length);
  return sentences;
}

function isAbbreviation(text: string, dotAt: number): boolean {
  const before = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, dotAt - 12), dotAt))?.[1] ?? '';
  if (before.length === 1 && /\p{Lu}/u.test(before)) return true; // an initial: "John F. Kennedy"
  return ABBREVIATIONS.has(before.toLowerCase());
}

function pushTrimmed(sentences: Sentence[], text: string, start: number, end: number): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s += 1;
  while (e > s && /\s/.test(text[e - 1]!)) e -= 1;
  if (e > s) sentences.push({ text: text.slice(s, e), start: s, end: e });
}
