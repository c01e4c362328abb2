import { describe, expect, it } from 'vitest';
import { embedInSlices } from '../../src/index/embed-in-slices.js';
import { HashingEmbeddings } from '../helpers/hashing-embeddings.js';

describe('embedInSlices', () => {
  it('returns one vector per text in order, in slices with a few in flight, reporting each finished slice', async () => {
    const embeddings = new HashingEmbeddings(32);
    const texts = Array.from({ length: 1000 }, (_, i) => `paragraph ${i} about drones and soldiers number ${i * 7}`);
    const progress: number[] = [];
    const vectors = await embedInSlices(embeddings, texts, { sliceSize: 64, slicesInFlight: 3, onProgress: (done) => progress.push(done) });
    expect(vectors).toEqual(texts.map((text) => embeddings.embedText(text)));
    expect(embeddings.calls.map((call) => call.length)).toEqual([...Array<number>(15).fill(64), 40]);
    expect(progress).toHaveLength(16);
    expect(progress.at(-1)).toBe(1000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('refuses a slice size below one as a programming error', async () => {
    await expect(embedInSlices(new HashingEmbeddings(8), ['a'], { sliceSize: 0 })).rejects.toThrow('sliceSize must be a positive whole number, got 0');
  });
});
