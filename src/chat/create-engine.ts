import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { QuestionError } from '../errors.js';
import type { Article } from '../index/article.js';
import { loadCorpus } from '../index/load-corpus.js';
import { LocalEmbeddings, LOCAL_EMBEDDINGS_MODEL_ID } from '../index/local-embeddings.js';
import { openParagraphIndex, type ParagraphIndex } from '../index/paragraph-index.js';
import { silentLogger, type Logger } from '../logger.js';
import { createLexicon, type Lexicon } from '../nlp/lexicon.js';
import { createTextAnalyzer, type TextAnalyzer } from '../nlp/text-analyzer.js';
import { AnswerCache } from './answer-cache.js';
import type { Answer, RetrievedParagraph } from './answer-types.js';
import type { Answerer, AskOptions, Engine, RetrieveOptions, SummarizeOptions } from './engine-types.js';
import { createExtractiveAnswerer } from './extractive-answerer.js';
import { HybridRetriever } from './hybrid-retriever.js';
import { loadAnswerModel, type AnswerModel } from './pipeline/answer-model.js';
import { createAnswerPipeline } from './pipeline/answer-pipeline.js';
import { sentenceCosine, vectorCosine, type ArticleModel } from './pipeline/article-model.js';
import { featureIndex } from './pipeline/features.js';
import { generateQuestions } from './pipeline/generate-questions.js';
import { rankParagraphs } from './pipeline/rank.js';
import { createQueryEmbedder } from './query-embedder.js';
import { createStandaloneQuestion, type StandaloneQuestion } from './standalone-question.js';
import { createArticleSummarizer } from './summarize-article.js';
import { summaryArticle } from './summary-request.js';

/** What an optional LLM answerer is built from: it verifies against the same retriever and falls back to the extractive answerer. */
export interface AnswererDependencies {
  readonly extractive: Answerer;
  readonly retriever: HybridRetriever;
  readonly embedQuery: (text: string) => Promise<readonly number[]>;
  /** The rule-based follow-up rewrite, for when the model cannot condense. */
  readonly standaloneQuestion: StandaloneQuestion;
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
  /** Parsed article models kept in memory (least recently used dropped); default 200. */
  readonly maxArticleModels?: number;
  /** The trained answer model; default `models/answer-model.json`. */
  readonly answerModel?: AnswerModel;
  /** Shared language tools (tests pass one to many engines); default: new ones. */
  readonly analyzer?: TextAnalyzer;
  readonly lexicon?: Lexicon;
}

/** Starter candidates: the most-named people first, then short generated questions of the kinds that read well. */
function suggestQuestions(model: ArticleModel, lexicon: Lexicon): string[] {
  const mentions = new Map<string, number>();
  for (const s of model.sentences) {
    for (const name of s.people) {
      const last = model.names.nameTokens(name).at(-1);
      if (last !== undefined) mentions.set(last, (mentions.get(last) ?? 0) + 1);
    }
  }
  const fullest = new Map<string, string>();
  for (const s of model.sentences) {
    for (const name of s.people) {
      const tokens = model.names.nameTokens(name);
      // Without a leading title: "Capt." or a word naming a role ("Mayor Ana Ruiz" -> "Ana Ruiz").
      const words = name.split(/\s+/);
      while (words.length > 2 && (/^\p{Lu}\p{Ll}{0,4}\.$/u.test(words[0]!) || lexicon.classes(words[0]!.toLowerCase(), 'noun', 1).has('noun.person'))) words.shift();
      const plain = words.join(' ');
      const last = tokens.at(-1);
      if (last !== undefined && tokens.length > 1 && (fullest.get(last)?.length ?? 0) < plain.length) fullest.set(last, plain);
    }
  }
  const people = [...mentions].filter(([last]) => fullest.has(last)).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([last]) => `Who is ${fullest.get(last)}?`);
  const generated = generateQuestions({ model, lexicon, perSentence: 1 })
    .filter((q) => (q.kind === 'count' || q.kind === 'person' || q.kind === 'money') && q.question.split(' ').length <= 12)
    .map((q) => q.question);
  return [...new Set([...people, ...generated])];
}

/** How many articles an unscoped question is answered from before the surest answer is kept. */
const ROUTED_ARTICLES = 3;

/** The first-stage retrievers within one article, with the article's own statistics. */
function scopedFirstStage(
  model: ArticleModel,
  query: string,
  vector: readonly number[] | undefined,
  mode: 'dense' | 'bm25',
  k: number,
): RetrievedParagraph[] {
  if (mode === 'bm25') {
    return model.paragraphBm25.search(query, k).map((hit) => ({
      paragraph: model.paragraphs[hit.doc]!.paragraph,
      score: hit.score,
      dense: undefined,
      bm25: hit.score,
    }));
  }
  const unit = Float64Array.from(vector!);
  return model.paragraphs
    .map((p) => {
      const best = Math.max(...p.sentences.map((id) => sentenceCosine(model, unit, model.sentences[id]!)));
      const dense = (vectorCosine(unit, p.vector) + best) / 2;
      return { paragraph: p.paragraph, score: dense, dense, bm25: undefined };
    })
    .sort((a, b) => b.score - a.score || a.paragraph.number - b.paragraph.number)
    .slice(0, k);
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
  const analyzer = options.analyzer ?? createTextAnalyzer();
  const pipeline = createAnswerPipeline({
    articles,
    chunks: index.chunks,
    vectors: retriever,
    analyzer,
    lexicon: options.lexicon ?? createLexicon(),
    model: options.answerModel ?? loadAnswerModel(),
    ...(options.maxArticleModels === undefined ? {} : { maxArticleModels: options.maxArticleModels }),
  });
  const standaloneQuestion = createStandaloneQuestion({ analyzer, nameKind: pipeline.nameKind });
  // Parse the articles while the first readers arrive, not when their first question does.
  const stopWarmUp = pipeline.warmUp();
  const single = articles.length === 1 ? articles[0]!.slug : undefined;
  /** Articles an unscoped question may be about, best first: every article's answer is then weighed. */
  const routeArticles = async (question: string): Promise<string[]> =>
    single !== undefined ? [single] : retriever.candidateArticles(question, await embedQuery(question), ROUTED_ARTICLES);
  const extractive = createExtractiveAnswerer({ pipeline, embedQuery, routeArticles });
  const llm = options.llmAnswerer?.({ extractive, retriever, embedQuery, standaloneQuestion, logger });
  const slugs = new Set(articles.map((a) => a.slug));
  const answerCache = new AnswerCache({ capacity: options.answerCacheSize ?? 2000 });
  const summarizeArticle = createArticleSummarizer({ index });

  const checkArticle = (article: string | undefined): void => {
    if (article !== undefined && !slugs.has(article)) {
      throw new QuestionError('QUESTION_UNKNOWN_ARTICLE', `no article with slug "${article}" (known: ${[...slugs].join(', ')})`);
    }
  };

  /**
   * Paragraphs for a query, best first. `hybrid` (default) is the trained pipeline: the article's paragraphs in the
   * order of their best sentence, each scored by the probability mass of its sentences; an unscoped query is
   * ranked within each proposed article, the article the pipeline is surest of first. `dense` and `bm25` are
   * the plain first-stage retrievers, within the article when scoped (ablations for `npm run eval`).
   */
  const retrieve = async (query: string, opts: RetrieveOptions = {}): Promise<RetrievedParagraph[]> => {
    checkArticle(opts.article);
    const mode = opts.retriever ?? 'hybrid';
    const k = opts.k ?? retrieveK;
    const scope = opts.article ?? single;
    if (mode !== 'hybrid') {
      const vector = mode === 'dense' ? await embedQuery(query) : undefined;
      return scope === undefined
        ? retriever.search({ query, k, mode, ...(vector === undefined ? {} : { vector }) })
        : scopedFirstStage(pipeline.articleModel(scope), query, vector, mode, k);
    }
    const slugs = scope !== undefined ? [scope] : await routeArticles(query);
    const results = await Promise.all(slugs.map((slug) => extractive.score(query, slug)));
    results.sort((a, b) => b.decision.confidence - a.decision.confidence);
    return results.flatMap((r) => rankParagraphs(r.ranked).map(({ best, probability }) => ({
      paragraph: best.row.sentence.paragraph,
      score: probability,
      dense: best.row.features[featureIndex('cosParagraph')],
      bm25: best.row.features[featureIndex('bm25Paragraph')],
    }))).slice(0, k);
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
    standaloneQuestion,
    suggestQuestions(slug) {
      checkArticle(slug);
      return suggestQuestions(pipeline.articleModel(slug), pipeline.lexicon);
    },
    async ask(question: string, opts: AskOptions = {}): Promise<Answer> {
      const text = validateQuestion(question, maxQuestionChars);
      checkArticle(opts.article);
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
      // The extractive answerer ranks every sentence of the article itself; the LLM gets the top paragraphs.
      const candidates =
        answerer === extractive
          ? []
          : await retrieve(standalone, {
              k: retrieveK,
              ...(opts.retriever === undefined ? {} : { retriever: opts.retriever }),
              ...(opts.article === undefined ? {} : { article: opts.article }),
            });
      const answer = await answerer.answer({
        question: text,
        standaloneQuestion: standalone,
        history,
        candidates,
        ...(opts.article === undefined ? {} : { article: opts.article }),
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
      stopWarmUp();
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
