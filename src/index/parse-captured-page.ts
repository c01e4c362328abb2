import type { Article, Paragraph } from './article.js';

/**
 * Turns the text of a news page as captured from the web (site chrome, doubled photo captions,
 * photographer credits, author bios) into an `Article`.
 *
 * The page is read as blocks separated by blank lines. Before the headline, blocks of player and
 * station chrome are dropped. After it: a block holding a photo credit line is a photo (its caption
 * kept once, the credit kept as metadata); a short single line that does not end a sentence is a
 * section heading; "X contributed reporting" lines are credits; everything from the copyright line on
 * (author bios, bylines) is dropped, the author names kept. Every other line is a body paragraph.
 *
 * Pure: no I/O. `loadArticle` adds the file handling and errors.
 */
export interface ParsedPage {
  readonly headline: string | undefined;
  readonly dateline: string | undefined;
  /** The publication date printed on the page ("June 20, 2025", "Updated June 20, 2025 at 5:00 AM ET"), as `2025-06-20`. */
  readonly published: string | undefined;
  readonly authors: string[];
  readonly credits: string[];
  readonly sections: string[];
  readonly paragraphs: Paragraph[];
}

interface Line {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Lines that are never article content, wherever they appear. */
const CHROME_LINE_PATTERNS: readonly RegExp[] = [
  /^©\s*\d{4}\b.{0,40}$/,
  /^(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\s+(?:\d{1,2}:)?\d{1,2}:\d{2})*$/, // audio player timestamps "0:00 0:00"
  /^play live radio$/i,
  /^next up:?$/i,
  /^available on air stations$/i,
  /^(?:listen|listen live|donate|sign in|subscribe|share|facebook|twitter|email|close|menu|search)\b.{0,12}$/i,
  /^(?:hide|toggle) caption$/i,
];

const COPYRIGHT_LINE = /^(?:copyright|©)\s*(?:©\s*)?\d{4}\b/i;
/** "Anton Shtuka for NPR", "Anton Shtuka for NPR /", "Getty Images", "AP Photo/Jane Doe". */
const CREDIT_LINE =
  /^(?:[A-Z][\p{L}.'’-]*(?:\s+[A-Z][\p{L}.'’-]*){0,4}\s+for\s+[A-Z][\p{L}&.'’ -]{1,40}|(?:AP|AFP|Reuters|Getty Images|AP Photo)(?:\s*\/\s*[\p{L}.' -]+)?|[\p{L}.' -]{2,60}\/(?:Getty Images|AP|AFP|Reuters))\s*\/?$/u;
const CONTRIBUTOR_LINE = /\bcontributed (?:reporting|to this (?:report|story))\b/i;
/** "SUMY, Ukraine — During ..." */
const DATELINE = /^([A-Z][A-Z.'’ -]+(?:,\s+[A-Z][\p{L}.'’ -]+)?)\s+[—–]\s+/u;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/**
 * A line that only gives the publication date, as news pages print it: "June 20, 2025", "Jun. 20, 2025",
 * "Updated June 20, 2025 at 5:00 AM ET", "Published June 20, 20255:00 AM ET" (time glued on by the
 * capture), "2025-06-20". Never article content, so it is read as metadata and dropped like chrome.
 */
const DATE_LINE =
  /^(?:(?:updated|published|posted)\s+)?(?:(?:(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),\s+(\d{4}))|(\d{4})-(\d{2})-(\d{2}))(?:\s*(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?$/i;
const BIO_LINE = /^([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,3})\s+(?:is|was)\s+(?:a|an|the|NPR's)\b/u;
const BARE_NAME_LINE = /^[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+){1,3}$/u;
const SENTENCE_END = /[.!?:;,…]$/;
const MAX_HEADING_WORDS = 12;

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  for (const raw of source.split('\n')) {
    const withoutCr = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const leading = withoutCr.length - withoutCr.trimStart().length;
    const text = withoutCr.trim();
    lines.push({ text, start: offset + leading, end: offset + leading + text.length });
    offset += raw.length + 1;
  }
  return lines;
}

function splitBlocks(lines: Line[]): Line[][] {
  const blocks: Line[][] = [];
  let current: Line[] = [];
  for (const line of lines) {
    if (line.text === '') {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}

function isChrome(text: string): boolean {
  return CHROME_LINE_PATTERNS.some((pattern) => pattern.test(text)) || DATE_LINE.test(text);
}

/** `2025-06-20` from a date line, or undefined when it names no real day. */
function parseDateLine(text: string): string | undefined {
  const match = DATE_LINE.exec(text);
  if (match === null) return undefined;
  const month = match[1] === undefined ? Number(match[5]) : MONTHS.indexOf(match[1].toLowerCase()) + 1;
  const day = Number(match[2] ?? match[6]);
  const year = Number(match[3] ?? match[4]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function looksLikeHeading(text: string): boolean {
  const bare = text.replace(/["“”'’\s]+$/u, '').replace(/^["“”'‘\s]+/u, '');
  return wordCount(bare) <= MAX_HEADING_WORDS && !SENTENCE_END.test(bare) && !CREDIT_LINE.test(text);
}

export function parseCapturedPage(source: string, slug: string): ParsedPage {
  const blocks = splitBlocks(splitLines(source));
  const result: ParsedPage = {
    headline: undefined,
    dateline: undefined,
    published: undefined,
    authors: [],
    credits: [],
    sections: [],
    paragraphs: [],
  };
  let headline: string | undefined;
  let dateline: string | undefined;
  let published: string | undefined;
  let section: string | undefined;
  let afterCopyright = false;

  const addParagraph = (line: Line, kind: Paragraph['kind'], credit?: string): void => {
    const number = result.paragraphs.length + 1;
    const id = `p${number}`;
    result.paragraphs.push({
      id,
      number,
      article: slug,
      ref: `${slug}#${id}`,
      kind,
      section,
      text: line.text,
      span: [line.start, line.end],
      ...(credit === undefined ? {} : { credit }),
    });
  };

  for (const block of blocks) {
    if (!afterCopyright) for (const line of block) published ??= parseDateLine(line.text);
    const lines = block.filter((line) => !isChrome(line.text));
    if (lines.length === 0) continue;

    if (headline === undefined) {
      // Chrome blocks before the headline (station names, player labels) mix chrome lines with short labels.
      if (lines.length !== block.length && !block.every((line) => DATE_LINE.test(line.text) || lines.includes(line))) continue;
      const first = lines[0]!;
      if (lines.length > 1 || wordCount(first.text) < 4 || COPYRIGHT_LINE.test(first.text)) continue;
      headline = first.text;
      continue;
    }

    if (afterCopyright) {
      collectAuthors(lines, result.authors);
      continue;
    }
    const copyrightAt = lines.findIndex((line) => COPYRIGHT_LINE.test(line.text));
    const content = copyrightAt === -1 ? lines : lines.slice(0, copyrightAt);
    if (copyrightAt !== -1) {
      afterCopyright = true;
      collectAuthors(lines.slice(copyrightAt + 1), result.authors);
    }

    const creditLines = content.filter((line) => CREDIT_LINE.test(line.text));
    if (creditLines.length > 0) {
      // A photo: the caption is usually captured twice around the credit line; keep it once.
      const credit = creditLines[0]!.text.replace(/\s*\/$/, '');
      const seen = new Set<string>();
      for (const line of content) {
        if (CREDIT_LINE.test(line.text) || seen.has(line.text)) continue;
        seen.add(line.text);
        addParagraph(line, 'caption', credit);
      }
      continue;
    }

    if (content.length === 1 && looksLikeHeading(content[0]!.text)) {
      section = content[0]!.text;
      result.sections.push(section);
      continue;
    }

    let previous: string | undefined;
    for (const line of content) {
      if (line.text === previous) continue; // a doubled line in the capture
      previous = line.text;
      if (CONTRIBUTOR_LINE.test(line.text)) {
        result.credits.push(line.text);
        continue;
      }
      if (dateline === undefined && result.paragraphs.every((p) => p.kind === 'caption')) {
        dateline = DATELINE.exec(line.text)?.[1]?.trim();
      }
      addParagraph(line, 'paragraph');
    }
  }

  return { ...result, headline, dateline, published };
}

function collectAuthors(lines: readonly Line[], authors: string[]): void {
  for (const line of lines) {
    const name = BIO_LINE.exec(line.text)?.[1] ?? (BARE_NAME_LINE.test(line.text) ? line.text : undefined);
    if (name !== undefined && !authors.includes(name)) authors.push(name);
  }
}

/** Convenience for callers that have a parsed page and file facts. */
export function toArticle(parsed: ParsedPage, facts: { slug: string; source: string; sourceHash: string }): Article {
  return {
    slug: facts.slug,
    headline: parsed.headline ?? facts.slug,
    dateline: parsed.dateline,
    ...(parsed.published === undefined ? {} : { published: parsed.published, publishedFrom: 'page' as const }),
    authors: parsed.authors,
    credits: parsed.credits,
    sections: parsed.sections,
    paragraphs: parsed.paragraphs,
    source: facts.source,
    sourceHash: facts.sourceHash,
  };
}
