import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { loadCorpus } from '../index/load-corpus.js';

/**
 * `npm run ingest [-- --json]`: shows how the corpus is read: each article's headline, sections and
 * numbered paragraphs (¶N), so an editor can check what readers will be able to cite.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const config = loadConfig();
  const articles = await loadCorpus(config.corpusDir);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(articles, null, 2)}\n`);
    return;
  }
  for (const article of articles) {
    process.stdout.write(`# ${article.headline}\n`);
    process.stdout.write(`slug: ${article.slug}  dateline: ${article.dateline ?? '-'}  authors: ${article.authors.join(', ') || '-'}\n`);
    for (const p of article.paragraphs) {
      process.stdout.write(`¶${p.number} ${p.kind === 'caption' ? '[caption] ' : ''}${p.text}\n`);
    }
    process.stdout.write('\n');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error)}\n`);
  process.exitCode = 1;
});
