import { appendFile, copyFile, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/index/load-corpus.js';
import { LocalEmbeddings, LOCAL_EMBEDDINGS_MODEL_ID } from '../../src/index/local-embeddings.js';
import { openParagraphIndex, type OpenIndexOptions } from '../../src/index/paragraph-index.js';
import { createMemoryLogger } from '../../src/logger.js';
import type { Article } from '../../src/index/article.js';
import { CORPUS_DIR } from '../helpers/create-test-engine.js';

/** Real model, real hnswlib, real files in a temp dir. */
describe('openParagraphIndex', () => {
  const embeddings = new LocalEmbeddings();
  let articles: Article[];
  let root: string;

  beforeAll(async () => {
    articles = await loadCorpus(CORPUS_DIR);
    root = await mkdtemp(path.join(os.tmpdir(), 'nqa-hnsw-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const options = (dataDir: string, extra: Partial<OpenIndexOptions> = {}) => {
    const logger = createMemoryLogger();
    return {
      logger,
      options: { dataDir, articles, embeddings, modelId: LOCAL_EMBEDDINGS_MODEL_ID, ef: 64, logger, ...extra },
    };
  };

  const search = async (index: Awaited<ReturnType<typeof openParagraphIndex>>, query: string) => {
    const vector = await embeddings.embedQuery(query);
    return index.store.index.searchKnn(vector, 3).neighbors.map((n) => index.chunks[n]!.paragraph.id);
  };

  it('builds, saves, and loads the same index back with ef set explicitly', async () => {
    const dataDir = path.join(root, 'round-trip');
    const built = await openParagraphIndex(options(dataDir).options);
    expect(built.origin).toBe('built');
    expect(built.store.index.getCurrentCount()).toBe(68);
    expect(built.dimensions).toBe(512);

    const { options: again, logger } = options(dataDir);
    const loaded = await openParagraphIndex(again);
    expect(loaded.origin).toBe('loaded');
    expect(loaded.store.index.getEf()).toBe(64);
    expect(loaded.manifest).toMatchObject({
      embeddingModel: LOCAL_EMBEDDINGS_MODEL_ID,
      chunkingVersion: expect.any(String),
      counts: { articles: 1, paragraphs: 68, sentences: built.manifest.counts.sentences },
    });
    expect(Object.keys(loaded.manifest.files).sort()).toEqual(['args.json', 'docstore.json', 'hnswlib.index', 'sentences.f32']);
    expect(Array.from(loaded.sentenceVectors.slice(0, 8))).toEqual(Array.from(built.sentenceVectors.slice(0, 8)));
    const query = 'How many North Korean soldiers were killed?';
    expect(await search(loaded, query)).toEqual(await search(built, query));
    expect(logger.lines.some((l) => l.includes('index: loaded'))).toBe(true);
  });

  it('rebuilds with one clear log line when an index file is truncated', async () => {
    const dataDir = path.join(root, 'truncated');
    await openParagraphIndex(options(dataDir).options);
    const generation = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();
    await truncate(path.join(dataDir, generation, 'hnswlib.index'), 1000);

    const { options: again, logger } = options(dataDir);
    const index = await openParagraphIndex(again);
    expect(index.origin).toBe('built');
    const warnings = logger.lines.filter((l) => l.includes(' warn '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/rebuilding.*hnswlib\.index does not match its manifest/);
    const newGeneration = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();
    expect(newGeneration).not.toBe(generation);
    expect(await readdir(dataDir)).not.toContain(generation);
  });

  it('rebuilds when a file is missing or the manifest is garbage', async () => {
    const dataDir = path.join(root, 'missing');
    await openParagraphIndex(options(dataDir).options);
    const generation = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();
    await rm(path.join(dataDir, generation, 'docstore.json'));
    const first = options(dataDir);
    expect((await openParagraphIndex(first.options)).origin).toBe('built');
    expect(first.logger.lines.join('')).toMatch(/docstore\.json is missing/);

    const current = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();
    await writeFile(path.join(dataDir, current, 'manifest.json'), '{"half":');
    const second = options(dataDir);
    expect((await openParagraphIndex(second.options)).origin).toBe('built');
    expect(second.logger.lines.join('')).toMatch(/manifest\.json is missing or not JSON/);
  });

  it('rebuilds when the corpus or the embedding model changes', async () => {
    const dataDir = path.join(root, 'changed');
    await openParagraphIndex(options(dataDir).options);
    const edited: Article[] = [{ ...articles[0]!, sourceHash: 'edited' }];
    const byCorpus = options(dataDir, { articles: edited });
    expect((await openParagraphIndex(byCorpus.options)).origin).toBe('built');
    expect(byCorpus.logger.lines.join('')).toMatch(/corpusHash changed/);

    const byModel = options(dataDir, { articles: edited, modelId: 'another-model' });
    expect((await openParagraphIndex(byModel.options)).origin).toBe('built');
    expect(byModel.logger.lines.join('')).toMatch(/embeddingModel changed/);
  });

  it('keeps the previous generation live when a save dies before the switch', async () => {
    const dataDir = path.join(root, 'crash');
    await openParagraphIndex(options(dataDir).options);
    const before = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();

    const crashing = options(dataDir, {
      articles: [{ ...articles[0]!, sourceHash: 'new-edition' }],
      beforeSwitch: async () => {
        throw new Error('simulated crash mid-save');
      },
    });
    await expect(openParagraphIndex(crashing.options)).rejects.toThrow('simulated crash mid-save');
    expect((await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim()).toBe(before);

    const { options: reopen } = options(dataDir);
    const index = await openParagraphIndex(reopen);
    expect(index.origin).toBe('loaded');
    expect(await search(index, 'Who is Bulat?')).toHaveLength(3);
  });

  it('ignores a half-written generation directory that CURRENT does not name', async () => {
    const dataDir = path.join(root, 'partial');
    await openParagraphIndex(options(dataDir).options);
    const current = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();
    const partial = path.join(dataDir, 'gen-9999999999999-deadbeef.partial');
    await rm(partial, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(partial));
    await copyFile(path.join(dataDir, current, 'args.json'), path.join(partial, 'args.json'));
    await appendFile(path.join(partial, 'hnswlib.index'), 'garbage');
    const { options: reopen } = options(dataDir);
    expect((await openParagraphIndex(reopen)).origin).toBe('loaded');
  });
});
