import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/chat/bm25-index.js';
import { fuseScores } from '../../src/chat/fuse-scores.js';

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

describe('fuseScores', () => {
  const dense = new Map([
    [0, 0.9],
    [1, 0.3],
    [2, 0.1],
  ]);
  const bm25 = new Map([
    [2, 12],
    [1, 6],
  ]);

  it('combines normalised dense and lexical scores in hybrid mode', () => {
    const fused = fuseScores([0, 1, 2], dense, bm25, 'hybrid');
    // doc 0: 0.5*1 + 0; doc 1: 0.5*0.25 + 0.5*0.5; doc 2: 0 + 0.5*1 (ties keep corpus order)
    expect(fused.map((f) => f.doc)).toEqual([0, 2, 1]);
    expect(fused[0]?.score).toBeCloseTo(0.5);
    expect(fused[2]?.score).toBeCloseTo(0.375);
  });

  it('uses only one signal in dense or bm25 mode, and BM25 alone drops paragraphs without a shared term', () => {
    expect(fuseScores([0, 1, 2], dense, bm25, 'dense').map((f) => f.doc)).toEqual([0, 1, 2]);
    expect(fuseScores([0, 1, 2], dense, bm25, 'bm25').map((f) => f.doc)).toEqual([2, 1]);
  });
});
