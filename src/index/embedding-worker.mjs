// @ts-check
/**
 * Worker thread of the embedding pool (src/index/embedding-worker-pool.ts). Plain JavaScript on
 * purpose: it must start without a TypeScript loader (under `tsx`, under vitest, under plain node), and
 * quickly, because cold start counts.
 *
 * Protocol (structured clone over the worker port):
 *   worker -> pool  {type:'ready'} once the model is loaded, or {type:'failed', message}
 *   pool -> worker  {type:'embed', id, texts}   texts all of the same token length (see the pool)
 *   worker -> pool  {type:'vectors', id, dimensions, data}   data: Float32Array, transferred
 *                   {type:'error', id, message}
 *   pool -> worker  {type:'count', id, texts}   token counts for the batcher, off the event loop
 *   worker -> pool  {type:'counts', id, counts}   counts: Int32Array, transferred
 *
 * One model call per message: the pool decides the batches, so a text's vector never depends on
 * which other texts happened to be waiting.
 */
import { parentPort } from 'node:worker_threads';
import { loadUseModel } from './load-use-model.mjs';

const port = parentPort;
if (port === null) throw new Error('embedding-worker.mjs must run as a worker thread');

/** @type {import('@energetic-ai/embeddings').EmbeddingsModel} */
let model;
try {
  model = await loadUseModel();
  // tfjs keeps the weight file bytes for GraphModel.save(), which is never called; the weights already
  // live in the WASM heap. Dropping the copy saves ~28 MB per worker.
  const artifacts = /** @type {{ artifacts?: { weightData?: unknown } }} */ (/** @type {unknown} */ (model.model)).artifacts;
  if (artifacts !== undefined) artifacts.weightData = undefined;
  // The first call compiles kernels and sizes the WASM heap; do it before reporting ready.
  await model.embed(['warm up']);
  port.postMessage({ type: 'ready' });
} catch (error) {
  port.postMessage({ type: 'failed', message: String(error instanceof Error ? error.message : error) });
  process.exit(1);
}

port.on('message', async (/** @type {{type: string, id: number, texts: string[]}} */ message) => {
  if (message.type === 'count') {
    try {
      const counts = Int32Array.from(message.texts, (text) => model.tokenizer.encode(text).length);
      port.postMessage({ type: 'counts', id: message.id, counts }, [counts.buffer]);
    } catch (error) {
      port.postMessage({ type: 'error', id: message.id, message: String(error instanceof Error ? error.message : error) });
    }
    return;
  }
  if (message.type !== 'embed') return;
  try {
    const vectors = await model.embed(message.texts);
    const dimensions = vectors[0]?.length ?? 0;
    const data = new Float32Array(vectors.length * dimensions);
    vectors.forEach((vector, i) => data.set(vector, i * dimensions));
    port.postMessage({ type: 'vectors', id: message.id, dimensions, data }, [data.buffer]);
  } catch (error) {
    port.postMessage({ type: 'error', id: message.id, message: String(error instanceof Error ? error.message : error) });
  }
});
