import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/chat/create-engine.js';
import type { Article } from '../../src/index/article.js';
import { loadCorpus } from '../../src/index/load-corpus.js';
import { openParagraphIndex, type OpenIndexOptions } from '../../src/index/paragraph-index.js';
import { createMemoryLogger } from '../../src/logger.js';
import { CORPUS_DIR, REPO_ROOT } from '../helpers/create-test-engine.js';
import { HashingEmbeddings } from '../helpers/hashing-embeddings.js';

const run = promisify(execFile);
const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const CHILD = path.join(REPO_ROOT, 'tests/helpers/open-engine-child.ts');

/** Real hnswlib and real files in temp dirs; the hashing embeddings keep builds to milliseconds. */
describe('openParagraphIndex in operation', () => {
  let articles: Article[];
  let root: string;
  beforeAll(async () => {
    articles = await loadCorpus(CORPUS_DIR);
    root = await mkdtemp(path.join(os.tmpdir(), 'nqa-ops-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  function indexOptions(dataDir: string, extra: Partial<OpenIndexOptions> = {}) {
    const logger = createMemoryLogger();
    const options: OpenIndexOptions = { dataDir, articles, embeddings: new HashingEmbeddings(64), modelId: 'hashing-64', ef: 64, logger, ...extra };
    return { logger, options };
  }

  /** `copies` articles made from the real one, each with its own slug. */
  function corpusOf(copies: number): Article[] {
    const article = articles[0]!;
    return Array.from({ length: copies }, (_, i) => {
      const slug = `${article.slug}-${i}`;
      return {
        ...article,
        slug,
        sourceHash: `${article.sourceHash}-${i}`,
        paragraphs: article.paragraphs.map((p) => ({ ...p, article: slug, ref: `${slug}#${p.id}`, text: `${p.text} (edition ${i})` })),
      };
    });
  }

  describe('progress of a build', () => {
    it('logs paragraphs and sentences embedded of the total, the rate and the time left while it builds', async () => {
      const corpus = corpusOf(20);
      const paragraphs = corpus.reduce((n, a) => n + a.paragraphs.length, 0);
      const { logger, options } = indexOptions(path.join(root, 'progress'), { articles: corpus, progressIntervalMs: 0 });
      await openParagraphIndex(options);
      // Every paragraph differs (its edition); sentences repeated across editions are embedded once.
      const total = Number(/index: embedding paragraphs=\d+ sentences=\d+ distinctTexts=(\d+)/.exec(logger.lines.join(''))![1]);
      const sentences = total - paragraphs;
      expect(sentences).toBeGreaterThan(500);
      const lines = logger.lines.filter((line) => line.includes('index: embedding done='));
      expect(lines.length).toBeGreaterThanOrEqual(Math.floor(total / 256));
      const done = lines.map((line) => Number(/done="(\d+)\//.exec(line)![1]));
      expect(done).toEqual([...done].sort((a, b) => a - b));
      expect(lines[0]).toMatch(new RegExp(`done="256/${total}" paragraphs="256/${paragraphs}" sentences="0/${sentences}" perSecond=[\\d.]+ eta="`));
      expect(lines.at(-1)).toMatch(new RegExp(`done="${total}/${total}" paragraphs="${paragraphs}/${paragraphs}" sentences="${sentences}/${sentences}" perSecond=[\\d.]+ s=`));
    });

    it('writes one progress line per five seconds by default, so a fast build logs only its last one', async () => {
      const { logger, options } = indexOptions(path.join(root, 'progress-default'), { articles: corpusOf(4) });
      await openParagraphIndex(options);
      expect(logger.lines.filter((line) => line.includes('index: embedding done='))).toHaveLength(1);
    });
  });

  describe('two processes on one dataDir', () => {
    it('never lets one server’s cleanup delete the generation another has written but not yet switched to', async () => {
      const dataDir = path.join(root, 'two-servers');
      const common = { corpusDir: CORPUS_DIR, dataDir, embeddings: new HashingEmbeddings(64), modelId: 'hashing-64' };
      await (await createEngine({ ...common, articles })).close();
      const loggerB = createMemoryLogger();
      let serverB: Promise<unknown> | undefined;
      const serverA = createEngine({
        ...common,
        articles: [{ ...articles[0]!, sourceHash: 'edition-a' }],
        // Server A has written its generation; before it switches CURRENT, server B starts, builds and saves.
        beforeIndexSwitch: async () => {
          serverB = createEngine({ ...common, articles: [{ ...articles[0]!, sourceHash: 'edition-b' }], logger: loggerB });
          serverB.catch(() => {});
          await Promise.race([serverB, waitFor(() => loggerB.lines.some((line) => line.includes('waiting for the DATA_DIR lock')))]);
        },
      });
      await (await serverA).close();
      await ((await serverB) as { close(): Promise<void> }).close();
      const current = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();
      expect(await readdir(path.join(dataDir, current))).toEqual(
        expect.arrayContaining(['manifest.json', 'hnswlib.index', 'docstore.json', 'args.json', 'sentences.f32']),
      );
      expect(loggerB.lines.join('')).toContain('waiting for the DATA_DIR lock');
      // What CURRENT names is B's complete generation: a third start loads it without rebuilding.
      const reopen = indexOptions(dataDir, { articles: [{ ...articles[0]!, sourceHash: 'edition-b' }] });
      expect((await openParagraphIndex(reopen.options)).origin).toBe('loaded');
      expect(await readdir(dataDir)).not.toContain('LOCK');
    });

    it('breaks a lock left by a process that died, and says so', async () => {
      const dataDir = path.join(root, 'stale-lock');
      await mkdir(dataDir, { recursive: true });
      const dead = spawn(process.execPath, ['-e', '0']);
      const pid = dead.pid!;
      await new Promise((resolve) => dead.on('exit', resolve));
      await writeFile(path.join(dataDir, 'LOCK'), JSON.stringify({ pid, host: os.hostname(), token: 'dead', at: '2026-01-01T00:00:00Z' }));
      const { logger, options } = indexOptions(dataDir);
      expect((await openParagraphIndex(options)).origin).toBe('built');
      expect(logger.lines.join('')).toMatch(new RegExp(`warn index: breaking a stale DATA_DIR lock .*pid=${pid}`));
      expect(await readdir(dataDir)).not.toContain('LOCK');
    });

    it('waits for a live holder and fails with INDEX_LOCKED naming it after lockTimeoutMs', async () => {
      const dataDir = path.join(root, 'held-lock');
      await mkdir(dataDir, { recursive: true });
      const lock = JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'alive', at: '2026-01-01T00:00:00Z' });
      await writeFile(path.join(dataDir, 'LOCK'), lock);
      const { logger, options } = indexOptions(dataDir, { lockTimeoutMs: 300 });
      await expect(openParagraphIndex(options)).rejects.toMatchObject({
        code: 'INDEX_LOCKED',
        message: expect.stringContaining(`is held by pid ${process.pid} on ${os.hostname()}`),
      });
      expect(logger.lines.join('')).toContain('waiting for the DATA_DIR lock');
      expect(await readFile(path.join(dataDir, 'LOCK'), 'utf8')).toBe(lock);
    });
  });

  describe('a dataDir that cannot be written', () => {
    const isRoot = process.getuid?.() === 0;

    it('on a read-only file system: says EROFS, serves the index built in memory, and warns that nothing was saved', async () => {
      const dataDir = path.join(root, 'read-only');
      await mkdir(dataDir, { recursive: true });
      // A private mount namespace: the read-only mount exists only for the child.
      const { stdout, stderr } = await runChild(dataDir, (env) => ({
        command: 'unshare',
        args: ['--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs "$DATA_DIR" && exec "$TSX" "$CHILD"'],
        env,
      }));
      expect(stderr).toContain(`warn index: ${dataDir} is not writable: EROFS (the file system is read-only); the index will be built in memory and not saved`);
      expect(stderr).toContain(`NOTHING WAS SAVED to ${dataDir} (EROFS (the file system is read-only))`);
      expect(stderr).not.toContain('ENOENT');
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ citations: [expect.stringMatching(/^p\d+$/)] });
    }, 60_000);

    it('without write permission: says EACCES and serves from memory', async () => {
      const dataDir = path.join(root, 'no-permission', 'data');
      await mkdir(path.dirname(dataDir), { recursive: true });
      await chmod(path.dirname(dataDir), 0o555);
      await chmod(root, 0o755);
      const { stdout, stderr } = await runChild(dataDir, (env) => ({
        command: TSX,
        args: [CHILD],
        env,
        // Root ignores permission bits: run the child as nobody.
        ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
      }));
      expect(stderr).toContain(`warn index: ${dataDir} is not writable: EACCES (permission denied)`);
      expect(stderr).toContain('NOTHING WAS SAVED');
      expect(stderr).not.toContain('ENOENT');
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!).citations).toHaveLength(1);
      await chmod(path.dirname(dataDir), 0o755);
    }, 60_000);

    it('reports a file whose bytes changed but not its size with both sha256 hashes', async () => {
      const dataDir = path.join(root, 'checksum');
      await openParagraphIndex(indexOptions(dataDir).options);
      const generation = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();
      const file = path.join(dataDir, generation, 'docstore.json');
      const manifest = JSON.parse(await readFile(path.join(dataDir, generation, 'manifest.json'), 'utf8')) as {
        files: Record<string, { bytes: number; sha256: string }>;
      };
      const bytes = await readFile(file);
      bytes[10] = bytes[10] === 0x41 ? 0x42 : 0x41;
      await writeFile(file, bytes);
      expect((await stat(file)).size).toBe(manifest.files['docstore.json']!.bytes);
      const { logger, options } = indexOptions(dataDir);
      expect((await openParagraphIndex(options)).origin).toBe('built');
      const warning = logger.lines.find((line) => line.includes('does not match its manifest'))!;
      expect(warning).toContain(`expected ${manifest.files['docstore.json']!.sha256}`);
      expect(warning).toMatch(/sha256 [0-9a-f]{64}, expected [0-9a-f]{64}; \d+ bytes as recorded/);
    });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs the engine child with DATA_DIR set, the way `build` describes; resolves with its output. */
async function runChild(
  dataDir: string,
  build: (env: NodeJS.ProcessEnv) => { command: string; args: string[]; env: NodeJS.ProcessEnv; uid?: number; gid?: number },
): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env, CORPUS_DIR, DATA_DIR: dataDir, TSX, CHILD, TSX_TSCONFIG_PATH: path.join(REPO_ROOT, 'tsconfig.json') };
  const { command, args, ...rest } = build(env);
  try {
    return await run(command, args, { ...rest, cwd: REPO_ROOT, timeout: 50_000 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`child failed: ${failed.message}\n${failed.stderr ?? ''}`);
  }
}
