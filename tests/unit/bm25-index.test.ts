import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/chat/bm25-index.js';

const DOCS = [
  'The council voted to build a flood barrier along the river.',
  'The barrier will cost 42 million dollars, the mayor said.',
  'Farmers downstream fear the water will flood their fields.',
  'A bakery opened on Main Street.',
];

describe('Bm25Index', () => {
  it('ranks the document with the rare query term first', () => {
    const index = new Bm25Index(DOCS);
    const hits = index.search('how much will the barrier cost', 4);
    expect(hits[0]?.doc).toBe(1);
    expect(hits.map((h) => h.doc)).not.toContain(3);
  });

  it('gives rarer terms a higher idf and unknown terms none', () => {
    const index = new Bm25Index(DOCS);
    expect(index.idf('bakeri')).toBeGreaterThan(index.idf('flood'));
    expect(index.idf('volcano')).toBe(0);
  });

  it('leaves out documents the filter disallows', () => {
    const index = new Bm25Index(DOCS);
    expect(index.search('barrier', 4, (doc) => doc !== 1).map((h) => h.doc)).toEqual([0]);
  });
});
