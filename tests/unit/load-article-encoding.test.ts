import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../src/errors.js';
import { findInvalidUtf8 } from '../../src/index/find-invalid-utf8.js';
import { loadArticle } from '../../src/index/load-article.js';

const FIXTURE = new URL('../fixtures/short-article.txt', import.meta.url).pathname;

/** Windows-1252 bytes of a few characters, as a legacy newsroom editor saves them. */
const CP1252: Record<string, number> = { é: 0xe9, '“': 0x93, '”': 0x94, '—': 0x97, '’': 0x92 };

function toWindows1252(text: string): Buffer {
  return Buffer.from([...text].map((c) => CP1252[c] ?? (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : 0x3f)));
}

describe('loadArticle', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nqa-encoding-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('a file that is not UTF-8', () => {
    it('refuses a Windows-1252 capture with INGEST_NOT_UTF8 naming the file, the byte offset and how to convert it', async () => {
      const text = 'City council weighs new rules\n\nSPRINGFIELD — The Café owners said “no” to the plan.\n\nIt’s the second vote.\n';
      const file = path.join(dir, 'cafe-rules.txt');
      const bytes = toWindows1252(text);
      await writeFile(file, bytes);
      const offset = bytes.indexOf(0x97);
      const error = await loadArticle(file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IngestError);
      expect(error).toMatchObject({ code: 'INGEST_NOT_UTF8' });
      expect((error as IngestError).message).toBe(
        `${file}: byte ${offset} (0x97) is not valid UTF-8, so the file is in another encoding or damaged; ` +
          'it reads as Windows-1252 ("new rules SPRINGFIELD — The Café owners said “"): save it as UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8',
      );
    });

    it('refuses a damaged UTF-8 file (a truncated sequence) without suggesting Windows-1252 when it cannot be that', async () => {
      const good = await readFile(FIXTURE);
      const file = path.join(dir, 'damaged.txt');
      // 0x81 is undefined in Windows-1252; "é" cut after its first byte is not UTF-8 either.
      const bytes = Buffer.concat([good.subarray(0, 40), Buffer.from([0xc3, 0x20, 0x81]), good.subarray(40)]);
      await writeFile(file, bytes);
      await expect(loadArticle(file)).rejects.toMatchObject({
        code: 'INGEST_NOT_UTF8',
        message: `${file}: byte 40 (0xC3) is not valid UTF-8, so the file is in another encoding or damaged; save it as UTF-8`,
      });
    });

    it('still reads UTF-8 with accents, curly quotes and emoji as before', async () => {
      const file = path.join(dir, 'utf8.txt');
      const source = (await readFile(FIXTURE, 'utf8')).replace('Workers stack sandbags', 'Café workers stack “sandbags” 😀');
      await writeFile(file, source);
      const article = await loadArticle(file);
      expect(article.paragraphs[0]?.text).toMatch(/^Café workers stack “sandbags” 😀 along the river/);
    });
  });
});

describe('findInvalidUtf8', () => {
  it('finds the first byte that starts no well-formed sequence, and -1 for UTF-8', () => {
    expect(findInvalidUtf8(Buffer.from('plain ascii é “ 😀', 'utf8'))).toBe(-1);
    expect(findInvalidUtf8(Buffer.from([0x61, 0xe9, 0x62]))).toBe(1);
    expect(findInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(findInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
    expect(findInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // past U+10FFFF
    expect(findInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x80]))).toBe(2); // truncated at the end
  });
});
