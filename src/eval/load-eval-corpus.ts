import path from 'node:path';
import { pathExists } from '../path-exists.js';
import type { Article } from '../index/article.js';
import { loadCorpus } from '../index/load-corpus.js';

/** Articles written for the evals (relative to the working directory); they are not served by `npm start`. */
export const EVAL_CORPUS_DIR = path.join('evals', 'corpus');

/**
 * The served corpus plus the eval articles: what `npm run eval` and `npm run train` answer over. A slug in both
 * is read once, from the served corpus.
 */
export async function loadEvalCorpus(corpusDir: string, evalCorpusDir: string): Promise<Article[]> {
  const served = await loadCorpus(corpusDir);
  if (!(await pathExists(evalCorpusDir)) || path.resolve(evalCorpusDir) === path.resolve(corpusDir)) return served;
  const slugs = new Set(served.map((a) => a.slug));
  return [...served, ...(await loadCorpus(evalCorpusDir)).filter((a) => !slugs.has(a.slug))];
}
