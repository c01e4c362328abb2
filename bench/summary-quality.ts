import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_SUMMARY_SETTINGS,
  selectSummarySentences,
  summaryCandidates,
  summaryLength,
  type SummaryCandidate,
  type SummarySettings,
} from '../src/chat/summarize-article.js';
import { loadSuite } from '../src/eval/parse-suite.js';
import type { Suite } from '../src/eval/suite-types.js';
import type { Article } from '../src/index/article.js';
import { loadCorpus } from '../src/index/load-corpus.js';
import { LocalEmbeddings, LOCAL_EMBEDDINGS_MODEL_ID } from '../src/index/local-embeddings.js';
import { openParagraphIndex } from '../src/index/paragraph-index.js';
import { silentLogger } from '../src/logger.js';

/**
 * `npx tsx bench/summary-quality.ts`: how well each way of choosing summary sentences covers what people
 * who wrote about an article (without seeing any engine output) said matters in it. Six articles: the NPR
 * story in `corpus/` and the five fictional stories in `evals/corpus/`.
 *
 * Two measures, both against material written blind:
 * - **topic recall**: ROUGE-1 recall (content words, light suffix stemming) of the summary against the
 *   headline plus the human-written description in the article's eval suite header;
 * - **question coverage** (in the spirit of QA-based summary evaluation such as APES): the share of the
 *   suites' answerable turns whose expected paragraph the summary cites, divided by the best share any
 *   set of the same number of paragraphs could reach (greedy maximum coverage), so 1.0 is an oracle.
 * Variants: the first sentences (lead baseline), plain LexRank, LexRank + MMR, and LexRank + MMR with a
 * lead-biased teleport. Prints one table; the figures are in docs/evals.md.
 */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Variant {
  readonly name: string;
  readonly pick: (candidates: readonly SummaryCandidate[], count: number) => number[];
}

const lexRank = (settings: Partial<SummarySettings>) => (candidates: readonly SummaryCandidate[], count: number) =>
  selectSummarySentences(candidates, count, { ...DEFAULT_SUMMARY_SETTINGS, ...settings });

const VARIANTS: readonly Variant[] = [
  { name: 'lead (first sentence of the first body paragraphs)', pick: leadBaseline },
  { name: 'LexRank, no MMR, no lead bias', pick: lexRank({ lambda: 1, leadBias: 0 }) },
  { name: 'LexRank + MMR 0.7', pick: lexRank({ lambda: 0.7, leadBias: 0 }) },
  { name: 'LexRank + MMR 0.7 + lead bias 0.25 (default)', pick: lexRank({ lambda: 0.7, leadBias: 0.25 }) },
  { name: 'LexRank + MMR 0.7 + lead bias 0.5', pick: lexRank({ lambda: 0.7, leadBias: 0.5 }) },
  { name: 'LexRank + MMR 0.7 + lead bias 1', pick: lexRank({ lambda: 0.7, leadBias: 1 }) },
  { name: 'LexRank + MMR 0.6 + lead bias 0.25', pick: lexRank({ lambda: 0.6, leadBias: 0.25 }) },
  { name: 'LexRank + MMR 0.8 + lead bias 0.25', pick: lexRank({ lambda: 0.8, leadBias: 0.25 }) },
];

const SUITES: Readonly<Record<string, readonly string[]>> = {
  'nk-troops-drone-warfare': ['evals/nk-troops-drone-warfare.jsonl', 'evals/incoming/nk-troops-fresh.jsonl'],
};

async function main(): Promise<void> {
  const articles = [...(await loadCorpus(path.join(REPO_ROOT, 'corpus'))), ...(await loadCorpus(path.join(REPO_ROOT, 'evals/corpus')))];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nqa-summary-quality-'));
  const embeddings = new LocalEmbeddings();
  try {
    const index = await openParagraphIndex({ dataDir, articles, embeddings, modelId: LOCAL_EMBEDDINGS_MODEL_ID, ef: 64, logger: silentLogger });
    const rows = new Map<string, { topic: number[]; coverage: number[] }>(VARIANTS.map((v) => [v.name, { topic: [], coverage: [] }]));
    for (const article of articles) {
      const suites = await Promise.all((SUITES[article.slug] ?? [`evals/incoming/${article.slug}.jsonl`]).map((f) => loadSuite(path.join(REPO_ROOT, f))));
      const reference = `${article.headline}. ${suites.map((s) => s.description ?? '').join(' ')}`;
      const expected = answerableTurns(suites, article.slug);
      const candidates = summaryCandidates(index, article.slug);
      const count = summaryLength(candidates.length);
      const oracle = oracleCoverage(expected, count);
      for (const variant of VARIANTS) {
        const picks = variant.pick(candidates, count);
        const text = picks.map((i) => candidates[i]!.sentence.text).join(' ');
        const cited = new Set(picks.map((i) => candidates[i]!.paragraph.number));
        const row = rows.get(variant.name)!;
        row.topic.push(rouge1Recall(text, reference));
        row.coverage.push(expected.filter((turn) => turn.some((n) => cited.has(n))).length / expected.length / oracle);
      }
      process.stderr.write(`${article.slug}: ${candidates.length} sentences, ${count} chosen, ${expected.length} answerable turns\n`);
    }
    const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const lines = [
      `| variant (${articles.length} articles) | topic recall (ROUGE-1 vs headline + suite description) | question coverage / oracle |`,
      '|---|---|---|',
      ...VARIANTS.map((v) => {
        const row = rows.get(v.name)!;
        return `| ${v.name} | ${mean(row.topic).toFixed(3)} | ${mean(row.coverage).toFixed(3)} |`;
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await embeddings.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function leadBaseline(candidates: readonly SummaryCandidate[], count: number): number[] {
  const picks: number[] = [];
  const seen = new Set<string>();
  candidates.forEach((c, i) => {
    if (picks.length < count && c.paragraph.kind === 'paragraph' && !seen.has(c.paragraph.ref)) {
      seen.add(c.paragraph.ref);
      picks.push(i);
    }
  });
  return picks;
}

/** The expected paragraphs of every answerable turn about `slug`. */
function answerableTurns(suites: readonly Suite[], slug: string): number[][] {
  return suites.flatMap((suite) =>
    suite.cases
      .filter((c) => (c.article ?? suite.article) === slug)
      .flatMap((c) => c.turns.filter((t) => !t.expect.unanswerable && t.expect.paragraphs.length > 0).map((t) => [...t.expect.paragraphs])),
  );
}

/** Greedy maximum coverage with `count` paragraphs (within 1 - 1/e of the true optimum). */
function oracleCoverage(turns: readonly number[][], count: number): number {
  const covered = new Set<number>();
  const chosen = new Set<number>();
  for (let k = 0; k < count; k += 1) {
    const gain = new Map<number, number>();
    turns.forEach((turn, t) => {
      if (covered.has(t)) return;
      for (const n of turn) if (!chosen.has(n)) gain.set(n, (gain.get(n) ?? 0) + 1);
    });
    const best = [...gain.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    if (best === undefined) break;
    chosen.add(best[0]);
    turns.forEach((turn, t) => {
      if (turn.includes(best[0])) covered.add(t);
    });
  }
  return covered.size / turns.length;
}

const STOP = new Set(
  'a an the and or but of in on at to for from by with as is are was were be been being it its this that these those he she they his her their them who whom what which when where why how not no do does did has have had will would can could may might than then there here after before over under into about against between its also said says'.split(' '),
);

function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => !STOP.has(w) && w.length > 1)
    .map((w) => w.replace(/(?:ing|ed|es|s)$/, '') || w);
}

/** Share of the reference's distinct content words that the summary contains. */
function rouge1Recall(summary: string, reference: string): number {
  const have = new Set(contentWords(summary));
  const want = [...new Set(contentWords(reference))];
  return want.filter((w) => have.has(w)).length / want.length;
}

await main();
