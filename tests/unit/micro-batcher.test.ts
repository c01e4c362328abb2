import { describe, expect, it } from 'vitest';
import { EmbeddingError } from '../../src/errors.js';
import { MicroBatcher, type EmbeddingSlot } from '../../src/index/micro-batcher.js';

/** Token count = number of words, so tests choose lengths by wording. */
const words = (text: string): number => text.split(' ').length;

/**
 * A slot double: records every batch and counting job, returns a vector whose first value is the text's
 * length, and counts tokens as `words` does.
 */
function recordingSlot(options: { ready?: Promise<void>; fail?: (texts: readonly string[]) => boolean } = {}) {
  const calls: string[][] = [];
  const counted: string[][] = [];
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  return {
    calls,
    counted,
    ready: options.ready ?? Promise.resolve(),
    async run(texts: readonly string[]): Promise<Float32Array[]> {
      calls.push([...texts]);
      if (gate !== undefined) await gate;
      if (options.fail?.(texts) === true) throw new EmbeddingError('EMBEDDINGS_FAILED', 'boom');
      return texts.map((text) => Float32Array.of(text.length, 0));
    },
    async count(texts: readonly string[]): Promise<number[]> {
      counted.push([...texts]);
      return texts.map(words);
    },
    /** The next batches wait until `resume`. */
    hold(): void {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    resume(): void {
      gate = undefined;
      open?.();
    },
  } satisfies EmbeddingSlot & Record<string, unknown>;
}

describe('MicroBatcher', () => {
  it('puts texts of equal token count in one model call and others in their own, returning vectors in order', async () => {
    const slot = recordingSlot();
    const batcher = new MicroBatcher({ slots: [slot], countTokens: words, maxBatch: 32, maxBatchTokens: 1000 });
    const vectors = await batcher.embed(['a b', 'c d e', 'f g', 'h'], 'interactive');
    expect(vectors.map((v) => v[0])).toEqual([3, 5, 3, 1]);
    expect(slot.calls.map((call) => call.sort())).toEqual(expect.arrayContaining([['a b', 'f g'], ['c d e'], ['h']]));
    expect(slot.calls).toHaveLength(3);
    expect(batcher.stats).toEqual({ calls: 3, texts: 4 });
  });

  it('gathers concurrent callers of one turn into a shared batch', async () => {
    const slot = recordingSlot();
    const batcher = new MicroBatcher({ slots: [slot], countTokens: words, maxBatch: 32, maxBatchTokens: 1000 });
    const results = await Promise.all(['q one', 'q two', 'q six'].map((text) => batcher.embed([text], 'interactive')));
    expect(results.map(([v]) => v![0])).toEqual([5, 5, 5]);
    expect(slot.calls).toEqual([['q one', 'q two', 'q six']]);
  });

  it('caps a batch at maxBatch texts and at maxBatchTokens tokens', async () => {
    const slot = recordingSlot();
    const batcher = new MicroBatcher({ slots: [slot], countTokens: words, maxBatch: 3, maxBatchTokens: 4 });
    await batcher.embed(['a b', 'c d', 'e f', 'g h', 'i j'], 'bulk');
    expect(slot.calls.map((call) => call.length)).toEqual([2, 2, 1]);
    const capped = recordingSlot();
    const byCount = new MicroBatcher({ slots: [capped], countTokens: words, maxBatch: 3, maxBatchTokens: 100 });
    await byCount.embed(['a', 'b', 'c', 'd', 'e'], 'bulk');
    expect(capped.calls.map((call) => call.length)).toEqual([3, 2]);
  });

  it('serves a waiting question before waiting index texts', async () => {
    const slot = recordingSlot();
    const batcher = new MicroBatcher({ slots: [slot], countTokens: words, maxBatch: 2, maxBatchTokens: 100 });
    slot.hold();
    const first = batcher.embed(['x'], 'bulk');
    await new Promise((resolve) => setImmediate(resolve));
    const bulk = batcher.embed(['d1', 'd2', 'd3', 'd4'], 'bulk');
    const question = batcher.embed(['question'], 'interactive');
    await new Promise((resolve) => setImmediate(resolve));
    slot.resume();
    await Promise.all([first, bulk, question]);
    expect(slot.calls[0]).toEqual(['x']);
    expect(slot.calls[1]).toEqual(['question']);
  });

  it('counts index texts on a slot, never on the calling thread, in jobs of at most maxCountChars', async () => {
    const slot = recordingSlot();
    const counted: string[] = [];
    const countTokens = (text: string): number => {
      counted.push(text);
      return words(text);
    };
    const batcher = new MicroBatcher({ slots: [slot], countTokens, maxBatch: 32, maxBatchTokens: 1000, maxCountChars: 10 });
    const vectors = await batcher.embed(['aaaa b', 'cc', 'dddddddddddddddd', 'e f'], 'bulk');
    expect(vectors.map((v) => v[0])).toEqual([6, 2, 16, 3]);
    expect(counted).toEqual([]);
    // 6 + 2 characters fit in one job; a text longer than the limit goes alone.
    expect(slot.counted).toEqual([['aaaa b', 'cc'], ['dddddddddddddddd'], ['e f']]);
    expect(slot.calls.map((call) => call.sort())).toEqual(expect.arrayContaining([['aaaa b', 'e f'], ['cc', 'dddddddddddddddd']]));
    await batcher.embed(['question'], 'interactive');
    expect(counted).toEqual(['question']);
  });

  it('counts every waiting index text before running index batches, so equal lengths share calls', async () => {
    const slot = recordingSlot();
    const batcher = new MicroBatcher({ slots: [slot], countTokens: words, maxBatch: 32, maxBatchTokens: 1000, maxCountChars: 3 });
    await batcher.embed(['a', 'b', 'c', 'd', 'e', 'f'], 'bulk');
    expect(slot.counted).toHaveLength(2);
    expect(slot.calls).toEqual([['a', 'b', 'c', 'd', 'e', 'f']]);
  });

  it('rejects the texts of a failed counting job with the slot error', async () => {
    const slot = recordingSlot();
    const failing = { ...slot, count: async () => Promise.reject(new EmbeddingError('EMBEDDINGS_WORKER_EXITED', 'gone')) };
    const batcher = new MicroBatcher({ slots: [failing], countTokens: words, maxBatch: 8, maxBatchTokens: 100 });
    await expect(batcher.embed(['x y'], 'bulk')).rejects.toMatchObject({ code: 'EMBEDDINGS_WORKER_EXITED' });
    expect(batcher.waiting).toBe(0);
  });

  it('rejects only the failing batch with the slot error and keeps serving', async () => {
    const slot = recordingSlot({ fail: (texts) => texts.includes('bad one') });
    const batcher = new MicroBatcher({ slots: [slot], countTokens: words, maxBatch: 8, maxBatchTokens: 100 });
    const bad = batcher.embed(['bad one'], 'interactive');
    const good = batcher.embed(['fine'], 'interactive');
    await expect(bad).rejects.toMatchObject({ code: 'EMBEDDINGS_FAILED' });
    expect((await good)[0]![0]).toBe(4);
    expect((await batcher.embed(['again'], 'interactive'))[0]![0]).toBe(5);
  });

  it('rejects everything with the load error when no slot can start', async () => {
    const error = new EmbeddingError('EMBEDDINGS_LOAD_FAILED', 'no model');
    const failing = Promise.reject(error);
    failing.catch(() => {});
    const batcher = new MicroBatcher({ slots: [recordingSlot({ ready: failing })], countTokens: words, maxBatch: 8, maxBatchTokens: 100 });
    await expect(batcher.embed(['waiting'], 'interactive')).rejects.toBe(error);
    await expect(batcher.embed(['later'], 'interactive')).rejects.toBe(error);
  });

  it('refuses a configuration without slots or with a bad maxBatch', () => {
    expect(() => new MicroBatcher({ slots: [], countTokens: words, maxBatch: 8, maxBatchTokens: 100 })).toThrow(RangeError);
    expect(() => new MicroBatcher({ slots: [recordingSlot()], countTokens: words, maxBatch: 0, maxBatchTokens: 100 })).toThrow(
      'maxBatch must be a positive whole number, got 0',
    );
  });
});
