import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from '../errors.js';
import type { Article } from './article.js';
import { findInvalidUtf8 } from './find-invalid-utf8.js';
import { parseCapturedPage, toArticle } from './parse-captured-page.js';

const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/** The slug of a corpus file: its name without `.txt`, lower-case letters, digits, `-` and `_`. */
export function slugForFile(file: string): string {
  const slug = path.basename(file).replace(/\.txt$/i, '');
  if (!SLUG.test(slug)) {
    throw new IngestError(
      'INGEST_BAD_NAME',
      `${file}: corpus file names become article slugs and must be lower-case letters, digits, "-" or "_" (got "${slug}")`,
    );
  }
  return slug;
}

/**
 * Reads one captured page and turns it into an article.
 * Throws `IngestError` naming the file when it is unreadable, empty, not text, not UTF-8, or holds only
 * site chrome.
 */
export async function loadArticle(file: string): Promise<Article> {
  const slug = slugForFile(file);
  let bytes: Buffer;
  let modified: Date;
  try {
    [bytes, modified] = await Promise.all([readFile(file), stat(file).then((info) => info.mtime)]);
  } catch (cause) {
    throw new IngestError('INGEST_UNREADABLE', `${file}: cannot read the file (${(cause as Error).message})`, { cause });
  }
  const article = parseArticleBytes(bytes, file, slug);
  // No date on the page: the file's modification time is the best "published" there is.
  return article.published === undefined ? { ...article, published: modified.toISOString(), publishedFrom: 'file' } : article;
}

/** The pure half of `loadArticle`, for sources that are already in memory. */
export function parseArticleBytes(bytes: Buffer, file: string, slug: string = slugForFile(file)): Article {
  if (bytes.includes(0)) {
    throw new IngestError('INGEST_NOT_TEXT', `${file}: the file holds binary data (a NUL byte), not a captured page`);
  }
  // Decoding other encodings as UTF-8 would silently turn their accented letters and curly quotes into
  // U+FFFD ("Caf\uFFFD owners"). Guessing the encoding could corrupt a damaged UTF-8 file instead, so the
  // file is refused with where it goes wrong and how to convert it.
  const invalidAt = findInvalidUtf8(bytes);
  if (invalidAt >= 0) throw notUtf8(bytes, file, invalidAt);
  const source = bytes.toString('utf8');
  if (source.trim() === '') {
    throw new IngestError('INGEST_EMPTY', `${file}: the file is empty`);
  }
  const parsed = parseCapturedPage(source, slug);
  if (parsed.headline === undefined || parsed.paragraphs.length === 0) {
    throw new IngestError(
      'INGEST_NO_CONTENT',
      `${file}: no article text found (only site chrome such as player lines, station lists or copyright lines)`,
    );
  }
  const sourceHash = createHash('sha256').update(bytes).digest('hex');
  return toArticle(parsed, { slug, source: file, sourceHash });
}

/** Windows-1252's letters for 0x80..0x9F (where it differs from Latin-1); undefined bytes map to U+FFFD. */
const WINDOWS_1252_HIGH = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ';
/** Bytes Windows-1252 leaves undefined: a file holding them is not Windows-1252 either. */
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function notUtf8(bytes: Buffer, file: string, offset: number): IngestError {
  const hex = `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, '0')}`;
  const around = bytes.subarray(Math.max(0, offset - 24), Math.min(bytes.length, offset + 24));
  const looks1252 = ![...bytes].some((byte) => UNDEFINED_IN_1252.has(byte));
  const hint = looks1252
    ? `it reads as Windows-1252 ("${decodeWindows1252(around).replace(/\s+/g, ' ').trim()}"): save it as UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8`
    : 'save it as UTF-8';
  return new IngestError(
    'INGEST_NOT_UTF8',
    `${file}: byte ${offset} (${hex}) is not valid UTF-8, so the file is in another encoding or damaged; ${hint}`,
  );
}

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
  return text;
}
