/** Types of `use-tokenizer.mjs` (plain JavaScript so the embedding worker loads it without a TypeScript loader). */

export interface UseTokenizer {
  /** The Universal Sentence Encoder's token ids for `text`, identical to `@energetic-ai/embeddings`'s, in linear time. */
  encode(text: string): number[];
}

/** Builds the tokenizer from the model's vocabulary (`[piece, log-probability]` per token id). */
export function createUseTokenizer(vocabulary: ReadonlyArray<readonly [string, number]>): UseTokenizer;
