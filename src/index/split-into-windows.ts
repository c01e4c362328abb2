/**
 * The local model's window: the longest text (in UTF-16 code units, as `String#length`) given to the
 * Universal Sentence Encoder in one piece. About 500 tokens of English prose and at most ~2,000 tokens of
 * anything, so one window is one model call of bounded cost, and its token count costs well under a
 * millisecond. News paragraphs are far shorter (the NPR article's longest is under 1,000 characters), so
 * they are embedded whole, exactly as before windows existed. Longer texts are embedded window by window
 * (see `LocalEmbeddings`); `MAX_QUESTION_CHARS` may not exceed it, so a question is always one window.
 */
export const MODEL_WINDOW_CHARS = 2000;

/**
 * Splits `text` into consecutive windows of at most `maxChars` characters, without losing or reordering
 * anything: the windows joined with single spaces give back `text` with whitespace at the cuts collapsed.
 * A text that fits is returned whole (one window, the same string). A cut is made after the last sentence
 * end (`.`, `!`, `?`, `…`, possibly followed by a closing quote or bracket) in the window, else at its last
 * space, else (one enormous word) at `maxChars`, never inside a surrogate pair. Linear in `text.length`.
 */
export function splitIntoWindows(text: string, maxChars: number = MODEL_WINDOW_CHARS): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 2) throw new RangeError(`maxChars must be a whole number of at least 2, got ${maxChars}`);
  if (text.length <= maxChars) return [text];
  const windows: string[] = [];
  let start = 0;
  while (start < text.length) {
    while (start < text.length && isSpace(text.charCodeAt(start))) start += 1;
    if (start >= text.length) break;
    if (text.length - start <= maxChars) {
      windows.push(text.slice(start).trimEnd());
      break;
    }
    const end = cutPoint(text, start, start + maxChars);
    const window = text.slice(start, end).trimEnd();
    if (window !== '') windows.push(window);
    start = end;
  }
  return windows;
}

/** Where to end a window that may reach `limit` (exclusive): after a sentence end, else at a space, else `limit`. */
function cutPoint(text: string, start: number, limit: number): number {
  // A sentence end counts only in the window's second half: a cut at a space beats a tiny window.
  const half = start + (limit - start) / 2;
  let lastSpace = -1;
  for (let i = limit; i > start; i -= 1) {
    if (!isSpace(text.charCodeAt(i))) continue;
    if (i >= half) {
      let j = i - 1;
      while (j > start && isClosing(text.charCodeAt(j))) j -= 1;
      if (isSentenceEnd(text.charCodeAt(j))) return i;
    }
    if (lastSpace < 0) lastSpace = i;
    if (i < half) break;
  }
  if (lastSpace > start) return lastSpace;
  // One enormous word: cut at the limit, but never between the halves of a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0xa0;
}

function isClosing(code: number): boolean {
  // " ' ) ] ” ’
  return code === 0x22 || code === 0x27 || code === 0x29 || code === 0x5d || code === 0x201d || code === 0x2019;
}

function isSentenceEnd(code: number): boolean {
  return code === 0x2e || code === 0x21 || code === 0x3f || code === 0x2026;
}
