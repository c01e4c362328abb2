import type { EmbeddingsModel } from '@energetic-ai/embeddings';

/** Types of `load-use-model.mjs`: the local model with the linear tokenizer installed. */
export function loadUseModel(): Promise<EmbeddingsModel>;
