import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../src/index/article.js';
import { splitSentences } from '../src/index/split-sentences.js';
import { seededRandom, shuffle } from '../src/seeded-random.js';

export interface SyntheticCorpusOptions {
  /** The real article the variants are made from. */
  readonly article: Article;
  /** Directory to write `.txt` captures into (created; existing files with the same names are replaced). */
  readonly dir: string;
  /** Articles in the corpus, the real one included: 10 gives a corpus 10x the article. */
  readonly copies: number;
  readonly seed?: number;
}

export interface SyntheticCorpus {
  readonly dir: string;
  readonly articles: number;
  readonly paragraphs: number;
}

const SYLLABLES = ['ka', 'ro', 'vin', 'tel', 'mar', 'su', 'dor', 'ley', 'na', 'pol', 'gri', 'sha', 'ven', 'lo', 'mik', 'ta', 'bre', 'zu'];

/**
 * Writes a corpus `copies` times the size of `article`: the article itself plus `copies - 1` variants.
 * Each variant keeps the article's paragraph count and shape but every paragraph is new text: its
 * sentences shuffled, sometimes one swapped for a sentence of another paragraph, every proper name
 * renamed (one consistent renaming per variant) and every number changed. Deterministic for a seed, so
 * runs compare. The files parse as captured pages (`loadCorpus` reads them like any article).
 */
export async function writeSyntheticCorpus(options: SyntheticCorpusOptions): Promise<SyntheticCorpus> {
  const { article, dir, copies } = options;
  if (!Number.isInteger(copies) || copies < 1) throw new RangeError(`copies must be a positive whole number, got ${copies}`);
  await mkdir(dir, { recursive: true });
  const names = properNames(article);
  const sentencesByParagraph = article.paragraphs.map((p) => splitSentences(p.text).map((s) => s.text));
  await writeFile(path.join(dir, `${article.slug}.txt`), toCapture(article.headline, article.paragraphs.map((p) => p.text)));
  for (let variant = 1; variant < copies; variant += 1) {
    const random = seededRandom((options.seed ?? 1) * 100_003 + variant);
    const renames = new Map(names.map((name) => [name, inventName(random)]));
    const rename = (text: string): string => renameAll(text, renames, variant);
    const paragraphs = sentencesByParagraph.map((sentences, i) => {
      const mixed = [...sentences];
      if (mixed.length > 1) shuffle(mixed, random);
      if (random() < 0.35) {
        const other = sentencesByParagraph[Math.floor(random() * sentencesByParagraph.length)]!;
        const swapIn = other[Math.floor(random() * other.length)];
        if (swapIn !== undefined && other !== sentencesByParagraph[i]) mixed[Math.floor(random() * mixed.length)] = swapIn;
      }
      return rename(mixed.join(' '));
    });
    await writeFile(path.join(dir, `${article.slug}-v${String(variant).padStart(3, '0')}.txt`), toCapture(rename(article.headline), paragraphs));
  }
  return { dir, articles: copies, paragraphs: copies * article.paragraphs.length };
}

/** A capture the page parser reads back as headline + body paragraphs: blocks separated by blank lines. */
function toCapture(headline: string, paragraphs: readonly string[]): string {
  return `${headline}\n\n${paragraphs.join('\n\n')}\n`;
}

/** Capitalised words that do not open a sentence: people, places, units, outlets. */
function properNames(article: Article): string[] {
  const names = new Set<string>();
  for (const paragraph of article.paragraphs) {
    for (const match of paragraph.text.matchAll(/(?<![.!?]["”]?\s|^|["“])\b(\p{Lu}[\p{Ll}'’-]{2,})/gu)) names.add(match[1]!);
  }
  return [...names].sort((a, b) => b.length - a.length);
}

function inventName(random: () => number): string {
  const parts = 2 + Math.floor(random() * 2);
  let name = '';
  for (let i = 0; i < parts; i += 1) name += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return name[0]!.toUpperCase() + name.slice(1);
}

function renameAll(text: string, renames: ReadonlyMap<string, string>, variant: number): string {
  return text
    .replace(/\b\p{Lu}[\p{Ll}'’-]{2,}/gu, (word) => renames.get(word) ?? word)
    .replace(/\d/g, (digit) => String((Number(digit) + variant) % 10));
}
