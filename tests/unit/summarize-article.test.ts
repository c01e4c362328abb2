import { describe, expect, it } from 'vitest';
import {
  lexRankCentrality,
  selectSummarySentences,
  summaryLength,
  type SummaryCandidate,
} from '../../src/chat/summarize-article.js';
import { isSummaryRequest, summaryArticle } from '../../src/chat/summary-request.js';
import type { Answer } from '../../src/chat/answer-types.js';
import type { Article, Paragraph } from '../../src/index/article.js';

/** A unit vector from a few weighted axes of an 8-d space: sentences sharing axes are similar. */
function vector(weights: Record<number, number>): Float32Array {
  const v = new Float32Array(8);
  for (const [axis, w] of Object.entries(weights)) v[Number(axis)] = w;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function paragraph(number: number, kind: Paragraph['kind'] = 'paragraph'): Paragraph {
  return { id: `p${number}`, number, article: 'a', ref: `a#p${number}`, kind, section: undefined, text: `text ${number}`, span: [0, 1] };
}

function candidate(number: number, text: string, weights: Record<number, number>, kind: Paragraph['kind'] = 'paragraph'): SummaryCandidate {
  return { paragraph: paragraph(number, kind), sentence: { text, start: 0, end: text.length }, vector: vector(weights) };
}

const LONG = 'a sentence long enough to be chosen for the summary';

describe('lexRankCentrality', () => {
  it('ranks the sentence most similar to the others highest, and its scores sum to 1', () => {
    const candidates = [
      candidate(1, `hub ${LONG}`, { 0: 1, 1: 1, 2: 1 }),
      candidate(2, `one ${LONG}`, { 0: 1 }),
      candidate(3, `two ${LONG}`, { 1: 1 }),
      candidate(4, `three ${LONG}`, { 2: 1 }),
      candidate(5, `outlier ${LONG}`, { 7: 1 }),
    ];
    const scores = [...lexRankCentrality(candidates, 0)];
    expect(scores.indexOf(Math.max(...scores))).toBe(0);
    expect(scores.indexOf(Math.min(...scores))).toBe(4);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('gives earlier sentences more weight as the lead bias grows, all else equal', () => {
    const same = [1, 2, 3, 4].map((n) => candidate(n, `${n} ${LONG}`, { 0: 1, [n]: 0.2 }));
    const plain = lexRankCentrality(same, 0);
    const biased = lexRankCentrality(same, 1);
    expect(biased[0]! - biased[3]!).toBeGreaterThan(plain[0]! - plain[3]!);
    expect(biased[0]).toBeGreaterThan(biased[3]!);
  });
});

describe('selectSummarySentences', () => {
  it('skips near-duplicates of a sentence already chosen (MMR) that plain centrality would take, and keeps article order', () => {
    const candidates = [
      candidate(1, `Main fact ${LONG}`, { 0: 1, 1: 0.3 }),
      candidate(2, `Main fact again ${LONG}`, { 0: 1, 1: 0.31 }),
      candidate(3, `Second topic ${LONG}`, { 2: 1, 0: 0.5 }),
      candidate(4, `Third topic ${LONG}`, { 3: 1, 0: 0.5 }),
      candidate(5, `Main fact once more ${LONG}`, { 0: 1, 1: 0.29 }),
    ];
    const numbers = (lambda: number) =>
      selectSummarySentences(candidates, 3, { lambda, leadBias: 0, minWords: 8 }).map((i) => candidates[i]!.paragraph.number);
    expect(numbers(1)).toEqual([1, 2, 5]);
    const withMmr = numbers(0.5);
    expect(withMmr).toEqual([...withMmr].sort((a, b) => a - b));
    expect(withMmr.filter((n) => n === 3 || n === 4)).toEqual([3, 4]);
    expect(withMmr.filter((n) => [1, 2, 5].includes(n))).toHaveLength(1);
  });

  it('takes at most one sentence per paragraph', () => {
    const candidates = [
      candidate(1, `First of one ${LONG}`, { 0: 1 }),
      candidate(1, `Second of one ${LONG}`, { 0: 1, 1: 1 }),
      candidate(2, `Only of two ${LONG}`, { 1: 1 }),
      candidate(3, `Only of three ${LONG}`, { 2: 1 }),
    ];
    const numbers = selectSummarySentences(candidates, 3).map((i) => candidates[i]!.paragraph.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).toEqual([1, 2, 3]);
  });

  it('does not choose quotes, captions, short fragments or sentences that lean on the one before while others remain', () => {
    const central = { 0: 1, 1: 1, 2: 1, 3: 1 };
    const candidates = [
      candidate(1, `"A quoted voice," she said, ${LONG}`, central),
      candidate(2, `A photo caption that repeats ${LONG}`, central, 'caption'),
      candidate(3, 'Too short.', central),
      candidate(4, `He then said that ${LONG}`, central),
      candidate(5, `But the council said ${LONG}`, central),
      candidate(6, `In December, they found ${LONG}`, central),
      candidate(7, `The council voted on the plan, ${LONG}`, { 0: 1, 1: 0.5 }),
      candidate(8, `The mayor signed the order, ${LONG}`, { 2: 1, 3: 0.5 }),
      candidate(9, `Residents will vote in the fall, ${LONG}`, { 1: 1, 2: 0.5 }),
    ];
    const numbers = selectSummarySentences(candidates, 3).map((i) => candidates[i]!.paragraph.number);
    expect(numbers).toEqual([7, 8, 9]);
  });

  it('relaxes the filters rather than return fewer sentences than asked when the paragraphs allow it', () => {
    const candidates = [
      candidate(1, '"Quote one."', { 0: 1 }),
      candidate(2, 'He said so.', { 1: 1 }),
      candidate(3, `A real sentence ${LONG}`, { 2: 1 }),
    ];
    expect(selectSummarySentences(candidates, 3)).toEqual([0, 1, 2]);
    expect(selectSummarySentences(candidates.slice(0, 1), 3)).toEqual([0]);
    expect(selectSummarySentences([], 3)).toEqual([]);
  });
});

describe('summaryLength', () => {
  it('asks for three sentences of a short story and at most five of a long one', () => {
    expect([1, 29, 30, 89, 90, 5000].map(summaryLength)).toEqual([3, 3, 4, 4, 5, 5]);
  });
});

describe('isSummaryRequest', () => {
  it.each([
    'Summarize this story',
    'summarise the article, please',
    'Can you summarize this?',
    'Sum it up',
    'What are the key points?',
    'What are the main takeaways from this story?',
    'give me the gist',
    'Could you please give me a summary of this article?',
    'TL;DR?',
    'What is this story about?',
    "What's the article about?",
  ])('recognises "%s"', (question) => {
    expect(isSummaryRequest(question)).toBe(true);
  });

  it.each([
    'Summarize what Vlad said about the drones',
    'What are the key points of the treaty?',
    'What is the gist of the treaty?',
    'What is the point of the drones?',
    'How many troops did North Korea send?',
    'Who wrote this story?',
  ])('leaves "%s" to ordinary answering', (question) => {
    expect(isSummaryRequest(question)).toBe(false);
  });
});

describe('summaryArticle', () => {
  const article = (slug: string) => ({ slug }) as Article;
  const turn = (...slugs: string[]) => ({
    question: 'q',
    answer: { citations: slugs.map((s) => ({ article: s })) } as unknown as Answer,
  });

  it('names the requested article, else the only one, else the one the latest answer cited', () => {
    const two = [article('x'), article('y')];
    expect(summaryArticle('Summarize this story', { article: 'y', history: [], articles: two })).toBe('y');
    expect(summaryArticle('Summarize this story', { article: undefined, history: [], articles: [article('x')] })).toBe('x');
    expect(summaryArticle('Summarize this story', { article: undefined, history: [turn('x'), turn('y', 'y')], articles: two })).toBe('y');
  });

  it('is undefined for an ordinary question, or when the story is unclear', () => {
    const two = [article('x'), article('y')];
    expect(summaryArticle('Who is Vlad?', { article: 'x', history: [], articles: two })).toBeUndefined();
    expect(summaryArticle('Summarize this story', { article: undefined, history: [], articles: two })).toBeUndefined();
    expect(summaryArticle('Summarize this story', { article: undefined, history: [turn('x', 'y')], articles: two })).toBeUndefined();
  });
});
