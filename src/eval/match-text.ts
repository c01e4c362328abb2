/**
 * Text matching for evidence passages and answer terms. Both sides are normalised the same way, so a suite
 * written with straight quotes still matches an article with curly ones, and a non-breaking space is a space.
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** True when `text` contains `passage` after normalisation (a plain substring test). */
export function containsPassage(text: string, passage: string): boolean {
  const needle = normalizeForMatch(passage);
  return needle !== '' && normalizeForMatch(text).includes(needle);
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * True when `text` contains `term` as a whole word or phrase: the characters around the match must not be
 * letters or digits, so the term `Ri` does not match inside `Ukrainian`, nor `31` inside `1931`.
 */
export function containsTerm(text: string, term: string): boolean {
  const haystack = normalizeForMatch(text);
  const needle = normalizeForMatch(term);
  if (needle === '') return false;
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    const startsWord = WORD_CHAR.test(needle[0] ?? '');
    const endsWord = WORD_CHAR.test(needle[needle.length - 1] ?? '');
    const leftOk = !startsWord || before === undefined || !WORD_CHAR.test(before);
    const rightOk = !endsWord || after === undefined || !WORD_CHAR.test(after);
    if (leftOk && rightOk) return true;
    from = at + 1;
  }
}
