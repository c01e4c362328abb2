import { newestFirst, type Article } from '../../index/article.js';
import type { Chunk } from '../../index/chunk-paragraphs.js';
import type { Lexicon } from '../../nlp/lexicon.js';
import type { TextAnalyzer } from '../../nlp/text-analyzer.js';
import { analyzeQuestion, type QuestionModel } from './analyze-question.js';
import { linearScore, sigmoid, type AnswerModel } from './answer-model.js';
import { answerabilityFeatures } from './answerability-features.js';
import { buildArticleModel, type ArticleModel, type CorpusVectors } from './article-model.js';
import { correctSpelling } from './correct-spelling.js';
import type { NameKind } from './name-registry.js';
import { computeFeatures, type QuestionContext } from './features.js';
import { rankSentences, type RankedSentence } from './rank.js';

/**
 * The answering pipeline's stages bound to one corpus: article models (built on an article's first question and
 * kept), question analysis with spelling correction against the article, features, ranking, and the answerability
 * decision. The extractive answerer composes answers from it; `npm run train` fits the model on its features.
 */
export interface AnswerPipeline {
  readonly articles: readonly Article[];
  articleModel(slug: string): ArticleModel;
  /**
   * What the article's name registry knows a name as; 'other' for a story not in the index (a conversation kept
   * across a corpus change may cite one that is gone).
   */
  nameKind(name: string, slug: string): NameKind;
  /** The question parsed, with typos corrected against the article's words. */
  analyze(question: string, slug: string): QuestionModel;
  features(input: FeatureInput): QuestionContext;
  rank(context: QuestionContext): RankedSentence[];
  /** Probability that the best paragraph answers, and whether it clears the model's threshold. */
  decide(context: QuestionContext, ranked: readonly RankedSentence[]): Decision;
  readonly model: AnswerModel | undefined;
  readonly lexicon: Lexicon;
  /**
   * Builds the article models in the background, newest article first and one per event-loop turn, up to the
   * cache's size, so the first question about an article does not pay for its parse; returns a function that
   * stops it.
   */
  warmUp(): () => void;
}

export interface FeatureInput {
  readonly question: QuestionModel;
  readonly slug: string;
  readonly vector: ArrayLike<number>;
  readonly history?: { readonly quotes: readonly string[]; readonly paragraphs: ReadonlySet<string> };
  readonly exclude?: ReadonlySet<string>;
}

export interface Decision {
  readonly answerable: boolean;
  /** Calibrated probability that the best paragraph answers the question. */
  readonly confidence: number;
}

export interface AnswerPipelineOptions {
  readonly articles: readonly Article[];
  /** The corpus chunks in index order (a chunk's position is its index in this list). */
  readonly chunks: readonly Chunk[];
  readonly vectors: CorpusVectors;
  readonly analyzer: TextAnalyzer;
  readonly lexicon: Lexicon;
  /** The trained model; training itself runs the pipeline without one. */
  readonly model?: AnswerModel;
  /**
   * Article models kept at once (least recently used dropped first); default `DEFAULT_MAX_ARTICLE_MODELS`. One
   * takes about 1.5 MB for a 50-paragraph story and 25-50 ms to build, so a newsroom's archive is not held in
   * memory whole: a dropped article is parsed again, to the same model, on its next question.
   */
  readonly maxArticleModels?: number;
}

export const DEFAULT_MAX_ARTICLE_MODELS = 200;

export function createAnswerPipeline(options: AnswerPipelineOptions): AnswerPipeline {
  const { analyzer, lexicon, vectors } = options;
  const models = new Map<string, ArticleModel>();
  const chunksBySlug = new Map<string, Array<{ chunk: Chunk; position: number }>>();
  options.chunks.forEach((chunk, position) => {
    const slug = chunk.paragraph.article;
    let list = chunksBySlug.get(slug);
    if (list === undefined) chunksBySlug.set(slug, (list = []));
    list.push({ chunk, position });
  });
  const bySlug = new Map(options.articles.map((a) => [a.slug, a]));

  const maxModels = options.maxArticleModels ?? DEFAULT_MAX_ARTICLE_MODELS;
  if (!Number.isInteger(maxModels) || maxModels < 1) throw new RangeError(`maxArticleModels must be a positive integer, got ${maxModels}`);
  const articleModel = (slug: string): ArticleModel => {
    let model = models.get(slug);
    if (model !== undefined) {
      // Most recently used last: the map's first entry is the one to drop.
      models.delete(slug);
      models.set(slug, model);
    } else {
      const article = bySlug.get(slug);
      const chunks = chunksBySlug.get(slug);
      if (article === undefined || chunks === undefined) throw new TypeError(`no article with slug "${slug}" in the index`);
      model = buildArticleModel({ article, chunks, vectors, analyzer, lexicon });
      models.set(slug, model);
      if (models.size > maxModels) models.delete(models.keys().next().value!);
    }
    return model;
  };

  return {
    articles: options.articles,
    model: options.model,
    lexicon,
    articleModel,
    nameKind: (name, slug) => (bySlug.has(slug) ? articleModel(slug).nameKind(name) : 'other'),
    warmUp() {
      let stopped = false;
      // The newest stories first (readers ask most about them), no more than the cache keeps.
      const slugs = newestFirst(options.articles).slice(0, maxModels).map((a) => a.slug);
      const next = (): void => {
        const slug = slugs.shift();
        if (stopped || slug === undefined) return;
        articleModel(slug);
        setImmediate(next).unref();
      };
      setImmediate(next).unref();
      return () => {
        stopped = true;
      };
    },
    analyze(question, slug) {
      const model = articleModel(slug);
      const parsed = analyzer.analyze(question);
      const corrected = correctSpelling(parsed, model.words, lexicon);
      return analyzeQuestion(corrected, { analyzer, lexicon, ...(corrected === question ? { analysis: parsed } : {}) });
    },
    features(input) {
      return computeFeatures({
        question: input.question,
        model: articleModel(input.slug),
        vector: input.vector,
        lexicon,
        ...(input.history === undefined ? {} : { history: input.history }),
        ...(input.exclude === undefined ? {} : { exclude: input.exclude }),
      });
    },
    rank(context) {
      if (options.model === undefined) throw new TypeError('the pipeline was created without a trained model');
      return rankSentences(context, options.model.ranker);
    },
    decide(context, ranked) {
      if (options.model === undefined) throw new TypeError('the pipeline was created without a trained model');
      const { answerability } = options.model;
      if (ranked.length === 0) return { answerable: false, confidence: 0 };
      const confidence = sigmoid(linearScore(answerability, answerabilityFeatures(context, ranked)));
      return { answerable: confidence >= answerability.threshold, confidence };
    },
  };
}
