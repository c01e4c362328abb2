import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/chat/create-engine.js';
import type { Engine } from '../../src/chat/engine-types.js';
import { loadCorpus } from '../../src/index/load-corpus.js';
import { HashingEmbeddings } from '../helpers/hashing-embeddings.js';
import { ARTICLE_SLUG, CORPUS_DIR, REPO_ROOT } from '../helpers/create-test-engine.js';
import { startChatServer } from '../helpers/start-chat-server.js';

/** `/`, `/articles` and `/articles/:slug` over a three-article corpus (hashing embeddings: the routes, not answers, are under test). */
describe('article page routes', () => {
  let dir: string;
  let engine: Engine;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-routes-'));
    const corpus = path.join(dir, 'corpus');
    await mkdir(corpus);
    const fixture = await readFile(path.join(REPO_ROOT, 'tests/fixtures/short-article.txt'), 'utf8');
    // "a-oldest" sorts first by slug but is the oldest; "flood-barrier" prints its date on the page.
    await writeFile(path.join(corpus, 'a-oldest.txt'), fixture.replace('City council approves', 'Old news: city council approves'));
    await writeFile(path.join(corpus, 'flood-barrier.txt'), fixture.replace('spring rains\n', 'spring rains\n\nMarch 14, 2026\n'));
    await writeFile(path.join(corpus, `${ARTICLE_SLUG}.txt`), await readFile(path.join(CORPUS_DIR, `${ARTICLE_SLUG}.txt`)));
    await utimes(path.join(corpus, 'a-oldest.txt'), new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    await utimes(path.join(corpus, `${ARTICLE_SLUG}.txt`), new Date('2025-06-20T09:00:00Z'), new Date('2025-06-20T09:00:00Z'));
    engine = await createEngine({
      corpusDir: corpus,
      dataDir: path.join(dir, 'data'),
      articles: await loadCorpus(corpus),
      embeddings: new HashingEmbeddings(64),
      modelId: 'hashing-64',
    });
  });
  afterAll(async () => {
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the articles newest first at / with headline, dateline and date, never picking the first slug', async () => {
    const server = await startChatServer({ engine });
    try {
      const response = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(response.status).toBe(200);
      const html = await response.text();
      const order = [...html.matchAll(/<a href="\/articles\/([a-z0-9-]+)">/g)].map((m) => m[1]);
      expect(order).toEqual(['flood-barrier', ARTICLE_SLUG, 'a-oldest']);
      expect(html).toContain('<a href="/articles/flood-barrier">City council approves new flood barrier after record spring rains</a>');
      expect(html).toContain('<span class="dateline">MILLBROOK, Vermont</span> · <time datetime="2026-03-14">March 14, 2026</time>');
      expect(html).toContain('<time datetime="2025-06-20T09:00:00.000Z">June 20, 2025</time>');
      expect(await (await fetch(`${server.url}/articles`)).text()).toBe(html);
      const api = (await (await fetch(`${server.url}/api/articles`)).json()) as { articles: { slug: string; url: string; published: string; publishedFrom: string }[] };
      expect(api.articles.map((a) => [a.slug, a.url, a.published, a.publishedFrom])).toEqual([
        ['a-oldest', '/articles/a-oldest', '2020-01-01T00:00:00.000Z', 'file'],
        ['flood-barrier', '/articles/flood-barrier', '2026-03-14', 'page'],
        [ARTICLE_SLUG, `/articles/${ARTICLE_SLUG}`, '2025-06-20T09:00:00.000Z', 'file'],
      ]);
    } finally {
      await server.close();
    }
  });

  it('redirects / to DEFAULT_ARTICLE, so an old /#p43 link lands on that article', async () => {
    const server = await startChatServer({ engine, defaultArticle: ARTICLE_SLUG });
    try {
      const response = await fetch(`${server.url}/`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(`/articles/${ARTICLE_SLUG}`);
      const page = await (await fetch(`${server.url}/articles/${ARTICLE_SLUG}`)).text();
      // Every ¶ link on the page names the article; the list of other stories is newest first.
      expect(page).toContain(`<a class="pnum" href="/articles/${ARTICLE_SLUG}#p43"`);
      expect(page).not.toMatch(/href="#p\d+"/);
      const others = [...page.matchAll(/<li><a href="\/articles\/([a-z0-9-]+)">/g)].map((m) => m[1]);
      expect(others).toEqual(['flood-barrier', 'a-oldest']);
    } finally {
      await server.close();
    }
  });

  it('falls back to the list when DEFAULT_ARTICLE names no article, and 404s an unknown slug pointing at the list', async () => {
    const server = await startChatServer({ engine, defaultArticle: 'no-such-story' });
    try {
      expect((await fetch(`${server.url}/`, { redirect: 'manual' })).status).toBe(200);
      const missing = await fetch(`${server.url}/articles/no-such-story`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe('No article at /articles/no-such-story; the list is at /articles\n');
    } finally {
      await server.close();
    }
  });
});
