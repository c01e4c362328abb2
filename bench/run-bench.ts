import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Engine } from '../src/chat/engine-types.js';
import { createEngine } from '../src/chat/create-engine.js';
import { loadCorpus } from '../src/index/load-corpus.js';
import { LocalEmbeddings, LOCAL_EMBEDDINGS_MODEL_ID } from '../src/index/local-embeddings.js';
import { createMemoryLogger } from '../src/logger.js';
import type { BenchResults, DefaultRunResults, RunContext, WsLevelResult } from './bench-results.js';
import { measureColdStart, type ColdStartResult } from './cold-start.js';
import { runFlood } from './flood.js';
import { distinctQuestions } from './distinct-questions.js';
import { formatReport } from './format-report.js';
import { measureIndexBuild, measureLargeCorpus, measureSingleClient, type IndexBuildResult } from './in-process.js';
import { runKillTest } from './kill-test.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { runSoak } from './soak.js';
import { loadAverage, round, sleep } from './stats.js';
import { writeSyntheticCorpus } from './synthetic-corpus.js';
import { runTextbookPipeline } from './textbook-pipeline.js';
import { runWsLoad } from './ws-load.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS_DIR = path.join(REPO_ROOT, 'corpus');
/** The 100x index takes minutes to build; it is kept here between runs (DATA only, git-ignored). */
const CACHE_DIR = path.join(REPO_ROOT, '.data', 'bench');
const PROBES = [
  'How many soldiers did North Korea send to Russia?',
  'Who is Vlad?',
  'What is the Baba Yaga?',
  'How did the North Koreans try to hide from Ukrainian heat cameras at night?',
  'What did Putin say about the Korean soldiers?',
  'Why do North Korean soldiers refuse to be captured?',
  'What is the capital of France?',
];

const USAGE = `Usage: npm run bench [-- options]

  (no option)        the default run (~3 min; the first run also builds the 100x index, ~4 min more)
  --soak SECONDS     soak the WebSocket server for SECONDS (10..3600)
  --kill-test N      SIGKILL an index save N times (1..500) and check every restart
  --flood            only the flood section (part of the default run): readers' p95 and RSS under a frame flood
  --workers N        embedding worker threads in the server under test (default 2)
  --rebuild-100x     rebuild the cached 100x index instead of reusing it
  --render           only rewrite the markdown report from the results JSON
  --out FILE         results JSON (default bench/results/latest.json); sections of other modes are kept
  --report FILE      markdown report (default docs/bench.md)
`;

/** `npm run bench`: see USAGE. Prints the markdown report and writes it and the JSON results. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      soak: { type: 'string' },
      'kill-test': { type: 'string' },
      flood: { type: 'boolean', default: false },
      workers: { type: 'string', default: '2' },
      'rebuild-100x': { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(REPO_ROOT, 'bench/results/latest.json') },
      report: { type: 'string', default: path.join(REPO_ROOT, 'docs/bench.md') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const workers = wholeNumber('--workers', values.workers, 0, 8);
  const results: BenchResults = await readResults(values.out);
  if (values.soak !== undefined) {
    const seconds = wholeNumber('--soak', values.soak, 10, 3600);
    results.soak = await soakRun(seconds, workers);
  } else if (values.render) {
    // Nothing to measure: the report below is rendered from the saved results.
  } else if (values['kill-test'] !== undefined) {
    const iterations = wholeNumber('--kill-test', values['kill-test'], 1, 500);
    results.killTest = await killTestRun(iterations);
  } else if (values.flood) {
    results.flood = await floodRun(workers);
  } else {
    results.default = await defaultRun(workers, values['rebuild-100x']);
    results.flood = await floodRun(workers);
  }
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(results, null, 2)}\n`);
  const report = formatReport(results);
  await mkdir(path.dirname(values.report), { recursive: true });
  await writeFile(values.report, report);
  process.stdout.write(report);
  process.stderr.write(`bench: wrote ${path.relative(process.cwd(), values.out)} and ${path.relative(process.cwd(), values.report)}\n`);
}

async function defaultRun(workers: number, rebuild100x: boolean): Promise<DefaultRunResults> {
  const context = startContext();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'nqa-bench-'));
  const questions = questionSource(107);
  try {
    const [article] = await loadCorpus(CORPUS_DIR);
    if (article === undefined) throw new Error('the corpus is empty');
    const articleData = path.join(scratch, 'article-data');

    step('index build: the article');
    const embeddings = new LocalEmbeddings({ workers });
    await embeddings.ready();
    const articleBuild = await measureIndexBuild({ corpusDir: CORPUS_DIR, dataDir: articleData, embeddings, modelId: LOCAL_EMBEDDINGS_MODEL_ID });
    const engine = articleBuild.engine;

    step('single client in process, interleaved with the bare model');
    const bare = new LocalEmbeddings({ workers: 0 });
    for (const question of distinctQuestions(5, 100)) await engine.ask(question);
    await (await bare.load()).embed(['warm up']);
    const singleClient = await measureSingleClient({ engine, bare, questions: distinctQuestions(150, 101), bareQuestions: distinctQuestions(150, 102) });

    step('textbook pipeline');
    const textbook = await runTextbookPipeline({ article, questions: distinctQuestions(200, 103) });

    step('cold start with a saved index (1 warm-up + 3 runs) and without one');
    const question = PROBES[0]!;
    await measureColdStart({ repoRoot: REPO_ROOT, corpusDir: CORPUS_DIR, dataDir: articleData, question });
    const savedRuns: ColdStartResult[] = [];
    for (let i = 0; i < 3; i += 1) savedRuns.push(await measureColdStart({ repoRoot: REPO_ROOT, corpusDir: CORPUS_DIR, dataDir: articleData, question }));
    const noIndex = await measureColdStart({ repoRoot: REPO_ROOT, corpusDir: CORPUS_DIR, dataDir: path.join(scratch, 'cold-empty'), question });

    step('index build: 10x synthetic corpus');
    const x10Corpus = await writeSyntheticCorpus({ article, dir: path.join(scratch, 'x10-corpus'), copies: 10 });
    const x10 = await buildFresh(x10Corpus.dir, path.join(scratch, 'x10-data'), workers);

    step('100x synthetic corpus: build (or reuse the cached build), query latency, recall');
    const x100Build = await open100x(article, workers, rebuild100x);
    const x100 = await measureLargeCorpus({
      engine: x100Build.engine,
      dataDir: x100Build.dataDir,
      embeddings: x100Build.embeddings,
      modelId: LOCAL_EMBEDDINGS_MODEL_ID,
      askQuestions: distinctQuestions(100, 104),
      firstQuestions: distinctQuestions(100, 107),
      retrieveQuestions: distinctQuestions(100, 105),
      recallQuestions: distinctQuestions(200, 106),
      ef: 64,
    });
    await x100Build.engine.close();
    await x100Build.embeddings.close();

    step('WebSocket: closed loop at 1, 10, 100, 500 clients, then 100 clients paced at 150 questions/s');
    const recorded = new Map<string, string>();
    const server = await startServerProcess({ corpusDir: CORPUS_DIR, dataDir: articleData, workers, logFile: path.join(scratch, 'server.log') });
    const ws: WsLevelResult[] = [];
    let serverMaxRssMb = 0;
    try {
      for (const level of [
        { clients: 1, durationMs: 10_000 },
        { clients: 10, durationMs: 10_000 },
        { clients: 100, durationMs: 20_000 },
        { clients: 500, questionsPerClient: 3 },
        { clients: 100, durationMs: 20_000, ratePerSecond: 150 },
      ]) {
        ws.push(await wsLevel(server, { ...level, nextQuestion: questions }));
        step(`  ${level.clients} clients${'ratePerSecond' in level ? ` paced at ${level.ratePerSecond}/s` : ''}: ${ws.at(-1)!.answersPerSecond} answers/s, p95 ${ws.at(-1)!.latency.p95} ms`);
        await sleep(1000);
      }
      serverMaxRssMb = (await server.stats()).maxRssMb;
      step('identity: 50 concurrent readers without history (reset before each question)');
      await runWsLoad({
        wsUrl: server.wsUrl,
        clients: 50,
        questionsPerClient: 4,
        resetBeforeAsk: true,
        nextQuestion: questions,
        onAnswer: (q, a) => recorded.set(q, fingerprint(a)),
      });
    } finally {
      await server.close();
    }

    // Each WebSocket reader keeps a conversation, and follow-ups are answered in its light; the identity
    // check compares history-free answers given under concurrency with the same questions asked alone.
    const sample = [...recorded];
    let identical = 0;
    for (const [q, expected] of sample) if (fingerprint(await engine.ask(q)) === expected) identical += 1;
    await engine.close();
    await embeddings.close();

    return {
      context: endContext(context),
      workers,
      coldStart: {
        savedIndex: {
          runs: savedRuns,
          medianHealthyMs: median(savedRuns.map((r) => r.healthyMs)),
          medianFirstAnswerMs: median(savedRuns.map((r) => r.firstAnswerMs)),
          peakRssMb: Math.max(...savedRuns.map((r) => r.peakRssMb ?? 0)),
        },
        noIndex,
      },
      indexBuild: { article: articleBuild.result, x10, x100: x100Build.result },
      singleClient,
      textbook,
      ws,
      identity: { compared: sample.length, identical },
      x100,
      serverMaxRssMb,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function wsLevel(
  server: ServerProcess,
  options: Omit<Parameters<typeof runWsLoad>[0], 'wsUrl'>,
): Promise<WsLevelResult> {
  await server.reset();
  const before = await server.stats();
  const load = loadAverage();
  const result = await runWsLoad({ wsUrl: server.wsUrl, ...options });
  const after = await server.stats();
  const calls = after.batcher.calls - before.batcher.calls;
  return {
    ...result,
    ratePerSecond: options.ratePerSecond,
    eventLoop: after.eventLoop,
    peakRssMb: after.peakRssMb,
    meanBatch: calls === 0 ? 0 : round((after.batcher.texts - before.batcher.texts) / calls),
    loadAverage: load,
  };
}

/** A fresh model instance (so its text memo is empty) builds the index from scratch. */
async function buildFresh(corpusDir: string, dataDir: string, workers: number): Promise<IndexBuildResult> {
  const embeddings = new LocalEmbeddings({ workers });
  await embeddings.ready();
  const { engine, result } = await measureIndexBuild({ corpusDir, dataDir, embeddings, modelId: LOCAL_EMBEDDINGS_MODEL_ID });
  await engine.close();
  await embeddings.close();
  return result;
}

async function open100x(
  article: Awaited<ReturnType<typeof loadCorpus>>[number],
  workers: number,
  rebuild: boolean,
): Promise<{ engine: Engine; embeddings: LocalEmbeddings; dataDir: string; result: DefaultRunResults['indexBuild']['x100'] }> {
  const dir = path.join(CACHE_DIR, 'x100');
  const corpusDir = path.join(dir, 'corpus');
  const dataDir = path.join(dir, 'data');
  const recordFile = path.join(dir, 'build.json');
  await writeSyntheticCorpus({ article, dir: corpusDir, copies: 100 });
  const record = rebuild ? undefined : await readFile(recordFile, 'utf8').then((text) => JSON.parse(text) as DefaultRunResults['indexBuild']['x100'], () => undefined);
  const embeddings = new LocalEmbeddings({ workers });
  await embeddings.ready();
  if (record !== undefined) {
    const logger = createMemoryLogger();
    const engine = await createEngine({ corpusDir, dataDir, embeddings, modelId: LOCAL_EMBEDDINGS_MODEL_ID, logger });
    if (logger.lines.some((line) => line.includes('index: loaded'))) return { engine, embeddings, dataDir, result: { ...record, reused: true } };
    await engine.close(); // the cached index did not match (it was rebuilt just now, untimed): time a clean build
  }
  await rm(dataDir, { recursive: true, force: true });
  await embeddings.close();
  const fresh = new LocalEmbeddings({ workers });
  await fresh.ready();
  const { engine, result } = await measureIndexBuild({ corpusDir, dataDir, embeddings: fresh, modelId: LOCAL_EMBEDDINGS_MODEL_ID });
  const built = { ...result, reused: false, builtAt: new Date().toISOString() };
  await writeFile(recordFile, `${JSON.stringify(built, null, 2)}\n`);
  return { engine, embeddings: fresh, dataDir, result: built };
}

async function floodRun(workers: number): Promise<NonNullable<BenchResults['flood']>> {
  const context = startContext();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'nqa-flood-'));
  try {
    step('flood: 10 paced readers, 25 s quiet, then 25 s while 5 connections send 300,000 frames each (default limits)');
    const server = await startServerProcess({
      corpusDir: CORPUS_DIR,
      dataDir: path.join(scratch, 'data'),
      workers,
      logFile: path.join(scratch, 'server.log'),
      defaultLimits: true,
    });
    try {
      const result = await runFlood({ server, nextQuestion: questionSource(307), readers: 10, periodMs: 2500, phaseMs: 25_000, flooders: 5, framesPerFlooder: 300_000 });
      step(`  p95 ${result.quiet.latency.p95} -> ${result.flood.latency.p95} ms, peak RSS ${result.quiet.peakRssMb} -> ${result.flood.peakRssMb} MB`);
      return { context: endContext(context), ...result };
    } finally {
      await server.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function soakRun(seconds: number, workers: number): Promise<NonNullable<BenchResults['soak']>> {
  const context = startContext();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'nqa-soak-'));
  try {
    step(`soak: building the article index, then ${seconds} s of load`);
    const embeddings = new LocalEmbeddings();
    const engine = await createEngine({ corpusDir: CORPUS_DIR, dataDir: path.join(scratch, 'data'), embeddings, modelId: LOCAL_EMBEDDINGS_MODEL_ID });
    await engine.close();
    await embeddings.close();
    const server = await startServerProcess({ corpusDir: CORPUS_DIR, dataDir: path.join(scratch, 'data'), workers, logFile: path.join(scratch, 'server.log') });
    try {
      const result = await runSoak({ server, seconds, nextQuestion: questionSource(211) });
      return { context: endContext(context), workers, ...result };
    } finally {
      await server.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function killTestRun(iterations: number): Promise<NonNullable<BenchResults['killTest']>> {
  const context = startContext();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'nqa-kill-'));
  const embeddings = new LocalEmbeddings();
  try {
    step(`kill test: ${iterations} kills`);
    const result = await runKillTest({ corpusDir: CORPUS_DIR, workDir: scratch, embeddings, modelId: LOCAL_EMBEDDINGS_MODEL_ID, iterations, probes: PROBES });
    return { context: endContext(context), ...result };
  } finally {
    await embeddings.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Every question the bench sends is new; after ~59,000 the list starts over (the soak's long runs). */
function questionSource(seed: number): () => string {
  const all = distinctQuestions(59_000, seed);
  let next = 0;
  return () => all[next++ % all.length]!;
}

function fingerprint(answer: { answer: string; citations: ReadonlyArray<{ id: string }> }): string {
  return JSON.stringify([answer.answer, answer.citations.map((c) => c.id)]);
}

function startContext(): { startedAt: number; load: number } {
  return { startedAt: performance.now(), load: loadAverage() };
}

function endContext(start: { startedAt: number; load: number }): RunContext {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  return {
    at: new Date().toISOString(),
    commit,
    node: process.versions.node,
    cpus: `${os.availableParallelism()} x ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    loadAverage: { start: start.load, end: loadAverage() },
    durationS: Math.round((performance.now() - start.startedAt) / 1000),
  };
}

async function readResults(file: string): Promise<BenchResults> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  } catch {
    return {};
  }
}

function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`bench: ${flag} must be a whole number from ${min} to ${max}, got "${raw}"\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function step(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${loadAverage()}] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
