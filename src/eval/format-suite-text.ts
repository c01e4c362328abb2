import type { ThresholdCheck, SuiteResult, TurnResult } from './result-types.js';
import { METRIC_LABELS, formatMetric } from './metric-labels.js';
import { METRIC_NAMES } from './suite-types.js';

/** The console table of one suite: counts, every metric, and its threshold check when it has one. */
export function formatSuiteTable(result: SuiteResult): string {
  const { counts } = result;
  const lines = [
    `Suite ${result.name} (${result.file}): ${result.passed ? 'PASS' : 'FAIL'}`,
    `  ${counts.cases} cases (${counts.casesPassed} passed), ${counts.turns} turns (${counts.turnsPassed} passed): ` +
      `${counts.answerable} answerable, ${counts.unanswerable} unanswerable, ${counts.errors} errors`,
  ];
  const width = Math.max(...Object.values(METRIC_LABELS).map((label) => label.length));
  for (const metric of METRIC_NAMES) {
    const value = formatMetric(metric, result.metrics[metric]).padStart(10);
    const checks = result.checks.filter((check) => check.metric === metric).map(formatCheck);
    lines.push(`  ${METRIC_LABELS[metric].padEnd(width)} ${value}${checks.length > 0 ? `   ${checks.join('; ')}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatCheck(check: ThresholdCheck): string {
  const limit = `${check.bound === 'min' ? '>=' : '<='} ${formatMetric(check.metric, check.limit)}`;
  return `${limit} ${check.status === 'pass' ? 'ok' : check.status === 'fail' ? 'FAILED' : 'not measured'}`;
}

/**
 * Every failing turn of a suite: where the case is (file:line), the question, what was expected, what was cited
 * (with quotes), where retrieval ranked the expected paragraph, and why it fails.
 */
export function formatFailures(result: SuiteResult): string {
  const out: string[] = [];
  for (const c of result.cases) {
    c.turns.forEach((turn, index) => {
      if (turn.score.passed) return;
      out.push(`  ✗ ${c.id} turn ${index + 1} (${result.file}:${c.line}): ${JSON.stringify(turn.question)}`);
      out.push(`      expected: ${describeExpectation(turn)}`);
      out.push(`      got:      ${describeAnswer(turn)}`);
      for (const citation of turn.answer?.citations ?? []) {
        out.push(`        ¶${citation.paragraph}: ${JSON.stringify(truncate(citation.quote, 160))}`);
      }
      if (turn.retrieval !== null) {
        const rank = turn.retrieval.rank === null ? 'not in the top 20' : `rank ${turn.retrieval.rank}`;
        out.push(`      retrieval: expected paragraph at ${rank}; top 5 ${turn.retrieval.top.map((n) => `¶${n}`).join(' ')}; query ${JSON.stringify(turn.retrieval.query)}`);
      }
      for (const problem of turn.score.problems) out.push(`      - ${problem}`);
    });
  }
  if (out.length === 0) return `Suite ${result.name}: no failing turns\n`;
  const failing = result.counts.turns - result.counts.turnsPassed;
  return `Suite ${result.name}: ${failing} failing turn${failing === 1 ? '' : 's'}\n${out.join('\n')}\n`;
}

/** `¶39 or ¶38; evidence "..."; terms "..."`, or `unanswerable`. */
export function describeExpectation(turn: TurnResult): string {
  const { expect } = turn;
  if (expect.unanswerable) return 'unanswerable (grounded: false, no citations)';
  const parts: string[] = [];
  if (expect.paragraphs.length > 0) parts.push(expect.paragraphs.map((n) => `¶${n}`).join(' or '));
  for (const entry of expect.evidence) parts.push(`evidence ${JSON.stringify(entry.join('|'))}`);
  for (const entry of expect.terms) parts.push(`term ${JSON.stringify(entry.join('|'))}`);
  return parts.join('; ');
}

function describeAnswer(turn: TurnResult): string {
  if (turn.answer === null) return `error ${turn.error ?? ''}`;
  const cited = turn.answer.citations.map((c, i) => `¶${c.paragraph}${turn.score.citationCorrect[i] ? '' : ' (wrong)'}`);
  return `grounded: ${turn.answer.grounded}; cited ${cited.length > 0 ? cited.join(', ') : 'nothing'}; answer ${JSON.stringify(truncate(turn.answer.answer, 200))}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
