import { afterAll, describe, expect, it } from 'vitest';
import { LocalEmbeddings } from '../../src/index/local-embeddings.js';

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

    it('refuses a negative worker count', () => {
      expect(() => new LocalEmbeddings({ workers: -1 })).toThrow('workers must be a whole number, got -1');
    });
  });
});
