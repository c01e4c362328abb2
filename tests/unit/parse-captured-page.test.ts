import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../src/errors.js';
import { loadArticle } from '../../src/index/load-article.js';
import { loadCorpus } from '../../src/index/load-corpus.js';
import { CORPUS_DIR } from '../helpers/create-test-engine.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/short-article.txt');
const NPR = path.join(CORPUS_DIR, 'nk-troops-drone-warfare.txt');

describe('loadArticle', () => {
  describe('on the captured NPR page', () => {
    it('finds the headline, dateline, sections, credits and authors', async () => {
      const article = await loadArticle(NPR);
      expect(article.slug).toBe('nk-troops-drone-warfare');
      expect(article.headline).toBe('North Koreans fighting for Russia against Ukraine have grown skilled in drone warfare');
      expect(article.dateline).toBe('SUMY, Ukraine');
      expect(article.sections).toEqual([
        'Early deployments',
        'Easy targets — at first',
        '"We hoped he would survive"',
        'Diaries, drones … and progress',
        'After Kursk',
      ]);
      expect(article.authors).toEqual(['Joanna Kakissis', 'Volodymyr Solohub']);
      expect(article.credits).toHaveLength(1);
      expect(article.credits[0]).toMatch(/^Tetiana Burianova and Polina Lytvynova contributed reporting/);
    });

    it('drops player lines, station names, copyright lines and the author bio', async () => {
      const article = await loadArticle(NPR);
      const texts = article.paragraphs.map((p) => p.text);
      for (const chrome of ['0:00', 'Play Live Radio', 'Available On Air Stations', "Virginia's Public Radio", 'Copyright 2025 NPR']) {
        expect(texts.some((t) => t.includes(chrome))).toBe(false);
      }
      expect(texts.some((t) => t.includes('foreign correspondent based in Kyiv'))).toBe(false);
      expect(texts.some((t) => /Anton Shtuka for NPR/.test(t))).toBe(false);
    });

    it('keeps each doubled caption once, as a citable caption with its credit', async () => {
      const article = await loadArticle(NPR);
      const captions = article.paragraphs.filter((p) => p.kind === 'caption');
      expect(captions.map((c) => c.number)).toEqual([1, 15, 40, 45, 54]);
      expect(new Set(captions.map((c) => c.text)).size).toBe(captions.length);
      expect(captions.every((c) => c.credit === 'Anton Shtuka for NPR')).toBe(true);
      expect(captions.find((c) => c.number === 54)?.text).toMatch(/^Maksym, 22, an FPV drone operator/);
    });

    it('numbers paragraphs p1..pN in reading order with sections and exact source spans', async () => {
      const article = await loadArticle(NPR);
      const source = await readFile(NPR, 'utf8');
      expect(article.paragraphs).toHaveLength(68);
      article.paragraphs.forEach((p, i) => {
        expect(p.number).toBe(i + 1);
        expect(p.id).toBe(`p${i + 1}`);
        expect(p.ref).toBe(`nk-troops-drone-warfare#p${i + 1}`);
        expect(source.slice(p.span[0], p.span[1])).toBe(p.text);
      });
      const killed = article.paragraphs.find((p) => p.text.startsWith('Some 4,700'));
      expect(killed).toMatchObject({ id: 'p43', kind: 'paragraph', section: '"We hoped he would survive"' });
      expect(article.paragraphs.at(-1)?.text).toBe('"That," he says, "is a fact."');
    });

    it('gives the same ids when the same file is ingested again', async () => {
      const first = await loadArticle(NPR);
      const second = await loadArticle(NPR);
      expect(second.paragraphs.map((p) => [p.id, p.text])).toEqual(first.paragraphs.map((p) => [p.id, p.text]));
      expect(second.sourceHash).toBe(first.sourceHash);
    });
  });

  describe('on a second captured page', () => {
    it('cleans it with the same rules', async () => {
      const article = await loadArticle(FIXTURE);
      expect(article.headline).toBe('City council approves new flood barrier after record spring rains');
      expect(article.dateline).toBe('MILLBROOK, Vermont');
      expect(article.sections).toEqual(['Paying for it']);
      expect(article.authors).toEqual(['Sam Writer']);
      expect(article.credits).toEqual(['Lena Park contributed reporting from Millbrook.']);
      expect(article.paragraphs.map((p) => p.kind)).toEqual([
        'caption', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'paragraph', 'paragraph',
      ]);
    });
  });

  describe('publication date', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-dated-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.each([
      ['June 20, 2025', '2025-06-20'],
      ['June 20, 20255:00 AM ET', '2025-06-20'],
      ['Updated Jun. 3, 2025 at 5:00 a.m. ET', '2025-06-03'],
      ['Published September 9, 2024', '2024-09-09'],
      ['2026-03-11', '2026-03-11'],
    ])('reads "%s" on the page as %s, and keeps it out of the text and the numbering', async (line, date) => {
      const fixture = await readFile(FIXTURE, 'utf8');
      const file = path.join(dir, 'dated.txt');
      await writeFile(file, fixture.replace('City council approves new flood barrier after record spring rains\n', `City council approves new flood barrier after record spring rains\n\n${line}\n`));
      const article = await loadArticle(file);
      const plain = await loadArticle(FIXTURE);
      expect(article.published).toBe(date);
      expect(article.publishedFrom).toBe('page');
      expect(article.sections).toEqual(plain.sections);
      expect(article.paragraphs.map((p) => p.text).some((t) => t.includes(line))).toBe(false);
    });

    it('falls back to the file\'s modification time when the page prints no date', async () => {
      const file = path.join(dir, 'undated.txt');
      await writeFile(file, await readFile(FIXTURE, 'utf8'));
      const when = new Date('2024-02-03T04:05:06.000Z');
      await utimes(file, when, when);
      const article = await loadArticle(file);
      expect(article).toMatchObject({ published: '2024-02-03T04:05:06.000Z', publishedFrom: 'file' });
    });

    it('does not take an impossible day for a date', async () => {
      const fixture = await readFile(FIXTURE, 'utf8');
      const file = path.join(dir, 'odd.txt');
      await writeFile(file, fixture.replace('Paying for it\n', 'Paying for it\n\nFebruary 30, 2025\n'));
      expect((await loadArticle(file)).publishedFrom).toBe('file');
    });
  });

  describe('bad files', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-ingest-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const expectIngestError = async (file: string, code: string) => {
      const error = await loadArticle(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).code).toBe(code);
      expect((error as IngestError).message).toContain(file);
    };

    it('rejects an empty file, naming it', async () => {
      const file = path.join(dir, 'empty.txt');
      await writeFile(file, '  \n\n');
      await expectIngestError(file, 'INGEST_EMPTY');
    });

    it('rejects a file holding only site chrome, naming it', async () => {
      const file = path.join(dir, 'chrome-only.txt');
      await writeFile(file, '© 2025\nPlay Live Radio\nNext Up:\n0:00\n0:00 0:00\nAvailable On Air Stations\n');
      await expectIngestError(file, 'INGEST_NO_CONTENT');
    });

    it('rejects a binary file, naming it', async () => {
      const file = path.join(dir, 'binary.txt');
      await writeFile(file, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]));
      await expectIngestError(file, 'INGEST_NOT_TEXT');
    });

    it('rejects an unreadable file, naming it', async () => {
      await expectIngestError(path.join(dir, 'missing.txt'), 'INGEST_UNREADABLE');
    });

    it('rejects a file name that cannot be a slug', async () => {
      const error = await loadArticle(path.join(dir, 'Bad Name!.txt')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INGEST_BAD_NAME' });
    });
  });
});

describe('loadCorpus', () => {
  it('reads every article of a directory with slugs from the file names', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-corpus-'));
    try {
      await writeFile(path.join(dir, 'b-flood-barrier.txt'), await readFile(FIXTURE));
      await writeFile(path.join(dir, 'a-drones.txt'), await readFile(NPR));
      await writeFile(path.join(dir, 'notes.md'), 'not an article');
      const articles = await loadCorpus(dir);
      expect(articles.map((a) => a.slug)).toEqual(['a-drones', 'b-flood-barrier']);
      expect(articles[1]?.paragraphs[0]?.ref).toBe('b-flood-barrier#p1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails on a directory without articles', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-corpus-'));
    try {
      await expect(loadCorpus(dir)).rejects.toMatchObject({ code: 'INGEST_EMPTY_CORPUS' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
