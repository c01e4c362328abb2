/**
 * Reads and writes the ¶ markers of one answer sentence. Models write markers in several ways; all of
 * these are read: `[¶12]`, `[¶12, ¶43]`, `[¶12][¶43]`, `[12]`, `(¶12)` and a bare `¶12`. They are
 * written back in the one form the product uses: `[¶12] [¶43]`, before a final full stop and after a
 * closing quotation mark (as `formatCitedSentence` places them).
 */
export interface MarkedSentence {
  /** The sentence with every marker removed and the spacing around them repaired. */
  readonly body: string;
  /** The paragraph numbers cited, in order of appearance, without repeats. */
  readonly numbers: readonly number[];
}

const LIST = String.raw`¶?\s*\d{1,4}(?:\s*[,;]\s*¶?\s*\d{1,4})*`;
const MARKER = new RegExp(String.raw`\s*(?:\[\s*${LIST}\s*\]|\(\s*¶\s*\d{1,4}(?:\s*[,;]\s*¶?\s*\d{1,4})*\s*\)|¶\s*\d{1,4})`, 'gu');

export function extractMarkers(sentence: string): MarkedSentence {
  const numbers: number[] = [];
  const body = sentence
    .replace(MARKER, (marker) => {
      for (const digits of marker.match(/\d+/g) ?? []) {
        const n = Number(digits);
        if (!numbers.includes(n)) numbers.push(n);
      }
      return '';
    })
    .replace(/\s+([.,;:!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return { body, numbers };
}

/** The sentence with its markers: "... in Kursk [¶43]." / `... point." [¶39]` / "... is it? [¶4]". */
export function placeMarkers(body: string, numbers: readonly number[]): string {
  if (numbers.length === 0) return body;
  const markers = numbers.map((n) => `[¶${n}]`).join(' ');
  if (/[^.]\.$/.test(body)) return `${body.slice(0, -1)} ${markers}.`;
  return `${body} ${markers}`;
}
