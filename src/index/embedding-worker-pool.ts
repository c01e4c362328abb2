import { Worker } from 'node:worker_threads';
import { EmbeddingError } from '../errors.js';
import type { EmbeddingSlot } from './micro-batcher.js';

const WORKER_URL = new URL('./embedding-worker.mjs', import.meta.url);

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'vectors'; id: number; dimensions: number; data: Float32Array }
  | { type: 'counts'; id: number; counts: Int32Array }
  | { type: 'error'; id: number; message: string };

type Reply = Extract<WorkerMessage, { id: number }>;

export interface EmbeddingWorkerPool {
  /** One slot per worker thread, for the `MicroBatcher`. */
  readonly slots: readonly EmbeddingSlot[];
  /** Resolves once every worker has loaded the model; rejects if none can. */
  ready(): Promise<void>;
  /** Terminates the workers; batches in flight reject with `EMBEDDINGS_CLOSED`. Idempotent. */
  close(): Promise<void>;
}

/**
 * Worker threads that each load the local embedding model (`embedding-worker.mjs`), so the event loop
 * that serves readers never runs the model. A worker holds the process open only while it loads or
 * works: an idle pool never keeps a CLI or test from exiting. A worker that dies is replaced on the
 * next batch; the batch it was running rejects with `EMBEDDINGS_WORKER_EXITED`.
 */
export function createEmbeddingWorkerPool(options: { readonly size: number }): EmbeddingWorkerPool {
  if (!Number.isInteger(options.size) || options.size < 1) {
    throw new RangeError(`size must be a positive whole number, got ${options.size}`);
  }
  const slots = Array.from({ length: options.size }, () => new WorkerSlot());
  return {
    slots,
    async ready() {
      const results = await Promise.allSettled(slots.map((slot) => slot.ready));
      if (results.every((r) => r.status === 'rejected')) throw (results[0] as PromiseRejectedResult).reason;
    },
    async close() {
      await Promise.all(slots.map((slot) => slot.close()));
    },
  };
}

class WorkerSlot implements EmbeddingSlot {
  ready: Promise<void>;
  private worker: Worker | undefined;
  private nextId = 0;
  private current: { id: number; resolve: (reply: Reply) => void; reject: (e: unknown) => void } | undefined;
  private closed = false;

  constructor() {
    this.ready = this.spawn();
    this.ready.catch(() => {}); // observed by the batcher and by pool.ready()
  }

  private spawn(): Promise<void> {
    const worker = new Worker(WORKER_URL, { stdout: false, stderr: false });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let started = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          started = true;
          worker.unref();
          resolve();
        } else if (message.type === 'failed') {
          reject(new EmbeddingError('EMBEDDINGS_LOAD_FAILED', `cannot load the local embedding model: ${message.message}`));
        } else this.settle(message);
      });
      worker.on('error', (error) => {
        if (!started) reject(new EmbeddingError('EMBEDDINGS_LOAD_FAILED', `embedding worker failed to start: ${error.message}`, { cause: error }));
        else this.fail(new EmbeddingError('EMBEDDINGS_WORKER_EXITED', `embedding worker crashed: ${error.message}`, { cause: error }));
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        if (!started) reject(new EmbeddingError('EMBEDDINGS_LOAD_FAILED', `embedding worker exited with code ${code} while loading`));
        this.fail(new EmbeddingError(this.closed ? 'EMBEDDINGS_CLOSED' : 'EMBEDDINGS_WORKER_EXITED', `embedding worker exited with code ${code}`));
      });
    });
  }

  async run(texts: readonly string[]): Promise<Float32Array[]> {
    const reply = await this.request('embed', texts);
    if (reply.type !== 'vectors') throw new EmbeddingError('EMBEDDINGS_FAILED', `the embedding worker answered ${reply.type} to embed`);
    const { data, dimensions } = reply;
    const vectors: Float32Array[] = [];
    for (let offset = 0; offset < data.length; offset += dimensions) vectors.push(data.subarray(offset, offset + dimensions));
    return vectors;
  }

  async count(texts: readonly string[]): Promise<ArrayLike<number>> {
    const reply = await this.request('count', texts);
    if (reply.type !== 'counts') throw new EmbeddingError('EMBEDDINGS_FAILED', `the embedding worker answered ${reply.type} to count`);
    return reply.counts;
  }

  /** One request at a time per worker: the batcher hands a slot its next job only once the last is done. */
  private async request(type: 'embed' | 'count', texts: readonly string[]): Promise<Exclude<Reply, { type: 'error' }>> {
    if (this.closed) throw new EmbeddingError('EMBEDDINGS_CLOSED', 'the embeddings were closed');
    if (this.worker === undefined) {
      this.ready = this.spawn();
    }
    await this.ready;
    const worker = this.worker!;
    const id = this.nextId++;
    worker.ref();
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.current = { id, resolve, reject };
      worker.postMessage({ type, id, texts });
    }).finally(() => worker.unref());
    if (reply.type === 'error') throw new EmbeddingError('EMBEDDINGS_FAILED', `the local model failed: ${reply.message}`);
    return reply;
  }

  private settle(message: Reply): void {
    const current = this.current;
    if (current === undefined || current.id !== message.id) return;
    this.current = undefined;
    current.resolve(message);
  }

  private fail(error: unknown): void {
    const current = this.current;
    this.current = undefined;
    current?.reject(error);
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }
}
