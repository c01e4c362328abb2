import type { ArticleReport, TrainReport } from './train-answer-model.js';

/** The training report as Markdown: printed by `npm run train` and saved beside the model. */
export function formatTrainReport(report: TrainReport): string {
  const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
  const row = (r: ArticleReport): string =>
    `| ${r.article} | ${r.answerable} | ${r.unanswerable} | ${f(r.rankHit)} | ${f(r.hit)} | ${f(r.precision)} | ${f(r.falseRefusals)} | ${f(r.refusalAccuracy)} |`;
  const lines = [
    '# Answer model training report',
    '',
    `Training questions: ${report.questions.suite} hand-written (dev splits only), ${report.questions.generated} generated from the dev articles, ${report.questions.removed} "answer removed" copies.`,
    '',
    '## Leave-one-article-out cross-validation (hand-written dev questions)',
    '',
    `Every row comes from models that never saw that article. Threshold ${report.threshold.toFixed(3)}.`,
    '',
    '| article | answerable | unanswerable | top-1 paragraph | citation hit | precision | false refusals | refusal accuracy |',
    '|---|---|---|---|---|---|---|---|',
    ...report.crossValidation.map(row),
    row(report.overall),
    '',
    '## Threshold sweep (out of fold)',
    '',
    '| threshold | hit | precision | false refusals | refusal accuracy |',
    '|---|---|---|---|---|',
    ...report.sweep.map((s) => `| ${s.threshold.toFixed(3)} | ${f(s.hit)} | ${f(s.precision)} | ${f(s.falseRefusals)} | ${f(s.refusalAccuracy)} |`),
    '',
    '## Weights (standardised features)',
    '',
    '| ranker feature | weight |',
    '|---|---|',
    ...Object.entries(report.rankerWeights).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '| answerability feature | weight |',
    '|---|---|',
    ...Object.entries(report.answerabilityWeights).map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ];
  return lines.join('\n');
}
