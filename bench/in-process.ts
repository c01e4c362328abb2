import type { Engine } from '../src/chat/engine-types.js';
import type { Article } from '../src/index/article.js';
import { createEngine } from '../src/chat/create-engine.js';
import { chunkCorpus } from '../src/index/chunk-paragraphs.js';
import { LocalEmbeddings } from '../src/index/local-embeddings.js';
import { openParagraphIndex } from '../src/index/paragraph-index.js';
import { toUnitVector } from '../src/index/unit-vector.js';
import { silentLogger } from '../src/logger.js';
import { round, summarize, type LatencySummary } from './stats.js';

export interface SingleClientResult {
  /** `engine.ask` one question at a time, every question new (no cache hit). */
  readonly answer: LatencySummary;
  /** The model's own `embed([question])` on the calling thread, interleaved with the answers. */
  readonly bareEmbed: LatencySummary;
  /** answer p50 / bare embed p50. */
  readonly ratioP50: number;
}

/**
 * One reader, in process: alternates a bare model call (the physical floor) with a full answer, so
 * both see the same machine load, and reports the answer latency as a multiple of the embedding.
 */
export async function measureSingleClient(options: {
  readonly engine: Engine;
  readonly bare: LocalEmbeddings;
  readonly questions: readonly string[];
  readonly bareQuestions: readonly string[];
}): Promise<SingleClientResult> {
  const model = await options.bare.load();
  const answers: number[] = [];
  const embeds: number[] = [];
  for (let i = 0; i < options.questions.length; i += 1) {
    let started = performance.now();
    await model.embed([options.bareQuestions[i]!]);
    embeds.push(performance.now() - started);
    started = performance.now();
    await options.engine.ask(options.questions[i]!);
    answers.push(performance.now() - started);
  }
  const answer = summarize(answers);
  const bareEmbed = summarize(embeds);
  return { answer, bareEmbed, ratioP50: round(answer.p50 / bareEmbed.p50, 2) };
}

export interface IndexBuildResult {
  readonly articles: number;
  readonly paragraphs: number;
  readonly sentences: number;
  /** Distinct texts the model embedded (repeated sentences are embedded once). */
  readonly textsEmbedded: number;
  /** Corpus load, embedding, HNSW build and the fsynced save, as `createEngine` does on a first start. */
  readonly buildMs: number;
  readonly textsPerSecond: number;
}

/** Builds (and saves) the index for `corpusDir` in an empty `dataDir` and returns the engine with the timing. */
export async function measureIndexBuild(options: {
  readonly corpusDir: string;
  readonly dataDir: string;
  readonly embeddings: LocalEmbeddings;
  readonly modelId: string;
}): Promise<{ engine: Engine; result: IndexBuildResult }> {
  const before = await options.embeddings.stats();
  const started = performance.now();
  const engine = await createEngine({ corpusDir: options.corpusDir, dataDir: options.dataDir, embeddings: options.embeddings, modelId: options.modelId });
  const buildMs = performance.now() - started;
  const after = await options.embeddings.stats();
  const chunks = chunkCorpus(engine.articles);
  const textsEmbedded = after.texts - before.texts;
  return {
    engine,
    result: {
      articles: engine.articles.length,
      paragraphs: chunks.length,
      sentences: chunks.reduce((n, chunk) => n + chunk.sentences.length, 0),
      textsEmbedded,
      buildMs: Math.round(buildMs),
      textsPerSecond: round(textsEmbedded / (buildMs / 1000)),
    },
  };
}

export interface LargeCorpusResult {
  readonly paragraphs: number;
  /**
   * Full answers, one at a time, every question new, once every article has been parsed (the steady state of a
   * running server).
   */
  readonly answer: LatencySummary;
  /**
   * The first question about each article, asked right after start while the background warm-up is still going:
   * what a reader pays when the article's model is not built yet (optional: older result files lack it).
   */
  readonly firstPerArticle?: LatencySummary;
  /** `engine.retrieve` only (embedding, HNSW, BM25, fusion), every query new. */
  readonly retrieve: LatencySummary;
  /** Mean recall@10 of the HNSW search (the engine's ef) against exact search, ties counted as hits. */
  readonly recallAt10: number;
  readonly recallQueries: number;
  readonly ef: number;
}

/** Query latency and HNSW recall on a large saved index (the 100x corpus). */
export async function measureLargeCorpus(options: {
  readonly engine: Engine;
  readonly dataDir: string;
  readonly embeddings: LocalEmbeddings;
  readonly modelId: string;
  readonly askQuestions: readonly string[];
  /** Asked once per article, scoped to it, before `askQuestions` (other questions: no embedding is cached). */
  readonly firstQuestions: readonly string[];
  readonly retrieveQuestions: readonly string[];
  readonly recallQuestions: readonly string[];
  readonly ef: number;
}): Promise<LargeCorpusResult> {
  const firsts: number[] = [];
  for (const article of options.engine.articles) {
    const started = performance.now();
    await options.engine.ask(options.firstQuestions[firsts.length % options.firstQuestions.length]!, { article: article.slug });
    firsts.push(performance.now() - started);
  }
  const answers: number[] = [];
  for (const question of options.askQuestions) {
    const started = performance.now();
    await options.engine.ask(question);
    answers.push(performance.now() - started);
  }
  const retrievals: number[] = [];
  for (const question of options.retrieveQuestions) {
    const started = performance.now();
    await options.engine.retrieve(question);
    retrievals.push(performance.now() - started);
  }
  const index = await openIndex(options.dataDir, options.engine.articles, options.embeddings, options.modelId, options.ef);
  const hnsw = index.store.index;
  const count = hnsw.getCurrentCount();
  const dimensions = index.dimensions;
  const points = new Float32Array(count * dimensions);
  for (let i = 0; i < count; i += 1) points.set(hnsw.getPoint(i), i * dimensions);
  let recallSum = 0;
  for (const question of options.recallQuestions) {
    const vector = toUnitVector(await options.embeddings.embedQuery(question));
    const exact = new Float32Array(count);
    for (let doc = 0; doc < count; doc += 1) {
      let dot = 0;
      const base = doc * dimensions;
      for (let d = 0; d < dimensions; d += 1) dot += vector[d]! * points[base + d]!;
      exact[doc] = dot;
    }
    const tenth = [...exact].sort((a, b) => b - a)[9]!;
    const found = hnsw.searchKnn(vector, 10).neighbors;
    // Exact duplicates (a sentence-free paragraph repeated across variants) tie; any of them is right.
    recallSum += found.filter((doc) => exact[doc]! >= tenth - 1e-6).length / 10;
  }
  return {
    paragraphs: count,
    answer: summarize(answers),
    firstPerArticle: summarize(firsts),
    retrieve: summarize(retrievals),
    recallAt10: round(recallSum / options.recallQuestions.length, 4),
    recallQueries: options.recallQuestions.length,
    ef: options.ef,
  };
}

function openIndex(dataDir: string, articles: readonly Article[], embeddings: LocalEmbeddings, modelId: string, ef = 64) {
  return openParagraphIndex({ dataDir, articles, embeddings, modelId, ef, logger: silentLogger });
}

