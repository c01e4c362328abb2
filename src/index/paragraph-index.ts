import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { IndexError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Article } from './article.js';
import { CHUNKING_VERSION, chunkCorpus, type Chunk } from './chunk-paragraphs.js';
import { embedInSlices } from './embed-in-slices.js';
import { createProgressLog } from './progress-log.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { describeWriteRefusal, ensureWritableDir, isWriteRefusal } from './writable-dir.js';
import { toUnitVector } from './unit-vector.js';

/**
 * The persisted vector index: an HNSW graph of one vector per paragraph (LangChain's `HNSWLib` over
 * hnswlib-node), plus one vector per sentence for the answerer, under `dataDir`:
 *
 *   dataDir/CURRENT             name of the live generation, replaced atomically (write + rename)
 *   dataDir/gen-<time>-<rand>/  hnswlib.index, docstore.json, args.json, sentences.f32, manifest.json
 *
 * A save writes a complete new generation directory (files fsynced, checksums in its manifest) and only
 * then points CURRENT at it, so a crash mid-save leaves the previous generation live and the partial
 * directory unreferenced. A load verifies the manifest against the corpus and model and every file's
 * size and sha256 before hnswlib reads it; anything off is reported in one log line and rebuilt.
 *
 * Several processes may share one `dataDir` (two servers): loading, and saving plus the cleanup of other
 * generations, happen under an exclusive lock (`dataDir/LOCK`, see `lockDataDir`), so one process's cleanup
 * can never delete a generation another has written but not yet switched to, nor files being loaded.
 * A `dataDir` that cannot be written (read-only file system, permissions, disk full) is reported with its
 * real reason; the index is then built in memory and served, with a warning that nothing was saved.
 */
export interface ParagraphIndex {
  readonly store: HNSWLib;
  readonly chunks: readonly Chunk[];
  /** Unit vectors of every chunk's sentences, chunk by chunk, sentence by sentence. */
  readonly sentenceVectors: Float32Array;
  /** Offset (in sentences) of each chunk's first sentence in `sentenceVectors`. */
  readonly sentenceOffsets: readonly number[];
  readonly dimensions: number;
  readonly manifest: IndexManifest;
  /** How the index was obtained on open. */
  readonly origin: 'loaded' | 'built';
}

export interface IndexManifest {
  readonly formatVersion: 1;
  readonly corpusHash: string;
  readonly embeddingModel: string;
  readonly chunkingVersion: string;
  readonly dimensions: number;
  readonly counts: { readonly articles: number; readonly paragraphs: number; readonly sentences: number };
  readonly files: Record<string, { readonly bytes: number; readonly sha256: string }>;
  readonly createdAt: string;
}

export interface OpenIndexOptions {
  readonly dataDir: string;
  readonly articles: readonly Article[];
  readonly embeddings: EmbeddingsInterface;
  /** Recorded in the manifest; a change forces a rebuild. */
  readonly modelId: string;
  /** hnswlib's query-time search breadth; hnswlib resets it to 10 on load, so it is always set explicitly. */
  readonly ef: number;
  readonly logger: Logger;
  /** Test hook: called between writing a generation's files and switching CURRENT to it. */
  readonly beforeSwitch?: (generationDir: string) => Promise<void>;
  /** A build logs its progress at most this often; default 5000 ms. */
  readonly progressIntervalMs?: number;
  /** How long to wait for another process's lock on `dataDir` (see `lockDataDir`); default 10 minutes. */
  readonly lockTimeoutMs?: number;
}

const INDEX_FILES = ['hnswlib.index', 'docstore.json', 'args.json', 'sentences.f32'] as const;
const CURRENT = 'CURRENT';

/** The hash of what the index is built from: every article's slug and source bytes. */
export function corpusHash(articles: readonly Article[]): string {
  const hash = createHash('sha256');
  for (const article of articles) hash.update(`${article.slug}\0${article.sourceHash}\n`);
  return hash.digest('hex');
}

/** Loads the current generation when it matches the corpus and model; otherwise builds and saves a new one. */
export async function openParagraphIndex(options: OpenIndexOptions): Promise<ParagraphIndex> {
  const chunks = chunkCorpus(options.articles);
  const expected = {
    corpusHash: corpusHash(options.articles),
    embeddingModel: options.modelId,
    chunkingVersion: CHUNKING_VERSION,
  };
  const loaded = await withLock(options, 'load', async () => {
    try {
      return await loadCurrentGeneration(options, chunks, expected);
    } catch (error) {
      options.logger.warn(`index: rebuilding, the saved index is unusable: ${(error as Error).message}`);
      return undefined;
    }
  });
  if (loaded !== undefined) return loaded;
  const notWritable = await ensureWritableDir(options.dataDir).then(
    () => undefined,
    (error: unknown) => error as Error,
  );
  if (notWritable !== undefined) {
    options.logger.warn(`index: ${notWritable.message}; the index will be built in memory and not saved`);
  }
  const built = await buildParagraphIndex(chunks, options, expected);
  if (notWritable !== undefined) {
    warnNotSaved(options, notWritable.cause ?? notWritable);
    return built;
  }
  try {
    await withLock(options, 'save', () => saveGeneration(built, options));
  } catch (error) {
    if (!isWriteRefusal(error)) throw error;
    warnNotSaved(options, error);
  }
  return built;
}

function warnNotSaved(options: OpenIndexOptions, reason: unknown): void {
  options.logger.warn(
    `index: serving the index built in memory; NOTHING WAS SAVED to ${options.dataDir} (${describeWriteRefusal(reason)}), so every start rebuilds it until the directory is writable`,
  );
}

/**
 * Runs `job` holding the lock on `dataDir`. Without a `dataDir` there is nothing to load or protect; when
 * the lock cannot be created because the directory is not writable, a load runs unlocked (no other process
 * can write there either) and a save fails with that error.
 */
async function withLock<T>(options: OpenIndexOptions, purpose: 'load' | 'save', job: () => Promise<T>): Promise<T> {
  let lock: DataDirLock | undefined;
  try {
    if (purpose === 'save') await mkdir(options.dataDir, { recursive: true });
    lock = await lockDataDir({
      dir: options.dataDir,
      logger: options.logger,
      ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (purpose === 'save' || !(code === 'ENOENT' || isWriteRefusal(error))) throw error;
  }
  try {
    return await job();
  } finally {
    await lock?.release();
  }
}

async function loadCurrentGeneration(
  options: OpenIndexOptions,
  chunks: readonly Chunk[],
  expected: Pick<IndexManifest, 'corpusHash' | 'embeddingModel' | 'chunkingVersion'>,
): Promise<ParagraphIndex | undefined> {
  let generation: string;
  try {
    generation = (await readFile(path.join(options.dataDir, CURRENT), 'utf8')).trim();
  } catch {
    options.logger.info('index: no saved index, building one', { dataDir: options.dataDir });
    return undefined;
  }
  if (!/^gen-[\w-]+$/.test(generation)) throw new IndexError('INDEX_CORRUPT', `${CURRENT} names no generation ("${generation}")`);
  const dir = path.join(options.dataDir, generation);
  let manifest: IndexManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as IndexManifest;
  } catch (cause) {
    throw new IndexError('INDEX_CORRUPT', `${generation}/manifest.json is missing or not JSON`, { cause });
  }
  for (const key of ['corpusHash', 'embeddingModel', 'chunkingVersion'] as const) {
    if (manifest[key] !== expected[key]) {
      options.logger.info(`index: rebuilding, the ${key} changed since ${generation} was saved`);
      return undefined;
    }
  }
  for (const name of INDEX_FILES) {
    const recorded = manifest.files?.[name];
    if (recorded === undefined) throw new IndexError('INDEX_CORRUPT', `${generation}/manifest.json does not list ${name}`);
    const bytes = await readFile(path.join(dir, name)).catch((cause: unknown) => {
      throw new IndexError('INDEX_CORRUPT', `${generation}/${name} is missing`, { cause });
    });
    const actual = sha256(bytes);
    if (bytes.length !== recorded.bytes || actual !== recorded.sha256) {
      const sizes = bytes.length === recorded.bytes ? `${bytes.length} bytes as recorded` : `${bytes.length} bytes, expected ${recorded.bytes}`;
      throw new IndexError(
        'INDEX_CORRUPT',
        `${generation}/${name} does not match its manifest (sha256 ${actual}, expected ${recorded.sha256}; ${sizes})`,
      );
    }
  }
  const sentenceCount = chunks.reduce((n, chunk) => n + chunk.sentences.length, 0);
  if (manifest.counts.paragraphs !== chunks.length || manifest.counts.sentences !== sentenceCount) {
    throw new IndexError('INDEX_INCONSISTENT', `${generation} holds ${manifest.counts.paragraphs} paragraphs, the corpus ${chunks.length}`);
  }
  const store = await HNSWLib.load(dir, options.embeddings);
  if (store.index.getCurrentCount() !== chunks.length || store.index.getNumDimensions() !== manifest.dimensions) {
    throw new IndexError('INDEX_INCONSISTENT', `${generation}/hnswlib.index holds ${store.index.getCurrentCount()} vectors, expected ${chunks.length}`);
  }
  store.index.setEf(options.ef);
  const raw = await readFile(path.join(dir, 'sentences.f32'));
  const sentenceVectors = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  if (sentenceVectors.length !== sentenceCount * manifest.dimensions) {
    throw new IndexError('INDEX_INCONSISTENT', `${generation}/sentences.f32 has the wrong size`);
  }
  options.logger.info('index: loaded', { generation, paragraphs: chunks.length, sentences: sentenceCount });
  return {
    store,
    chunks,
    sentenceVectors,
    sentenceOffsets: sentenceOffsetsOf(chunks),
    dimensions: manifest.dimensions,
    manifest,
    origin: 'loaded',
  };
}

/** Embeds every chunk and sentence and builds the HNSW graph in memory. */
export async function buildParagraphIndex(
  chunks: readonly Chunk[],
  options: Pick<OpenIndexOptions, 'embeddings' | 'ef' | 'logger' | 'articles' | 'progressIntervalMs'>,
  expected: Pick<IndexManifest, 'corpusHash' | 'embeddingModel' | 'chunkingVersion'>,
): Promise<ParagraphIndex> {
  if (chunks.length === 0) throw new IndexError('INDEX_EMPTY', 'the corpus has no paragraphs to index');
  const started = Date.now();
  const sentenceTexts = chunks.flatMap((chunk) => chunk.sentences.map((s) => s.text));
  // Paragraphs first, then sentences, in one stream so a huge corpus reports how far it has got; a text
  // that occurs twice (a repeated sentence) is embedded once.
  const texts = [...chunks.map((chunk) => chunk.embedText), ...sentenceTexts];
  const unique = [...new Set(texts)];
  const firstParagraphsOnly = new Set(chunks.map((chunk) => chunk.embedText)).size;
  const progress = createProgressLog({
    logger: options.logger,
    message: 'index: embedding',
    total: unique.length,
    intervalMs: options.progressIntervalMs ?? 5000,
    fields: (done) => ({
      paragraphs: `${Math.min(done, firstParagraphsOnly)}/${firstParagraphsOnly}`,
      sentences: `${Math.max(0, done - firstParagraphsOnly)}/${unique.length - firstParagraphsOnly}`,
    }),
  });
  options.logger.info('index: embedding', { paragraphs: chunks.length, sentences: sentenceTexts.length, distinctTexts: unique.length });
  const uniqueVectors = await embedInSlices(options.embeddings, unique, { onProgress: (done) => progress.update(done) });
  const vectorOf = new Map(unique.map((text, i) => [text, uniqueVectors[i]!]));
  const paragraphVectors = chunks.map((chunk) => vectorOf.get(chunk.embedText)!);
  const sentenceList = sentenceTexts.map((text) => vectorOf.get(text)!);
  const dimensions = paragraphVectors[0]?.length ?? 0;
  for (const vector of [...paragraphVectors, ...sentenceList]) {
    if (vector.length !== dimensions) {
      throw new IndexError('INDEX_DIMENSION_MISMATCH', `embedding has ${vector.length} dimensions, expected ${dimensions}`);
    }
  }
  const store = new HNSWLib(options.embeddings, { space: 'cosine', numDimensions: dimensions });
  await store.addVectors(
    paragraphVectors,
    chunks.map((chunk) => new Document({ pageContent: chunk.paragraph.text, metadata: { ref: chunk.paragraph.ref } })),
  );
  store.index.setEf(options.ef);
  const sentenceVectors = new Float32Array(sentenceList.length * dimensions);
  sentenceList.forEach((vector, i) => sentenceVectors.set(toUnitVector(vector), i * dimensions));
  options.logger.info('index: built', {
    paragraphs: chunks.length,
    sentences: sentenceTexts.length,
    ms: Date.now() - started,
  });
  return {
    store,
    chunks,
    sentenceVectors,
    sentenceOffsets: sentenceOffsetsOf(chunks),
    dimensions,
    manifest: {
      formatVersion: 1,
      ...expected,
      dimensions,
      counts: { articles: options.articles.length, paragraphs: chunks.length, sentences: sentenceTexts.length },
      files: {},
      createdAt: new Date().toISOString(),
    },
    origin: 'built',
  };
}

/** Writes a complete generation, then switches CURRENT to it atomically, then removes older generations. */
async function saveGeneration(index: ParagraphIndex, options: OpenIndexOptions): Promise<void> {
  const name = `gen-${Date.now()}-${randomBytes(4).toString('hex')}`;
  const dir = path.join(options.dataDir, name);
  const staging = `${dir}.partial`;
  // Not recursive: dataDir exists (it holds the lock), and a recursive mkdir misreports EROFS as ENOENT.
  await mkdir(staging);
  await index.store.save(staging);
  await writeFile(
    path.join(staging, 'sentences.f32'),
    Buffer.from(index.sentenceVectors.buffer, index.sentenceVectors.byteOffset, index.sentenceVectors.byteLength),
  );
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const file of INDEX_FILES) {
    const bytes = await readFile(path.join(staging, file));
    files[file] = { bytes: bytes.length, sha256: sha256(bytes) };
    await fsyncFile(path.join(staging, file));
  }
  const manifest: IndexManifest = { ...index.manifest, files };
  await writeFile(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await fsyncFile(path.join(staging, 'manifest.json'));
  await rename(staging, dir);
  await options.beforeSwitch?.(dir);
  const pointer = path.join(options.dataDir, `${CURRENT}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(pointer, `${name}\n`);
  await fsyncFile(pointer);
  await rename(pointer, path.join(options.dataDir, CURRENT));
  Object.assign(index.manifest, { files });
  await removeOtherGenerations(options.dataDir, name, options.logger);
  options.logger.info('index: saved', { generation: name });
}

/** Runs under the data-directory lock: no other process is saving, so its generations are finished or dead. */
async function removeOtherGenerations(dataDir: string, keep: string, logger: Logger): Promise<void> {
  for (const entry of await readdir(dataDir)) {
    if (entry === keep || !(entry.startsWith('gen-') || /^CURRENT\..+\.tmp$/.test(entry) || /^LOCK\.stale-/.test(entry))) continue;
    try {
      const info = await stat(path.join(dataDir, entry));
      // Leave very fresh partial directories alone: another process may be writing one right now.
      if (entry.endsWith('.partial') && Date.now() - info.mtimeMs < 60_000) continue;
      await rm(path.join(dataDir, entry), { recursive: true, force: true });
    } catch (error) {
      logger.warn(`index: could not remove old generation ${entry}: ${(error as Error).message}`);
    }
  }
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function sentenceOffsetsOf(chunks: readonly Chunk[]): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    offsets.push(offset);
    offset += chunk.sentences.length;
  }
  return offsets;
}
