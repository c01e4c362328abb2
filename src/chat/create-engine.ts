import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { QuestionError } from '../errors.js';
import type { Article } from '../index/article.js';
import { loadCorpus } from '../index/load-corpus.js';
import { LocalEmbeddings, LOCAL_EMBEDDINGS_MODEL_ID } from '../index/local-embeddings.js';
import { openParagraphIndex, type ParagraphIndex } from '../index/paragraph-index.js';
import { silentLogger, type Logger } from '../logger.js';
import { AnswerCache } from './answer-cache.js';
import type { Answer, RetrievedParagraph } from './answer-types.js';
import type { Answerer, AskOptions, Engine, RetrieveOptions, SummarizeOptions } from './engine-types.js';
import { createExtractiveAnswerer } from './extractive-answerer.js';
import { HybridRetriever } from './hybrid-retriever.js';
import { createQueryEmbedder } from './query-embedder.js';
import { standaloneQuestion } from './standalone-question.js';
import { createArticleSummarizer } from './summarize-article.js';
import { summaryArticle } from './summary-request.js';

/** What an optional LLM answerer is built from: it verifies against the same retriever and falls back to the extractive answerer. */
export interface AnswererDependencies {
  readonly extractive: Answerer;
  readonly retriever: HybridRetriever;
  readonly embedQuery: (text: string) => Promise<readonly number[]>;
  readonly logger: Logger;
}

export interface EngineOptions {
  readonly corpusDir: string;
  readonly dataDir: string;
  /** Already-loaded articles; default: read `corpusDir`. */
  readonly articles?: readonly Article[];
  /** Default: the offline Universal Sentence Encoder. */
  readonly embeddings?: EmbeddingsInterface;
  /** Required with custom `embeddings`: recorded in the index manifest. */
  readonly modelId?: string;
  readonly logger?: Logger;
  /** hnswlib search breadth; default 64. */
  readonly hnswEf?: number;
  /** Default 1000. */
  readonly maxQuestionChars?: number;
  /** Paragraphs retrieved per question; default 8. */
  readonly retrieveK?: number;
  /** Builds the optional LLM answerer, used for `ask(..., { answerer: 'llm' })`. */
  readonly llmAnswerer?: (dependencies: AnswererDependencies) => Answerer;
  /**
   * The answerer `ask` uses when the caller names none; default `extractive`. `llm` without `llmAnswerer`
   * still answers extractively. Lets the composition root switch every caller to the LLM in one place.
   */
  readonly defaultAnswerer?: 'extractive' | 'llm';
  /** Forwarded to the index (test hook for crash-during-save tests). */
  readonly beforeIndexSwitch?: (generationDir: string) => Promise<void>;
  /** Extractive answers remembered by question and conversation (see `AnswerCache`); default 2000, 0 turns it off. */
  readonly answerCacheSize?: number;
}

/** Loads the corpus, loads or builds the index, and returns a ready engine. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const logger = options.logger ?? silentLogger;
  const articles = options.articles ?? (await loadCorpus(options.corpusDir));
  const ownsEmbeddings = options.embeddings === undefined;
  const embeddings = options.embeddings ?? new LocalEmbeddings();
  // Start the embedding workers while the index loads: the first reader should not wait for the model.
  if (embeddings instanceof LocalEmbeddings) {
    embeddings.ready().catch((error: unknown) => logger.warn(`embeddings: ${(error as Error).message}`));
  }
  const modelId = options.modelId ?? (options.embeddings === undefined ? LOCAL_EMBEDDINGS_MODEL_ID : undefined);
  if (modelId === undefined) throw new TypeError('options.modelId is required when options.embeddings is given');
  const maxQuestionChars = options.maxQuestionChars ?? 1000;
  const retrieveK = options.retrieveK ?? 8;

  const index: ParagraphIndex = await openParagraphIndex({
    dataDir: options.dataDir,
    articles,
    embeddings,
    modelId,
    ef: options.hnswEf ?? 64,
    logger,
    ...(options.beforeIndexSwitch === undefined ? {} : { beforeSwitch: options.beforeIndexSwitch }),
  });
  const retriever = new HybridRetriever({ index, embeddings });
  const embedQuery = createQueryEmbedder({ embeddings, capacity: 2048 });
  const extractive = createExtractiveAnswerer({ retriever, embedQuery });
  const llm = options.llmAnswerer?.({ extractive, retriever, embedQuery, logger });
  const slugs = new Set(articles.map((a) => a.slug));
  const answerCache = new AnswerCache({ capacity: options.answerCacheSize ?? 2000 });
  const summarizeArticle = createArticleSummarizer({ index });

  const checkArticle = (article: string | undefined): void => {
    if (article !== undefined && !slugs.has(article)) {
      throw new QuestionError('QUESTION_UNKNOWN_ARTICLE', `no article with slug "${article}" (known: ${[...slugs].join(', ')})`);
    }
  };

  const retrieve = async (query: string, opts: RetrieveOptions = {}): Promise<RetrievedParagraph[]> => {
    checkArticle(opts.article);
    const mode = opts.retriever ?? 'hybrid';
    const vector = mode === 'bm25' ? undefined : await embedQuery(query);
    return retriever.retrieve({
      query,
      k: opts.k ?? retrieveK,
      mode,
      ...(vector === undefined ? {} : { vector }),
      ...(opts.article === undefined ? {} : { article: opts.article }),
    });
  };

  const summarize = async (opts: SummarizeOptions): Promise<Answer> => {
    checkArticle(opts.article);
    return summarizeArticle(opts);
  };

  return {
    articles,
    article: (slug) => (slug === undefined ? articles[0] : articles.find((a) => a.slug === slug)),
    retrieve,
    summarize,
    async ask(question: string, opts: AskOptions = {}): Promise<Answer> {
      const text = validateQuestion(question, maxQuestionChars);
      const history = opts.history ?? [];
      // "Summarize this story", "What are the key points?": the summary, when it is clear which story.
      const summaryOf = summaryArticle(text, { article: opts.article, history, articles });
      if (summaryOf !== undefined) {
        checkArticle(summaryOf);
        return summarizeArticle({
          article: summaryOf,
          ...(opts.onDelta === undefined ? {} : { onDelta: opts.onDelta }),
          ...(opts.signal === undefined ? {} : { signal: opts.signal }),
        });
      }
      const chosen = opts.answerer ?? options.defaultAnswerer ?? 'extractive';
      const answerer = chosen === 'llm' && llm !== undefined ? llm : extractive;
      const cacheKey =
        answerer === extractive
          ? AnswerCache.key({ question: text, article: opts.article, retriever: opts.retriever ?? 'hybrid', history })
          : undefined;
      const cached = cacheKey === undefined ? undefined : answerCache.get(cacheKey);
      if (cached !== undefined) {
        for (const delta of cached.deltas) opts.onDelta?.(delta);
        return cached.answer;
      }
      const deltas: string[] = [];
      const standalone =
        history.length > 0 && answerer.condense !== undefined
          ? await answerer.condense({ question: text, history, ...(opts.signal === undefined ? {} : { signal: opts.signal }) })
          : standaloneQuestion(text, history);
      const candidates = await retrieve(standalone, {
        k: retrieveK,
        ...(opts.retriever === undefined ? {} : { retriever: opts.retriever }),
        ...(opts.article === undefined ? {} : { article: opts.article }),
      });
      const answer = await answerer.answer({
        question: text,
        standaloneQuestion: standalone,
        history,
        candidates,
        onDelta: (delta) => {
          deltas.push(delta);
          opts.onDelta?.(delta);
        },
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      });
      if (cacheKey !== undefined && answer.answerer === 'extractive') answerCache.set(cacheKey, { answer, deltas });
      return answer;
    },
    async close() {
      if (ownsEmbeddings && embeddings instanceof LocalEmbeddings) await embeddings.close();
    },
  };
}

/** The engine's own boundary check: the servers validate too, but the engine never trusts its callers. */
function validateQuestion(question: unknown, maxChars: number): string {
  if (typeof question !== 'string') {
    throw new QuestionError('QUESTION_NOT_STRING', `the question must be text, got ${question === null ? 'null' : typeof question}`);
  }
  const text = question.replace(/\s+/g, ' ').trim();
  if (text === '') throw new QuestionError('QUESTION_EMPTY', 'the question is empty; ask something about the article');
  if (text.length > maxChars) {
    throw new QuestionError('QUESTION_TOO_LONG', `the question has ${text.length} characters; the limit is ${maxChars}`);
  }
  return text;
}
