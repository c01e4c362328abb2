import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/chat/answer-types.js';
import { loadSuite } from '../../src/eval/parse-suite.js';
import type { Article } from '../../src/index/article.js';
import { loadArticle } from '../../src/index/load-article.js';
import { loadCorpus } from '../../src/index/load-corpus.js';
import { createTestEngine, REPO_ROOT, type TestEngine } from '../helpers/create-test-engine.js';

const SLUG = 'nk-troops-drone-warfare';

/** What a reader sees of an answer; the whole object must not change when other articles join the corpus. */
function visible(answer: Answer) {
  return { answer: answer.answer, grounded: answer.grounded, confidence: answer.confidence, citations: answer.citations, related: answer.related };
}

describe('answers scoped to an article', () => {
  let alone: TestEngine;
  let crowded: TestEngine;
  let npr: Article;

  beforeAll(async () => {
    npr = (await loadCorpus(path.join(REPO_ROOT, 'corpus')))[0]!;
    const others = [
      await loadArticle(path.join(REPO_ROOT, 'tests/fixtures/short-article.txt')),
      await loadArticle(path.join(REPO_ROOT, 'evals/corpus/health-valley-fever-washington.txt')),
    ];
    alone = await createTestEngine({ articles: [npr!] });
    crowded = await createTestEngine({ articles: [npr!, ...others] });
  }, 180_000);

  afterAll(async () => {
    await alone?.cleanup();
    await crowded?.cleanup();
  });

  it('are the same whether or not other articles are in the corpus', { timeout: 120_000 }, async () => {
    const suite = await loadSuite(path.join(REPO_ROOT, 'evals/nk-troops-fresh.jsonl'));
    const questions = suite.cases.filter((c) => c.split === 'test').map((c) => c.turns[0]!.question).slice(0, 25);
    expect(questions.length).toBe(25);
    for (const question of questions) {
      const a = await alone.engine.ask(question, { article: SLUG });
      const b = await crowded.engine.ask(question, { article: SLUG });
      expect(visible(b), question).toEqual(visible(a));
    }
  });

  it('keep follow-ups the same too', { timeout: 60_000 }, async () => {
    for (const engine of [alone.engine, crowded.engine]) expect(engine.articles.some((a) => a.slug === SLUG)).toBe(true);
    const first = await alone.engine.ask('Who is Bulat?', { article: SLUG });
    const again = await crowded.engine.ask('Who is Bulat?', { article: SLUG });
    const a = await alone.engine.ask('What happened to the soldier he wounded?', { article: SLUG, history: [{ question: 'Who is Bulat?', answer: first }] });
    const b = await crowded.engine.ask('What happened to the soldier he wounded?', { article: SLUG, history: [{ question: 'Who is Bulat?', answer: again }] });
    expect(visible(b)).toEqual(visible(a));
  });

  it('while an unscoped question picks the article first and says which story it cites', { timeout: 60_000 }, async () => {
    const answer = await crowded.engine.ask('How many North Korean soldiers were killed in Kursk?');
    expect(answer.grounded).toBe(true);
    expect(answer.citations.every((c) => c.article === SLUG)).toBe(true);
    expect(answer.answer.startsWith(`From “${npr!.headline}”: `)).toBe(true);
    const scoped = await alone.engine.ask('How many North Korean soldiers were killed in Kursk?');
    expect(scoped.answer.startsWith('From')).toBe(false);
  });
});
