import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { LlmConfig } from '../../config.js';
import { ConfigError } from '../../errors.js';

/** Ollama's OpenAI-compatible endpoint on its default port. */
export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434/v1';
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * The chat model for `LlmConfig`, as a LangChain `BaseChatModel`. Both providers speak the OpenAI chat
 * completions protocol through `ChatOpenAI`: `openai` is any OpenAI-compatible server (OpenAI itself,
 * vLLM, llama.cpp's `llama-server`, LM Studio), `ollama` is Ollama's `/v1` endpoint. Construction makes
 * no network call; the first question does.
 *
 * Settings that matter for answers: temperature 0 (the same question gets the same answer), no retries
 * (a failed call falls back to the extractive answer at once instead of making the reader wait), the
 * HTTP client's timeout set to `timeoutMs` (the answerer enforces the same limit itself), and no usage
 * reporting in streams (`stream_options`, which some local servers reject).
 *
 * Throws `ConfigError` (`CONFIG_MISSING`) for `openai` without `LLM_BASE_URL` and without `LLM_API_KEY`:
 * api.openai.com would refuse every call.
 */
export function createChatModel(config: LlmConfig): BaseChatModel {
  if (config.provider === 'openai' && config.baseUrl === undefined && config.apiKey === undefined) {
    throw new ConfigError(
      'CONFIG_MISSING',
      'LLM_API_KEY must be set when LLM_PROVIDER=openai uses api.openai.com; for a local server (vLLM, llama.cpp, LM Studio) set LLM_BASE_URL',
    );
  }
  const baseURL = (config.baseUrl ?? (config.provider === 'ollama' ? OLLAMA_DEFAULT_BASE_URL : OPENAI_DEFAULT_BASE_URL)).replace(/\/+$/, '');
  return new ChatOpenAI({
    model: config.model,
    // Local servers ignore the key, but the OpenAI client needs one and would otherwise read OPENAI_API_KEY.
    apiKey: config.apiKey ?? 'unused',
    configuration: { baseURL },
    temperature: 0,
    timeout: config.timeoutMs,
    maxRetries: 0,
    streamUsage: false,
  });
}
