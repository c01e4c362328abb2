import { loadCorpus } from '../src/index/load-corpus.js';
import { openParagraphIndex } from '../src/index/paragraph-index.js';
import { silentLogger } from '../src/logger.js';
import { RecordedEmbeddings } from './recorded-embeddings.js';

/**
 * The process the kill test SIGKILLs: opens the index under a model id that differs from the saved
 * generation's, which forces a rebuild and a save of a new generation, and reports over IPC when it
 * starts (`start`) and when the save is complete (`done`). Vectors are replayed, so the save itself is
 * most of the run.
 */
async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as { corpusDir: string; dataDir: string; vectorsFile: string; modelId: string };
  const [articles, embeddings] = await Promise.all([loadCorpus(args.corpusDir), RecordedEmbeddings.load(args.vectorsFile)]);
  process.send?.({ type: 'start' });
  await openParagraphIndex({ dataDir: args.dataDir, articles, embeddings, modelId: args.modelId, ef: 64, logger: silentLogger });
  process.send?.({ type: 'done' }, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`kill-test-child: ${String(error)}\n`);
  process.exit(1);
});
