import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { EmbeddingsConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { LocalEmbeddings, LOCAL_EMBEDDINGS_MODEL_ID } from './local-embeddings.js';

export interface EmbeddingsProvider {
  readonly embeddings: EmbeddingsInterface;
  /** Recorded in the index manifest; a different id forces a rebuild. */
  readonly modelId: string;
}

/**
 * Chooses the embedding provider from configuration. `local` (the default) runs offline.
 * `openai` speaks to any OpenAI-compatible embeddings endpoint; `ollama` uses Ollama's
 * OpenAI-compatible `/v1` endpoint. Both come from `@langchain/openai`, already a dependency
 * of `@langchain/community`, and are loaded only when chosen.
 */
export async function createEmbeddings(config: EmbeddingsConfig): Promise<EmbeddingsProvider> {
  if (config.provider === 'local') {
    const embeddings = new LocalEmbeddings(config.workers === undefined ? {} : { workers: config.workers });
    return { embeddings, modelId: LOCAL_EMBEDDINGS_MODEL_ID };
  }
  if (config.model === undefined) {
    throw new ConfigError('CONFIG_MISSING', `EMBEDDINGS_MODEL must be set when EMBEDDINGS=${config.provider}`);
  }
  const baseURL =
    config.baseUrl ?? (config.provider === 'ollama' ? 'http://127.0.0.1:11434/v1' : undefined);
  const { OpenAIEmbeddings } = await import('@langchain/openai');
  const embeddings = new OpenAIEmbeddings({
    model: config.model,
    apiKey: config.apiKey ?? (config.provider === 'ollama' ? 'ollama' : undefined),
    configuration: baseURL === undefined ? {} : { baseURL },
  });
  return { embeddings, modelId: `${config.provider}:${config.model}@${baseURL ?? 'default'}` };
}
