import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/chat/answer-types.js';
import { QuestionError } from '../../src/errors.js';
import { splitSentences } from '../../src/index/split-sentences.js';
import { ARTICLE_SLUG, createTestEngine, type TestEngine } from '../helpers/create-test-engine.js';

/** engine.summarize and typed summary requests, on the real engine (local USE model, real HNSW index). */
describe('engine.summarize on the NPR article', () => {
  let test: TestEngine;
  let summary: Answer;
  const deltas: string[] = [];

  beforeAll(async () => {
    test = await createTestEngine();
    summary = await test.engine.summarize({ article: ARTICLE_SLUG, onDelta: (text) => deltas.push(text) });
  });
  afterAll(async () => {
    await test.cleanup();
  });

  it('answers with three to five whole sentences of the article, each followed by its own [¶N] marker', () => {
    expect(summary).toMatchObject({ grounded: true, answerer: 'summary', confidence: 1, related: [] });
    expect(summary.citations.length).toBeGreaterThanOrEqual(3);
    expect(summary.citations.length).toBeLessThanOrEqual(5);
    const markers = [...summary.answer.matchAll(/\[¶(\d+)\]/g)].map((m) => Number(m[1]));
    expect(markers).toEqual(summary.citations.map((c) => c.paragraph));
    const article = test.engine.article(ARTICLE_SLUG)!;
    for (const citation of summary.citations) {
      const paragraph = article.paragraphs.find((p) => p.id === citation.id)!;
      expect(citation).toMatchObject({ article: ARTICLE_SLUG, paragraph: paragraph.number, text: paragraph.text });
      // The quote is one of the paragraph's sentences, verbatim.
      expect(splitSentences(paragraph.text).map((s) => s.text)).toContain(citation.quote);
      expect(paragraph.kind).toBe('paragraph');
    }
  });

  it('lists the sentences in article order, one per paragraph, starting in the lead', () => {
    const numbers = summary.citations.map((c) => c.paragraph);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers[0]).toBeLessThanOrEqual(5);
  });

  it('streams deltas that add up to the answer, and answers the same way every time', async () => {
    expect(deltas.join('')).toBe(summary.answer);
    expect(await test.engine.summarize({ article: ARTICLE_SLUG })).toEqual(summary);
  });

  it('reaches the same summary from a typed request, and leaves a question about one topic to answering', async () => {
    for (const question of ['Summarize this story', 'What are the key points?', 'give me the gist']) {
      expect(await test.engine.ask(question, { article: ARTICLE_SLUG })).toEqual(summary);
    }
    // One article in the corpus: no article needed.
    expect(await test.engine.ask('tl;dr')).toEqual(summary);
    const topical = await test.engine.ask('Summarize what Vlad said about the North Koreans', { article: ARTICLE_SLUG });
    expect(topical.answerer).toBe('extractive');
  });

  it('rejects an unknown article with QUESTION_UNKNOWN_ARTICLE, and an aborted request with its reason', async () => {
    const error = await test.engine.summarize({ article: 'no-such-story' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuestionError);
    expect((error as QuestionError).code).toBe('QUESTION_UNKNOWN_ARTICLE');
    expect((error as QuestionError).message).toContain('"no-such-story"');
    const controller = new AbortController();
    controller.abort(new Error('reader left'));
    await expect(test.engine.summarize({ article: ARTICLE_SLUG, signal: controller.signal })).rejects.toThrow('reader left');
  });
});
