import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeHtml } from '../escape-html.js';
import { summarizeFailures } from './classify-failure.js';
import type { ReportComparison } from './compare-reports.js';
import { describeExpectation } from './format-suite-text.js';
import { METRIC_LABELS, formatMetric } from './metric-labels.js';
import { renderComparison } from './report-html-compare.js';
import {
  FAILURE_CSS,
  collectFilterValues,
  countFailingByTag,
  filterCss,
  renderFailingTurn,
  renderFailureSummary,
  renderFilters,
  type FilterValues,
} from './report-html-failures.js';
import type { EvalReport } from './report-json.js';
import type { SuiteResult, TurnResult } from './result-types.js';
import { METRIC_NAMES, type MetricName } from './suite-types.js';

/** Metrics drawn in the chart: the shares from 0 to 1 (latencies are only in the table). */
const CHART_METRICS = METRIC_NAMES.filter((name) => !name.endsWith('Ms'));

export interface HtmlReportOptions {
  /**
   * Paragraph links go to `${articleBaseUrl}/articles/<slug>#pN` (the chat server's article pages). Default `''`:
   * site-relative links, right when the report is served by the same server.
   */
  readonly articleBaseUrl?: string;
  /** With `--compare`: the metric changes as a chart and a table, and the cases that got worse or better. */
  readonly comparison?: ReportComparison;
}

/**
 * Renders a report as one self-contained HTML page (inline CSS and SVG, no scripts, no external requests). It opens
 * with the failures by kind and by article, then (with a comparison) the metric changes; a filter bar narrows the
 * failing turns by kind, article and tag with radio buttons and CSS alone. Per suite: the metrics with their
 * thresholds, an SVG bar chart of the rates, every failing turn with the expected paragraphs beside the cited ones
 * (linked into the article page), and all cases with every turn (folded). All text from suites, answers and
 * paragraphs is escaped, so a question holding markup shows as text.
 */
export function renderHtmlReport(report: EvalReport, options: HtmlReportOptions = {}): string {
  const title = `Citation eval report, ${report.createdAt}`;
  const base = options.articleBaseUrl ?? '';
  const values = collectFilterValues(report);
  const summary = summarizeFailures(report.suites);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; } td, th { padding: 0.2rem 0.6rem; border-bottom: 1px solid #e5e5e5; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #17632a; font-weight: 600; } .fail { color: #a4161a; font-weight: 600; } .muted { color: #666; }
.turn { border: 1px solid #ddd; border-left: 4px solid #17632a; border-radius: 4px; padding: 0.6rem 0.9rem; margin: 0.8rem 0; }
.citation { margin: 0.4rem 0 0.4rem 1rem; } .citation blockquote { margin: 0.2rem 0 0 1rem; color: #444; }
.turn.failing { border-left-color: #a4161a; } .wrong { color: #a4161a; } .right { color: #17632a; } ul.problems { margin: 0.3rem 0; }
caption { text-align: left; }
${FAILURE_CSS}
${filterCss(values)}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Source: ${escapeHtml(report.source)} · retriever: ${escapeHtml(report.retriever)} · answerer: ${escapeHtml(report.answerer)}${
    report.answerersSeen.length > 0 ? ` (answered by ${escapeHtml(report.answerersSeen.join(', '))})` : ''
  } · ${report.durationMs} ms · overall <span class="${report.passed ? 'pass' : 'fail'}">${report.passed ? 'PASS' : 'FAIL'}</span></p>
${renderFailureSummary(summary, values)}
${options.comparison === undefined ? '' : renderComparison(options.comparison)}
${renderFilters(summary, values, countFailingByTag(report))}
${report.suites.map((suite) => renderSuite(suite, values, base)).join('\n')}
<p id="shown" aria-hidden="true"> of ${summary.failing} failing turns shown</p>
</body>
</html>
`;
}

/** Writes `renderHtmlReport(report, options)` to a file, creating the directory. */
export async function writeHtmlReport(file: string, report: EvalReport, options: HtmlReportOptions = {}): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, renderHtmlReport(report, options), 'utf8');
}

function renderSuite(suite: SuiteResult, values: FilterValues, base: string): string {
  const { counts } = suite;
  const failing = suite.cases.flatMap((c) => c.turns.map((turn, i) => ({ c, turn, i })).filter(({ turn }) => !turn.score.passed));
  return `<section>
<h2>${escapeHtml(suite.name)} <span class="${suite.passed ? 'pass' : 'fail'}">${suite.passed ? 'PASS' : 'FAIL'}</span></h2>
<p class="muted">${escapeHtml(suite.file)}${suite.description === undefined ? '' : ` · ${escapeHtml(suite.description)}`}</p>
<p>${counts.cases} cases (${counts.casesPassed} passed), ${counts.turns} turns (${counts.turnsPassed} passed): ${counts.answerable} answerable, ${counts.unanswerable} unanswerable, ${counts.errors} errors.</p>
${renderChart(suite)}
${renderMetricsTable(suite)}
<h3>Failing turns (${failing.length})</h3>
${failing.length === 0 ? '<p>None.</p>' : failing.map(({ c, i }) => renderFailingTurn(suite, c, i, values, base)).join('\n')}
<details><summary>All ${suite.cases.length} cases</summary>
<table><thead><tr><th>case</th><th>result</th><th>turns</th><th>hit</th><th>precision</th><th>recall</th><th>recall@5</th></tr></thead><tbody>
${suite.cases
  .map(
    (c) =>
      `<tr><td>${escapeHtml(c.id)}</td><td class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'pass' : 'fail'}</td><td class="num">${c.turns.length}</td>` +
      `<td class="num">${formatMetric('citationHit', c.metrics.citationHit)}</td><td class="num">${formatMetric('citationPrecision', c.metrics.citationPrecision)}</td>` +
      `<td class="num">${formatMetric('citationRecall', c.metrics.citationRecall)}</td><td class="num">${formatMetric('recallAt5', c.metrics.recallAt5)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>
${suite.cases
  .map(
    (c) =>
      `<details><summary>${escapeHtml(c.id)} <span class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'pass' : 'fail'}</span></summary>\n` +
      c.turns.map((turn, i) => renderTurn(`${c.id} turn ${i + 1}`, `${suite.file}:${c.line}`, turn)).join('\n') +
      '</details>',
  )
  .join('\n')}
</details>
</section>`;
}

function renderMetricsTable(suite: SuiteResult): string {
  const rows = METRIC_NAMES.map((metric) => {
    const checks = suite.checks.filter((check) => check.metric === metric);
    const cell = checks
      .map((check) => {
        const cls = check.status === 'pass' ? 'pass' : check.status === 'fail' ? 'fail' : 'muted';
        const label = check.status === 'pass' ? 'ok' : check.status === 'fail' ? 'FAILED' : 'not measured';
        return `${check.bound === 'min' ? '≥' : '≤'} ${escapeHtml(formatMetric(metric, check.limit))} <span class="${cls}">${label}</span>`;
      })
      .join('; ');
    return `<tr><th scope="row">${escapeHtml(METRIC_LABELS[metric])}</th><td class="num">${escapeHtml(formatMetric(metric, suite.metrics[metric]))}</td><td>${cell}</td></tr>`;
  });
  return `<table><thead><tr><th>metric</th><th>value</th><th>threshold</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** Horizontal bars from 0 to 1, with a tick at each threshold. */
function renderChart(suite: SuiteResult): string {
  const labelWidth = 230;
  const barWidth = 400;
  const rowHeight = 24;
  const height = CHART_METRICS.length * rowHeight + 10;
  const rows = CHART_METRICS.map((metric: MetricName, i) => {
    const value = suite.metrics[metric];
    const y = i * rowHeight + 5;
    const width = value === null ? 0 : Math.max(0, Math.min(1, value)) * barWidth;
    const ticks = suite.checks
      .filter((check) => check.metric === metric)
      .map((check) => {
        const x = labelWidth + check.limit * barWidth;
        return `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${y - 2}" y2="${y + rowHeight - 6}" stroke="#1d1d1f" stroke-width="2"><title>${escapeHtml(`${check.bound} ${formatMetric(metric, check.limit)}`)}</title></line>`;
      })
      .join('');
    const failed = suite.checks.some((check) => check.metric === metric && check.status === 'fail');
    return (
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end" font-size="13">${escapeHtml(METRIC_LABELS[metric])}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${barWidth}" height="${rowHeight - 8}" fill="#eee"/>` +
      `<rect x="${labelWidth}" y="${y}" width="${width.toFixed(1)}" height="${rowHeight - 8}" fill="${failed ? '#c9184a' : '#2f6fb0'}"/>` +
      `<text x="${labelWidth + barWidth + 8}" y="${y + 14}" font-size="13">${escapeHtml(formatMetric(metric, value))}</text>` +
      ticks
    );
  });
  const summary = CHART_METRICS.map((m) => `${METRIC_LABELS[m]} ${formatMetric(m, suite.metrics[m])}`).join(', ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barWidth + 70}" height="${height}" role="img" aria-label="${escapeHtml(`Metrics of ${suite.name}: ${summary}`)}">${rows.join('')}</svg>`;
}

function renderTurn(label: string, where: string, turn: TurnResult): string {
  const citations = (turn.answer?.citations ?? [])
    .map((c, i) => {
      const ok = turn.score.citationCorrect[i] === true;
      return `<div class="citation"><span class="${ok ? 'right' : 'wrong'}">¶${c.paragraph} ${ok ? 'correct' : 'wrong'}</span>: quote “${escapeHtml(c.quote)}”<blockquote>${escapeHtml(c.text)}</blockquote></div>`;
    })
    .join('');
  const answer =
    turn.answer === null
      ? `<p><strong>Error:</strong> ${escapeHtml(turn.error ?? '')}</p>`
      : `<p><strong>Answer</strong> (grounded: ${turn.answer.grounded}): ${escapeHtml(turn.answer.answer)}</p>`;
  const retrieval =
    turn.retrieval === null
      ? ''
      : `<p class="muted">Retrieval: expected paragraph ${turn.retrieval.rank === null ? 'not in the top 20' : `at rank ${turn.retrieval.rank}`}; top 5 ${escapeHtml(turn.retrieval.top.map((n) => `¶${n}`).join(' '))}; query “${escapeHtml(turn.retrieval.query)}”</p>`;
  return `<div class="turn${turn.score.passed ? '' : ' failing'}">
<p><strong>${escapeHtml(label)}</strong> <span class="muted">${escapeHtml(where)}</span><br>Question: ${escapeHtml(turn.question)}</p>
<p>Expected: ${escapeHtml(describeExpectation(turn))}</p>
${answer}
${citations}
${retrieval}
<ul class="problems">${turn.score.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>
</div>`;
}
