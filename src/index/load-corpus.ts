import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from '../errors.js';
import type { Article } from './article.js';
import { loadArticle } from './load-article.js';

/**
 * Reads every `.txt` file of a corpus directory as one article, in file-name order.
 * Fails on the first bad file, naming it: a newsroom should fix a broken capture, not lose it silently.
 */
export async function loadCorpus(dir: string): Promise<Article[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.txt')).sort();
  } catch (cause) {
    throw new IngestError('INGEST_UNREADABLE', `${dir}: cannot read the corpus directory (${(cause as Error).message})`, {
      cause,
    });
  }
  if (names.length === 0) {
    throw new IngestError('INGEST_EMPTY_CORPUS', `${dir}: the corpus directory holds no .txt articles`);
  }
  const articles: Article[] = [];
  for (const name of names) articles.push(await loadArticle(path.join(dir, name)));
  return articles;
}
