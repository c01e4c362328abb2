/**
 * Collects streamed answer text into whole sentences, so each can be verified before a reader sees it.
 * A sentence is released once it is certainly over: its end punctuation, closing quotation marks and
 * citation markers have arrived ("... in Kursk [¶43]." or "... point." [¶39]) and the next sentence has
 * begun, or the stream has ended. A boundary inside open quotation marks does not count, so a quote of
 * several sentences stays one sentence with its marker; nor does the full stop of "Capt." or an initial.
 *
 * Each released sentence keeps the pieces it arrived in (cut at the sentence's edges), so an unchanged
 * sentence can be passed on with the same granularity as the model's tokens.
 */
export interface GatedSentence {
  /** The sentence, trimmed. */
  readonly text: string;
  /** The pieces it arrived in, trimmed at both ends; they concatenate to `text`. */
  readonly pieces: readonly string[];
}

export interface SentenceGate {
  /** Adds a piece of text; returns the sentences it completed, in order. */
  push(piece: string): GatedSentence[];
  /** Ends the stream; returns the last sentence(s), if any text is left. */
  flush(): GatedSentence[];
}

/**
 * End punctuation, closing quotes/brackets, then any markers (and a full stop written after them), then
 * space, then what can open a sentence. A line break alone also ends a sentence.
 */
const BOUNDARY =
  /([.!?…]+["”’')\]]*(?:\s*(?:\[[^\]\n]{1,40}\]|\(¶[^)\n]{1,40}\)))*[.!?]?)(\s+)(?=["“‘(]?[\p{Lu}\p{N}])|(\n+)(?=\S)/gu;

const ABBREVIATIONS = new Set([
  'capt', 'gen', 'col', 'lt', 'sgt', 'maj', 'adm', 'cmdr', 'cpl', 'pvt', 'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep',
  'gov', 'pres', 'st', 'jr', 'sr', 'no', 'vs', 'etc', 'inc', 'corp', 'co', 'ltd', 'jan', 'feb', 'mar', 'apr', 'aug',
  'sept', 'sep', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'u.n', 'e.g', 'i.e', 'a.m', 'p.m', 'approx', 'dept', 'mt', 'ft',
]);

/** Past this many held characters, open quotation marks no longer block a boundary (an unclosed quote). */
const MAX_QUOTE_SPAN = 1200;

export function createSentenceGate(): SentenceGate {
  let text = '';
  let pieces: string[] = [];

  const take = (end: number, resume: number): GatedSentence | undefined => {
    const taken: string[] = [];
    let consumed = 0;
    const rest: string[] = [];
    for (const piece of pieces) {
      if (consumed >= resume) rest.push(piece);
      else if (consumed + piece.length <= resume) taken.push(piece);
      else {
        taken.push(piece.slice(0, resume - consumed));
        rest.push(piece.slice(resume - consumed));
      }
      consumed += piece.length;
    }
    const raw = text.slice(0, end);
    text = text.slice(resume);
    pieces = rest;
    return trimmed(raw, taken);
  };

  return {
    push(piece: string): GatedSentence[] {
      if (piece === '') return [];
      text += piece;
      pieces.push(piece);
      const released: GatedSentence[] = [];
      let boundary = findBoundary(text);
      while (boundary !== undefined) {
        const sentence = take(boundary.end, boundary.resume);
        if (sentence !== undefined) released.push(sentence);
        boundary = findBoundary(text);
      }
      return released;
    },
    flush(): GatedSentence[] {
      const sentence = trimmed(text, pieces);
      text = '';
      pieces = [];
      return sentence === undefined ? [] : [sentence];
    },
  };
}

/** The first confirmed boundary: `end` closes the sentence, `resume` is where the next one starts. */
function findBoundary(text: string): { end: number; resume: number } | undefined {
  for (const match of text.matchAll(BOUNDARY)) {
    const at = match.index;
    if (match[3] !== undefined) return { end: at, resume: at + match[3].length };
    const end = at + match[1]!.length;
    if (match[1] === '.' && isAbbreviation(text, at)) continue;
    if (insideQuote(text.slice(0, end)) && end < MAX_QUOTE_SPAN) continue;
    return { end, resume: end + match[2]!.length };
  }
  return undefined;
}

/** Whether quotation marks opened before `prefix` ends are still open there. */
function insideQuote(prefix: string): boolean {
  const straight = (prefix.match(/"/g) ?? []).length;
  const opened = (prefix.match(/“/g) ?? []).length;
  const closed = (prefix.match(/”/g) ?? []).length;
  return straight % 2 === 1 || opened > closed;
}

function isAbbreviation(text: string, dotAt: number): boolean {
  const before = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, dotAt - 12), dotAt))?.[1] ?? '';
  if (before.length === 1 && /\p{Lu}/u.test(before)) return true; // an initial: "John F. Kennedy"
  return ABBREVIATIONS.has(before.toLowerCase());
}

function trimmed(raw: string, pieces: readonly string[]): GatedSentence | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  // Cut the pieces to the trimmed span: drop leading/trailing whitespace and anything past `raw`.
  const start = raw.length - raw.trimStart().length;
  const end = start + text.length;
  const kept: string[] = [];
  let offset = 0;
  for (const piece of pieces) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + piece.length);
    if (to > from) kept.push(piece.slice(from - offset, to - offset));
    offset += piece.length;
  }
  return { text, pieces: kept };
}
