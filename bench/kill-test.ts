import { fork } from 'node:child_process';
import { watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../src/chat/create-engine.js';
import type { Engine } from '../src/chat/engine-types.js';
import { chunkCorpus } from '../src/index/chunk-paragraphs.js';
import { loadCorpus } from '../src/index/load-corpus.js';
import type { LocalEmbeddings } from '../src/index/local-embeddings.js';
import { createMemoryLogger } from '../src/logger.js';
import { recordEmbeddings } from './recorded-embeddings.js';
import { seededRandom } from '../src/seeded-random.js';

const CHILD_ENTRY = fileURLToPath(new URL('./kill-test-child.ts', import.meta.url));

export interface KillTestOptions {
  readonly corpusDir: string;
  /** An empty scratch directory: the data dir and the recorded vectors go here. */
  readonly workDir: string;
  /** The real model (workers), shared with the rest of the bench. */
  readonly embeddings: LocalEmbeddings;
  readonly modelId: string;
  readonly iterations: number;
  readonly probes: readonly string[];
  readonly seed?: number;
}

export interface KillTestResult {
  readonly iterations: number;
  /** Children killed before they reported a complete save. */
  readonly killed: number;
  /** Children that finished before their kill time came. */
  readonly completed: number;
  /** Where the kills landed, judged from the files left behind. */
  readonly killedAt: { readonly beforeSave: number; readonly whileWriting: number; readonly beforeSwitch: number; readonly afterSwitch: number };
  /** Restarts that loaded a complete generation without a rebuild and answered every probe as before. */
  readonly passed: number;
  readonly failures: readonly string[];
  /** An uninterrupted child run: `start` to `done`, and `start` to the first staging directory. */
  readonly windowMs: number;
  readonly saveStartsAtMs: number;
}

/**
 * The index kill test: a child process rebuilds and saves a new generation and is SIGKILLed at a
 * random moment, `iterations` times. After each kill a fresh engine opens the data directory: it must
 * load the generation CURRENT names (never rebuild, never fail) and give the probe questions the same
 * answers and citations as the engine before the first kill. Alternating two model ids makes every
 * child's open a rebuild while both generations hold the same vectors.
 */
export async function runKillTest(options: KillTestOptions): Promise<KillTestResult> {
  const dataDir = path.join(options.workDir, 'data');
  const vectorsFile = path.join(options.workDir, 'vectors.json');
  const ids = [`${options.modelId} #kill-a`, `${options.modelId} #kill-b`];
  const articles = await loadCorpus(options.corpusDir);
  const chunks = chunkCorpus(articles);
  await recordEmbeddings(
    vectorsFile,
    [...chunks.map((c) => c.embedText), ...chunks.flatMap((c) => c.sentences.map((s) => s.text))],
    (texts) => options.embeddings.embedDocuments(texts),
  );
  const baselineEngine = await openEngine(options, dataDir, ids[0]!);
  const baseline = await answersOf(baselineEngine.engine, options.probes);
  await baselineEngine.engine.close();

  const random = seededRandom(options.seed ?? 7);
  const run = (modelId: string, killAfterMs: number | undefined) => runChild({ corpusDir: options.corpusDir, dataDir, vectorsFile, modelId }, killAfterMs);
  // One uninterrupted run measures when the save starts and ends; the kills fall uniformly from a
  // little before the save to a little after it (the build before it cannot leave anything on disk).
  const calibration = await run(ids[1]!, undefined);
  const windowMs = calibration.startToDoneMs ?? 200;
  const saveStartsAtMs = Math.min(calibration.startToSaveMs ?? 0, windowMs);
  const from = saveStartsAtMs * 0.8;
  const to = windowMs * 1.15;

  const killedAt = { beforeSave: 0, whileWriting: 0, beforeSwitch: 0, afterSwitch: 0 };
  const failures: string[] = [];
  let killed = 0;
  let completed = 0;
  let passed = 0;
  for (let i = 0; i < options.iterations; i += 1) {
    const before = await snapshot(dataDir);
    const next = before.modelId === ids[0] ? ids[1]! : ids[0]!;
    const outcome = await run(next, from + random() * (to - from));
    const after = await snapshot(dataDir);
    if (outcome.done) completed += 1;
    else {
      killed += 1;
      if (after.current !== before.current) killedAt.afterSwitch += 1;
      else if (after.generations > before.generations) killedAt.beforeSwitch += 1;
      else if (after.partials > before.partials) killedAt.whileWriting += 1;
      else killedAt.beforeSave += 1;
    }
    const reopened = await openEngine(options, dataDir, after.modelId);
    try {
      const rebuilt = reopened.logger.lines.find((line) => /rebuilding|index: built/.test(line));
      const answers = await answersOf(reopened.engine, options.probes);
      const differing = options.probes.filter((_, p) => answers[p] !== baseline[p]);
      if (rebuilt !== undefined) failures.push(`iteration ${i + 1}: the restart rebuilt the index: ${rebuilt.trim()}`);
      else if (differing.length > 0) failures.push(`iteration ${i + 1}: ${differing.length} probe answers changed, first "${differing[0]}"`);
      else passed += 1;
    } finally {
      await reopened.engine.close();
    }
  }
  return {
    iterations: options.iterations,
    killed,
    completed,
    killedAt,
    passed,
    failures,
    windowMs: Math.round(windowMs),
    saveStartsAtMs: Math.round(saveStartsAtMs),
  };
}

async function openEngine(options: KillTestOptions, dataDir: string, modelId: string): Promise<{ engine: Engine; logger: ReturnType<typeof createMemoryLogger> }> {
  const logger = createMemoryLogger();
  const engine = await createEngine({ corpusDir: options.corpusDir, dataDir, embeddings: options.embeddings, modelId, logger, answerCacheSize: 0 });
  return { engine, logger };
}

async function answersOf(engine: Engine, probes: readonly string[]): Promise<string[]> {
  const answers: string[] = [];
  for (const probe of probes) {
    const answer = await engine.ask(probe);
    answers.push(JSON.stringify([answer.answer, answer.citations.map((c) => `${c.article}#${c.id}`)]));
  }
  return answers;
}

interface DataDirState {
  readonly current: string;
  readonly modelId: string;
  readonly generations: number;
  readonly partials: number;
}

async function snapshot(dataDir: string): Promise<DataDirState> {
  const current = (await readFile(path.join(dataDir, 'CURRENT'), 'utf8')).trim();
  const manifest = JSON.parse(await readFile(path.join(dataDir, current, 'manifest.json'), 'utf8')) as { embeddingModel: string };
  const entries = await readdir(dataDir);
  return {
    current,
    modelId: manifest.embeddingModel,
    generations: entries.filter((e) => e.startsWith('gen-') && !e.endsWith('.partial')).length,
    partials: entries.filter((e) => e.endsWith('.partial')).length,
  };
}

/** Runs one child; kills it `killAfterMs` after it reports `start` (never, when undefined). 60 s at most. */
function runChild(
  args: { corpusDir: string; dataDir: string; vectorsFile: string; modelId: string },
  killAfterMs: number | undefined,
): Promise<{ done: boolean; startToDoneMs: number | undefined; startToSaveMs: number | undefined }> {
  return new Promise((resolve, reject) => {
    let savingAt: number | undefined;
    const watcher = watch(args.dataDir, (_event, name) => {
      if (savingAt === undefined && name?.endsWith('.partial') === true) savingAt = performance.now();
    });
    const child = fork(CHILD_ENTRY, [JSON.stringify(args)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let startedAt: number | undefined;
    let doneAt: number | undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('message', (message: { type: string }) => {
      if (message.type === 'start') {
        startedAt = performance.now();
        if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      } else if (message.type === 'done') doneAt = performance.now();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      watcher.close();
      if (signal === null && code !== 0) reject(new Error(`kill-test child failed with code ${code}: ${stderr}`));
      else {
        const since = (at: number | undefined): number | undefined => (at !== undefined && startedAt !== undefined ? at - startedAt : undefined);
        resolve({ done: doneAt !== undefined, startToDoneMs: since(doneAt), startToSaveMs: since(savingAt) });
      }
    });
  });
}
