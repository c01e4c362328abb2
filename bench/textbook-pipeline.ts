import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import type { Article } from '../src/index/article.js';
import { LocalEmbeddings } from '../src/index/local-embeddings.js';
import { summarize, type LatencySummary } from './stats.js';

export interface TextbookResult {
  /** `HNSWLib.fromDocuments` over the article's paragraphs. */
  readonly buildMs: number;
  readonly queries: number;
  readonly queriesPerSecond: number;
  readonly latency: LatencySummary;
}

/**
 * The textbook pipeline, as the LangChain docs show it: `HNSWLib.fromDocuments` over one document per
 * paragraph, then `similaritySearch(question, k)` one request at a time, with the same local model
 * (`LocalEmbeddings`) run on the calling thread, no worker, no cache. It retrieves only (no answer
 * text), so it does less work per question than the product; it is the baseline the issue compares to.
 */
export async function runTextbookPipeline(options: {
  readonly article: Article;
  readonly questions: readonly string[];
  readonly k?: number;
}): Promise<TextbookResult> {
  const embeddings = new LocalEmbeddings({ workers: 0 });
  await embeddings.ready();
  let started = performance.now();
  const store = await HNSWLib.fromDocuments(
    options.article.paragraphs.map((p) => new Document({ pageContent: p.text, metadata: { id: p.id } })),
    embeddings,
  );
  const buildMs = performance.now() - started;
  const latencies: number[] = [];
  started = performance.now();
  for (const question of options.questions) {
    const t = performance.now();
    await store.similaritySearch(question, options.k ?? 8);
    latencies.push(performance.now() - t);
  }
  const elapsed = performance.now() - started;
  await embeddings.close();
  return {
    buildMs: Math.round(buildMs),
    queries: options.questions.length,
    queriesPerSecond: Math.round((options.questions.length / elapsed) * 10_000) / 10,
    latency: summarize(latencies),
  };
}
