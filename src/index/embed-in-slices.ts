import type { EmbeddingsInterface } from '@langchain/core/embeddings';

export interface EmbedInSlicesOptions {
  /** Texts per `embedDocuments` call; default 256 (one request for remote providers, which batch 512). */
  readonly sliceSize?: number;
  /**
   * Slices submitted at once; default 16. Enough texts wait together for the local model's micro-batcher
   * to fill its equal-length batches, while slices still finish roughly in order, so progress is smooth.
   */
  readonly slicesInFlight?: number;
  /** Called with the number of texts embedded so far each time a slice finishes. */
  readonly onProgress?: (done: number) => void;
}

/**
 * `embeddings.embedDocuments(texts)`, one vector per text in order, but in slices with a few in flight,
 * so a long index build can report how far it has got. Which slice a text is in never changes its vector
 * (the local model batches only texts of equal token length).
 */
export async function embedInSlices(
  embeddings: EmbeddingsInterface,
  texts: readonly string[],
  options: EmbedInSlicesOptions = {},
): Promise<number[][]> {
  const { sliceSize = 256, slicesInFlight = 16, onProgress } = options;
  if (!Number.isInteger(sliceSize) || sliceSize < 1) throw new RangeError(`sliceSize must be a positive whole number, got ${sliceSize}`);
  if (!Number.isInteger(slicesInFlight) || slicesInFlight < 1) {
    throw new RangeError(`slicesInFlight must be a positive whole number, got ${slicesInFlight}`);
  }
  const vectors: number[][] = new Array<number[]>(texts.length);
  let nextStart = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (nextStart < texts.length) {
      const start = nextStart;
      nextStart += sliceSize;
      const slice = texts.slice(start, start + sliceSize);
      const sliceVectors = await embeddings.embedDocuments([...slice]);
      sliceVectors.forEach((vector, i) => (vectors[start + i] = vector));
      done += slice.length;
      onProgress?.(done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(slicesInFlight, Math.ceil(texts.length / sliceSize)) }, worker));
  return vectors;
}
