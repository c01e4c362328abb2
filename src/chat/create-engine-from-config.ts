import type { AppConfig } from '../config.js';
import type { Article } from '../index/article.js';
import { createEmbeddings } from '../index/create-embeddings.js';
import type { Logger } from '../logger.js';
import { createEngine } from './create-engine.js';
import type { Engine } from './engine-types.js';
import { createLlmAnswererFactory } from './llm/create-llm-answerer.js';

/**
 * The engine as configured by the environment, shared by `npm start`, `npm run ask` and `npm run eval`
 * so all three answer alike: the configured embeddings, and when `LLM_PROVIDER` is set, the LLM answerer
 * as the default (callers may still ask for `answerer: 'extractive'`). A bad `LLM_*` or `EMBEDDINGS_*`
 * setting fails here, before anything starts; no network call is made.
 */
export function createEngineFromConfig(
  config: AppConfig,
  options: { logger: Logger; articles?: readonly Article[]; dataDir?: string },
): Promise<Engine> {
  // Synchronous on purpose: a bad LLM_* setting throws before the caller starts listening.
  const llmAnswerer = config.llm === undefined ? undefined : createLlmAnswererFactory(config.llm);
  return createEmbeddings(config.embeddings).then((provider) => createEngine({
    corpusDir: config.corpusDir,
    dataDir: options.dataDir ?? config.dataDir,
    ...(options.articles === undefined ? {} : { articles: options.articles }),
    embeddings: provider.embeddings,
    modelId: provider.modelId,
    hnswEf: config.hnswEf,
    maxArticleModels: config.maxArticleModels,
    maxQuestionChars: config.maxQuestionChars,
    logger: options.logger,
    ...(llmAnswerer === undefined ? {} : { llmAnswerer, defaultAnswerer: 'llm' as const }),
  }));
}
