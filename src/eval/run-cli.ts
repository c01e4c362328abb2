import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { pathExists } from '../path-exists.js';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RetrieverMode } from '../chat/answer-types.js';
import { createEngineFromConfig } from '../chat/create-engine-from-config.js';
import type { Engine } from '../chat/engine-types.js';
import { loadConfig, type AppConfig } from '../config.js';
import { EvalError, isAppError } from '../errors.js';
import { EVAL_CORPUS_DIR, loadEvalCorpus } from './load-eval-corpus.js';
import { createConsoleLogger, silentLogger } from '../logger.js';
import { annotateReport } from './annotate-report.js';
import type { AnswerSource } from './answer-source.js';
import { compareReports, formatComparison } from './compare-reports.js';
import { createEngineAnswerSource } from './engine-answer-source.js';
import { findSuites } from './find-suites.js';
import { formatFailures, formatSuiteTable } from './format-suite-text.js';
import { buildFeedbackDraft, readFeedbackLog, type FeedbackEntry } from './import-feedback.js';
import { loadSuite } from './parse-suite.js';
import { writeHtmlReport } from './report-html.js';
import { findRegressions, formatRegressions, readBaseline, updateBaseline, writeBaseline, type Regression } from './baseline.js';
import { readJsonReport, writeJsonReport, type EvalReport } from './report-json.js';
import { runEvals } from './run-evals.js';
import type { Suite } from './suite-types.js';
import { createWsAnswerSource } from './ws-answer-source.js';

export const USAGE = `usage: npm run eval -- [--suite FILE ...] [--split dev|test] [--report FILE.json] [--html FILE.html] [--compare OLD.json]
                       [--retriever dense|bm25|hybrid] [--answerer extractive|llm] [--ws ws://host:port/ws] [--verbose]
                       [--article-base-url URL] [--baseline FILE.json] [--write-baseline FILE.json]
       npm run eval -- import-feedback [--input FEEDBACK.jsonl] [--out DRAFT.jsonl] [--force]
  Without --suite: every evals/*.jsonl whose header is not marked "fixture": true.
  --split: only the cases of that split (tune on dev, report test); default both.
  The engine answers over CORPUS_DIR plus the articles written for the evals (evals/corpus/), indexed under DATA_DIR/evals.
  --article-base-url: where the HTML report's paragraph links point (URL/articles/<slug>#pN);
    default PUBLIC_BASE_URL, else http://HOST:PORT.
  --baseline: also fail (exit 1) when a suite's hit, precision, refusal accuracy, false refusals or turns passed is
    more than 2 points worse than in FILE for this split (evals/baseline.json); --write-baseline records this run's.
  Exit 0 when every suite meets its thresholds, 1 when one does not, 2 on a usage, suite or setup error.`;

const IMPORT_USAGE = `usage: npm run eval -- import-feedback [--input FEEDBACK.jsonl] [--out DRAFT.jsonl] [--force]
  --input  the feedback log (default: FEEDBACK_LOG, i.e. <DATA_DIR>/feedback.jsonl, and SLACK_FEEDBACK_LOG if it differs);
           broken lines are skipped and listed
  --out    the draft suite to write (default: evals/drafts/feedback-draft.jsonl); an existing file needs --force`;

export interface RunCliOptions {
  readonly argv: readonly string[];
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  /** Relative paths (suites, reports, `evals/`) resolve against it; default `process.cwd()`. */
  readonly cwd?: string;
  /** Default `loadConfig(process.env, cwd)`. */
  readonly config?: AppConfig;
  /** An engine to use instead of building one from the config (tests share one engine across runs). */
  readonly engine?: Engine;
}

/** Raised inside the CLI for bad flags; becomes exit code 2 with the usage text. */
class UsageError extends Error {}

/**
 * The eval command line as a function: returns the exit code instead of exiting, so tests run it in-process.
 * 0: every suite met its thresholds; 1: a suite did not; 2: usage, suite-format or setup error.
 */
export async function runCli(options: RunCliOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const cwd = options.cwd ?? process.cwd();
  try {
    if (options.argv[0] === 'import-feedback') return await importFeedback(options.argv.slice(1), { stdout, cwd, config: options.config });
    return await evaluate({ ...options, stdout, stderr, cwd });
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`eval: ${error.message}\n${options.argv[0] === 'import-feedback' ? IMPORT_USAGE : USAGE}\n`);
      return 2;
    }
    stderr.write(`eval: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error instanceof Error ? (error.stack ?? error) : error)}\n`);
    return 2;
  }
}

type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

function parse(argv: readonly string[], spec: NonNullable<ParseArgsConfig['options']>): ParsedValues {
  try {
    return parseArgs({ args: [...argv], options: spec, allowPositionals: false, strict: true }).values;
  } catch (cause) {
    throw new UsageError((cause as Error).message);
  }
}

interface EvaluateContext extends RunCliOptions {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
}

async function evaluate(context: EvaluateContext): Promise<number> {
  const { stdout, stderr, cwd } = context;
  const values = parse(context.argv, {
    suite: { type: 'string', multiple: true },
    split: { type: 'string' },
    report: { type: 'string' },
    html: { type: 'string' },
    compare: { type: 'string' },
    retriever: { type: 'string' },
    answerer: { type: 'string' },
    ws: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'article-base-url': { type: 'string' },
    baseline: { type: 'string' },
    'write-baseline': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help === true) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  const articleBaseUrl = values['article-base-url'] as string | undefined;
  if (articleBaseUrl !== undefined && !/^https?:\/\/[^\s"'<>]+$/.test(articleBaseUrl)) {
    throw new UsageError(`--article-base-url must be an http:// or https:// URL, got "${articleBaseUrl}"`);
  }
  const retriever = values.retriever as string | undefined;
  if (retriever !== undefined && retriever !== 'dense' && retriever !== 'bm25' && retriever !== 'hybrid') {
    throw new UsageError(`--retriever must be dense, bm25 or hybrid, got "${retriever}"`);
  }
  const answerer = values.answerer as string | undefined;
  if (answerer !== undefined && answerer !== 'extractive' && answerer !== 'llm') {
    throw new UsageError(`--answerer must be extractive or llm, got "${answerer}"`);
  }
  const wsUrl = values.ws as string | undefined;
  if (wsUrl !== undefined) {
    if (!/^wss?:\/\/.+/.test(wsUrl)) throw new UsageError(`--ws must be a ws:// or wss:// URL, got "${wsUrl}"`);
    if (retriever !== undefined || answerer !== undefined) {
      throw new UsageError('--retriever and --answerer apply to the in-process engine; a live server (--ws) uses its own');
    }
  }
  const split = values.split as string | undefined;
  if (split !== undefined && split !== 'dev' && split !== 'test') throw new UsageError(`--split must be dev or test, got "${split}"`);
  const resolve = (file: string): string => path.resolve(cwd, file);
  const suiteFiles = (values.suite as string[] | undefined) ?? [];
  const loaded: Suite[] =
    suiteFiles.length > 0 ? await Promise.all(suiteFiles.map((file) => loadSuite(resolve(file)))) : await findSuites(resolve('evals'));
  // Failure listings name suites relative to the working directory, as a person would type them.
  const suites = loaded
    .map((suite) => ({
      ...suite,
      file: path.relative(cwd, suite.file) || suite.file,
      cases: split === undefined ? suite.cases : suite.cases.filter((c) => c.split === split),
    }))
    .filter((suite) => suite.cases.length > 0);
  const previous: EvalReport | undefined = values.compare === undefined ? undefined : await readJsonReport(resolve(values.compare as string));

  const config = (): AppConfig => context.config ?? loadConfig(process.env, cwd);
  let engine: Engine | undefined;
  let ownEngine = false;
  let source: AnswerSource;
  let articles;
  if (wsUrl !== undefined) {
    source = createWsAnswerSource({ url: wsUrl });
    articles = await loadEvalCorpus(config().corpusDir, resolve(EVAL_CORPUS_DIR));
  } else {
    engine = context.engine;
    if (engine === undefined) {
      stderr.write('eval: loading the engine (the first run builds the index)...\n');
      const settings = config();
      engine = await createEngineFromConfig(settings, {
        logger: values.verbose === true ? createConsoleLogger() : silentLogger,
        articles: await loadEvalCorpus(settings.corpusDir, resolve(EVAL_CORPUS_DIR)),
        // Its own index: the eval corpus differs from the served one, and neither should rebuild the other's.
        dataDir: path.join(settings.dataDir, 'evals'),
      });
      ownEngine = true;
    }
    source = createEngineAnswerSource({
      engine,
      ...(retriever === undefined ? {} : { retriever: retriever as RetrieverMode }),
      ...(answerer === undefined ? {} : { answerer: answerer as 'extractive' | 'llm' }),
    });
    articles = engine.articles;
  }

  let report: EvalReport;
  try {
    report = await runEvals({
      suites,
      source,
      articles,
      ...(retriever === undefined ? {} : { retriever }),
      ...(answerer === undefined ? {} : { answerer }),
      onCase: (suite, _result, index, total) => {
        if (index === 0) stderr.write(`eval: running ${suite.name} (${total} cases) against ${source.name}\n`);
      },
    });
  } finally {
    if (ownEngine) await engine?.close();
  }
  // Tags and the expected paragraphs' text, for the reports (the runner keeps neither).
  report = annotateReport(report, { suites, articles });

  for (const suite of report.suites) {
    stdout.write(`\n${formatSuiteTable(suite)}\n${formatFailures(suite)}`);
  }
  if (answerer === 'llm' && !report.answerersSeen.includes('llm')) {
    stdout.write(`\nNote: --answerer llm was asked for, but the answers came from ${report.answerersSeen.join(', ') || 'no answerer'} (no LLM provider configured).\n`);
  }
  const comparison = previous === undefined ? undefined : compareReports(previous, report);
  if (comparison !== undefined) stdout.write(`\n${formatComparison(comparison)}`);
  if (values.report !== undefined) {
    await writeJsonReport(resolve(values.report as string), report);
    stdout.write(`\nWrote ${values.report as string}\n`);
  }
  if (values.html !== undefined) {
    const settings = articleBaseUrl === undefined ? config().server : undefined;
    await writeHtmlReport(resolve(values.html as string), report, {
      articleBaseUrl: articleBaseUrl ?? settings?.publicBaseUrl ?? `http://${settings?.host ?? '127.0.0.1'}:${settings?.port ?? 8787}`,
      ...(comparison === undefined ? {} : { comparison }),
    });
    stdout.write(`Wrote ${values.html as string}\n`);
  }
  const splitName = split ?? 'all';
  let regressions: Regression[] = [];
  if (values.baseline !== undefined) {
    regressions = findRegressions(report, await readBaseline(resolve(values.baseline as string)), splitName);
    stdout.write(
      regressions.length === 0
        ? `\nNo suite is more than 2 points below ${values.baseline as string} (${splitName}).\n`
        : `\nRegressions against ${values.baseline as string} (${splitName}):\n${formatRegressions(regressions)}\n`,
    );
  }
  if (values['write-baseline'] !== undefined) {
    const file = resolve(values['write-baseline'] as string);
    const previousBaseline = (await pathExists(file)) ? await readBaseline(file) : undefined;
    await writeBaseline(file, updateBaseline(previousBaseline, report, splitName));
    stdout.write(`Wrote the ${splitName} figures to ${values['write-baseline'] as string}\n`);
  }
  const failed = report.suites.filter((s) => !s.passed).map((s) => s.name);
  stdout.write(failed.length === 0 ? `\nAll ${report.suites.length} suites met their thresholds.\n` : `\nThresholds not met: ${failed.join(', ')}\n`);
  return failed.length === 0 && regressions.length === 0 ? 0 : 1;
}

async function importFeedback(
  argv: readonly string[],
  context: { stdout: NodeJS.WritableStream; cwd: string; config: AppConfig | undefined },
): Promise<number> {
  const values = parse(argv, {
    input: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help === true) {
    context.stdout.write(`${IMPORT_USAGE}\n`);
    return 0;
  }
  const config = values.input === undefined ? (context.config ?? loadConfig(process.env, context.cwd)) : undefined;
  // By default the shared log, and the Slack bot's too when SLACK_FEEDBACK_LOG points elsewhere.
  const inputs =
    config === undefined ? [path.resolve(context.cwd, values.input as string)] : [...new Set([config.feedbackLog, config.slack.feedbackLog])];
  const out = path.resolve(context.cwd, (values.out as string | undefined) ?? path.join('evals', 'drafts', 'feedback-draft.jsonl'));
  const entries: FeedbackEntry[] = [];
  const skipped: string[] = [];
  let refusalsWithoutQuestion = 0;
  let read = 0;
  for (const input of inputs) {
    let text: string;
    try {
      text = await readFile(input, 'utf8');
    } catch (cause) {
      // A default log that was never written (no Slack bot, say) is no error while another one exists.
      if (config !== undefined && inputs.length > 1 && (cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new EvalError('EVAL_FEEDBACK_UNREADABLE', `${input}: cannot read the feedback log (${(cause as Error).message})`, { cause });
    }
    read += 1;
    const contents = readFeedbackLog(text, path.relative(context.cwd, input) || input);
    entries.push(...contents.entries);
    skipped.push(...contents.skipped.map((s) => s.problem));
    refusalsWithoutQuestion += contents.refusalsWithoutQuestion;
  }
  if (read === 0) {
    throw new EvalError('EVAL_FEEDBACK_UNREADABLE', `${inputs.join(', ')}: no feedback log to read (nothing has been logged yet?)`);
  }
  if (values.force !== true && (await pathExists(out))) {
    throw new EvalError('EVAL_DRAFT_EXISTS', `${out} already exists (it may hold someone's review); pass --force to overwrite or choose --out`);
  }
  const source = inputs.map((input) => path.relative(context.cwd, input) || input).join(' + ');
  const draft = buildFeedbackDraft(entries, { source, createdAt: new Date().toISOString() });
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, draft.text, 'utf8');
  for (const problem of skipped) context.stdout.write(`skipped ${problem}\n`);
  context.stdout.write(
    `Wrote ${draft.cases} draft cases from ${entries.length} feedback lines to ${out}: ` +
      `${draft.answerable} answerable, ${draft.unanswerable} unanswerable, ${draft.review} to review.` +
      `${skipped.length > 0 ? ` Skipped ${skipped.length} broken line${skipped.length === 1 ? '' : 's'} (listed above).` : ''}` +
      `${refusalsWithoutQuestion > 0 ? ` ${refusalsWithoutQuestion} logged refusal${refusalsWithoutQuestion === 1 ? '' : 's'} without question text (no consent) not imported.` : ''}\n`,
  );
  return 0;
}
