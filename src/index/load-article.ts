import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from '../errors.js';
import type { Article } from './article.js';
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
 * Throws `IngestError` naming the file when it is unreadable, empty, not text, or holds only site chrome.
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
