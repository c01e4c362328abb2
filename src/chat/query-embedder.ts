import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { toUnitVector } from '../index/unit-vector.js';

/**
 * Embeds questions through an LRU cache keyed by the normalised text, sharing one in-flight call per
 * key: readers of one article ask the same questions, and the embedder is the slowest step.
 * Returned vectors are unit length.
 */
export function createQueryEmbedder(options: {
  embeddings: EmbeddingsInterface;
  capacity: number;
}): (text: string) => Promise<readonly number[]> {
  const cache = new Map<string, Promise<readonly number[]>>();
  return (text: string) => {
    const normalized = text.replace(/\s+/g, ' ').trim();
    const key = normalized.toLowerCase();
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const pending = options.embeddings.embedQuery(normalized).then(toUnitVector);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
    if (cache.size > options.capacity) cache.delete(cache.keys().next().value as string);
    return pending;
  };
}
