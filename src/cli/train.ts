import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HybridRetriever } from '../chat/hybrid-retriever.js';
import { DEFAULT_ANSWER_MODEL_PATH } from '../chat/pipeline/answer-model.js';
import { createAnswerPipeline } from '../chat/pipeline/answer-pipeline.js';
import { createStandaloneQuestion } from '../chat/standalone-question.js';
import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { findSuites } from '../eval/find-suites.js';
import { EVAL_CORPUS_DIR, loadEvalCorpus } from '../eval/load-eval-corpus.js';
import { LocalEmbeddings, LOCAL_EMBEDDINGS_MODEL_ID } from '../index/local-embeddings.js';
import { openParagraphIndex } from '../index/paragraph-index.js';
import { createConsoleLogger } from '../logger.js';
import { createLexicon } from '../nlp/lexicon.js';
import { createTextAnalyzer } from '../nlp/text-analyzer.js';
import { collectTrainingQuestions, type TrainingExample } from '../train/build-training-set.js';
import { formatTrainReport } from '../train/format-train-report.js';
import { trainAnswerModel } from '../train/train-answer-model.js';

const USAGE = `usage: npm run train -- [--out FILE] [--dry-run] [--dump OOF.json]
  Rebuilds the answer model (models/answer-model.json) from the dev cases of evals/*.jsonl and questions generated
  from their articles, prints the leave-one-article-out cross-validation report, and writes the model and its
  report (models/answer-model.report.md). --dry-run prints the report without writing.`;

/**
 * `npm run train`: the one command that rebuilds the trained answer model. Deterministic: the same suites, corpus
 * and embedding model give the same artifact.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      dump: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const logger = createConsoleLogger();
  const config = loadConfig();
  const started = performance.now();
  const articles = await loadEvalCorpus(config.corpusDir, path.resolve(EVAL_CORPUS_DIR));
  const embeddings = new LocalEmbeddings();
  try {
    const index = await openParagraphIndex({
      dataDir: path.join(config.dataDir, 'evals'),
      articles,
      embeddings,
      modelId: LOCAL_EMBEDDINGS_MODEL_ID,
      ef: config.hnswEf,
      logger,
    });
    const retriever = new HybridRetriever({ index, embeddings });
    const analyzer = createTextAnalyzer();
    const lexicon = createLexicon();
    const pipeline = createAnswerPipeline({ articles, chunks: index.chunks, vectors: retriever, analyzer, lexicon });
    const suites = (await findSuites(path.resolve('evals'))).filter((s) => !s.fixture);
    const questions = collectTrainingQuestions({ suites, pipeline, lexicon, standaloneQuestion: createStandaloneQuestion({ analyzer, nameKind: pipeline.nameKind }) });
    logger.info('train: questions collected', { questions: questions.length });
    const analyzed = questions.map((q) => ({ q, model: pipeline.analyze(q.text, q.slug) }));
    const vectors = await embeddings.embedDocuments(analyzed.map((a) => a.model.text));
    const examples: TrainingExample[] = analyzed.map(({ q, model }, i) => ({
      question: q,
      context: pipeline.features({
        question: model,
        slug: q.slug,
        vector: vectors[i]!,
        ...(q.exclude === undefined ? {} : { exclude: q.exclude }),
        ...(q.history === undefined ? {} : { history: q.history }),
      }),
    }));
    logger.info('train: features computed', { examples: examples.length, seconds: Math.round((performance.now() - started) / 100) / 10 });
    const { model, report } = trainAnswerModel({ examples });
    const text = formatTrainReport(report);
    process.stdout.write(text);
    if (values.dump !== undefined) await writeFile(path.resolve(values.dump as string), `${JSON.stringify(report.outOfFold, null, 1)}\n`, 'utf8');
    if (!values['dry-run']) {
      const out = path.resolve((values.out as string | undefined) ?? DEFAULT_ANSWER_MODEL_PATH);
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, `${JSON.stringify(model, null, 1)}\n`, 'utf8');
      await writeFile(out.replace(/\.json$/, '.report.md'), text, 'utf8');
      process.stdout.write(`\nWrote ${path.relative(process.cwd(), out)} and its report.\n`);
    }
    return 0;
  } finally {
    await embeddings.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`train: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error instanceof Error ? error.stack : error)}\n`);
    process.exitCode = 1;
  },
);
